"""The content of a report (attributions.content_start/content_end): the clause or quotation a
cue governs, and the only place a number is credited."""

import pandas as pd
import pytest
from conftest import ROOT


def attributions_of(nlp, text):
    from pipeline.process import make_doc
    from pipeline.records import Article

    doc = nlp(make_doc(nlp, Article("t", text)))
    return [(q.text, a) for q, a in zip(doc._.quantities, doc._.attributions)]


@pytest.mark.parametrize(
    "text, number, content",
    [
        (
            "Ahead of the vote in 12 days, the mayor told reporters that 300 homes were lost.",
            "300",
            "that 300 homes were lost",
        ),
        (
            "About 900 buildings were damaged, the Red Cross said on Tuesday.",
            "About 900",
            "About 900 buildings were damaged",
        ),
        (
            '"We have counted 45 bodies so far," the police chief told reporters.',
            "45",
            '"We have counted 45 bodies so far,"',
        ),
    ],
)
def test_content_is_the_clause_or_quotation_the_cue_governs(nlp, text, number, content):
    a = dict(attributions_of(nlp, text))[number]
    assert a is not None and a.cue_kind == "report"
    assert text[a.content_start : a.content_end] == content


def test_content_of_a_carried_report_is_the_sentence_it_carries_into(nlp):
    text = "The ministry said 30 people were killed in the attack. Of these, 12 were children."
    a = dict(attributions_of(nlp, text))["12"]
    assert a is not None and text[a.content_start : a.content_end] == "Of these, 12 were children."


def test_every_credited_claim_lies_in_its_attributions_content(seeds_run):
    claims = pd.read_parquet(seeds_run / "claims.parquet")
    atts = pd.read_parquet(seeds_run / "attributions.parquet")
    assert atts.content_start.notna().all() and (atts.content_start < atts.content_end).all()
    credited = claims[claims.source.notna()].merge(
        atts, on=["doc_id", "source_start", "source_end", "cue_start", "cue_end"], suffixes=("", "_a")
    )
    assert len(credited) == claims.source.notna().sum() > 10
    assert ((credited.content_start <= credited.start) & (credited.end <= credited.content_end)).all()
    # a framing or narrating number is outside every content span of its article
    text = (ROOT / "seeds" / f"{credited.doc_id.iloc[0]}.txt").read_text(encoding="utf-8")
    a = atts[atts.doc_id == credited.doc_id.iloc[0]].iloc[0]
    assert text[a.content_start : a.content_end].strip() == text[a.content_start : a.content_end]


def test_a_number_inside_a_non_projective_cue_keeps_its_article(nlp):
    """A PolNeAR article whose parse puts a number between a cue's words but in no clause of it
    lost the whole article (StopIteration) before."""
    import json

    from conftest import SHARED

    path = SHARED / "benchmarks" / "polnear" / "articles_dev.jsonl"
    if not path.exists():
        pytest.skip("needs ../shared")
    with open(path, encoding="utf-8") as f:
        article = next(json.loads(line) for line in f if "chris-christie-calls-hillary-cli" in line)
    from pipeline.process import make_doc
    from pipeline.records import Article

    doc = nlp(make_doc(nlp, Article(article["id"], article["text"])))
    assert doc._.claims

"""Unit tests of the attribution package's modules, each rule read by its own name: quotation
spans (quotes.py), the verb lexicon (lexicon.py), source mentions (mentions.py), carrying
(carrying.py) and the decision (decision.py). The behaviour over whole articles is in
test_attribution.py."""

import pytest
from conftest import claims_of


# ---------------------------------------------------------------- quotes.py
@pytest.mark.parametrize(
    "text, spans",
    [
        ('He said "40 died" today.', [(8, 17)]),
        # a quotation over two paragraphs: the second opens with a quote mark
        ('"We saw 40.\n"And 12 more," he said.', [(0, 26)]),
        # one stray mark ends with its paragraph
        ('A "stray mark.\nNext paragraph.', [(2, 14)]),
        ("''Golf is fun,'' he said.", [(0, 16)]),
    ],
)
def test_quotation_spans(text, spans):
    from pipeline.attribution.quotes import quotation_spans

    assert quotation_spans(text) == spans


# ---------------------------------------------------------------- lexicon.py
def test_a_verb_form_the_lemmatiser_misses_is_found(nlp):
    from pipeline.attribution import Lexicon, load_cues

    lex = Lexicon(load_cues())
    doc = nlp.make_doc("She hopes and says.")
    doc[1].lemma_, doc[3].lemma_ = "hop", "say"
    assert lex.cue_verb(doc[3]) == "say"
    assert lex.stance_verb(doc[1]) == "hope"
    # remembered per word form
    assert lex.cue_verb(doc[3]) == "say"


# ---------------------------------------------------------------- mentions.py
def _state(nlp, text):
    from pipeline.attribution import DocState, Lexicon, load_cues
    from pipeline.process import make_doc
    from pipeline.records import Article

    doc = nlp(make_doc(nlp, Article("t", text)))
    return doc, DocState(doc, Lexicon(load_cues()))


def test_a_spokesman_for_a_body_points_at_the_body(nlp):
    from pipeline.attribution.mentions import source_head

    doc, st = _state(nlp, "A spokesman for the ministry said 40 people died.")
    spokesman = next(t for t in doc if t.lower_ == "spokesman")
    assert source_head(st.cues, spokesman).lower_ == "ministry"


def test_a_pronoun_resolves_to_the_last_source_of_its_kind(nlp):
    from pipeline.attribution.mentions import resolve

    doc, st = _state(nlp, "The agency said 30 people died. Later it said 12 were missing.")
    it = next(t for t in doc if t.lower_ == "it")
    history = [("The agency", 0, 10, "ORG")]
    assert resolve(st, it, history) == ("The agency", "ORG")


def test_the_public_mentions_view_answers_the_linker(nlp):
    from pipeline.attribution import Mentions
    from pipeline.sources import Registry

    doc, st = _state(nlp, "The United Nations said 40 people died.")
    m = Mentions(st, Registry.load())
    un = next(t for t in doc if t.lower_ == "nations")
    s, e = m.span(un)
    assert doc.text[s:e] in ("The United Nations", "United Nations")
    assert m.plausible(un) and m.own_subject(doc[3]).i == un.i


# ---------------------------------------------------------------- carrying.py and decision.py
def _source(nlp, text, quantity_text):
    found = [c for c in claims_of(nlp, text) if c["quantity_text"] == quantity_text]
    assert len(found) == 1
    return found[0]["source"]


def test_a_report_carries_into_the_next_sentence_of_its_paragraph(nlp):
    text = "The agency said 30 people were killed. Another 12 were missing."
    assert "agency" in _source(nlp, text, "12")


def test_a_new_paragraph_ends_a_carried_report(nlp):
    text = "The agency said 30 people were killed.\n\nAnother 12 were missing."
    assert _source(nlp, text, "12") is None


def test_an_outer_report_is_the_via_of_the_inner(nlp):
    text = "Reuters reported that Ana Lima said 40 people died."
    c = [c for c in claims_of(nlp, text) if c["quantity_text"] == "40"][0]
    assert (c["source"], c["via"]) == ("Ana Lima", "Reuters")

"""Long articles in chunks: where the cuts fall, and that merged rows index the whole text."""

import datetime as dt
import json
import os
import time

import pytest
from conftest import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import chunks
from pipeline.claims import claim_id
from pipeline.process import process_articles
from pipeline.records import Article

CORPUS = SHARED / "corpus"
# Claim columns that depend only on the number's own sentence: equal however the text is cut.
NUMBER_COLUMNS = (
    "claim_id",
    "start",
    "end",
    "quantity_text",
    "value",
    "value_max",
    "qualifier",
    "unit",
    "vague",
    "change",
    "subject",
)


def corpus_texts(name: str, n: int, min_chars: int = 0) -> list[str]:
    path = CORPUS / name / "articles.jsonl"
    if not path.exists() and not os.environ.get("CI"):
        pytest.skip(f"{path} missing")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            if len(text) >= min_chars:
                out.append(text)
                if len(out) == n:
                    break
    return out


def assert_offsets_slice(rows: dict, text: str, doc_id: str) -> None:
    for r in rows["claims"]:
        assert text[r["start"] : r["end"]] == r["quantity_text"]
        assert text[r["sentence_start"] : r["sentence_start"] + len(r["sentence"])] == r["sentence"]
        if r["source_start"] is not None:
            assert text[r["cue_start"] : r["cue_end"]] == r["cue"]
            assert text[r["source_start"] : r["source_end"]].strip()
        assert r["claim_id"] == claim_id(doc_id, text, r["start"], r["end"])
    for r in rows["quantities"]:
        assert text[r["start"] : r["end"]] == r["quantity_text"]
    for table in ("entities", "dates"):
        for r in rows[table]:
            assert text[r["start"] : r["end"]] == r["text"], table
    for r in rows["attributions"]:
        assert text[r["cue_start"] : r["cue_end"]] == r["cue"]


# --------------------------------------------------------------------------- the cuts


def test_cuts_prefer_paragraphs_then_sentences_then_spaces():
    para = "First paragraph ends here. " * 3 + "\n\n"
    text = para + "One sentence. Another sentence goes on and on " + "x" * 5
    cs = chunks.split(text, len(para) + 20)
    assert cs[0] == chunks.TextChunk(0, len(para), "paragraph")
    no_para = "Sentence one is here. Sentence two is a little longer than that, really."
    cs = chunks.split(no_para, 40)
    assert cs[0].cut == "sentence" and no_para[: cs[0].end] == "Sentence one is here. "
    no_sentence = "words without any full stop at all in this line of text"
    cs = chunks.split(no_sentence, 20)
    assert all(c.cut in ("space", "end") for c in cs)
    assert all(no_sentence[c.end - 1] == " " for c in cs[:-1])
    one_word = "x" * 50
    assert [c.cut for c in chunks.split(one_word, 20)] == ["word", "word", "end"]


def test_a_short_text_is_one_chunk():
    assert chunks.split("Some text.", 100) == [chunks.TextChunk(0, 10, "end")]
    assert chunks.split("", 100) == [chunks.TextChunk(0, 0, "end")]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list('ab .\n\u00e9\u0301X!?"')), max_size=600), max_chars=st.integers(2, 120)
)
def test_chunks_cover_the_text_and_cut_words_only_without_whitespace(text, max_chars):
    cs = chunks.split(text, max_chars)
    assert cs[0].start == 0 and cs[-1].end == len(text)
    for a, b in zip(cs, cs[1:]):
        assert a.end == b.start
    for c in cs:
        assert 0 < c.end - c.start <= max_chars or len(text) == 0
        if c.cut in ("paragraph", "sentence", "space"):
            assert text[c.end - 1].isspace()
        if c.cut == "word":
            lo = c.start + max_chars // 2
            assert not any(ch.isspace() for ch in text[lo : c.start + max_chars])


def test_claim_ids_equal_those_of_the_claims_stage():
    text = "Police said 300 people \ud800 were hurt." * 20
    ids = chunks.claim_ids("d", text)
    assert [ids(s, e) for s, e in [(0, 3), (12, 15), (700, 719)]] == [
        claim_id("d", text, s, e) for s, e in [(0, 3), (12, 15), (700, 719)]
    ]


def test_offset_columns_come_from_the_schema():
    assert chunks.OFFSET_COLUMNS["claims"] == [
        "start",
        "end",
        "source_start",
        "source_end",
        "cue_start",
        "cue_end",
        "sentence_start",
    ]
    assert chunks.OFFSET_COLUMNS["articles"] == []  # n_chars is a length, not an offset


# --------------------------------------------------------------------------- merged rows


def test_chunked_claims_equal_unchunked_at_paragraph_breaks(nlp):
    """Real Wikinews articles, cut only at paragraph breaks: every number and its claim_id
    come out the same; only links across a cut (a source, a pronoun's antecedent, an
    acronym defined in another chunk) may differ, and they are rare."""
    size = 1500
    texts = [
        t
        for t in corpus_texts("wikinews_2019_2020", 40, min_chars=3000)
        if {c.cut for c in chunks.split(t, size)[:-1]} == {"paragraph"}
    ][:6]
    assert len(texts) == 6
    articles = [Article(f"w{i}", t) for i, t in enumerate(texts)]
    whole, _ = process_articles(nlp, articles)
    cut, _ = process_articles(nlp, articles, chunk_chars=size)
    n_claims = n_same = 0
    for a, w, c in zip(articles, whole, cut):
        assert len(chunks.split(a.text, size)) >= 3
        assert_offsets_slice(c, a.text, a.doc_id)
        assert [[r[k] for k in NUMBER_COLUMNS] for r in c["claims"]] == [
            [r[k] for k in NUMBER_COLUMNS] for r in w["claims"]
        ]
        assert c["quantities"] == w["quantities"]
        assert c["articles"][0] | {"n_claims": None} == w["articles"][0] | {"n_claims": None}
        assert [e["stage"] for e in c["errors"]] == ["chunk"]
        n_claims += len(w["claims"])
        n_same += sum(x == y for x, y in zip(w["claims"], c["claims"]))
    assert n_claims >= 40
    print(f"\n{n_same}/{n_claims} claims identical in every column")
    assert n_same / n_claims >= 0.8, (n_same, n_claims)


def long_text(target_chars: int, needle: str, at: float) -> tuple[str, int]:
    """Real Reuters articles, joined by blank lines, up to target_chars; needle as its own
    paragraph at the fraction `at` of the text. Returns the text and the needle's offset."""
    parts, n = [], 0
    for t in corpus_texts("reuters21578", 100000):
        parts.append(t)
        n += len(t) + 2
        if n >= target_chars:
            break
    cut = next(i for i in range(len(parts)) if sum(len(p) + 2 for p in parts[:i]) >= at * n)
    parts.insert(cut, needle)
    text = "\n\n".join(parts)
    return text, text.index(needle)


NEEDLE = "Finance Minister Maria Oduya said on Tuesday that 4,321 tonnes of cocoa were shipped."


def check_long_article(nlp, size: int):
    text, at = long_text(size, NEEDLE, 0.9)
    a = Article("long", text, published=dt.date(1987, 3, 3))
    t0 = time.time()
    (rows,), ok = process_articles(nlp, [a])
    elapsed = time.time() - t0
    assert ok == 1
    plan = chunks.split(text, chunks.CHUNK_CHARS)
    assert len(plan) >= size // chunks.CHUNK_CHARS
    assert rows["articles"][0]["n_chars"] == len(text) and rows["articles"][0]["doc_id"] == "long"
    assert rows["articles"][0]["n_claims"] == len(rows["claims"])
    assert_offsets_slice(rows, text, "long")
    (needle,) = [c for c in rows["claims"] if at <= c["start"] < at + len(NEEDLE)]
    assert text[needle["start"] : needle["end"]] == needle["quantity_text"] and needle["value"] == 4321
    assert needle["source_canonical"] == "Maria Oduya" and needle["claim_date"] == dt.date(1987, 3, 3)
    assert needle["sentence_start"] == at
    (note,) = rows["errors"]
    assert note["stage"] == "chunk" and not note["fatal"] and f"in {len(plan)} chunks" in note["message"]
    assert len({c["claim_id"] for c in rows["claims"]}) == len(rows["claims"])
    return elapsed


def test_long_article_in_chunks(nlp):
    # 2.5 chunks' worth (3 chunks): ~15 s. The 5 MB run is `make test-slow`.
    check_long_article(nlp, int(chunks.CHUNK_CHARS * 2.5))


@pytest.mark.slow
def test_five_megabyte_article(nlp):
    # LONG_ARTICLE_CHARS lets a smaller run (e.g. 1,200,000: over spaCy's max_length) measure the rate.
    size = int(os.environ.get("LONG_ARTICLE_CHARS", 5_000_000))
    elapsed = check_long_article(nlp, size)
    print(f"\n{size:,} char article: {elapsed:.0f} s ({elapsed / size * 1e6:.0f} s per million chars)")


def test_dateline_is_read_once_at_the_top(nlp):
    body = "\n\n".join(["Exports rose 12 pct in the quarter, the bank said."] * 40)
    later = "\n\nMarch 3, 1990 - Imports fell 7 pct, the ministry said."
    text = "SALVADOR, Feb 26, 1987 - Officials said 300 people came.\n\n" + body + later
    (rows,), _ = process_articles(nlp, [Article("d", text)], chunk_chars=400)
    assert len(chunks.split(text, 400)) > 5
    art = rows["articles"][0]
    assert art["published"] == dt.date(1987, 2, 26) and art["published_from"] == "text"
    assert {c["published"] for c in rows["claims"]} == {dt.date(1987, 2, 26)}
    assert rows["claims"][-1]["quantity_text"] == "7 pct" and rows["claims"][-1]["claim_date"] == dt.date(1987, 2, 26)


def test_a_failing_chunk_loses_only_itself(nlp, monkeypatch):
    from pipeline.claims import ClaimsComponent

    real = ClaimsComponent.__call__

    def fragile(self, doc):
        if "EXPLODE" in doc.text:
            raise RuntimeError("boom")
        return real(self, doc)

    monkeypatch.setattr(ClaimsComponent, "__call__", fragile)
    para = "Officials said 300 people were hurt on Monday."
    text = "\n\n".join([para] * 10 + ["EXPLODE with 5 units."] + [para] * 10)
    good = Article("ok", "The agency said 12 ships sank.")
    rows, ok = process_articles(nlp, [Article("x", text), good], chunk_chars=200)
    assert ok == 2
    x, g = rows
    failed = [e for e in x["errors"] if e["stage"] == "nlp"]
    assert len(failed) == 1 and not failed[0]["fatal"] and "RuntimeError: boom" in failed[0]["message"]
    (bad,) = [c for c in chunks.split(text, 200) if "EXPLODE" in text[c.start : c.end]]
    assert failed[0]["message"].startswith(f"chunk {bad.start}-{bad.end}: ")
    outside = [i + 15 for i in range(len(text)) if text.startswith(para, i) and not bad.start <= i < bad.end]
    assert [c["start"] for c in x["claims"]] == outside and len(outside) >= 15
    assert x["articles"][0]["n_chars"] == len(text)
    assert [c["quantity_text"] for c in g["claims"]] == ["12"]

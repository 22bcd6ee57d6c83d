"""Property-based: on any Unicode text the pipeline never raises, and offsets slice the text."""

from conftest import claims_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_chunks import assert_offsets_slice

from pipeline.process import process_articles
from pipeline.records import Article

NEWSY = st.lists(
    st.sampled_from(
        [
            "about",
            "1,100",
            "more than",
            "12",
            "thousands",
            "of",
            "troops",
            "said",
            "it",
            "he",
            "on Monday",
            "according to",
            "the ministry",
            "(JCS)",
            "“",
            "”",
            '"',
            "-",
            "–",
            "10-12",
            "between",
            "and",
            "$3.5bn",
            "4.4%",
            "forty-three",
            "a dozen",
            "\n",
            "\n\n",
            ".",
            ",",
            "KN-23",
            "2024",
            "Dec 23,",
            "07:00",
            "half",
            "citing",
            "Yonhap",
            # wire copy: a dateline, a bracketed company and its ticker, a semicolon
            "TORONTO, March 5 -",
            "<Noranda Inc>",
            "<PGLO.AS>",
            "<",
            ">",
            ";",
            "\u00a0",
            "\x00",
            "\u200b",
            "é",
            "🙂",
            "one",
            "of",
            "the",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=200), NEWSY))
def test_any_text_gives_sliceable_claims(nlp, text):
    for c in claims_of(nlp, text):
        assert text[c["start"] : c["end"]] == c["quantity_text"]
        assert c["start"] < c["end"]
        if c["source_start"] is not None:
            assert 0 <= c["source_start"] < c["source_end"] <= len(text)
            assert text[c["source_start"] : c["source_end"]].strip()


# Paragraphs of newsy words or of raw Unicode (control characters, spaces of every kind,
# digits), so that chunk cuts fall at paragraph breaks, sentence ends, spaces and inside words.
RAW = st.text(alphabet=st.characters(categories=("Cc", "Zs", "Zl", "Zp", "Nd", "Lu", "Ll", "Po", "Mn")), max_size=120)
PARAGRAPHS = st.lists(st.one_of(NEWSY, RAW), min_size=1, max_size=8).map("\n\n".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=PARAGRAPHS, size=st.integers(20, 300))
def test_chunked_text_gives_rows_that_slice_the_whole_text(nlp, text, size):
    (rows,), ok = process_articles(nlp, [Article("t", text)], chunk_chars=size)
    assert ok == 1 and rows["articles"][0]["n_chars"] == len(text)
    assert_offsets_slice(rows, text, "t")

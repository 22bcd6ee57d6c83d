"""Property-based: on any Unicode text the pipeline never raises, and offsets slice the text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import claims_of

NEWSY = st.lists(st.sampled_from([
    "about", "1,100", "more than", "12", "thousands", "of", "troops", "said", "it", "he", "on Monday",
    "according to", "the ministry", "(JCS)", "“", "”", "\"", "-", "–", "10-12", "between", "and", "$3.5bn",
    "4.4%", "forty-three", "a dozen", "\n", "\n\n", ".", ",", "KN-23", "2024", "Dec 23,", "07:00", "half",
    "citing", "Yonhap", "\u00a0", "\x00", "\u200b", "é", "🙂", "one", "of", "the"]), max_size=40).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=200), NEWSY))
def test_any_text_gives_sliceable_claims(nlp, text):
    for c in claims_of(nlp, text):
        assert text[c["start"]:c["end"]] == c["quantity_text"]
        assert c["start"] < c["end"]
        if c["source_start"] is not None:
            assert 0 <= c["source_start"] < c["source_end"] <= len(text)

"""The word lists are data (models/*.json): every key documented beside it, and a file with an
unknown key, a missing one or a value of the wrong shape refused on load, naming the file and
the key. (cues.json has the same tests in test_attribution_package.py.)"""

import json

import pytest
from conftest import ROOT, claims_of

from pipeline.counting import load_counting
from pipeline.lexicons import LexiconError
from pipeline.quantities import load_lexicon

MODELS = ROOT / "models"


@pytest.mark.parametrize("name", ["quantities.json", "counts.json", "cues.json"])
def test_every_key_is_documented_beside_it(name):
    d = json.loads((MODELS / name).read_text(encoding="utf-8"))
    assert [k for k in d if not k.startswith("_") and f"_comment_{k}" not in d] == []
    # and no comment documents a key that is gone
    assert [k for k in d if k.startswith("_comment_") and k.removeprefix("_comment_") not in d] == []


def _write(tmp_path, name, change=None, drop=None):
    d = json.loads((MODELS / name).read_text(encoding="utf-8"))
    d.update(change or {})
    d.pop(drop, None)
    p = tmp_path / f"my_{name}"
    p.write_text(json.dumps(d), encoding="utf-8")
    return str(p)


@pytest.mark.parametrize(
    "change, drop, message",
    [
        ({"designator_head": ["article"]}, None, "unknown key 'designator_head'"),  # misspelt
        ({"months": "january"}, None, "'months' must be a list of strings"),
        ({"scales": {"million": "1e6"}}, None, "'scales' must be an object of numbers"),
        ({"qualifiers": {"approx": "about"}}, None, "'qualifiers' must be an object of lists of strings"),
        ({"not_name_words": [1]}, None, "'not_name_words' must be a list of strings"),
        (None, "currencies", "missing key 'currencies'"),
    ],
)
def test_quantities_lexicon_refuses_a_bad_file(tmp_path, change, drop, message):
    with pytest.raises(LexiconError) as e:
        load_lexicon(_write(tmp_path, "quantities.json", change, drop))
    assert "my_quantities.json" in str(e.value) and message in str(e.value)


@pytest.mark.parametrize(
    "change, drop, message",
    [
        ({"verb": {"kill": "killed"}}, None, "unknown key 'verb'"),
        ({"score_verbs": "beat"}, None, "'score_verbs' must be a list of strings"),
        ({"combine": {"all": ["killed"]}}, None, "'combine' must be a list of objects"),
        (None, "nouns", "missing key 'nouns'"),
    ],
)
def test_counts_lexicon_refuses_a_bad_file(tmp_path, change, drop, message):
    with pytest.raises(LexiconError) as e:
        load_counting(_write(tmp_path, "counts.json", change, drop))
    assert "my_counts.json" in str(e.value) and message in str(e.value)


def test_a_file_that_is_no_object_is_refused(tmp_path):
    p = tmp_path / "q.json"
    p.write_text("[]", encoding="utf-8")
    with pytest.raises(LexiconError, match="q.json: must hold a JSON object"):
        load_lexicon(str(p))


def test_suffix_qualifiers_are_read_from_the_lexicon(tmp_path):
    from pipeline.nlp import build

    text = "Officials said 300 or so people attended."
    nlp = build(config={"claim_quantities": {"use_quantulum": False}})
    assert claims_of(nlp, text)[0]["qualifier"] == "approx"
    path = _write(tmp_path, "quantities.json", {"suffix_qualifiers": {"or more": "at_least", "-odd": "approx"}})
    nlp = build(config={"claim_quantities": {"lexicon": path, "use_quantulum": False}})
    claim = claims_of(nlp, text)[0]
    assert claim["quantity_text"] == "300" and claim["qualifier"] == "exact"

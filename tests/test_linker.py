"""The learned source linker (pipeline/linker.py): off unless configured, changes decisions the
rules leave open when on, and trains deterministically."""
import json

import pytest

from conftest import ROOT, SHARED, claims_of

MODEL = ROOT / "models" / "linker.json"
POLNEAR = SHARED / "benchmarks" / "polnear"


@pytest.fixture(scope="module")
def nlp_linked():
    from pipeline.nlp import build
    return build(config={"claim_attribution": {"linker": "models/linker.json", "linker_mode": "null_only",
                                               "stance": False}})


@pytest.fixture(scope="module")
def nlp_reports():
    """The rules without their stance tier, which credits these subjects on its own."""
    from pipeline.nlp import build
    return build(config={"claim_attribution": {"stance": False}})


def source_of(nlp, text, quantity_text):
    found = [c for c in claims_of(nlp, text) if c["quantity_text"] == quantity_text]
    assert len(found) == 1, [c["quantity_text"] for c in claims_of(nlp, text)]
    return found[0]


def test_off_by_default(nlp):
    assert nlp.get_pipe("claim_attribution").attributor.linker is None


@pytest.mark.parametrize("text, quantity_text, source", [
    # a stance verb outside our cue lexicon: PolNeAR credits its subject
    ("Sanders named five people to the panel on Tuesday.", "five", "Sanders"),
    ("The company agreed to pay $325 million to settle the case.", "$325 million", "company"),
])
def test_linker_fills_what_the_rules_leave_open(nlp_reports, nlp_linked, text, quantity_text, source):
    assert source_of(nlp_reports, text, quantity_text)["source"] is None
    c = source_of(nlp_linked, text, quantity_text)
    assert c["source"] is not None and source in c["source"]
    # the offsets mark the mention, and the cue is the verb the mention is subject of
    assert source in text[c["source_start"]:c["source_end"]]
    assert c["cue"] in text and c["cue_kind"] == "linked"


def test_linker_runs_beside_the_stance_tier():
    from pipeline.nlp import build
    nlp = build(config={"claim_attribution": {"linker": "models/linker.json"}})
    # the stance tier credits the subject first; the linker leaves a rules' choice as it is
    c = source_of(nlp, "The company agreed to pay $325 million to settle the case.", "$325 million")
    assert (c["source"], c["cue_kind"]) == ("company", "stance")
    c = source_of(nlp, "About 900 buildings were damaged, the Red Cross said.", "About 900")
    assert (c["source"], c["cue_kind"]) == ("the Red Cross", "report")


def test_linker_keeps_the_writers_voice_and_the_rules_sources(nlp_linked):
    assert source_of(nlp_linked, "The storm destroyed 300 homes in the region.", "300")["source"] is None
    c = source_of(nlp_linked, "About 900 buildings were damaged, the Red Cross said.", "About 900")
    assert c["source"] == "the Red Cross" and c["cue"] == "said"


def test_model_file_is_what_the_loader_reads():
    from pipeline.linker import VERSION, Linker
    d = json.loads(MODEL.read_text())
    assert d["version"] == VERSION and len(d["features"]) == len(d["weights"]) > 50
    lk = Linker.load(MODEL, "switch", 0.7)
    assert lk.mode == "switch" and lk.threshold == 0.7
    with pytest.raises(ValueError):
        Linker.load(MODEL, "sometimes")


def test_fit_learns_and_is_deterministic():
    from pipeline.linker import fit
    # candidate 0 always has "good"; NULL wins where "quote" marks the number
    groups = [{"feats": [["k:subj", "good"], ["k:ent"], ["NULL"]], "pos": [0], "why": "polnear"}] * 20 + \
             [{"feats": [["k:subj"], ["k:ent"], ["NULL", "NULL&nq"]], "pos": [2], "why": "writer"}] * 20
    a, b = fit(groups, {}, iters=200), fit(groups, {}, iters=200)
    assert a == b
    w = dict(zip(a[0], a[1]))
    assert w["good"] > 1 and w["NULL&nq"] > 1


@pytest.mark.skipif(not (POLNEAR / "polnear.jsonl").exists(), reason="needs ../shared/benchmarks/polnear")
def test_training_on_a_tiny_sample_is_deterministic(nlp, tmp_path):
    from pipeline.linker import train
    args = dict(polnear=str(POLNEAR / "polnear.jsonl"), gold=str(POLNEAR / "numeric_attributions.jsonl"),
                heldout=str(ROOT / "models" / "linker_heldout.txt"), limit=3, iters=50, nlp=nlp)
    s1 = train(out=str(tmp_path / "a.json"), **args)
    s2 = train(out=str(tmp_path / "b.json"), **args)
    assert s1 == s2 and s1["articles"] == 3 and s1["numbers"] > 5
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    d = json.loads((tmp_path / "a.json").read_text())
    assert any(abs(x) > 0.05 for x in d["weights"]) and max(d["cue_rates"].values()) > 0.5

"""The learned decision (pipeline/linker.py): on by default as a gate over the rules' sources,
trained on PolNeAR in the agreed convention, and deterministic to train."""

import json

import pytest
from conftest import ROOT, SHARED, claims_of

MODEL = ROOT / "models" / "linker.json"
POLNEAR = SHARED / "benchmarks" / "polnear"
SCORER = SHARED / "eval" / "score_polnear_agreed.py"


@pytest.fixture(scope="module")
def nlp_rules():
    """The rules alone, without the learned gate."""
    from pipeline.nlp import build

    return build(config={"claim_attribution": {"linker": None}})


def sources(nlp, text):
    return {c["quantity_text"]: c["source"] for c in claims_of(nlp, text)}


def test_the_gate_is_on_by_default(nlp):
    lk = nlp.get_pipe("claim_attribution").attributor.linker
    assert lk is not None and lk.mode == "gate" and 0 < lk.threshold < 1


@pytest.mark.parametrize(
    "text, framing, reported, source",
    [
        # what the writer says of the speaker or of the occasion is no part of what was said
        ("The minister, who has led the ministry for six years, said exports fell 4% in May.", "six", "4%", "minister"),
        ("Ahead of the vote in 12 days, the mayor told reporters that 300 homes were lost.", "12", "300", "mayor"),
        (
            "Speaking to 2,000 supporters in Ohio, the senator said the plan would cost $4 billion.",
            "2,000",
            "$4 billion",
            "senator",
        ),
    ],
)
def test_the_gate_drops_numbers_outside_the_reports_content(nlp, nlp_rules, text, framing, reported, source):
    assert sources(nlp_rules, text)[framing] is not None  # the rules alone credit the framing too
    got = sources(nlp, text)
    assert got[framing] is None
    assert source in got[reported]


@pytest.mark.parametrize(
    "text, quantity_text, source",
    [
        ("About 900 buildings were damaged, the Red Cross said.", "About 900", "the Red Cross"),
        ("Exports fell 4% in May, the statistics office said.", "4%", "statistics office"),
        ("The agency said on Monday that 30 people were killed in the blast.", "30", "agency"),
    ],
)
def test_the_gate_keeps_what_the_source_said(nlp, text, quantity_text, source):
    assert source in sources(nlp, text)[quantity_text]


def test_the_gate_leaves_the_writers_voice_alone(nlp):
    assert sources(nlp, "The storm destroyed 300 homes in the region.")["300"] is None


def test_model_file_is_what_the_loader_reads():
    from pipeline.linker import VERSION, Linker

    d = json.loads(MODEL.read_text())
    assert d["version"] == VERSION and len(d["features"]) == len(d["weights"]) > 50
    g = d["gate"]
    assert len(g["features"]) == len(g["weights"]) > 50 and 0 < g["threshold"] < 1
    lk = Linker.load(MODEL)
    assert lk.mode == "gate" and lk.threshold == g["threshold"]
    lk = Linker.load(MODEL, "switch", 0.7)
    assert lk.mode == "switch" and lk.threshold == 0.7
    with pytest.raises(ValueError):
        Linker.load(MODEL, "sometimes")


def test_fit_learns_and_is_deterministic():
    from pipeline.linker_train import fit

    # candidate 0 always has "good"; NULL wins where "quote" marks the number
    groups = [{"feats": [["k:subj", "good"], ["k:ent"], ["NULL"]], "pos": [0], "why": "reported"}] * 20 + [
        {"feats": [["k:subj"], ["k:ent"], ["NULL", "NULL&nq"]], "pos": [2], "why": "writer"}
    ] * 20
    a, b = fit(groups, {}, iters=200), fit(groups, {}, iters=200)
    assert a == b
    w = dict(zip(a[0], a[1]))
    assert w["good"] > 1 and w["NULL&nq"] > 1


def test_fit_gate_learns_and_is_deterministic():
    from pipeline.linker_train import fit_gate

    rows = [["R:in:ccomp", "k:cue"]] * 30 + [["R:in:advcl", "k:cue"]] * 30
    labels = [1] * 30 + [0] * 30
    a, b = fit_gate(rows, labels, iters=200), fit_gate(rows, labels, iters=200)
    assert a == b
    w = dict(zip(a[0], a[1]))
    assert w["R:in:ccomp"] > 0.5 > -0.5 > w["R:in:advcl"]


@pytest.mark.skipif(
    not (POLNEAR / "polnear.jsonl").exists() or not SCORER.exists(),
    reason="needs ../shared/benchmarks/polnear and the agreed scorer",
)
def test_training_on_a_tiny_sample_is_deterministic(nlp, tmp_path):
    from pipeline.linker_train import train

    args = dict(polnear=str(POLNEAR / "polnear.jsonl"), scorer=str(SCORER), limit=3, iters=50, nlp=nlp)
    s1 = train(out=str(tmp_path / "a.json"), **args)
    s2 = train(out=str(tmp_path / "b.json"), **args)
    assert s1 == s2 and s1["articles"] == 3 and s1["numbers"] > 5 and s1["gate_examples"] > 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    d = json.loads((tmp_path / "a.json").read_text())
    assert any(abs(x) > 0.05 for x in d["weights"]) and max(d["cue_rates"].values()) > 0.5

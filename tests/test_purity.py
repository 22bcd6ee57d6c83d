"""pipeline/purity.py: subject purity of a run against gold claims, matched as score_claims.py matches."""

import json

from pipeline.purity import main


class Scorer:
    """The part of score_claims.py that purity uses, on a toy scale."""

    @staticmethod
    def load_gold(paths):
        return [json.loads(line) for p in paths for line in open(p, encoding="utf-8") if line.strip()]

    @staticmethod
    def load_pred(path, docs):
        import pandas as pd

        return pd.read_parquet(path).to_dict("records")

    @staticmethod
    def match(gold, pred):
        pairs = [
            (gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(pred)
            if g["doc_id"] == p["doc_id"] and g["start"] < p["end"] and p["start"] < g["end"]
        ]
        return pairs, set(), set()

    @staticmethod
    def unit_key(u):
        return {"injured": "wounded"}.get(u, u)


def test_purity_counts_subjects_holding_one_gold_unit(tmp_path, monkeypatch, capsys):
    import pandas as pd

    import pipeline.purity as purity

    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame(
        {"doc_id": ["a"] * 4, "start": [0, 10, 20, 30], "end": [2, 12, 22, 32], "group_id": ["g1", "g2", "g3", "g4"]}
    ).to_parquet(out / "claims.parquet")
    pd.DataFrame({"group_id": ["g1", "g2", "g3", "g4"], "subject_id": ["s1", "s1", "s2", "s2"]}).to_parquet(
        out / "claim_groups.parquet"
    )
    gold = tmp_path / "gold.jsonl"
    units = ["killed", "killed", "wounded", "injured"]
    gold.write_text(
        "".join(
            json.dumps({"doc_id": "a", "start": s, "end": s + 2, "quantity_text": "40", "unit": u}) + "\n"
            for s, u in zip([0, 10, 20, 30], units)
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(purity, "load_scorer", lambda path: Scorer)
    assert main([str(gold), "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"subjects_with_2plus_gold": 2, "pure": 2, "purity": 1.0}
    units[2] = "killed"
    gold.write_text(
        "".join(
            json.dumps({"doc_id": "a", "start": s, "end": s + 2, "quantity_text": "40", "unit": u}) + "\n"
            for s, u in zip([0, 10, 20, 30], units)
        ),
        encoding="utf-8",
    )
    main([str(gold), "--out", str(out), "--json"])
    assert json.loads(capsys.readouterr().out)["purity"] == 0.5

"""Subject purity: do the subjects of a run count one kind of thing?

    python -m pipeline.purity GOLD.jsonl --out DIR [--scorer ../shared/eval/score_claims.py] [--show]

Gold claims are matched to the run's claims exactly as `score_claims.py` matches them
(same document, overlapping spans, equal values; its own `match` is loaded and used).
Each matched claim's subject is looked up through `claim_groups` (claims.group_id ->
claim_groups.subject_id). Among subjects holding at least two matched gold claims,
purity is the share that hold one gold unit (after the scorer's `unit_key`, so
"injured" and "wounded" are one unit). Vague gold claims are left out, as the scorer does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import pandas as pd

DEFAULT_SCORER = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "score_claims.py"


def load_scorer(path: str | Path):
    spec = importlib.util.spec_from_file_location("score_claims", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def subject_units(gold_path: str, out: str | Path, scorer) -> dict[str, list[tuple[str, str | None]]]:
    """subject_id -> [(gold quantity_text, gold unit key)] of the gold claims matched to its claims."""
    out = Path(out)
    gold = [g for g in scorer.load_gold([gold_path]) if not g.get("vague")]
    pred = scorer.load_pred(out / "claims.parquet", {g["doc_id"] for g in gold})
    groups = pd.read_parquet(out / "claim_groups.parquet", columns=["group_id", "subject_id"])
    subject_of = dict(zip(groups.group_id, groups.subject_id))
    pairs, _, _ = scorer.match(gold, pred)
    held: dict[str, list] = defaultdict(list)
    for gi, pi in pairs:
        sid = subject_of.get(pred[pi].get("group_id"))
        if isinstance(sid, str):
            held[sid].append((gold[gi]["quantity_text"], scorer.unit_key(gold[gi].get("unit"))))
    return held


def purity(held: dict[str, list]) -> dict:
    multi = {sid: claims for sid, claims in held.items() if len(claims) >= 2}
    pure = [sid for sid, claims in multi.items() if len({u for _, u in claims}) == 1]
    return {
        "subjects_with_2plus_gold": len(multi),
        "pure": len(pure),
        "purity": len(pure) / len(multi) if multi else 1.0,
        "mixed": {sid: claims for sid, claims in multi.items() if sid not in pure},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("--out", required=True, help="a run's output folder (claims, claim_groups)")
    ap.add_argument("--scorer", default=str(DEFAULT_SCORER), help="score_claims.py, whose matching is used")
    ap.add_argument("--show", action="store_true", help="list the gold claims of every mixed subject")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    r = purity(subject_units(args.gold, args.out, load_scorer(args.scorer)))
    if args.json:
        print(json.dumps({k: v for k, v in r.items() if k != "mixed"}))
    else:
        print(
            f"subjects holding >= 2 gold claims: {r['subjects_with_2plus_gold']}  one gold unit: {r['pure']}  "
            f"purity {r['purity']:.3f}"
        )
    if args.show:
        for sid, claims in r["mixed"].items():
            print(f"MIXED {sid}: " + "; ".join(f"{t!r} ({u})" for t, u in claims))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

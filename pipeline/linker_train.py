"""Training the linker (pipeline/linker.py) on PolNeAR: `python -m pipeline.linker_train train`
(`make train-linker`) writes models/linker.json.

The pipeline runs over the articles of the PolNeAR train split with a `Collector` in the
linker's place, which records every number's candidates and features exactly as inference
computes them; each number is labelled with the candidate that overlaps PolNeAR's source span
(by the shared agreed scorer's own functions), or NULL when the number lies in no attribution
at all. Training is full-batch Adam on the convex conditional log-likelihood with L2, from zero
weights: deterministic. A second, logistic model (the gate) learns whether the rules' source
stands.

Kept apart from the linker itself because it builds the whole pipeline (pipeline.nlp), which
imports the linker to register it: inference must not import what builds it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from spacy.tokens import Doc

from .attribution import Mentions
from .linker import NULL, VERSION, Linker, _Context, expand, figure_lemmas, gate_features, gated


class Collector(Linker):
    """Records every quantity's candidates and features in `doc.user_data` and changes nothing:
    how the training data is made, with exactly the features used at inference."""

    def __init__(self):
        super().__init__([], [], "null_only", 1.0)

    def relink(self, att: Mentions, doc: Doc, quantities, out, cues, quotes, acronyms, carried) -> list:
        rows = []
        ctx = _Context(att, doc, quantities, out, cues, quotes, carried) if quantities else None
        for q, rule in zip(quantities, out):
            t, cands = self.candidates(ctx, q, rule)
            rows.append(
                {
                    "start": q.start,
                    "end": q.end,
                    "num_start": q.num_start,
                    "num_end": q.num_end,
                    "rule": [rule.source_start, rule.source_end] if rule else None,
                    "cands": [
                        {
                            "span": [c.start, c.end] if NULL not in c.kinds else None,
                            "kinds": sorted(c.kinds),
                            "feats": c.feats,
                        }
                        for c in cands
                    ],
                }
            )
        doc.user_data["linker_rows"] = rows
        return out


def cue_rates(articles: list[dict], min_count: int = 5) -> dict[str, float]:
    """Per lower-cased word, the share of its occurrences in the articles that lie in a cue span."""
    import re

    seen: dict[str, int] = {}
    cue: dict[str, int] = {}
    for a in articles:
        spans = sorted((f["start"], f["end"]) for x in a["attributions"] if x.get("cue") for f in x["cue"]["fragments"])
        for m in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)?", a["text"]):
            w = m.group(0).lower()
            seen[w] = seen.get(w, 0) + 1
            if any(s <= m.start() < e for s, e in spans):
                cue[w] = cue.get(w, 0) + 1
    return {w: round(cue.get(w, 0) / n, 4) for w, n in sorted(seen.items()) if n >= min_count and cue.get(w)}


# ---------------------------------------------------------------- training data


def extract(nlp, articles, progress: bool = False):
    """Yield {"doc_id", "quantities": [...]} per article: candidates and features of every number."""
    from .process import make_doc
    from .records import Article

    comp = nlp.get_pipe("claim_attribution")
    saved = comp.attributor.linker
    comp.attributor.linker = Collector()
    try:
        docs = (make_doc(nlp, Article(a["id"], a["text"])) for a in articles)
        for n, (a, doc) in enumerate(zip(articles, nlp.pipe(docs, batch_size=16)), 1):
            if progress and n % 50 == 0:
                print(f"  {n} articles", file=sys.stderr)
            yield {"doc_id": a["id"], "quantities": doc.user_data.get("linker_rows", [])}
    finally:
        comp.attributor.linker = saved


def load_scorer(path: str):
    """The shared scorer of PolNeAR where its convention and ANNOTATION.md agree
    (score_polnear_agreed.py): training reads PolNeAR through its own functions."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_polnear_agreed", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def label(rows: list[dict], atts: list[dict], scorer) -> list[dict]:
    """Training examples of one article in the agreed convention, each number with its
    positive candidates. A number inside the content of a PolNeAR report takes the candidates
    overlapping the innermost report's source (NULL when it has none); a number inside no
    attribution at all is the writer's (NULL); a number inside only stances is left out (there
    the conventions differ), and so is one whose source no candidate reaches (`pos` empty)."""
    out = []
    for r in rows:
        s, e, cands = r["start"], r["end"], r["cands"]
        rep = scorer.innermost_report(atts, s, e)
        if rep is not None:
            if not rep["source"]:
                pos = [i for i, c in enumerate(cands) if c["span"] is None]
            else:
                pos = [
                    i
                    for i, c in enumerate(cands)
                    if c["span"] is not None and scorer.overlaps(rep["source"], c["span"][0], c["span"][1])
                ]
            why = "reported"
        elif scorer.containing(atts, s, e):
            continue
        else:
            pos, why = [i for i, c in enumerate(cands) if c["span"] is None], "writer"
        rule = next((i for i, c in enumerate(cands) if "rule" in c["kinds"]), None)
        out.append(
            {
                "feats": [c["feats"] for c in cands],
                "pos": pos,
                "why": why,
                "rule": rule if rule is not None else len(cands) - 1,
            }
        )
    return out


def gate_examples(
    groups: list[dict], rates: dict[str, float], figures: frozenset[str] = frozenset()
) -> tuple[list[list[str]], list[int]]:
    """For every number the rules credit: does their source stand (1) or is the number the
    writer's or a null-source report's (0)? A report whose source the rules miss is left out:
    keeping or dropping their choice is wrong either way."""
    rows, labels = [], []
    for g in groups:
        null = len(g["feats"]) - 1
        if g["rule"] == null or not gated(g["feats"][g["rule"]], figures):
            continue
        if g["rule"] in g["pos"]:
            y = 1
        elif null in g["pos"]:
            y = 0
        else:
            continue
        rows.append(gate_features(g["feats"][g["rule"]], g["feats"][null], rates))
        labels.append(y)
    return rows, labels


# ---------------------------------------------------------------- model


def fit(
    groups: list[dict],
    rates: dict[str, float],
    l2: float = 1.0,
    iters: int = 400,
    lr: float = 0.05,
    min_count: int = 3,
    writer_weight: float = 1.0,
):
    """Conditional logit over each group's candidates: maximise log P(any positive) - l2/2 |w|^2.
    Full-batch Adam from zero weights, a fixed number of steps: the same data give the same weights."""
    import numpy as np

    groups = [dict(g, feats=[expand(fs, rates) for fs in g["feats"]]) for g in groups if g["pos"]]
    counts: dict[str, int] = {}
    for g in groups:
        for fs in g["feats"]:
            for x in set(fs):
                counts[x] = counts.get(x, 0) + 1
    vocab = sorted(x for x, n in counts.items() if n >= min_count)
    index = {x: i for i, x in enumerate(vocab)}
    rows, cols, target, gstart = [], [], [], []
    n = 0
    for g in groups:
        gstart.append(n)
        for j, fs in enumerate(g["feats"]):
            for x in sorted(set(fs)):
                if x in index:
                    rows.append(n)
                    cols.append(index[x])
            target.append(1.0 if j in g["pos"] else 0.0)
            n += 1
    rows, cols = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    target, gstart = np.array(target), np.array(gstart, dtype=np.int64)
    # numbers in no PolNeAR attribution count less: that annotation is the sparser one
    gw = np.array([writer_weight if g["why"] == "writer" else 1.0 for g in groups])
    gid = np.repeat(np.arange(len(gstart)), np.diff(np.append(gstart, n)))
    F = len(vocab)
    w = np.zeros(F)
    m1, m2 = np.zeros(F), np.zeros(F)
    b1, b2, eps = 0.9, 0.999, 1e-8
    loss = 0.0
    for step in range(1, iters + 1):
        s = np.bincount(rows, weights=w[cols], minlength=n)
        mx = np.maximum.reduceat(s, gstart)[gid]
        e = np.exp(s - mx)
        z = np.add.reduceat(e, gstart)[gid]
        p = e / z
        zp = np.add.reduceat(e * target, gstart)[gid]
        qpos = e * target / zp
        loss = float(-np.sum(gw * np.log(np.add.reduceat(p * target, gstart))) + l2 / 2 * w @ w)
        grad = np.bincount(cols, weights=((p - qpos) * gw[gid])[rows], minlength=F) + l2 * w
        m1 = b1 * m1 + (1 - b1) * grad
        m2 = b2 * m2 + (1 - b2) * grad * grad
        w -= lr * (m1 / (1 - b1**step)) / (np.sqrt(m2 / (1 - b2**step)) + eps)
    return vocab, [round(float(x), 6) for x in w], loss


def fit_gate(
    rows: list[list[str]], labels: list[int], l2: float = 3.0, iters: int = 600, lr: float = 0.05, min_count: int = 3
):
    """L2-regularised logistic regression, full-batch Adam from zero weights (deterministic):
    P(the rules' source stands | the features of its candidate and of NULL)."""
    import numpy as np

    counts: dict[str, int] = {}
    for fs in rows:
        for x in set(fs):
            counts[x] = counts.get(x, 0) + 1
    vocab = sorted(x for x, n in counts.items() if n >= min_count)
    index = {x: i for i, x in enumerate(vocab)}
    r, c = [], []
    for n, fs in enumerate(rows):
        for x in sorted(set(fs)):
            if x in index:
                r.append(n)
                c.append(index[x])
    r, c = np.array(r, dtype=np.int64), np.array(c, dtype=np.int64)
    y = np.array(labels, dtype=float)
    w, b = np.zeros(len(vocab)), 0.0
    m1, m2, mb1, mb2 = np.zeros(len(vocab)), np.zeros(len(vocab)), 0.0, 0.0
    for step in range(1, iters + 1):
        z = np.bincount(r, weights=w[c], minlength=len(rows)) + b
        p = 1.0 / (1.0 + np.exp(-z))
        d = p - y
        g = np.bincount(c, weights=d[r], minlength=len(vocab)) + l2 * w
        gb = float(d.sum())
        m1 = 0.9 * m1 + 0.1 * g
        m2 = 0.999 * m2 + 0.001 * g * g
        mb1, mb2 = 0.9 * mb1 + 0.1 * gb, 0.999 * mb2 + 0.001 * gb * gb
        w -= lr * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
        b -= lr * (mb1 / (1 - 0.9**step)) / (math.sqrt(mb2 / (1 - 0.999**step)) + 1e-8)
    return vocab, [round(float(x), 6) for x in w], round(b, 6)


def _read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _extracted(articles: list[dict], features: str | None, progress: bool, nlp) -> dict:
    """doc_id -> the candidates and features of its numbers (`extract`), read from the cache file
    `features` when it exists, else computed (with `nlp`, or the pipeline built without a linker)
    and written there when `features` is given."""
    cache = Path(features) if features else None
    if cache is not None and cache.exists():
        return {r["doc_id"]: r for r in _read_jsonl(cache)}
    from .nlp import build

    nlp = nlp or build(config={"claim_attribution": {"linker": None}})
    extracted = {r["doc_id"]: r for r in extract(nlp, articles, progress)}
    if cache is not None:
        cache.write_text("".join(json.dumps(extracted[a["id"]]) + "\n" for a in articles), encoding="utf-8")
    return extracted


def _model(vocab: list[str], weights: list, rates: dict[str, float], gate: dict, stats: dict) -> dict:
    """The content of models/linker.json: the candidate model, the gate (with its thresholds) and
    what it was trained on."""
    return {
        "version": VERSION,
        "features": vocab,
        "weights": weights,
        "cue_rates": rates,
        "gate": gate,
        "meta": {"trained_on": "PolNeAR train split, labelled as score_polnear_agreed.py reads it", **stats},
    }


def train(
    polnear: str,
    scorer: str,
    out: str,
    features: str | None = None,
    limit: int | None = None,
    l2: float = 1.0,
    iters: int = 400,
    gate_l2: float = 3.0,
    threshold: float = 0.35,
    threshold_carried: float = 0.0,
    progress: bool = False,
    nlp=None,
) -> dict:
    """Train the candidate model and the gate on the whole PolNeAR train split, labelled in the
    agreed convention; write both to `out`. The gate's threshold is chosen on PolNeAR dev."""
    sc = load_scorer(scorer)
    atts = sc.load_articles("train")
    articles = sorted((a for a in _read_jsonl(polnear) if a["split"] == "train"), key=lambda a: a["id"])
    if limit:
        articles = articles[:limit]
    extracted = _extracted(articles, features, progress, nlp)
    groups = []
    for a in articles:
        groups += label(extracted[a["id"]]["quantities"], atts.get(a["id"], []), sc)
    rates = cue_rates(articles)
    vocab, weights, loss = fit(groups, rates, l2=l2, iters=iters)
    from .attribution import load_cues

    grows, glabels = gate_examples(groups, rates, figure_lemmas(load_cues()))
    gvocab, gweights, gbias = fit_gate(grows, glabels, l2=gate_l2)
    stats = {
        "articles": len(articles),
        "numbers": len(groups),
        "writer": sum(g["why"] == "writer" for g in groups),
        "unreachable": sum(not g["pos"] for g in groups),
        "loss": round(loss, 4),
        "l2": l2,
        "iters": iters,
        "gate_examples": len(glabels),
        "gate_keep": sum(glabels),
        "gate_l2": gate_l2,
    }
    gate = {"features": gvocab, "weights": gweights, "bias": gbias}
    model = _model(vocab, weights, rates, dict(gate, threshold=threshold, threshold_carried=threshold_carried), stats)
    Path(out).write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.linker_train", description="Train the source linker.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train", help="train models/linker.json on the PolNeAR train split")
    tr.add_argument("--polnear", required=True, help="polnear.jsonl (full annotations)")
    tr.add_argument("--scorer", required=True, help="score_polnear_agreed.py, whose functions label the data")
    tr.add_argument("--features", default=None, help="cache of extracted candidates (read if present, else written)")
    tr.add_argument("--out", default="models/linker.json")
    tr.add_argument("--limit", type=int, default=None, help="train on the first N articles only")
    tr.add_argument("--l2", type=float, default=1.0)
    tr.add_argument("--iters", type=int, default=400)
    tr.add_argument("--gate-l2", type=float, default=3.0)
    tr.add_argument(
        "--threshold",
        type=float,
        default=0.35,
        help="the gate keeps the rules' source when P(keep) >= this (chosen on PolNeAR dev)",
    )
    tr.add_argument(
        "--threshold-carried",
        type=float,
        default=0.0,
        help="the same for a report carried from an earlier sentence (chosen on PolNeAR dev and "
        "the project's dev gold)",
    )
    a = ap.parse_args(argv)
    stats = train(
        a.polnear,
        a.scorer,
        a.out,
        a.features,
        a.limit,
        a.l2,
        a.iters,
        a.gate_l2,
        a.threshold,
        a.threshold_carried,
        progress=True,
    )
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

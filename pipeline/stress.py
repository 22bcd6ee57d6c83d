"""Measures of hostile sizes: one huge article, and text without sentence punctuation.

    python -m pipeline.stress --shared ../shared [--mb 5] [--unpunct-kb 300] [--out stress-out]

Time per character is CPU time in this process (one Language, model loading excluded),
through `process.process_chunk` with default settings: 10 KB against 300 KB of text
without sentence punctuation, 50 KB against 5 MB of news text. Then the 5 MB article is
run by a fresh `python -m pipeline run` process with default settings, whose peak RSS
(the child's high-water mark) is the memory figure. The articles are built at run time
from the shared corpus (Reuters-21578 texts concatenated), never kept. Figures go to
OUT/stress.json. Slow: ~10 minutes per megabyte on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq


def corpus_text(shared: Path, n_chars: int, punctuated: bool = True) -> str:
    """At least `n_chars` of real news text: Reuters articles joined by blank lines, then cut."""
    parts, total = [], 0
    while total < n_chars:
        with open(shared / "corpus" / "reuters21578" / "articles.jsonl", encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)["text"]
                if not punctuated:  # no sentence ends and no line breaks: one run of words and commas
                    t = re.sub(r"[.!?\n]+", " ", t)
                parts.append(t)
                total += len(t) + 2
                if total >= n_chars:
                    break
    return ("\n\n" if punctuated else " ").join(parts)[:n_chars]


def measure(text: str, work: Path, name: str) -> dict:
    """Run the pipeline on one article in a fresh process: wall time, peak RSS, longest evidence."""
    d = work / name
    d.mkdir(parents=True, exist_ok=True)
    inp = d / "in.jsonl"
    inp.write_text(json.dumps({"id": name, "text": text}) + "\n", encoding="utf-8")
    out = d / "out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--progress", "off", "--force"],
        check=True,
    )
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    inp.unlink()  # the corpus text is not kept
    claims = pq.read_table(out / "claims.parquet", columns=["sentence"]).column("sentence").to_pylist()
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    # the model is loaded at the first chunk, inside work_s: taken out
    work_s = round(info["timings"]["work_s"] - info["timings"]["load_s"], 3)
    return {
        "chars": len(text),
        "wall_s": round(wall, 1),
        "work_s": work_s,
        "s_per_mchar": round(work_s / len(text) * 1e6, 1),
        # the high-water mark of all children so far: runs go from small to large, so it is this one's
        "peak_rss_gb": round(max(peak, before) / 1024**2, 2),
        "claims": len(claims),
        "longest_evidence": max((len(s or "") for s in claims), default=0),
    }


def cpu_per_mchar(nlp, text: str, name: str) -> dict:
    """CPU seconds per million characters of one article through `process_chunk` (default settings),
    in this process: CPU time, not wall time, so that other work on the machine does not count."""
    from .process import process_chunk
    from .records import Article

    t0 = time.process_time()
    tables, ok = process_chunk(nlp, [Article(name, text)])
    cpu = time.process_time() - t0
    sentences = tables["claims"].column("sentence").to_pylist()
    return {
        "chars": len(text),
        "cpu_s": round(cpu, 2),
        "s_per_mchar": round(cpu / len(text) * 1e6, 1),
        "claims": len(sentences),
        "longest_evidence": max((len(s or "") for s in sentences), default=0),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--mb", type=float, default=5.0, help="size of the long article, in millions of characters")
    ap.add_argument("--unpunct-kb", type=int, default=300, help="size of the unpunctuated text, in thousands")
    ap.add_argument("--out", default="stress-out")
    ap.add_argument("--skip-rss", action="store_true", help="only the in-process CPU figures")
    args = ap.parse_args(argv)
    shared, work = Path(args.shared), Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {}

    def save(name: str, value) -> None:
        res[name] = value
        print(name, value, file=sys.stderr, flush=True)
        (work / "stress.json").write_text(json.dumps(res, indent=2), encoding="utf-8")

    from .engines import _build
    from .nlp import DEFAULT_MODEL

    nlp = _build(DEFAULT_MODEL, {})
    big = f"{args.mb:g}mb"
    for name, n, punct in (
        ("unpunct_10k", 10_000, False),
        (f"unpunct_{args.unpunct_kb}k", args.unpunct_kb * 1000, False),
        ("long_50k", 50_000, True),
        (f"long_{big}", int(args.mb * 1_000_000), True),
    ):
        save(name, cpu_per_mchar(nlp, corpus_text(shared, n, punct), name))
    save(
        "ratio_unpunct", round(res[f"unpunct_{args.unpunct_kb}k"]["s_per_mchar"] / res["unpunct_10k"]["s_per_mchar"], 2)
    )
    save("ratio_long", round(res[f"long_{big}"]["s_per_mchar"] / res["long_50k"]["s_per_mchar"], 2))
    if not args.skip_rss:  # a fresh process with default settings: its peak RSS
        save(f"cli_{big}", measure(corpus_text(shared, int(args.mb * 1_000_000)), work, f"cli_{big}"))
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Speed and memory of the pipeline on real news (`make bench`).

    python -m pipeline.bench --shared ../shared [--n 10000] [--small 1000] [--speed-n 2000]

Articles come from the Reuters-21578 and Wikinews 2019-2020 corpora in
`shared/corpus`, mixed in a fixed pseudo-random order. In one run it prints:

* words/s of bare `nlp.pipe` (spacy.load of the same model, same batch size)
  and of the full pipeline (one process, from reading the input to the
  committed tables, model loading excluded), and their ratio;
* the speed-up of `--workers 2` over one process on the same articles (whole
  runs, worker start-up included);
* peak memory (RSS high-water of a fresh process) of a run on `--small` and
  on `--n` articles;
* the time of grouping across articles, on its own;
* the time of a re-run with 1% of the articles changed against the full run, grouping
  included in both.

Words are whitespace-separated tokens of the article text. Every measured run
is a fresh Python process; nothing is cached between them. Figures depend on
the machine and on its load: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from .nlp import DEFAULT_MODEL

CORPORA = ("reuters21578", "wikinews_2019_2020")
CHANGE = " Officials said 12 ships were idle on Tuesday, the port authority said."


def sample(shared: Path, n: int, corpora: tuple[str, ...] = CORPORA) -> list[dict]:
    """n articles of the corpora in a fixed order that mixes them (hash of the id)."""
    rows = []
    for name in corpora:
        with open(shared / "corpus" / name / "articles.jsonl", encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    rows.sort(key=lambda r: hashlib.blake2b(str(r["id"]).encode(), digest_size=8).digest())
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} articles in {shared / 'corpus'}, asked for {n}")
    return rows[:n]


def words(rows: list[dict]) -> int:
    return sum(len(str(r.get("text") or "").split()) for r in rows)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path


def child(argv: list[str]) -> int:
    """Run in a fresh process; print what it measured as one JSON line."""
    kind, rest = argv[0], argv[1:]
    out = {}
    if kind == "bare":
        import spacy

        path, batch_size = rest[0], int(rest[1])
        with open(path, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] or "" for line in f]
        nlp = spacy.load(DEFAULT_MODEL)
        list(nlp.pipe(texts[:8], batch_size=batch_size))  # warm up
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
        out["seconds"], out["cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
    else:
        from . import cli, engines, ingest, nlp, process, store  # noqa: F401  (imports are not work)

        t0, c0 = time.perf_counter(), time.process_time()
        code = cli.main([kind, *rest] + (["--progress", "off"] if kind == "run" else []))
        out["wall_s"], out["cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
        out["exit"] = code
        outdir = Path(rest[rest.index("--out") + 1]) if "--out" in rest else Path(rest[0])
        out["run"] = json.loads((outdir / "run.json").read_text(encoding="utf-8"))
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH " + json.dumps(out))
    return 0


def measure(*args: str) -> dict:
    t0 = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-m", "pipeline.bench", "--child", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, CI="true"),
    )
    wall = time.perf_counter() - t0
    lines = [line for line in p.stdout.splitlines() if line.startswith("BENCH ")]
    if p.returncode or not lines:
        raise SystemExit(f"measurement {args} failed:\n{p.stderr[-2000:]}")
    return json.loads(lines[-1][6:]) | {"process_wall_s": wall}


BARE_SCRIPT = """
import json, sys, spacy
texts = [json.loads(line)["text"] or "" for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts, batch_size=int(sys.argv[3])):
    pass
"""


def whole_process(shared: Path, work: Path, n: int, batch_size: str, pairs: int = 3) -> dict:
    """What a user feels: bare `nlp.pipe` in a process of its own against a default `run` (grouping
    included) on n Wikinews articles, each timed as a whole process from interpreter start; the
    median of `pairs` alternating pairs."""
    rows = sample(shared, n, ("wikinews_2019_2020",))
    path = write_jsonl(work / f"whole-{n}.jsonl", rows)
    env = dict(os.environ, CI="true")
    bare, ours = [], []
    for _ in range(pairs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", BARE_SCRIPT, str(path), DEFAULT_MODEL, batch_size],
            check=True,
            capture_output=True,
            env=env,
        )
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "run",
                str(path),
                "--out",
                str(work / "whole-run"),
                "--force",
                "--batch-size",
                batch_size,
                "--progress",
                "off",
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        ours.append(time.perf_counter() - t0)
    b, o = sorted(bare)[pairs // 2], sorted(ours)[pairs // 2]
    return {"articles": len(rows), "bare_s": round(b, 2), "run_s": round(o, 2), "ratio": round(b / o, 3)}


def _log(msg: str) -> None:
    print(msg, flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default="../shared", help="the shared folder with corpus/ (default ../shared)")
    ap.add_argument("--n", type=int, default=10_000, help="articles of the large run (default 10000)")
    ap.add_argument("--small", type=int, default=1_000, help="articles of the small run (default 1000)")
    ap.add_argument(
        "--speed-n", type=int, default=2_000, help="articles for words/s and the worker speed-up (default 2000)"
    )
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workdir", default="bench-out", help="where inputs and outputs go (default bench-out)")
    ap.add_argument(
        "--whole-n", type=int, default=150, help="Wikinews articles of the whole-process comparison (default 150)"
    )
    ap.add_argument("--whole-only", action="store_true", help="measure only the whole-process comparison")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def _speed(work: Path, rows: list[dict], n: int, bs: str) -> tuple[dict, dict]:
    """Words/s of bare nlp.pipe against the per-article pipeline (one process each, grouping
    measured on its own later), and the speed-up of two worker processes over one."""
    speed_in = write_jsonl(work / f"speed-{n}.jsonl", rows[:n])
    n_words = words(rows[:n])
    bare = measure("bare", str(speed_in), bs)
    one = measure("run", str(speed_in), "--out", str(work / "speed-w1"), "--force", "--batch-size", bs, "--no-groups")
    t = one["run"]["timings"]
    bare_wps, full_wps = n_words / bare["seconds"], n_words / (t["total_s"] - t["load_s"])
    # CPU time of the same work: steadier than wall time when other jobs share the machine
    cpu_ratio = bare["cpu_s"] / (one["cpu_s"] - t["load_cpu_s"])
    speed = {
        "articles": n,
        "words": n_words,
        "bare_nlp_pipe": round(bare_wps),
        "full_pipeline": round(full_wps),
        "ratio": round(full_wps / bare_wps, 3),
        "ratio_cpu_time": round(cpu_ratio, 3),
    }
    _log(
        f"words/s on {n} articles ({n_words} words): bare nlp.pipe {bare_wps:,.0f}, full pipeline {full_wps:,.0f}, "
        f"ratio {full_wps / bare_wps:.2f} (by CPU time {cpu_ratio:.2f})   (target >= 0.85)"
    )
    two = measure(
        "run",
        str(speed_in),
        "--out",
        str(work / "speed-w2"),
        "--force",
        "--batch-size",
        bs,
        "--workers",
        "2",
        "--no-groups",
    )
    one_s, two_s = one["run"]["timings"]["total_s"], two["run"]["timings"]["total_s"]
    _log(
        f"--workers 2 vs 1 on {n} articles: {one_s:.1f} s -> {two_s:.1f} s, speed-up {one_s / two_s:.2f}x   "
        f"(target >= 1.7 on 2 cores)"
    )
    return speed, {"one_s": one_s, "two_s": two_s, "speedup": round(one_s / two_s, 3)}


def _memory_and_grouping(work: Path, rows: list[dict], small_n: int, n: int, bs: str) -> tuple[dict, dict, dict]:
    """Peak memory of a fresh process on a small and a large input, and grouping across articles
    on each (its memory grows with the claims)."""
    small_in = write_jsonl(work / f"mem-{small_n}.jsonl", rows[:small_n])
    big_in = write_jsonl(work / f"mem-{n}.jsonl", rows[:n])
    small = measure(
        "run", str(small_in), "--out", str(work / "mem-small"), "--force", "--batch-size", bs, "--no-groups"
    )
    big = measure("run", str(big_in), "--out", str(work / "mem-big"), "--force", "--batch-size", bs, "--no-groups")
    growth = big["maxrss_mb"] / small["maxrss_mb"] - 1
    _log(
        f"peak RSS: {small_n} articles {small['maxrss_mb']:.0f} MB, {n} articles {big['maxrss_mb']:.0f} MB, "
        f"growth {growth:+.1%}   (target within 10%)"
    )
    g_small, g_big = measure("groups", str(work / "mem-small")), measure("groups", str(work / "mem-big"))
    _log(
        f"grouping across articles: {small_n} articles {g_small['wall_s']:.1f} s, {g_small['maxrss_mb']:.0f} MB; "
        f"{n} articles {g_big['wall_s']:.1f} s, {g_big['maxrss_mb']:.0f} MB   (informational)"
    )
    memory = {str(small_n): round(small["maxrss_mb"]), str(n): round(big["maxrss_mb"]), "growth": round(growth, 3)}
    groups = {
        "small_s": round(g_small["wall_s"], 2),
        "big_s": round(g_big["wall_s"], 2),
        "small_rss_mb": round(g_small["maxrss_mb"]),
        "big_rss_mb": round(g_big["maxrss_mb"]),
    }
    return (
        memory,
        groups,
        {
            "big_in": big_in,
            "full_s": big["process_wall_s"] + g_big["process_wall_s"],
            "run_s": big["process_wall_s"],
            "groups_s": g_big["process_wall_s"],
        },
    )


def _incremental(work: Path, rows: list[dict], n: int, bs: str, full: dict) -> dict:
    """A re-run with 1% of the articles changed against the full run just made, grouping included in
    both (grouping is table work on the claims table and parses nothing, see groups.py)."""
    changed = [dict(r, text=(r.get("text") or "") + CHANGE) if i % 100 == 0 else r for i, r in enumerate(rows[:n])]
    inc = measure("run", str(write_jsonl(full["big_in"], changed)), "--out", str(work / "mem-big"), "--batch-size", bs)
    c = inc["run"]["counts"]
    share = inc["process_wall_s"] / full["full_s"]
    _log(
        f"re-run with 1% changed ({c['processed']} processed, {c['reused']} reused), grouping included: "
        f"{inc['process_wall_s']:.1f} s vs full run {full['run_s']:.1f} s + grouping {full['groups_s']:.1f} s = "
        f"{share:.1%}   (target <= 5%; whole processes, interpreter start included)"
    )
    return {
        "full_s": round(full["full_s"], 2),
        "rerun_s": round(inc["process_wall_s"], 2),
        "share": round(share, 4),
        "processed": c["processed"],
        "reused": c["reused"],
    }


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.child:
        return child(args.child)
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    bs = str(args.batch_size)
    whole = whole_process(Path(args.shared), work, args.whole_n, bs)
    _log(
        f"whole process on {whole['articles']} Wikinews articles (median of 3 alternating pairs): bare nlp.pipe "
        f"{whole['bare_s']:.1f} s, run with grouping {whole['run_s']:.1f} s, ratio {whole['ratio']:.2f}   "
        f"(target >= 0.85)"
    )
    if args.whole_only:
        return 0
    rows = sample(Path(args.shared), max(args.n, args.small, args.speed_n))
    report: dict = {"machine": {"cpus": os.cpu_count(), "load_avg_1m": os.getloadavg()[0]}, "whole_process": whole}
    report["words_per_s"], report["workers"] = _speed(work, rows, args.speed_n, bs)
    report["peak_rss_mb"], report["groups"], full = _memory_and_grouping(work, rows, args.small, args.n, bs)
    report["incremental"] = _incremental(work, rows, args.n, bs, full)
    report["machine"]["load_avg_1m_end"] = os.getloadavg()[0]
    (work / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    _log(
        f"load average {report['machine']['load_avg_1m']:.1f} -> {report['machine']['load_avg_1m_end']:.1f} "
        f"on {os.cpu_count()} CPUs; all figures in {work / 'bench.json'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

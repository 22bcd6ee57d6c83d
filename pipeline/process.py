"""Runs the Language over articles: one chunk of articles in, Arrow tables out.

`process_chunk` is what every engine runs, in this process, in a worker
process or on a Dask worker: `nlp.pipe` over the chunk in batches, then one
Arrow table per output table. When a batch fails, its articles are retried one
by one so that only the article at fault is lost, with a row in `errors`; the
run never dies on one article.

`article_key` and `fingerprint` say when an article's rows can be reused: the
key hashes the article (id, text, metadata) with everything that shapes its
rows (pipeline code and lexicons, model, config, schema), so a re-run
processes only new or changed articles.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
from spacy.language import Language

from . import chunks
from ._version import __version__
from .chunks import CHUNK_CHARS
from .doctext import remember_text
from .records import Article, ErrorRecord
from .resources import ResourceError, locate, model_files
from .schema import SCHEMA_VERSION, TABLES, schema
from .textnorm import parse_text
from .write import doc_rows, error_row

PACKAGE = Path(__file__).resolve().parent
# The memory of an nlp.pipe batch grows with its text (a batch of 32 chunks of one 3 MB article
# peaked at 9 GB): every batch of Docs handed to nlp.pipe holds at most this many characters
# (one chunk, pipeline/chunks.py, when a chunk alone is longer), so the peak does not depend on
# the article's length or on which articles share a batch.
BATCH_CHARS = 100_000
# modules that do not shape the rows of an article: editing them keeps the keys
_NOT_IN_FINGERPRINT = {
    "__main__.py",
    "bench.py",
    "cli.py",
    "engines.py",
    "store.py",
    "groups.py",
    "report.py",
    "purity.py",
}


def make_doc(nlp: Language, a: Article):
    text = parse_text(a.text)  # same length: offsets index a.text
    doc = remember_text(nlp.make_doc(text), text)
    doc._.doc_id = a.doc_id
    doc._.published = a.published
    doc._.published_from = "metadata" if a.published else None
    return doc


def process_articles(
    nlp: Language,
    articles: list[Article],
    batch_size: int = 32,
    chunk_chars: int = CHUNK_CHARS,
    batch_chars: int = BATCH_CHARS,
) -> tuple[list[dict], int]:
    """Rows for each article; a failing article gives an errors row instead.

    An article longer than `chunk_chars` goes through in chunks (pipeline/chunks.py)
    whose rows are merged into one article's. Docs go to `nlp.pipe` in batches of at
    most `batch_size` Docs and `batch_chars` characters. When a batch fails, its Docs
    are made again and run one by one, so only the article or chunk at fault is lost
    and the other batches' work is kept (a 5 MB article is not processed twice).
    """
    if not articles:
        return [], 0
    plans = [chunks.plan(nlp, a, chunk_chars) for a in articles]
    datelines: dict[int, object] = {}

    def doc_of(i: int, c):
        a, plan = articles[i], plans[i]
        if len(plan) == 1:
            return make_doc(nlp, a)
        if i not in datelines:  # read once at the top of the whole text
            datelines[i] = chunks.dateline(nlp, a)
        return chunks.chunk_doc(nlp, a, c, datelines[i])

    parts: list[list] = [[] for _ in articles]
    failed: list[list[ErrorRecord]] = [[] for _ in articles]
    jobs = [(i, c) for i, plan in enumerate(plans) for c in plan]
    for batch in _bounded(jobs, batch_size, batch_chars, lambda job: job[1].end - job[1].start):
        try:
            docs = nlp.pipe([doc_of(i, c) for i, c in batch], batch_size=len(batch))
            done = [(i, c, doc_rows(doc, articles[i])) for (i, c), doc in zip(batch, docs)]
        except Exception:
            done = []  # find the article (or chunk) at fault
            for i, c in batch:
                try:
                    done.append((i, c, doc_rows(nlp(doc_of(i, c)), articles[i])))
                except Exception as e:  # one bad article must not end the run
                    where = "" if len(plans[i]) == 1 else f"chunk {c.start}-{c.end}: "
                    a = articles[i]
                    failed[i].append(ErrorRecord(a.input, a.where, a.doc_id, "nlp", f"{where}{type(e).__name__}: {e}"))
        for i, c, rows in done:
            parts[i].append((c, rows))
    return _assemble(articles, plans, parts, failed)


def _assemble(articles: list[Article], plans: list, parts: list[list], failed: list[list]) -> tuple[list[dict], int]:
    out, ok = [], 0
    for a, plan, p, f in zip(articles, plans, parts, failed):
        if p:
            for e in f:  # the other chunks' rows are kept
                e.fatal_for_article = False
            rows = _rows(a, plan, p)
            rows["errors"] = rows.get("errors", []) + [error_row(e) for e in f]
            out.append(rows)
            ok += 1
        else:
            out.append({"errors": [error_row(e) for e in f]})
    return out, ok


def _rows(a: Article, plan: list, parts: list) -> dict:
    if len(plan) == 1:
        return parts[0][1]
    rows = chunks.merge(parts, a)
    rows["errors"] = rows.get("errors", []) + [error_row(chunks.note(a, plan))]
    return rows


def process_chunk(
    nlp: Language,
    articles: list[Article],
    batch_size: int = 32,
    keys: list[str] | None = None,
    batch_chars: int = BATCH_CHARS,
) -> tuple[dict[str, pa.Table], int]:
    """Every table's rows for `articles`, grouped by article in their order; and how many succeeded.

    `keys` (one per article) fill the articles table's `key` column.
    """
    per_article, ok = [], 0
    for batch in _batches(articles, batch_size, batch_chars):
        rows_of, n = process_articles(nlp, batch, batch_size, batch_chars=batch_chars)
        per_article += rows_of
        ok += n
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    key_of = dict(zip((a.doc_id for a in articles), keys or []))
    for r in per_article:
        for t, rs in r.items():
            rows[t].extend(rs)
    for r in rows["articles"]:
        r["key"] = key_of.get(r["doc_id"])
    return {t: pa.Table.from_pylist(rs, schema=schema(t)) for t, rs in rows.items()}, ok


def _batches(articles: list[Article], size: int, max_chars: int) -> Iterator[list[Article]]:
    """Batches of at most `size` articles and, unless one article is longer, `max_chars` characters."""
    return _bounded(articles, size, max_chars, lambda a: len(a.text))


def _bounded(items: Iterable, size: int, max_chars: int, length) -> Iterator[list]:
    """Consecutive batches of at most `size` items and, unless one item is longer, `max_chars` characters."""
    batch, chars = [], 0
    for it in items:
        n = length(it)
        if batch and (len(batch) >= size or chars + n > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(it)
        chars += n
    if batch:
        yield batch


def fingerprint(model: str, config: dict, model_version: str | None = None) -> str:
    """Hash of everything besides the article that shapes its rows."""
    h = hashlib.blake2b(digest_size=16)

    def add(part) -> None:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\x00")

    add(__version__), add(SCHEMA_VERSION), add(model), add(model_version)
    add(__import__("spacy").__version__)
    add(json.dumps(config, sort_keys=True, default=str))
    for key in ("sources", "linker"):
        path = (config.get("claim_attribution") or {}).get(key)
        try:
            path = path and locate(path)
        except ResourceError:
            continue  # loading the component names the missing file
        if path and path.is_file():
            add(path.read_bytes())
    # (the package's subpackages too: pipeline/attribution/*.py); the lexicons and weights by
    # name, so a clone and an installed wheel hash the same
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in _NOT_IN_FINGERPRINT:
            add(path.relative_to(PACKAGE).as_posix())
            add(path.read_bytes())
    for path in model_files():
        add(path.name)
        add(path.read_bytes())
    return h.hexdigest()


def model_meta(model: str) -> dict | None:
    """The meta.json of an installed spaCy pipeline (package or folder), without loading it."""
    import spacy.util

    try:
        if spacy.util.is_package(model):
            return spacy.util.load_meta(spacy.util.get_package_path(model) / "meta.json")
        path = Path(model)
        if (path / "meta.json").exists():
            return spacy.util.load_meta(path / "meta.json")
    except Exception:
        pass
    return None


def article_key(a: Article, fp: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (fp, a.doc_id, a.text, a.title, a.published, a.outlet, a.url):
        h.update(b"\x01" if part is None else b"\x02" + str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass
class Chunk:
    """A slice of the input in order: the plan of every item, and the articles to process."""

    seq: int
    plan: list[dict] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def plan_chunks(
    items: Iterable[Article | ErrorRecord], output, fp: str, chunk_size: int = 64, max_items: int = 5000
) -> Iterator[Chunk]:
    """Lazily cut the input into chunks of at most `chunk_size` articles to process.

    An article whose key the output already has is planned for reuse, not
    processed; `max_items` bounds a chunk made mostly of those.
    """
    from .store import plan_article, plan_error

    chunk = Chunk(0)
    for it in items:
        if isinstance(it, ErrorRecord):
            chunk.plan.append(plan_error(it))
        else:
            key = article_key(it, fp)
            source = output.find(it.doc_id, key)
            chunk.plan.append(plan_article(it, key, source))
            if source == "new":
                chunk.articles.append(it)
                chunk.keys.append(key)
        if len(chunk.articles) >= chunk_size or len(chunk.plan) >= max_items:
            yield chunk
            chunk = Chunk(chunk.seq + 1)
    if chunk.plan:
        yield chunk

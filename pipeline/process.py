"""Runs the Language over a stream of articles and hands rows to a writer.

Articles go through `nlp.pipe` in batches. When a batch fails, its articles are
retried one by one so that only the article at fault is lost, with a row in
`errors`; the run never dies on one article.
"""
from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from spacy.language import Language

from . import chunks
from .chunks import CHUNK_CHARS
from .records import Article, ErrorRecord
from .write import doc_rows, error_row


def make_doc(nlp: Language, a: Article):
    doc = nlp.make_doc(a.text)
    doc._.doc_id = a.doc_id
    doc._.published = a.published
    doc._.published_from = "metadata" if a.published else None
    return doc


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def process_stream(nlp: Language, items: Iterable[Article | ErrorRecord], writer, batch_size: int = 32):
    """Yield ("articles", n) and ("errors", n) as work is done; rows go to `writer`."""
    for batch in _batches(items, batch_size):
        articles = [a for a in batch if isinstance(a, Article)]
        errors = [error_row(e) for e in batch if isinstance(e, ErrorRecord)]
        rows_all, ok = process_articles(nlp, articles, batch_size)
        for rows in rows_all:
            errors.extend(rows.pop("errors", []))
            writer.add(rows)
        if errors:
            writer.add({"errors": errors})
        writer.flush()
        yield "articles", ok
        yield "errors", len(errors)


def process_articles(nlp: Language, articles: list[Article], batch_size: int = 32,
                     chunk_chars: int = CHUNK_CHARS) -> tuple[list[dict], int]:
    """Rows for each article; a failing article gives an errors row instead.

    An article longer than `chunk_chars` goes through in chunks (pipeline/chunks.py)
    whose rows are merged into one article's.
    """
    if not articles:
        return [], 0
    try:
        plans, docs = chunks.docs_for(nlp, articles, chunk_chars)
        docs = nlp.pipe(docs, batch_size=batch_size)
        return [_rows(a, plan, [(c, doc_rows(next(docs), a)) for c in plan])
                for a, plan in zip(articles, plans)], len(articles)
    except Exception:
        pass                        # find the article (or chunk) at fault below
    out, ok = [], 0
    for a in articles:
        plan = chunks.plan(nlp, a, chunk_chars)
        parts, failed = [], []
        for c in plan:
            try:
                if len(plan) == 1:
                    doc = make_doc(nlp, a)
                else:
                    doc = chunks.chunk_doc(nlp, a, c, chunks.dateline(nlp, a))
                parts.append((c, doc_rows(nlp(doc), a)))
            except Exception as e:  # one bad article must not end the run
                where = "" if len(plan) == 1 else f"chunk {c.start}-{c.end}: "
                failed.append(ErrorRecord(a.input, a.where, a.doc_id, "nlp", f"{where}{type(e).__name__}: {e}"))
        if parts:
            for e in failed:        # the other chunks' rows are kept
                e.fatal_for_article = False
            rows = _rows(a, plan, parts)
            rows["errors"] = rows.get("errors", []) + [error_row(e) for e in failed]
            out.append(rows)
            ok += 1
        else:
            out.append({"errors": [error_row(e) for e in failed]})
    return out, ok


def _rows(a: Article, plan: list, parts: list) -> dict:
    if len(plan) == 1:
        return parts[0][1]
    rows = chunks.merge(parts, a)
    rows["errors"] = rows.get("errors", []) + [error_row(chunks.note(a, plan))]
    return rows

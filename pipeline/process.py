"""Runs the Language over a stream of articles and hands rows to a writer.

Articles go through `nlp.pipe` in batches. When a batch fails, its articles are
retried one by one so that only the article at fault is lost, with a row in
`errors`; the run never dies on one article.
"""
from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from spacy.language import Language

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


def process_articles(nlp: Language, articles: list[Article], batch_size: int = 32) -> tuple[list[dict], int]:
    """Rows for each article; a failing article gives an errors row instead."""
    if not articles:
        return [], 0
    try:
        docs = list(nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=batch_size))
        return [doc_rows(d, a) for d, a in zip(docs, articles)], len(articles)
    except Exception:
        pass                        # find the article at fault below
    out, ok = [], 0
    for a in articles:
        try:
            doc = nlp(make_doc(nlp, a))
            out.append(doc_rows(doc, a))
            ok += 1
        except Exception as e:      # one bad article must not end the run
            out.append({"errors": [error_row(ErrorRecord(a.input, a.where, a.doc_id, "nlp",
                                                         f"{type(e).__name__}: {e}"))]})
    return out, ok

"""Rows: one processed Doc -> rows of every output table.

`doc_rows` flattens a Doc into plain dicts, one list per table (the columns of
`schema`); `store.Output` writes them.
"""
from __future__ import annotations

import hashlib

from spacy.tokens import Doc

from .doctext import doc_text, span_text
from .records import Article, ErrorRecord
from .schema import TABLES


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def doc_rows(doc: Doc, article: Article) -> dict[str, list[dict]]:
    """Flatten one processed Doc into rows of every table."""
    did = article.doc_id
    claims = doc._.claims or []
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    rows["articles"].append({
        "doc_id": did, "title": article.title, "published": doc._.published,
        "published_from": doc._.published_from, "outlet": article.outlet, "url": article.url,
        "input": article.input, "location": article.where, "n_chars": len(doc_text(doc)),
        "n_claims": len(claims), "text_hash": text_hash(doc_text(doc))})
    rows["entities"] = [{"doc_id": did, "start": e.start_char, "end": e.end_char, "text": span_text(e),
                         "label": e.label_} for e in doc.ents]
    for q in doc._.quantities or []:
        rows["quantities"].append({"doc_id": did, "start": q.start, "end": q.end, "quantity_text": q.text,
                                   "value": q.value, "value_max": q.value_max, "qualifier": q.qualifier,
                                   "unit": q.unit, "counted": q.counted, "vague": q.vague, "change": q.change,
                                   "subject": q.subject})
    from .dates import resolve
    for ent in doc.spans.get("dates", []):
        text = span_text(ent)
        w = resolve(text, doc._.published)
        rows["dates"].append({"doc_id": did, "start": ent.start_char, "end": ent.end_char, "text": text,
                              "date": w.date if w else None, "precision": w.precision if w else None,
                              "window_start": w.start if w else None, "window_end": w.end if w else None})
    groups: dict[tuple, dict] = {}
    for c in claims:
        c.update({"doc_id": did, "published": doc._.published, "outlet": article.outlet, "title": article.title})
        if c["source"] is not None:
            key = (c["source_start"], c["source_end"], c["cue_start"], c["cue_end"])
            g = groups.setdefault(key, {k: c[k] for k in ("doc_id", "source", "source_canonical", "source_type",
                                                          "source_start", "source_end", "cue", "cue_start",
                                                          "cue_end", "cue_kind", "via")} | {"n_claims": 0, "content_start": None, "content_end": None})
            g["n_claims"] += 1
            cs, ce = c.pop("content_start", None), c.pop("content_end", None)
            if cs is not None:
                g["content_start"] = cs if g.get("content_start") is None else min(g["content_start"], cs)
                g["content_end"] = ce if g.get("content_end") is None else max(g["content_end"], ce)
        else:
            c.pop("content_start", None), c.pop("content_end", None)
    rows["claims"] = claims
    rows["attributions"] = list(groups.values())
    return rows


def error_row(e: ErrorRecord) -> dict:
    return {"input": e.input, "location": e.where, "doc_id": e.doc_id, "stage": e.stage,
            "message": e.message, "fatal": e.fatal_for_article}

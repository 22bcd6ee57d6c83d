"""Rows: one processed Doc -> rows of every output table.

`doc_rows` flattens a Doc into plain dicts, one list per table (the columns of
`schema`); `store.Output` writes them. The Language read the text with
look-alikes made plain (pipeline/textnorm.py, one character for one): the text
columns are cut again from the article's text as read, and source names lose
format characters (bidi controls) and symbols (emoji), which reverse text in a
report and split one source in two when grouping.
"""

from __future__ import annotations

import hashlib
import unicodedata

from spacy.tokens import Doc

from .claims import claim_ids
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
    rows["articles"].append(_article_row(doc, article, len(claims)))
    rows["entities"] = [_entity_row(did, e) for e in doc.ents]
    rows["quantities"].extend(_quantity_row(did, q) for q in doc._.quantities or [])
    rows["dates"].extend(_date_rows(doc, did))
    for c in claims:
        c.update({"doc_id": did, "published": doc._.published, "outlet": article.outlet, "title": article.title})
    rows["claims"] = claims
    rows["attributions"] = _attributions(claims)  # takes the claims' content spans
    _as_read(rows, doc, article)
    rows["errors"] = _note_rows(doc, article)
    for table in ("claims", "attributions"):
        for r in rows[table]:
            for col in ("source", "source_canonical"):
                if r.get(col):
                    r[col] = clean_name(r[col])
    return rows


def _article_row(doc: Doc, article: Article, n_claims: int) -> dict:
    return {
        "doc_id": article.doc_id,
        "title": article.title,
        "published": doc._.published,
        "published_from": doc._.published_from,
        "outlet": article.outlet,
        "url": article.url,
        "input": article.input,
        "location": article.where,
        "n_chars": len(doc_text(doc)),
        "n_claims": n_claims,
        "text_hash": text_hash(article.text),
    }


def _entity_row(did: str, e) -> dict:
    return {"doc_id": did, "start": e.start_char, "end": e.end_char, "text": span_text(e), "label": e.label_}


def _quantity_row(did: str, q) -> dict:
    return {"doc_id": did, **q.columns()}


def _date_rows(doc: Doc, did: str) -> list[dict]:
    """A row per date mention, resolved against the publication date when it is usable."""
    from .dates import resolve, usable_base

    base = doc._.published if usable_base(doc._.published) else None
    rows = []
    for ent in doc.spans.get("dates", []):
        text = span_text(ent)
        w = resolve(text, base)
        rows.append(
            {
                "doc_id": did,
                "start": ent.start_char,
                "end": ent.end_char,
                "text": text,
                "date": w.date if w else None,
                "precision": w.precision if w else None,
                "window_start": w.start if w else None,
                "window_end": w.end if w else None,
            }
        )
    return rows


# the columns an attribution takes from its first claim
_ATTRIBUTION_COLUMNS = (
    "doc_id",
    "source",
    "source_canonical",
    "source_type",
    "source_start",
    "source_end",
    "cue",
    "cue_start",
    "cue_end",
    "cue_kind",
    "via",
)


def _attributions(claims: list[dict]) -> list[dict]:
    """One row per source and cue the claims are credited to, over the content of all its claims.

    Every claim gives up its content span (content_start, content_end), which is no column of claims.
    """
    groups: dict[tuple, dict] = {}
    for c in claims:
        if c["source"] is not None:
            key = (c["source_start"], c["source_end"], c["cue_start"], c["cue_end"])
            g = groups.setdefault(
                key,
                {k: c[k] for k in _ATTRIBUTION_COLUMNS} | {"n_claims": 0, "content_start": None, "content_end": None},
            )
            g["n_claims"] += 1
            cs, ce = c.pop("content_start", None), c.pop("content_end", None)
            if cs is not None:
                g["content_start"] = cs if g.get("content_start") is None else min(g["content_start"], cs)
                g["content_end"] = ce if g.get("content_end") is None else max(g["content_end"], ce)
        else:
            c.pop("content_start", None), c.pop("content_end", None)
    return list(groups.values())


def _note_rows(doc: Doc, article: Article) -> list[dict]:
    """What a stage noted about the article, kept in errors (not fatal)."""
    from .dates import NOTES

    return [
        error_row(ErrorRecord(article.input, article.where, article.doc_id, "dates", m, fatal_for_article=False))
        for m in dict.fromkeys(doc.user_data.get(NOTES, []))
    ]


# (text column, start column, end column or None: start + the text's length), per table
_TEXT_SPANS = {
    "entities": [("text", "start", "end")],
    "quantities": [("quantity_text", "start", "end")],
    "dates": [("text", "start", "end")],
    # (claim_date_text has no offsets of its own: claim_date_start/_end are the days of its window)
    "claims": [
        ("quantity_text", "start", "end"),
        ("source", "source_start", "source_end"),
        ("cue", "cue_start", "cue_end"),
        ("sentence", "sentence_start", None),
    ],
    "attributions": [("source", "source_start", "source_end"), ("cue", "cue_start", "cue_end")],
}


def _as_read(rows: dict[str, list[dict]], doc: Doc, article: Article) -> None:
    """Text columns cut from the text as read where the Language read a plainer one (textnorm.py)."""
    parsed = doc_text(doc)
    base = doc._.chunk_start if doc.has_extension("chunk_start") else 0
    original = article.text[base : base + len(parsed)]
    if parsed == original:
        return
    for table, spans in _TEXT_SPANS.items():
        for r in rows[table]:
            for col, s_col, e_col in spans:
                text, s = r.get(col), r.get(s_col)
                if text is None or s is None:
                    continue
                e = r.get(e_col) if e_col else s + len(text)
                if e is not None and parsed[s:e] == text:  # an exact cut of the text, not a made name
                    r[col] = original[s:e]
    if not base:  # a chunk's claim_ids are made from the whole text when merged
        ids = claim_ids(article.doc_id, article.text)
        for c in rows["claims"]:
            c["claim_id"] = ids(c["start"], c["end"])


def clean_name(name: str) -> str:
    """A source name without format characters (U+202E ...) and symbols (emoji), spaces tidied."""
    if name.isascii():
        return name
    kept = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cf", "So", "Cs", "Co"))
    return " ".join(kept.split()) or name


def error_row(e: ErrorRecord) -> dict:
    return {
        "input": e.input,
        "location": e.where,
        "doc_id": e.doc_id,
        "stage": e.stage,
        "message": e.message,
        "fatal": e.fatal_for_article,
    }

"""Long articles: cut into chunks, one Doc each, rows merged back into one article.

spaCy refuses texts over `nlp.max_length` (1,000,000 characters) and its parser
needs memory in proportion to the Doc, so an article longer than `CHUNK_CHARS`
is cut into chunks of at most that many characters and each chunk goes through
the Language as its own Doc.  The cuts are made by a cheap scanner, not the
parser: at the last paragraph break in the second half of the window, else at
the last sentence end, else at the last space; only a window without any
whitespace is cut inside a word.  The chunks cover the text exactly, end to
end, so the rows of chunk k are moved into the whole text by adding the
chunk's start to every offset column, and `claim_id` is computed again from
the whole text.

What a chunk cannot see: a source, a pronoun's antecedent or a cue's date in
one chunk is never linked to a number in another, and a cue ending in a colon
does not speak for a paragraph across the cut.  Cutting at paragraph breaks
keeps this rare, and every split article gets a row in `errors` (stage
"chunk", not fatal) saying so.  The publication date read from a dateline is
looked for at the top of the whole text, once, as for an unsplit article.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import pyarrow as pa
from spacy.language import Language
from spacy.tokens import Doc

from .claims import claim_ids  # noqa: F401  (chunks.claim_ids: merged claims get ids of the whole text)
from .dates import published_from_text
from .doctext import remember_text
from .records import Article, ErrorRecord
from .schema import TABLES, schema
from .textnorm import parse_text

# Well below spaCy's max_length (1,000,000): the parser's memory grows with the Doc.
# Our components' time was quadratic in the Doc's length until Doc.text was read once
# per Doc (pipeline/doctext.py); now 100k chars of Reuters text take 5.4 s in one Doc
# and 6.3 s in 20k chunks, so chunks are large and links across a cut are rare.
CHUNK_CHARS = 100_000
STAGE = "chunk"

# A boundary is looked for only in the second half of a window, so that no
# chunk is much smaller than the limit (and their number stays bounded).
_MIN_SHARE = 0.5

# The cut goes after the whitespace, so the next chunk starts with its text.
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")
_SPACE = re.compile(r"\s+")
_CUTS = ((_PARAGRAPH, "paragraph"), (_SENTENCE, "sentence"), (_SPACE, "space"))


def _offset_columns(table: str) -> list[str]:
    return [
        f.name
        for f in schema(table)
        if pa.types.is_integer(f.type) and (f.name in ("start", "end") or f.name.endswith(("_start", "_end")))
    ]


# Character offsets into the article text, per table: the columns to shift.
OFFSET_COLUMNS = {t: _offset_columns(t) for t in TABLES}


class TextChunk(NamedTuple):
    start: int
    end: int
    cut: str  # how the chunk ends: paragraph | sentence | space | word | end


def split(text: str, max_chars: int = CHUNK_CHARS) -> list[TextChunk]:
    """Chunks of at most `max_chars` characters that cover `text` end to end."""
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    chunks, pos, n = [], 0, len(text)
    while n - pos > max_chars:
        lo, hi = pos + max(1, int(max_chars * _MIN_SHARE)), pos + max_chars
        for pattern, kind in _CUTS:
            cut = _last_end(pattern, text, lo, hi)
            if cut:
                break
        else:
            cut, kind = _word_cut(text, lo, hi), "word"
        chunks.append(TextChunk(pos, cut, kind))
        pos = cut
    chunks.append(TextChunk(pos, n, "end"))
    return chunks


def _last_end(pattern: re.Pattern, text: str, lo: int, hi: int) -> int | None:
    # Matches may begin before lo (a long blank run); their end must lie in (lo, hi].
    last = None
    for m in pattern.finditer(text, max(0, lo - 1), hi):
        if m.end() > lo:
            last = m.end()
    return last


def _word_cut(text: str, lo: int, hi: int) -> int:
    """A cut inside a run without whitespace: at least not before a combining mark."""
    cut = hi
    while cut > lo and (unicodedata.combining(text[cut]) or text[cut] in "\u200d\ufe0f"):
        cut -= 1
    return cut


def plan(nlp: Language, article: Article, max_chars: int = CHUNK_CHARS) -> list[TextChunk]:
    """The chunks `article` is processed in: one chunk unless it is long."""
    return split(article.text, min(max_chars, nlp.max_length))


def chunk_doc(nlp: Language, article: Article, chunk: TextChunk, published_from_dateline) -> Doc:
    """The Doc of one chunk of a split article, with the whole article's metadata."""
    text = parse_text(article.text[chunk.start : chunk.end])  # same length: offsets carry over
    doc = remember_text(nlp.make_doc(text), text)
    doc._.doc_id = article.doc_id
    doc._.chunk_start = chunk.start
    if article.published is not None:
        doc._.published, doc._.published_from = article.published, "metadata"
    elif published_from_dateline is not None:
        doc._.published, doc._.published_from = published_from_dateline, "text"
    return doc


def dateline(nlp: Language, article: Article):
    """The publication date of a split article, read once at the top of the whole text."""
    if article.published is not None or "claim_dates" not in nlp.pipe_names:
        return None
    if not getattr(nlp.get_pipe("claim_dates"), "dateline", True):
        return None
    return published_from_text(article.text)


def merge(parts: list[tuple[TextChunk, dict]], article: Article) -> dict[str, list[dict]]:
    """Rows of each chunk (as `doc_rows` gives them) -> the rows of the whole article."""
    from .write import text_hash

    merged: dict[str, list[dict]] = {t: [] for t in TABLES}
    for chunk, rows in parts:
        for table, rs in rows.items():
            if table == "articles":
                continue
            columns = OFFSET_COLUMNS.get(table, ())
            for r in rs:
                for c in columns:
                    if r.get(c) is not None:
                        r[c] += chunk.start
                merged.setdefault(table, []).append(r)
    # a note about the whole article (a placeholder publication date) comes from every chunk: once
    merged["errors"] = list({(e["stage"], e["message"]): e for e in merged.get("errors", [])}.values())
    ids = claim_ids(article.doc_id, article.text)
    for c in merged["claims"]:
        c["claim_id"] = ids(c["start"], c["end"])
    _fullest_person_names(merged)
    first = next(rows["articles"][0] for _, rows in parts if rows.get("articles"))
    merged["articles"] = [
        first | {"n_chars": len(article.text), "n_claims": len(merged["claims"]), "text_hash": text_hash(article.text)}
    ]
    return merged


def _fullest_person_names(merged: dict[str, list[dict]]) -> None:
    """A person named by surname alone gets the fullest name any chunk gives them.

    The attribution stage does this within a Doc ("Zinichev" -> "Yevgeny
    Zinichev"); across chunks it is done here, by the same rule, on the merged
    PERSON entities.  Only one-word names are completed: a longer one is
    already a full name or a registry canonical.
    """
    fullest: dict[str, str] = {}
    for e in merged["entities"]:
        if e["label"] == "PERSON" and e["text"].split():
            last = e["text"].split()[-1]
            if len(e["text"]) > len(fullest.get(last, "")):
                fullest[last] = e["text"]
    for table in ("claims", "attributions"):
        for r in merged[table]:
            name = r.get("source_canonical")
            if r.get("source_type") == "person" and name and len(name.split()) == 1:
                r["source_canonical"] = fullest.get(name, name)


def note(article: Article, chunks: list[TextChunk]) -> ErrorRecord:
    """The errors row that says an article was split, and where a cut is weak."""
    kinds = [c.cut for c in chunks[:-1]]
    how = ", ".join(
        f"{kinds.count(k)} at {k} {'breaks' if k == 'paragraph' else 'ends' if k == 'sentence' else 'spaces'}"
        for k in ("paragraph", "sentence", "space")
        if k in kinds
    )
    words = [c.end for c in chunks[:-1] if c.cut == "word"]
    if words:
        how = ", ".join(filter(None, [how, f"{len(words)} inside a word (offsets {', '.join(map(str, words[:5]))})"]))
    size = max(c.end - c.start for c in chunks)
    return ErrorRecord(
        article.input,
        article.where,
        article.doc_id,
        STAGE,
        f"long text ({len(article.text):,} chars) processed in {len(chunks)} chunks of at most {size:,} "
        f"chars, cut {how}; a source, pronoun or date is not linked to a number in another chunk",
        fatal_for_article=False,
    )

"""The text of a Doc, and where its tokens and sentences fall, worked out once.

spaCy's `Doc.text` joins every token's text each time it is read, so reading it
per candidate number or cue made the components quadratic in the article's
length (it was most of their run time). The text never changes once the Doc is
tokenised, so it is kept in `doc.user_data` after the first read. Likewise
`token.sent` walks the tokens to both ends of the sentence on every read, and
finding the token at a character offset took a binary search over freshly made
Tokens: the token ends and sentence starts are kept too (plain ints, so the
Doc holds no reference to itself). Sentences are read only after the parser.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span

_KEY = "newsclaims.text"
_ENDS = "newsclaims.token_ends"
_STARTS = "newsclaims.sent_starts"
_ENTS = "newsclaims.ents"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Record the text a Doc was made from, so it is never rebuilt from the tokens."""
    doc.user_data[_KEY] = text
    return doc


def token_index_at(doc: Doc, char: int) -> int:
    """Index of the first token ending after character `char` (the last token if none)."""
    ends = doc.user_data.get(_ENDS)
    if ends is None:
        a = doc.to_array([IDX, LENGTH]).reshape(-1, 2)
        ends = doc.user_data[_ENDS] = (a[:, 0] + a[:, 1]).tolist()
    return min(bisect_right(ends, char), max(0, len(doc) - 1))


def sent_of(doc: Doc, i: int) -> Span:
    """The sentence of token i: what `doc[i].sent` gives."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = doc.user_data[_STARTS] = [s.start for s in doc.sents]
    k = bisect_right(starts, i) - 1
    return doc[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(doc)]


def span_text(span: Span) -> str:
    """What `span.text` gives, cut from the text the Doc was made from instead of joined from tokens."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def ents_in(span: Span) -> list[Span]:
    """What `span.ents` gives (the entities inside the span), from a list of the Doc's entities made once.

    `Span.ents` builds every entity of the Doc on each read: once per number, that was
    quadratic in the article's length. Read only after NER, by the claims stage: entities are
    not changed after it.
    """
    doc = span.doc
    cached = doc.user_data.get(_ENTS)
    if cached is None:
        ents = list(doc.ents)
        cached = doc.user_data[_ENTS] = (ents, [e.start for e in ents])
    ents, starts = cached
    out = []
    for e in ents[bisect_left(starts, span.start) :]:
        if e.start >= span.end:
            break
        if e.end <= span.end:
            out.append(e)
    return out

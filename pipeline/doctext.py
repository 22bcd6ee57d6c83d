"""The text of a Doc, built once.

spaCy's `Doc.text` joins every token's text each time it is read, so reading it
per candidate number or cue made the components quadratic in the article's
length (it was most of their run time). The text never changes once the Doc is
tokenised, so it is kept in `doc.user_data` after the first read.
"""
from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newsclaims.text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Record the text a Doc was made from, so it is never rebuilt from the tokens."""
    doc.user_data[_KEY] = text
    return doc

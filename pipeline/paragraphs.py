"""Paragraph breaks are sentence breaks.

The small English parser often runs a sentence across a blank line ("Transcript as
follows:" + the next paragraph), which hides the colon that introduces a quotation
and lets a cue in one paragraph govern numbers in the next. `paragraph_breaks`
runs before the parser and marks the first token after a line break as a sentence
start; the parser keeps such preset boundaries.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("paragraph_breaks", default_config={"min_newlines": 1})
def make_paragraph_breaks(nlp: Language, name: str, min_newlines: int):
    return ParagraphBreaks(name, min_newlines)


class ParagraphBreaks:
    def __init__(self, name: str = "paragraph_breaks", min_newlines: int = 1):
        self.name = name
        self.min_newlines = min_newlines

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            # spaCy keeps any whitespace but one space as a token of its own
            if tok.is_space and tok.text.count("\n") >= self.min_newlines:
                nxt = doc[tok.i + 1]
                if not nxt.is_space:
                    nxt.is_sent_start = True
        return doc

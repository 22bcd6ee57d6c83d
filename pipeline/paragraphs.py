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


@Language.factory("paragraph_breaks", assigns=["token.is_sent_start"], default_config={"min_newlines": 2})
def make_paragraph_breaks(nlp: Language, name: str, *, min_newlines: int):
    # min_newlines: line breaks in a row that end a paragraph whatever precedes them
    return ParagraphBreaks(name, min_newlines=min_newlines)


class ParagraphBreaks:
    """Marks the first token after a paragraph break as a sentence start (before the parser)."""

    def __init__(self, name: str = "paragraph_breaks", *, min_newlines: int = 2):
        self.name = name
        self.min_newlines = min_newlines

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            # spaCy keeps any whitespace but one space as a token of its own
            if tok.is_space and "\n" in tok.text:
                nxt = doc[tok.i + 1]
                prev = doc[tok.i - 1] if tok.i else None
                # a blank line always ends a paragraph; a single line break too (titles, one-line
                # paragraphs) unless the line goes on in lower case: some dumps wrap lines inside
                # sentences ("a hate\ncrime")
                if not nxt.is_space and (tok.text.count("\n") >= self.min_newlines or prev is None
                                         or prev.text[-1:] in ".!?:\"”’'" or not nxt.text[:1].islower()):
                    nxt.is_sent_start = True
        return doc

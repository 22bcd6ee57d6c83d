"""Paragraph breaks are sentence breaks; so are cuts in over-long runs without sentence punctuation.

The small English parser often runs a sentence across a blank line ("Transcript as
follows:" + the next paragraph), which hides the colon that introduces a quotation
and lets a cue in one paragraph govern numbers in the next. `paragraph_breaks`
runs before the parser and marks the first token after a line break as a sentence
start; the parser keeps such preset boundaries.

Text without sentence punctuation (a scraped table, a list run together) made one
sentence of 100,000 characters: the stages that walk a number's sentence became
quadratic and every claim carried the whole of it as evidence. So a run of more
than `max_sentence_chars` characters without a full stop, question or exclamation
mark or line break is cut: after the last comma, semicolon or colon in the second
half of the run, else before the token that overflows it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text

MAX_SENTENCE_CHARS = 1000
_ENDS = (".", "!", "?", "…")
_PAUSES = {",", ";", ":"}
# where a run surely ends: a token ending in sentence punctuation (the character before a space is
# a token's last), the end of a stretch of white space holding a line break (a token of its own)
_RUN_ENDS = re.compile(r"[.!?…](?=\s)|\s*\n\s*")


@Language.factory(
    "paragraph_breaks",
    assigns=["token.is_sent_start"],
    default_config={"min_newlines": 2, "max_sentence_chars": MAX_SENTENCE_CHARS},
)
def make_paragraph_breaks(nlp: Language, name: str, *, min_newlines: int, max_sentence_chars: int):
    # min_newlines: line breaks in a row that end a paragraph whatever precedes them
    return ParagraphBreaks(name, min_newlines=min_newlines, max_sentence_chars=max_sentence_chars)


class ParagraphBreaks:
    """Marks the first token after a paragraph break as a sentence start (before the parser), and
    cuts runs of over `max_sentence_chars` characters without sentence punctuation."""

    def __init__(
        self, name: str = "paragraph_breaks", *, min_newlines: int = 2, max_sentence_chars: int = MAX_SENTENCE_CHARS
    ):
        self.name = name
        self.min_newlines = min_newlines
        self.max_sentence_chars = max_sentence_chars

    def __call__(self, doc: Doc) -> Doc:
        self._paragraphs(doc)
        self._cut_long_runs(doc)
        return doc

    def _cut_long_runs(self, doc: Doc) -> None:
        """Sentence starts inside runs longer than `max_sentence_chars` without sentence punctuation."""
        limit = self.max_sentence_chars
        if not _has_long_run(doc_text(doc), limit):
            return  # (most articles: no need to walk their tokens)
        start = 0  # character offset where the current run began
        pause = None  # the token after the run's last comma, semicolon or colon
        for tok in doc:
            if tok.is_sent_start and tok.i:
                start, pause = tok.idx, None
            elif tok.idx + len(tok) - start > limit and tok.i:
                cut = pause if pause is not None and pause.idx - start > limit // 2 else tok
                cut.is_sent_start = True
                start, pause = cut.idx, None
            if tok.text.endswith(_ENDS) or (tok.is_space and "\n" in tok.text):
                start, pause = tok.idx + len(tok), None
            elif tok.text in _PAUSES and tok.i + 1 < len(doc):
                pause = doc[tok.i + 1]

    def _paragraphs(self, doc: Doc) -> None:
        if "\n" not in doc_text(doc):
            return
        for tok in doc[:-1]:
            # spaCy keeps any whitespace but one space as a token of its own
            if tok.is_space and "\n" in tok.text:
                nxt = doc[tok.i + 1]
                prev = doc[tok.i - 1] if tok.i else None
                # a blank line always ends a paragraph; a single line break too (titles, one-line
                # paragraphs) unless the line goes on in lower case: some dumps wrap lines inside
                # sentences ("a hate\ncrime")
                if not nxt.is_space and (
                    tok.text.count("\n") >= self.min_newlines
                    or prev is None
                    or prev.text[-1:] in ".!?:\"”’'"
                    or not nxt.text[:1].islower()
                ):
                    nxt.is_sent_start = True


def _has_long_run(text: str, limit: int) -> bool:
    """Whether `_cut_long_runs` may cut: a stretch of more than `limit` characters between two
    places where a run surely ends (it ends at more places than these, never at fewer)."""
    last = 0
    for m in _RUN_ENDS.finditer(text):
        if m.end() - last > limit:
            return True
        last = m.end()
    return len(text) - last > limit

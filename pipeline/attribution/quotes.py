"""Quotation spans of an article's text, as its quotation marks delimit them."""

from __future__ import annotations

import re


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Quotation spans. A quote still open at the end of a paragraph runs on when the next
    paragraph opens with a quote mark (how quotations over several paragraphs are written);
    otherwise it ends with its paragraph, so one stray mark cannot flip every quote after it."""
    spans, open_at, prev_end = [], None, 0
    for line in re.finditer(r"[^\n]+", text):
        # two apostrophes are a straight double quote in some wire styles: ''Golf is ...''
        marks = list(re.finditer(r"[“”\"]|''", line.group(0)))
        if open_at is not None:
            if marks and not line.group(0)[: marks[0].start()].strip() and marks[0].group(0) in ("“", '"', "''"):
                marks = marks[1:]  # the quote goes on in this paragraph
            else:
                spans.append((open_at, prev_end))
                open_at = None
        for m in marks:
            open_at = _mark(text, line.start(), m, open_at, spans)
        prev_end = line.end()
    if open_at is not None:
        spans.append((open_at, prev_end))
    return spans


def _mark(text: str, line_start: int, m: re.Match, open_at: int | None, spans: list) -> int | None:
    """Read one quotation mark: where a quotation is open after it (closed ones go to spans)."""
    ch, at, end = m.group(0).replace("''", '"'), line_start + m.start(), line_start + m.end()
    before, after = text[at - 1 : at] if at else "", text[end : end + 1]
    opens = (
        ch == "“"
        or ch == '"'
        and (not before or before.isspace() or before in "([—–-")
        and after != ""
        and not after.isspace()
    )
    closes = ch == "”" or ch == '"' and not opens
    if open_at is None:
        if opens or ch == '"':
            open_at = at
    elif closes:
        spans.append((open_at, end))
        open_at = None
    elif not re.search(r"[.?!]\s$", text[max(0, at - 2) : at]):
        # a mark that opens while a quote is open: the close was lost; a new quote
        # after a sentence end is the next paragraph of the same quotation
        spans.append((open_at, at))
        open_at = at
    return open_at

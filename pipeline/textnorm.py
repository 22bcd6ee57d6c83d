"""The text the Language reads: the article's text with look-alikes of numbers and breaks made plain.

Every replacement keeps the length (one character for one), so every offset into
the text the Language reads is an offset into the text as read; the text columns
of the output are cut from the text as read again (`write.doc_rows`).

* Thin, narrow no-break and no-break spaces between groups of three digits are
  thousands separators ("300 000", "1 100" with U+2009, U+202F, U+00A0): read as
  commas, so the number is one number, not two.
* ANSI colour codes ("\\x1b[31m" ... "\\x1b[0m") are terminal noise, not numbers:
  read as spaces.
* A carriage return not followed by a line feed ends a line (old Mac files): read
  as a line feed, so a headline does not run into the next line's source.
"""

from __future__ import annotations

import re

_THIN = "\u2009\u202f\u00a0"
# a leading group of 1-3 digits, then groups of exactly three, each after one thin space
_GROUPED = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:[{_THIN}]\d{{3}})+(?![\d])")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_LONE_CR = re.compile(r"\r(?!\n)")
_THIN_TO_COMMA = str.maketrans({c: "," for c in _THIN})


def parse_text(text: str) -> str:
    """`text` as the Language should read it; the same length, so offsets carry over unchanged."""
    if "\x1b" in text:
        text = _ANSI.sub(lambda m: " " * len(m.group(0)), text)
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    if any(c in text for c in _THIN):
        text = _GROUPED.sub(lambda m: m.group(0).translate(_THIN_TO_COMMA), text)
    return text

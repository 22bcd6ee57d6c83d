"""What the attribution rules make: `Cue`, one reporting (or stance) cue found in a Doc, and
`Attribution`, the row that credits one quantity to a source."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Token


class Attribution(NamedTuple):
    source: str  # the source as named in the article (pronouns resolved)
    source_start: int  # offsets of the mention the cue links to ("he" in "he said")
    source_end: int
    source_canonical: str
    source_type: str
    via: str | None  # relay: "Yonhap" in "Yonhap, citing the NIS"
    cue: str
    cue_start: int
    cue_end: int
    cue_token: int  # index of the cue's anchor token, for the dates stage
    cue_kind: str = "report"  # "stance" for a predicate of stance or intention ("X wants", "X rated")
    content_start: int | None = None  # the content of the report that holds the number: the clause
    content_end: int | None = None  # the cue governs, the quotation, or the sentence it carries into


@dataclass
class Cue:
    anchor: Token  # verb, or the head the "according to" phrase hangs on
    cue_span: tuple[int, int]  # character offsets of the cue words
    source: Token | None  # head token of the source mention
    scope: set[int]  # token indices the cue governs
    via: Token | None = None
    resolved: tuple[str, int, int, str | None] | None = None  # text, start, end, entity label
    aside: bool = False  # "..., according to X, 54 children": covers only what follows
    nominal: bool = False  # "X's estimate of 3,000": holds even inside someone's quotation
    carries: bool = False  # speaks on in the sentences after its own, like "said"
    antecedent: Token | None = None  # what a relative pronoun source ("X, who said") stands for
    weak: bool = False  # a stance predicate ("X wants", "X rated"): only where no report holds
    setting: set[int] = field(default_factory=set)  # "in a speech to 5,000 supporters": where it was said
    turn: bool = False  # a transcript's "PENCE:" opening a paragraph: speaks for all of it

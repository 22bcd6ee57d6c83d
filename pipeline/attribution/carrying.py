"""Which cue speaks in a sentence with no report of its own: a report carried on from the
sentence before ("The agency said 30 were killed. Another 12 are missing."), the speaker
of a transcript's turn ("PENCE: ..."), and what follows "X said:".

Continuation is the exception: only reported speech carries (`carrying` in
models/cues.json), within a paragraph, and not into a sentence that quotes, turns to
another matter ("Meanwhile, ..."), has another person act, or has a stance of its own.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..constants import BODIES, MODALS
from .records import Cue
from .state import DocState


def carried_cues(
    st: DocState, cues: list[Cue], quotes: list[tuple[int, int]], continue_paragraphs: bool
) -> dict[int, Cue | None]:
    """Sentence start -> the cue that speaks in it; the sentences a turn speaks in go to `st.turns`."""
    return _Carrying(st, cues, quotes, continue_paragraphs).run()


class _Carrying:
    """One pass over a Doc's sentences, keeping the turn that opened the current paragraph."""

    def __init__(self, st: DocState, cues: list[Cue], quotes: list[tuple[int, int]], continue_paragraphs: bool):
        self.st, self.cues, self.quotes = st, cues, quotes
        self.continue_paragraphs = continue_paragraphs
        self.carried: dict[int, Cue | None] = {}
        self.turn: Cue | None = None  # the speaker's label that opened this paragraph
        self.listing: Cue | None = None  # "According to the ministry's data:" over a table's rows

    def run(self) -> dict[int, Cue | None]:
        for k, sent in enumerate(self.st.sents):
            self._sentence(k, sent)
        return self.carried

    def _sentence(self, k: int, sent: Span) -> None:
        st, carried, sents = self.st, self.carried, self.st.sents
        new_paragraph = k and "\n" in st.text[sents[k - 1].end_char - 1 : sent.start_char]
        if new_paragraph:
            self.turn = None
        # a noun cue ("X's estimate of 3,000") speaks only within its own phrase
        own = [c for c in self.cues if sent.start <= c.anchor.i < sent.end and not c.nominal and not c.weak]
        if self.listing is not None and new_paragraph and not own and self._item(k, sent):
            # each row of a table or list that "X's data show:" introduced is X's
            carried[sent.start] = self.listing
            return
        self.listing = None
        self._decide(k, sent, own, new_paragraph)
        if st.sent_text(sent).rstrip().endswith(":") and sent.start in carried:
            self.listing = carried[sent.start]

    def _decide(self, k: int, sent: Span, own: list[Cue], new_paragraph: bool) -> None:
        st, carried, turns = self.st, self.carried, self.st.turns
        sents = st.sents
        self.turn = turn = next((c for c in own if c.turn), self.turn)
        if turn is not None and own and own[-1] is not turn:
            # "PENCE: ... Mark Cuban has been saying ... But he has 650 employees": in a transcript's
            # turn the speaker of the label speaks on after a report quoted in it
            carried[sent.start] = turn
            turns.add(sent.start)
            return
        if turn is not None and own:
            turns.add(sent.start)
        prev_colon = k and sents[k - 1].start in carried and st.sent_text(sents[k - 1]).rstrip().endswith(":")
        if prev_colon and not own:
            # "X said:" followed by a quotation or transcript in the next paragraph, which X speaks
            # as a turn of a transcript
            carried[sent.start] = carried[sents[k - 1].start]
            if new_paragraph:
                self.turn = carried[sent.start]
                turns.add(sent.start)
            return
        if own:
            if self._speaks_on(sent, own[-1]):
                carried[sent.start] = own[-1]
        elif self._continues(k, sent, new_paragraph):
            # a sentence with no cue goes on with the report of the one before, within a paragraph
            carried[sent.start] = carried[sents[k - 1].start]
            if self.turn is not None:
                turns.add(sent.start)

    def _item(self, k: int, sent: Span) -> bool:
        """Whether a sentence is a row of a list: a paragraph of its own, short, or led by a label
        ("Lviv: 45 cases") or a bullet."""
        st, sents = self.st, self.st.sents
        last = k + 1 == len(sents) or "\n" in st.text[sent.end_char - 1 : sents[k + 1].start_char]
        text = st.sent_text(sent).strip()
        return last and (
            len(text.split()) <= st.cues.list_item_words
            or re.match(r"(?:[-•*·–]\s|[^\W\d][\w .'-]{0,40}:\s)", text) is not None
        )

    def _speaks_on(self, sent: Span, last: Cue) -> bool:
        """Whether the last report of a sentence carries on into the next: only reported speech does."""
        st, cues = self.st, self.st.cues
        stext = st.sent_text(sent)
        quoted = sum(
            min(b, sent.end_char) - max(a, sent.start_char)
            for a, b in self.quotes
            if a < sent.end_char and b > sent.start_char
        )
        if quoted > 0.5 * len(stext) and not stext.rstrip().endswith(":"):
            # '"...," she added.': the quotation holds all she said; the writer goes on
            return False
        return (
            last.anchor.lemma_.lower() in cues.carrying
            or last.carries
            or stext.rstrip().endswith(":")
            or "according" in cues.carrying
            and st.text[last.cue_span[0] : last.cue_span[1]].lower() in cues.according
        )

    def _continues(self, k: int, sent: Span, new_paragraph) -> bool:
        """Whether a sentence with no cue goes on with the report carried into the one before."""
        st, sents = self.st, self.st.sents
        # (one who wants, rates or agrees in the sentence acts in the writer's account: no report goes
        # on; in a transcript's turn the speaker speaks of others)
        # ("Meanwhile, ...", "Similarly, ..." turn to another matter in the writer's voice)
        return bool(
            k
            and self.continue_paragraphs
            and not new_paragraph
            and sents[k - 1].start in self.carried
            and not re.search(r"[“”\"]", st.sent_text(sent))
            and not shifts_topic(st, sent)
            and not unnamed_report(st, sent)
            and (
                self.turn is not None
                or (
                    not new_actor(sent, self.carried[sents[k - 1].start])
                    and not any(c.weak and not c.nominal and sent.start <= c.anchor.i < sent.end for c in self.cues)
                )
            )
        )


def shifts_topic(st: DocState, sent: Span) -> bool:
    """Whether the sentence opens with a turn to the writer's own account ("Meanwhile, ...",
    "As a result, ...")."""
    head = st.text[sent.start_char : sent.start_char + 40].lower()
    return any(head.startswith(p) and not head[len(p) : len(p) + 1].isalnum() for p in st.cues.topic_shifts)


def unnamed_report(st: DocState, sent: Span) -> bool:
    """Whether the sentence expects or estimates in a voice no one is named for ("Earnings from
    tourism are expected to be 15% lower", "it is estimated that ..."; `expectation_verbs`): a new
    cue, past which an earlier report does not carry (ANNOTATION.md), and which credits no one."""
    for t in sent:
        if t.tag_ != "VBN" or t.lemma_.lower() not in st.cues.expectation_verbs:
            continue
        kids = list(t.children)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids)
        if passive and not any(c.dep_ == "agent" for c in kids):
            return True
    return False


def new_actor(sent: Span, cue: Cue | None) -> bool:
    """Whether a named person other than the speaker acts in the sentence ("He adds that ...
    Al-Awlaki extols Nidal Hasan, who killed 13 people"): the writer narrates again."""
    if cue is None or not cue.resolved:
        return False
    subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.ent_type_ != "PERSON" and (subj.ent_type_ not in BODIES or subj.dep_ != "nsubj"):
        return False
    if subj.ent_type_ != "PERSON" and any(c.dep_ == "aux" and c.lower_ in MODALS for c in sent.root.children):
        return False  # "the Liberal Democrats will take three seats": what a poll foresees goes on
    # ("Iran detained 10 sailors", "the firm Billy Casper Golf runs 140 courses": a body acts too)
    return subj.text not in cue.resolved[0] and cue.resolved[0] not in subj.text


def after_colon(st: DocState, sent: Span, carried: dict[int, Cue | None]) -> bool:
    """Whether the sentence follows one ending in a colon whose report carries ("X said:")."""
    prev = st.sent_of(sent.start - 1) if sent.start > 0 else None
    return prev is not None and prev.start in carried and st.sent_text(prev).rstrip().endswith(":")

"""The decision: which cue, if any, is credited with each quantity.

In order: the innermost report whose scope holds the number (an outer one is its `via`,
or wins over a document no one is named for, or over an outlet that relays it); inside a
quotation, the speaker who opens or closes it; a trailing "..., X said" of the same
sentence; the innermost stance, where no report speaks; a report carried from an earlier
sentence (`carrying.py`); else no one (the writer's own voice).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..doctext import doc_text
from ..sources import Registry
from .carrying import after_colon
from .mentions import canonical, noun_phrase
from .records import Attribution, Cue
from .state import DocState

INTRODUCES = re.compile(r"[^.!?\n\"“”]*[:,]\s*")  # from a cue to the quotation it opens
# "9 km (about six miles)": the writer's conversion, in the article's own voice
CONVERSION = re.compile(r"\s*(?:[^\W\d]+\.?\s*){0,2}\(\s*(?:(?:the\s+)?equivalent\s+(?:of|to)\s+|i\.e\.,?\s+|or\s+)?")

Quotes = list[tuple[int, int]]


def attribute_all(
    st: DocState,
    registry: Registry,
    quantities,
    cues: list[Cue],
    quotes: Quotes,
    acronyms: dict[str, str],
    carried: dict[int, Cue | None],
) -> list[Attribution | None]:
    """An `Attribution` or None for each quantity, in order."""
    out: list[Attribution | None] = []
    prev_end = -1
    for q in quantities:
        conversion = CONVERSION.fullmatch(st.text[prev_end : q.start]) if prev_end >= 0 else None
        out.append(None if conversion else attribute(st, registry, q, cues, quotes, acronyms, carried))
        prev_end = q.end
    return out


def attribute(
    st: DocState,
    registry: Registry,
    q,
    cues: list[Cue],
    quotes: Quotes,
    acronyms: dict[str, str],
    carried: dict[int, Cue | None],
) -> Attribution | None:
    """The attribution of one quantity q, or None."""
    doc = st.doc
    span = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
    if span is None:
        return None
    ti = span.root.i
    sent = st.sent_of(ti)
    holding = [c for c in cues if ti in c.scope and not (c.resolved[1] <= q.num_start < c.resolved[2])]
    weak = sorted((c for c in holding if c.weak), key=lambda c: len(c.scope))
    holding = [c for c in holding if not c.weak]
    holding.sort(key=lambda c: len(c.scope))
    chosen, via = innermost(st, registry, holding)
    chosen, via = quoted_speaker(st, q, cues, quotes, chosen, via)
    if chosen is None:
        chosen = trailing_report(q, ti, sent, cues)
    colon = after_colon(st, sent, carried)
    reported = (
        carried.get(sent.start)
        if chosen is None
        and (colon or not any(sent.start <= c.anchor.i < sent.end and not c.nominal and not c.weak for c in cues))
        else None
    )
    if chosen is None and weak and not (reported is not None and (sent.start in st.turns or colon)):
        # no report of this sentence speaks here: the innermost stance holding the number (its
        # subject acts in the sentence, so a report carried from before does not reach in; but
        # "X said:" and a transcript's "PENCE:" speak all that follows them)
        chosen = weak[0]
    if chosen is None:
        chosen = reported
    if chosen is None:
        return None
    cs, ce = content_span(st, q, ti, sent, chosen, quotes)
    return _row(st, registry, chosen, via, acronyms)._replace(content_start=cs, content_end=ce)


def content_span(st: DocState, q, ti: int, sent, chosen: Cue, quotes: Quotes) -> tuple[int, int]:
    """Character offsets of the content of `chosen` that holds the number: the tokens the cue
    governs in its own sentence, or the quotation around the number when the cue stands outside
    it; else (a report carried on) the number's sentence."""
    doc = st.doc
    for qs, qe in quotes:
        if qs <= q.start < qe and not qs <= chosen.cue_span[0] < qe:
            return qs, qe  # a speaker outside the quotation: all of it is what was said
    if ti in chosen.scope:
        # the unbroken run of governed tokens around the number, the cue and its source left out
        _, ms, me, _ = chosen.resolved
        cs, ce = chosen.cue_span
        a = chosen.anchor
        # "told reporters that ...": the clause under the cue that holds the number (none in a
        # tree that is not projective: the number lies between the cue's words, in no clause of it)
        part = (
            next((c for c in a.children if c.left_edge.i <= ti <= c.right_edge.i), None)
            if a.left_edge.i <= ti <= a.right_edge.i and a.i != ti
            else None
        )
        if part is not None:
            inside = set(range(part.left_edge.i, part.right_edge.i + 1))
        else:
            # "..., the police chief said": the clause the cue hangs on, the cue's own words left out
            inside = (
                set(range(sent.start, sent.end)) - set(range(a.left_edge.i, a.right_edge.i + 1))
                if chosen.anchor.pos_ in ("VERB", "AUX") and a.i != ti
                else set(range(sent.start, sent.end))
            )
        inside = {i for i in inside if i in chosen.scope or i == ti}
        inside = {i for i in inside if not ms <= doc[i].idx < me and not cs <= doc[i].idx < ce}
        lo = hi = ti
        while lo - 1 in inside:
            lo -= 1
        while hi + 1 in inside:
            hi += 1
        while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        while hi > lo and (doc[hi].is_space or doc[hi].is_punct and doc[hi].text not in "\"”’'"):
            hi -= 1
        return doc[lo].idx, doc[hi].idx + len(doc[hi])
    return sent.start_char, sent.end_char


def innermost(st: DocState, registry: Registry, holding: list[Cue]) -> tuple[Cue | None, str | None]:
    """(cue, via) of the reports holding a number, innermost first: the innermost, with the
    next one out as its relay."""
    chosen = holding[0] if holding else None
    via = None
    pronouns = st.cues.pronouns
    if (
        chosen is not None
        and len(holding) > 1
        and chosen.source is not None
        and chosen.source.lower_ in pronouns
        and holding[1].source is not None
        and holding[1].source.lower_ not in pronouns
        and chosen.resolved[0].split()[-1:] == holding[1].resolved[0].split()[-1:]
    ):
        # "Weaver says he's expecting two ...": one speaker; the named mention is the one that says it
        chosen = holding[1]
    elif chosen is not None and len(holding) > 1 and holding[1].resolved[0] != chosen.resolved[0]:
        outer = holding[1]
        if outer.anchor.i != chosen.anchor.i:
            if (
                unauthored(st, chosen)
                and not unauthored(st, outer)
                and outer.anchor.i < chosen.anchor.i
                and any(c.dep_ == "ccomp" and chosen.anchor in c.subtree for c in outer.anchor.children)
            ):
                # "The AP reported that, according to an analysis of her calendar, 85 ...": a document
                # no one is named for is the evidence of the one who reports it
                chosen = outer
            elif is_media(st, registry, chosen) and not is_media(st, registry, outer):
                # "X indicates ..., as reported by Yonhap": the outlet relays X's claim
                chosen, via = outer, chosen.resolved[0]
            else:
                via = outer.resolved[0]
    return chosen, via


def quoted_speaker(
    st: DocState, q, cues: list[Cue], quotes: Quotes, chosen: Cue | None, via: str | None
) -> tuple[Cue | None, str | None]:
    """Inside a quotation the speaker who introduces or closes it wins over cues quoted inside it."""
    text = st.text
    for qs, qe in quotes:
        if qs <= q.start < qe:
            # the speaker stands outside every quotation, not inside another one nearby
            near = [
                c
                for c in cues
                if not any(a <= c.cue_span[0] < b for a, b in quotes)
                and not c.nominal
                and not c.weak
                and (0 <= c.cue_span[0] - qe <= 120 or 0 <= qs - c.cue_span[1] <= 120)
            ]
            # a cue of the quotation's own paragraph before one across a paragraph break
            near = [
                c
                for c in near
                if "\n" not in (text[qe : c.cue_span[0]] if c.cue_span[0] >= qe else text[c.cue_span[1] : qs])
            ] or near
            if near and (chosen is None or qs <= chosen.cue_span[0] < qe and not chosen.nominal):
                # 'X told reporters: "..."', '"...," said X, "..."': the cue that opens the quotation,
                # within its sentence, wins over one that follows it
                opening = [
                    c for c in near if 0 <= qs - c.cue_span[1] and INTRODUCES.fullmatch(text[c.cue_span[1] - 1 : qs])
                ]
                chosen = (
                    max(opening, key=lambda c: c.cue_span[1])
                    if opening
                    else min(near, key=lambda c: min(abs(c.cue_span[0] - qe), abs(qs - c.cue_span[1])))
                )
                via = None
            break
    return chosen, via


def trailing_report(q, ti: int, sent: Span, cues: list[Cue]) -> Cue | None:
    """ "..., X said" after the number in its sentence, holding it or not: the nearest such verb."""
    same = [
        c
        for c in cues
        if sent.start <= c.anchor.i < sent.end
        and not (c.resolved[1] <= q.start < c.resolved[2])
        and c.anchor.pos_ in ("VERB", "AUX")
        and c.anchor.i > ti
        and not c.aside
        and not c.nominal
        and c.antecedent is None
        and not c.weak
        and ti not in c.setting
        and not subordinate(c.anchor, frame=c.cue_span[0] != c.anchor.idx)
        and not parenthetical(c.anchor, ti)
    ]
    if same:
        return min(same, key=lambda c: abs(c.anchor.i - ti))
    return None


def parenthetical(verb, ti: int) -> bool:
    """Whether a verb lies in brackets the number is outside of ("... 250,000 refugees (in fact,
    Obama has proposed accepting 10,000)"): an aside, which closes no sentence."""
    between = verb.doc[ti : verb.i]
    return sum(t.text == "(" for t in between) > sum(t.text == ")" for t in between)


def subordinate(verb, frame: bool = False) -> bool:
    """Whether a cue heads a clause that qualifies another ("reduced the duty to 85 cts because the
    government said ...", "weighs 236 pounds, which classifies him as overweight according to his
    body mass index"): it closes no sentence as a report does, though "..., as the ministry said"
    does. `frame`: an "according to" hung on the verb, which a clause of contrast does not confine
    ("X raised $2.7 million, while Y raised $6 million, according to Crowdpac")."""
    # ("Trump was supported by 42 percent of the Republicans surveyed in the CBS poll": a frame on a
    # participle speaks for the sentence)
    if verb.dep_ == "relcl" or not frame and verb.dep_ in ("acl", "pcomp"):
        return True
    # ("..., as the ministry said" closes a sentence; so does "$1.5 trillion more than the budget
    # office had predicted", whose figure is the office's)
    return (
        not frame
        and verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ not in ("as", "than") for c in verb.children)
    )


def unauthored(st: DocState, cue: Cue) -> bool:
    """Whether a cue's source is a document with no author named: "an analysis", "data"."""
    h = cue.source
    return (
        h is not None
        and cue.antecedent is None
        and not h.ent_type_
        and h.pos_ == "NOUN"
        and h.lemma_.lower() in st.cues.nouns
    )


def is_media(st: DocState, registry: Registry, cue: Cue) -> bool:
    """Whether a cue's source is a news outlet (by the registry, else by its name: media_words
    in models/cues.json)."""
    name = cue.resolved[0]
    e = registry.lookup(name)
    if e is not None:
        return e.type == "media"
    rx = st.lexicon.media_name
    return bool(rx is not None and rx.search(name)) and not any(w in name.lower() for w in st.cues.not_media_words)


def _row(st: DocState, registry: Registry, chosen: Cue, via: str | None, acronyms: dict[str, str]) -> Attribution:
    doc = st.doc
    text, s, e, label = chosen.resolved
    if chosen.via is not None and via is None:
        vs, ve = noun_phrase(st, chosen.via)
        via = doc_text(doc)[vs:ve]
    name, stype = canonical(st, registry, text, label, acronyms)
    cs, ce = chosen.cue_span
    return Attribution(
        text,
        s,
        e,
        name,
        stype,
        via,
        doc_text(doc)[cs:ce],
        cs,
        ce,
        chosen.anchor.i,
        "stance" if chosen.weak else "report",
    )

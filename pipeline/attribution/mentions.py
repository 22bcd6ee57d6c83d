"""Who a cue's source is: the noun phrase of a mention, which tokens can name a claimant,
the head a nominal cue points at ("X's estimate" -> X), a verb's subject, back-references
("it said", "the agency added") resolved to the source they refer to, people's
affiliations, and the canonical name of a source.

`Mentions` is the public face of these for one Doc: what a second opinion such as
pipeline/linker.py may ask.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..constants import (
    AUTHORS,
    BODIES,
    CLAIMANTS,
    MONTHS,
    NOT_A_CLAIMANT,
    NOT_NAMEABLE,
    NOT_NEW_NAME,
    NP_MODIFIERS,
    SUBJ,
    WEEKDAYS,
)
from ..doctext import doc_text
from ..sources import Registry, acronyms_in, normalise, source_type
from .lexicon import Cues
from .records import Cue
from .state import DocState

# month and day names, which a DATE entity may rightly hold
DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)

Mention = tuple[str, int, int, str | None]  # text, start, end, entity label


# ------------------------------------------------------------ noun phrases
def noun_phrase(st: DocState, h: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by h: modifiers and 'of'-names, no clauses."""
    doc = h.doc
    if h.ent_type_ == "PERSON":
        for ent in st.ents:
            if ent.start <= h.i < ent.end:
                s = ent.start_char
                # spaCy splits hyphenated given names: "Adbul-Jabbar Mohsen"
                m = re.search(r"[A-Z][\w']*-$", doc_text(doc)[max(0, s - 30) : s])
                return (s - len(m.group(0)) if m else s), ent.end_char
    span = doc[_left_edge(h) : _right_edge(st.cues, h) + 1]
    s, e = span.start_char, span.end_char
    text = doc_text(doc)
    for ent in st.ents:
        if ent.start <= h.i < ent.end and ent.label_ in ("ORG", "GPE", "NORP", "FAC"):
            # (not across a comma: "1.32 pct at Murdochville, Morin said" is no name "Murdochville, Morin")
            if "," not in text[ent.start_char : h.idx]:
                s = min(s, ent.start_char)
            if "," not in text[h.idx : ent.end_char]:
                e = max(e, ent.end_char)
    # the entity recogniser sometimes runs into "(ACRONYM": the name stops before the bracket
    cut = text.find("(", s, e)
    if cut > s:
        e = s + len(text[s:cut].rstrip())
    # an entity that ran on into a preposition: "the ministry on (Friday)"; a possessor's "'s"; the
    # brackets of a wire's company name ("<Noranda Inc> said")
    e = s + len(re.sub(r"\s+(?:on|in|at|of|for|to)$|(?<=\w)(?:['’]s?)$|(?<=\w)>$", "", text[s:e]))
    s += text[s:e].startswith("<") and e - s > 1
    return _defined_long_form(doc, s, e)


def _left_edge(h: Token) -> int:
    doc = h.doc
    left = h.i
    for c in h.lefts:
        if c.ent_type_ in NOT_NEW_NAME:
            continue  # "a second communique", "today's statement" name no one new
        if c.dep_ in NP_MODIFIERS or (
            c.dep_ == "det" and c.lower_ not in ("the", "a", "an", "this", "that", "these", "those")
        ):
            left = min(left, min(t.i for t in c.subtree))
    # never across punctuation or a line break: "KHARTOUM, March 18 - Sudan"
    for i in range(h.i - 1, left - 1, -1):
        # (a hyphen inside a word is no break: "Hamas-run health authorities", "Saudi-led coalition")
        infix = doc[i].text == "-" and i > 0 and not doc[i - 1].whitespace_ and not doc[i].whitespace_
        if (doc[i].is_punct and doc[i].text not in ("'s", "’s", "'", "’", ".", "&") and not infix) or "\n" in doc[
            i
        ].text_with_ws:
            left = i + 1
            break
    return left


def _right_edge(cues: Cues, h: Token) -> int:
    doc = h.doc
    right = h.i
    for c in h.rights:
        if c.dep_ == "case":
            right = max(right, c.i)
        elif (
            c.dep_ == "prep"
            and c.lower_ in ("of", "for")
            and (h.is_title or h.ent_type_ or h.lower_ in cues.unnamed_heads)
        ):
            pobj = [t for t in c.children if t.dep_ == "pobj"]
            if pobj and (pobj[0].ent_type_ or pobj[0].is_title or pobj[0].is_upper):
                right = max(
                    right,
                    max(
                        t.i
                        for t in pobj[0].subtree
                        if t.dep_ not in ("appos", "relcl", "acl", "punct") or t.i < pobj[0].i
                    ),
                )
        elif c.dep_ == "compound" or c.dep_ == "flat":
            right = max(right, c.i)
    while right > h.i and doc[right].is_punct:
        right -= 1
    return right


def _defined_long_form(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """ "United States Geological Survey (USGS)": the defined long form is the name."""
    text = doc_text(doc)
    m = re.match(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)", text[e : e + 14])
    if m is None:
        nxt = re.search(r"\(([A-Z][A-Za-z.&]{1,9})\)", text[e : e + 60])
        m = nxt if nxt and re.fullmatch(r"[\w\s&'-]*", text[e : e + nxt.start()]) else None
    if m is not None:
        lf = acronyms_in(text[max(0, s - 80) : e + m.end()]).get(m.group(1))
        if lf:
            k = text.rfind(lf, 0, e + m.end())
            if k != -1 and k <= s < k + len(lf) + 1:
                s, e = k, k + len(lf)
    return s, e


# ------------------------------------------------------------ who can be a source
def plausible(cues: Cues, h: Token) -> bool:
    """Whether a token can name a claimant: a person, body, pronoun or the like, not "savings"."""
    low, lemma = h.lower_, h.lemma_.lower()
    if h.ent_type_ in NOT_A_CLAIMANT and not _misread_date(h):
        return False
    if low in cues.pronouns or h.ent_type_ in CLAIMANTS or h.pos_ == "PROPN":
        return True
    if lemma in cues.nouns or low in cues.nouns:
        # "the report", "exit polls", "new fundraising reports" name a document; "previous reports" credits no one
        return any(
            c.dep_ == "det"
            and c.lower_ in ("the", "this", "that", "its", "their", "a", "an")
            or c.dep_ == "poss"
            or c.dep_ == "compound"
            or c.dep_ == "amod"
            and c.lower_ not in cues.vague_adjectives
            for c in h.children
        )
    if {lemma, low} & (cues.generic_heads | cues.unnamed_heads | cues.agent_nouns):
        return True
    # "Lloyds insurance said": a body named by its modifier; "the country's largest lender said"
    return h.pos_ == "NOUN" and any(
        c.dep_ == "compound" and c.ent_type_ in BODIES or c.dep_ == "amod" and c.tag_ == "JJS" for c in h.children
    )


def _misread_date(h: Token) -> bool:
    """A name the recogniser ran into a wire dateline's date ("March 2 - Bank of New York Co said")."""
    return h.ent_type_ == "DATE" and h.pos_ == "PROPN" and h.lower_ not in DATE_WORDS and h.is_title


def could_author(cues: Cues, h: Token) -> bool:
    """Whether a noun can have written a document: a named body or person, or a word for one."""
    return (
        h.ent_type_ in AUTHORS
        or h.pos_ == "PROPN"
        or h.lower_ in cues.pronouns
        or bool({h.lemma_.lower(), h.lower_} & (cues.generic_heads | cues.unnamed_heads | cues.agent_nouns))
    )


def nameable(h: Token) -> bool:
    """Whether a token can be a source once a verb of speech says so: any noun or name ("cement
    makers argue", "one pastor said"), but no number, date or empty word."""
    return h.pos_ in ("NOUN", "PROPN") and h.ent_type_ not in NOT_NAMEABLE


# ------------------------------------------------------------ the head a mention points at
def source_head(cues: Cues, h: Token) -> Token:
    """A nominal cue as subject ("the assessment by X", "X's estimate") points at X."""
    if h.lemma_.lower() in cues.through or (h.lemma_.lower() in cues.spokes_nouns):
        # "the final instalment of his review", "a spokesman for the ministry"
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                pobj = [t for t in c.children if t.dep_ == "pobj"]
                if pobj:
                    return source_head(cues, pobj[0])
            if (
                c.dep_ in ("compound", "poss", "nmod")
                and (c.ent_type_ in BODIES or c.pos_ == "PROPN")
                and h.lemma_.lower() != "official"
            ):
                return c
    if h.lower_ in cues.nouns or h.lemma_ in cues.nouns:
        found = _document_author(cues, h)
        if found is not None:
            return found
    # a title with a named person in apposition: "the commander, General Oleksandr Syrskyi"
    if h.ent_type_ != "PERSON":
        for c in h.children:
            if c.dep_ == "appos" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN" and not c.ent_type_):
                return c
    return h


def _document_author(cues: Cues, h: Token) -> Token | None:
    """Who wrote the document a cue noun names ("a report by X", "X's estimate"), or None."""
    # "a survey of superdelegates" names who was asked, not who asked
    # "a POLITICO analysis of other data": a named author before the noun is who wrote it,
    # what follows "of" is then only what it looked at
    named = next(
        (
            c
            for c in h.lefts
            if c.dep_ == "compound"
            and (c.ent_type_ or c.is_upper or c.is_title and not c.is_sent_start)
            and c.ent_type_ not in ("DATE", "TIME")
        ),
        None,
    )
    authors = ("by", "from") if h.lemma_.lower() in cues.sampled_nouns or named is not None else ("by", "of", "from")
    for c in h.children:
        if c.dep_ == "poss":
            return c
        if c.dep_ == "acl" and c.tag_ == "VBN":
            # "a report released in September by the National Academies"
            agent = next((x for a in c.children if a.dep_ == "agent" for x in a.children if x.dep_ == "pobj"), None)
            if agent is not None and could_author(cues, agent):
                return source_head(cues, agent)
        if c.dep_ == "prep" and c.lower_ in authors:
            pobj = [t for t in c.children if t.dep_ == "pobj"]
            # "an analysis of her calendar" looked at the calendar; "a report of the committee" is its;
            # "a slide from the presentation" is part of a document, "files from NGP VAN" are its
            if pobj and (
                c.lower_ == "by"
                or could_author(cues, pobj[0])
                or c.lower_ == "from"
                and pobj[0].lemma_.lower() in cues.nouns
            ):
                return source_head(cues, pobj[0])
    return named


def own_subject(t: Token) -> Token | None:
    """A verb's own subject: the agent of a passive, else its nsubj."""
    subj = None
    for c in t.children:
        if c.dep_ == "agent":
            subj = next((x for x in c.children if x.dep_ == "pobj"), subj)
        elif (
            c.dep_ == "nsubj"
            and any(ch.isalnum() for ch in c.text)
            and not ticker(c)
            and (subj is None or subj.dep_ == "nsubj" and subj.i < c.i < t.i)
        ):
            # (several subjects are a misparse, as of a wire dateline: "Toronto, April 2 - <Noranda
            # Inc> said": the one nearest the verb is its own)
            subj = c
    return subj


def ticker(x: Token) -> bool:
    """A wire's stock ticker in angle brackets ("NV Philips <PGLO.AS> said"): no subject of its own."""
    doc = x.doc
    return 0 < x.i < len(doc) - 1 and doc[x.i - 1].text == "<" and doc[x.i + 1].text == ">" and "." in x.text


def subject(t: Token) -> Token | None:
    """The subject of a verb: its own, or the one of the verb it hangs on ("agreed to pay",
    "by promising to impose", "candidates proposing")."""
    subj = own_subject(t)
    owner = t.head
    if subj is None and t.dep_ == "pcomp" and t.tag_ == "VBG" and owner.pos_ == "ADP":
        owner = owner.head
    if subj is None and t.dep_ in ("conj", "xcomp", "pcomp", "advcl") and owner.pos_ in ("VERB", "AUX"):
        subj = next((c for c in owner.children if c.dep_ == "nsubj"), None)
    if subj is None and t.dep_ == "acl" and t.tag_ == "VBG" and t.head.pos_ in ("NOUN", "PROPN"):
        subj = t.head
    return subj


# ------------------------------------------------------------ back-references
def resolve(st: DocState, h: Token, history: list[Mention]) -> tuple[str | None, str | None]:
    """(text, label) for the source head h; pronouns and generic NPs take an earlier mention."""
    cues = st.cues
    kind = cues.pronouns.get(h.lower_)
    if kind is not None:
        return _resolve_pronoun(st, h, kind, history)
    s, e = noun_phrase(st, h)
    text = doc_text(h.doc)[s:e]
    det = next((c.lower_ for c in h.children if c.dep_ == "det"), None)
    # "the ministry" points back to a body named before; "the candidates" are a source of their own
    is_generic = (
        (h.lemma_.lower() in cues.generic_heads or h.lower_ in cues.generic_heads)
        and det in ("the", "this", "that")
        and h.tag_ != "NNS"
        and not h.ent_type_
        and not any(c.dep_ in ("compound", "poss", "amod") and (c.ent_type_ or c.is_title) for c in h.children)
    )
    if is_generic:
        found = _resolve_description(st, h, history)
        if found is not None:
            return found
    # "the UK's biggest mortgage lender said": a superlative description of a body named before
    if (
        h.tag_ == "NN"
        and not h.ent_type_
        and h.lemma_.lower() not in cues.person_roles
        and any(c.dep_ == "amod" and c.tag_ == "JJS" for c in h.children)
    ):
        for ptext, ps, pe, label in reversed(history):
            if pe <= h.idx and label != "PERSON":
                return ptext, label
    return text, h.ent_type_ or None


def _resolve_pronoun(st: DocState, h: Token, kind: str, history: list[Mention]) -> tuple[str | None, str | None]:
    """ "he said", "it added": the last source of the pronoun's kind before it."""
    doc = h.doc
    matrix = _matrix_subject(st, h) if kind == "person" else None
    if matrix is not None:
        return resolve(st, matrix, history)
    for text, s, e, label in reversed(history):
        if s >= h.idx:
            continue
        if kind == "person" and label == "PERSON" or kind == "org" and label != "PERSON" or kind == "any":
            return text, label
    # no earlier source: the nearest entity of the right kind before it
    for ent in reversed([e for e in st.ents if e.end_char <= h.idx]):
        if kind == "person" and ent.label_ == "PERSON" or kind != "person" and ent.label_ in BODIES:
            return ent.text, ent.label_
    if kind != "person":
        # "The company sold 400 cars, it said": a body named by a common noun before it
        for t in reversed(doc[st.sent_of(h.i).start : h.i]):
            if t.pos_ == "NOUN" and t.lemma_.lower() in st.cues.generic_heads and t.dep_ in SUBJ:
                s, e = noun_phrase(st, t)
                return doc_text(doc)[s:e], None
    return None, None


def _matrix_subject(st: DocState, h: Token) -> Token | None:
    """ "One broker said he believed ...": a pronoun subject of the clause a verb of saying governs is
    that verb's own subject, when that is a noun naming no one in particular (a name is found
    through the history anyway)."""
    clause = h.head
    if h.dep_ != "nsubj" or clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in st.cues.verbs:
        return None
    outer = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    if outer is None or outer.pos_ != "NOUN" or outer.ent_type_ or outer.tag_ != "NN":
        return None
    # ("The candidate said he ..." points back to a name the history holds: only "one broker", "a
    # resident" name no one before them)
    if not any(c.dep_ == "nummod" or c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in outer.children):
        return None
    return outer


def _resolve_description(st: DocState, h: Token, history: list[Mention]) -> tuple[str, str | None] | None:
    """ "the ministry", "the governor": an earlier mention it could name, or None."""
    doc, cues = h.doc, st.cues
    head_word = h.lemma_.lower()
    if head_word not in cues.person_roles and head_word not in cues.unnamed_heads:
        # "Martin Ellis, Halifax chief economist, said ... the bank's prediction": the body of
        # the person who speaks last is the one meant, before any other bank named earlier
        last = next((x for x in reversed(history) if x[2] <= h.idx), None)
        if last is not None and last[3] == "PERSON":
            org = affiliations(st).get(last[0].split()[-1])
            if org:
                return org, "ORG"
    for ptext, ps, pe, label in reversed(history):
        # the bank named, or an earlier "the bank" already resolved: one chain of mentions
        # (a title just before the name counts: "Governor Alexander Pimentel" is "the governor")
        title = re.search(r"(\w+) $", doc_text(doc)[max(0, ps - 24) : ps])
        if pe <= h.idx and (
            head_word in normalise(ptext)
            or head_word in normalise(doc_text(doc)[ps:pe]).split()
            or title is not None
            and title.group(1).lower() == head_word
        ):
            return ptext, label
    if head_word in cues.person_roles:
        # "Mayor Ana Ruiz toured ... the mayor said": the person who bears the title
        for ent in reversed([x for x in st.ents if x.end_char <= h.idx and x.label_ == "PERSON"]):
            if ent.start and doc[ent.start - 1].lower_ == head_word:
                return ent.text, "PERSON"
    if head_word in cues.unnamed_heads or head_word in cues.person_roles:
        return None  # "the governor" is not the senator
    for ptext, ps, pe, label in reversed(history):
        # "the report" is the last body's; "the agency" may be the NIS named before, never Reuters' ministry
        if pe <= h.idx and label != "PERSON" and (head_word in cues.nouns or _could_name(st, head_word, ptext, label)):
            return ptext, label
    return None


def _could_name(st: DocState, head_word: str, name: str, label: str | None) -> bool:
    """Whether a description's head ("agency") could name an earlier source: a word of its
    name or of its acronym's long form, or its entity label, as models/cues.json lists them."""
    kinds = st.cues.description_antecedents
    allowed = kinds.get(head_word, kinds.get("_default", ()))
    words = normalise(name)
    long_form = st.acronyms.get(name.strip())
    if long_form:
        words += " " + normalise(long_form)
    words = f" {words} "
    return any(w == f"@{label}" if w.startswith("@") else f" {w} " in words for w in allowed)


def affiliations(st: DocState) -> dict[str, str]:
    """Surname -> organisation for people introduced with their body: "Martin Ellis, Halifax
    chief economist", "Jane Doe, a spokeswoman for the ministry" (only a named organisation)."""
    doc = st.doc
    found = doc.user_data.get("claim_affiliations")
    if found is not None:
        return found
    found = {}
    for ent in st.ents:
        if ent.label_ != "PERSON":
            continue
        for c in ent.root.children:
            if c.dep_ != "appos":
                continue
            orgs = [
                t
                for t in c.children
                if t.dep_ in ("compound", "amod", "poss", "nmod")
                and (t.ent_type_ == "ORG" or t.pos_ == "PROPN" and not t.ent_type_)
            ]
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("of", "for", "at"):
                    orgs += [t for t in p.children if t.dep_ == "pobj" and t.ent_type_ == "ORG"]
            if orgs:
                s, e = noun_phrase(st, orgs[0])
                found[ent.text.split()[-1]] = doc_text(doc)[s:e]
    doc.user_data["claim_affiliations"] = found
    return found


TICKER = re.compile(r"\s*<[A-Z0-9][A-Z0-9.]*(?:>|$)")


def wire_name(text: str) -> str:
    """A source's name without a wire's stock ticker or brackets: "Valero Energy Corp <VLO>" ->
    "Valero Energy Corp", "<Mrs Fields Inc>" -> "Mrs Fields Inc"; a bracket alone names no one."""
    if "<" not in text and ">" not in text:
        return text
    return re.sub(r"\s+", " ", TICKER.sub("", text).replace("<", "").replace(">", "")).strip()


def resolve_sources(st: DocState, cues: list[Cue]) -> list[Cue]:
    """Give every cue its source mention (`Cue.resolved`), back-references resolved in
    order; the cues with no source left out."""
    doc, lex = st.doc, st.cues
    history: list[Mention] = []
    everyone: list[Mention] = []  # the subjects of stances too
    for c in cues:
        if c.source is None:
            continue
        if c.weak and c.source.lower_ not in lex.pronouns:
            # a stance's subject is itself ("The army plans to deploy ..."), not a body named before
            s, e = noun_phrase(st, c.source)
            text, label = doc_text(doc)[s:e], c.source.ent_type_ or None
        else:
            text, label = resolve(
                st, c.antecedent if c.antecedent is not None else c.source, everyone if c.weak else history
            )
        text = wire_name(text) if text is not None else None
        if not text:
            c.source = None
            continue
        s, e = (
            (c.source.idx, c.source.idx + len(c.source))
            if c.source.lower_ in lex.pronouns or c.antecedent is not None
            else noun_phrase(st, c.source)
        )
        if c.carries and label is None and (c.source.is_upper or c.source.lower_ in st.surnames):
            label = "PERSON"  # a transcript's "WALLACE:" is a person, not a body "the council" points back to
        c.resolved = (text, s, e, label)
        everyone.append(c.resolved)
        if not c.weak:
            # (a stance's subject is no speaker a later "he said" points back to)
            history.append(c.resolved)
    return [c for c in cues if c.resolved]


# ------------------------------------------------------------ canonical names
def canonical(
    st: DocState, registry: Registry, text: str, label: str | None, acronyms: dict[str, str]
) -> tuple[str, str]:
    """The canonical name and type of a source as the article names it."""
    unnamed = st.cues.unnamed_heads
    key = text.strip()
    long_form = acronyms.get(key)
    for cand in (key, long_form):
        if cand:
            e = registry.lookup(cand)
            if e:
                return e.canonical, e.type
    # the long form of an acronym, or the acronym of a long form the text defines
    for acro, lf in acronyms.items():
        if normalise(lf) == normalise(key) or normalise(key).endswith(normalise(lf)):
            e = registry.lookup(acro)
            if e:
                return e.canonical, e.type
            return lf, source_type(lf, "ORG", unnamed)
    if long_form:
        return long_form, source_type(long_form, "ORG", unnamed)
    if label == "PERSON":
        # "Zelensky" -> the fullest name the article gives that person
        last = key.split()[-1] if key else key
        full = max(
            (e.text for e in st.ents if e.label_ == "PERSON" and e.text.split()[-1] == last), key=len, default=key
        )
        return full, "person"
    name = re.sub(r"^(?:the|The)\s+", "", key)
    return name, source_type(name, label, unnamed)


class Mentions:
    """The mentions of one Doc as a second opinion (pipeline/linker.py) may read them."""

    def __init__(self, st: DocState, registry: Registry):
        self.state, self.registry = st, registry
        self.cues: Cues = st.cues

    def span(self, h: Token) -> tuple[int, int]:
        """Character span of the noun phrase headed by h."""
        return noun_phrase(self.state, h)

    def plausible(self, h: Token) -> bool:
        return plausible(self.cues, h)

    def nameable(self, h: Token) -> bool:
        return nameable(h)

    def source_head(self, h: Token) -> Token:
        return source_head(self.cues, h)

    def own_subject(self, verb: Token) -> Token | None:
        return own_subject(verb)

    def resolve(self, h: Token, history: list[Mention]) -> tuple[str | None, str | None]:
        return resolve(self.state, h, history)

    def canonical(self, text: str, label: str | None, acronyms: dict[str, str]) -> tuple[str, str]:
        return canonical(self.state, self.registry, text, label, acronyms)

"""Attribution: who the article credits with each number.

The `claim_attribution` component finds reporting cues in the parse (verbs such
as "said" or "estimated" with their subject, "according to X", nominal cues such
as "X's estimate" or "a report by X", relays such as "X, citing Y"), gives each
cue the tokens it governs (its scope), and credits every quantity to the
innermost cue whose scope holds it. Quotations that run across sentences take
the cue that introduces or closes them. Pronouns and short back-references
("it said", "the agency added") are resolved to the source they refer to, while
`source_start`/`source_end` keep marking the mention itself.

Sets `doc._.attributions`, a list aligned with `doc._.quantities` holding an
`Attribution` or None (the article's own voice), and `doc.spans["sources"]`,
`doc.spans["cues"]`.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from spacy.attrs import LEMMA, LOWER, ORTH, POS
from spacy.language import Language
from spacy.strings import hash_string
from spacy.symbols import ADJ, AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from .doctext import doc_text
from .sources import Registry, acronyms_in, normalise, source_type

MODELS = Path(__file__).resolve().parent.parent / "models"


class Attribution(NamedTuple):
    source: str                 # the source as named in the article (pronouns resolved)
    source_start: int           # offsets of the mention the cue links to ("he" in "he said")
    source_end: int
    source_canonical: str
    source_type: str
    via: str | None             # relay: "Yonhap" in "Yonhap, citing the NIS"
    cue: str
    cue_start: int
    cue_end: int
    cue_token: int              # index of the cue's anchor token, for the dates stage
    cue_kind: str = "report"    # "stance" for a predicate of stance or intention ("X wants", "X rated")


@dataclass
class Cues:
    verbs: set[str]
    verbs_need_ccomp: set[str]
    nouns: set[str]
    according: list[str]
    citing: set[str]
    pronouns: dict[str, str]
    generic_heads: set[str]
    unnamed_heads: set[str]
    through: set[str]
    agent_nouns: set[str]
    carrying: set[str]
    speech_verbs: set[str]
    verbs_no_object: set[str]
    topic_shifts: set[str]
    revising: set[str]          # verbs that give a new figure for a "revised" noun: "raised the toll to 267"
    revised: set[str]
    stance_verbs: set[str] = field(default_factory=set)   # weaker tier: "X wants", "X rated", "X agreed"
    stance_nouns: set[str] = field(default_factory=set)   # "X's plan", "her decision to"
    stance_adjectives: set[str] = field(default_factory=set)  # "X is confident that", "proud of"
    stance_object_verbs: set[str] = field(default_factory=set)  # their object is content: "rated 32% of claims"
    stance_for_verbs: set[str] = field(default_factory=set)     # "called for", "asked for"
    stance_with_verbs: set[str] = field(default_factory=set)    # "charged two developers with defrauding"


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> Cues:
    d = json.loads(Path(path or MODELS / "cues.json").read_text(encoding="utf-8"))
    return Cues(set(d["verbs"]), set(d["verbs_need_ccomp"]), set(d["nouns"]), d["according"],
                set(d["citing"]), d["pronouns"], set(d["generic_heads"]), set(d["unnamed_heads"]),
                set(d["through"]), set(d["agent_nouns"]), set(d["carrying"]), set(d.get("speech_verbs", [])),
                set(d.get("verbs_no_object", [])), set(d.get("topic_shifts", [])),
                set(d.get("revising", [])), set(d.get("revised", [])), set(d.get("stance_verbs", [])),
                set(d.get("stance_nouns", [])), set(d.get("stance_adjectives", [])),
                set(d.get("stance_object_verbs", [])), set(d.get("stance_for_verbs", [])),
                set(d.get("stance_with_verbs", [])))


@dataclass
class _Cue:
    anchor: Token                   # verb, or the head the "according to" phrase hangs on
    cue_span: tuple[int, int]       # character offsets of the cue words
    source: Token | None            # head token of the source mention
    scope: set[int]                 # token indices the cue governs
    via: Token | None = None
    resolved: tuple[str, int, int, str | None] | None = None   # text, start, end, entity label
    chain: list = field(default_factory=list)
    aside: bool = False             # "..., according to X, 54 children": covers only what follows
    nominal: bool = False           # "X's estimate of 3,000": holds even inside someone's quotation
    carries: bool = False           # speaks on in the sentences after its own, like "said"
    antecedent: Token | None = None  # what a relative pronoun source ("X, who said") stands for
    weak: bool = False              # a stance predicate ("X wants", "X rated"): only where no report holds
    setting: set[int] = field(default_factory=set)   # "in a speech to 5,000 supporters": where it was said
    turn: bool = False              # a transcript's "PENCE:" opening a paragraph: speaks for all of it


SUBJ = ("nsubj", "nsubjpass", "csubj")
PERSON_ROLES = {"governor", "mayor", "minister", "president", "senator", "lawmaker", "leader", "chief",
                "candidate", "official", "analyst", "expert", "spokesman", "spokeswoman", "spokesperson"}
SAMPLED = {"poll", "survey", "study", "census"}          # "a survey of voters": who was asked
IN_DOCUMENT = {"poll", "survey", "study", "report", "analysis", "census", "estimate", "assessment", "count", "tally"}
VAGUE_ADJ = {"previous", "earlier", "recent", "other", "some", "many", "several", "various", "unconfirmed", "past",
             "latest", "prior", "conflicting", "initial", "early", "media", "news"}
FINDING = {"show", "find", "indicate", "suggest", "put", "estimate", "project", "reveal", "identify"}
PLACING = {"peg", "place", "have", "set", "value", "rank"}
# a stance verb's children that are not what it is about
NOT_CONTENT = {"nsubj", "nsubjpass", "agent", "aux", "auxpass", "neg", "punct", "cc", "conj", "advcl", "mark", "prt",
               "npadvmod", "dep", "expl"}
CIRCUMSTANCE = {"in", "on", "at", "during", "after", "before", "since", "with", "by", "through", "amid", "from", "into"}
UNSAID = {"decline", "refuse", "fail"}
ASPECTUAL = {"continue", "begin", "start", "appear", "seem", "happen", "go", "tend", "use", "proceed", "keep", "come",
             "manage", "repeat", "be"}
MODALS = {"would", "will", "could", "should", "might", "may", "can", "'d", "’d", "'ll", "’ll"}
PLAN_VERBS = {"call", "include", "require", "propose", "aim", "seek", "envision", "set", "cap", "cut", "raise"}
MEASURED = {"number", "numbers", "figure", "figures", "rating", "ratings", "polling"}
NUMERIC = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY"}
EXPLETIVE = {"it", "there", "this", "that", "which", "who", "what"}
RELATIVE = {"who", "which", "that"}
INTRODUCES = re.compile(r"[^.!?\n\"“”]*[:,]\s*")     # from a cue to the quotation it opens


class _DocIndex:
    """What the cue finders read of one Doc, worked out once per Doc.

    spaCy builds a new Span for every sentence or entity and a new Token for every
    index on each read, and `token.sent` walks the sentence; reading them per cue,
    per sentence and per quantity was most of this stage's time. The cue finders
    walk only the tokens that can start a cue of their kind, in order: the same
    tokens their first test lets through.
    """

    def __init__(self, doc: Doc, attributor: "Attributor"):
        self.doc = doc
        self.attributor = attributor

    @cached_property
    def sents(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def starts(self) -> list[int]:
        return [s.start for s in self.sents]

    @cached_property
    def ents(self) -> list[Span]:
        return list(self.doc.ents)

    @cached_property
    def surnames(self) -> set[str]:
        """The last words, lower-cased, of the people the entity recogniser finds."""
        doc = self.doc
        return {doc[e.end - 1].lower_ for e in self.ents if e.label_ == "PERSON"}

    def sent_of(self, i: int) -> Span:
        """The sentence of token i (what `doc[i].sent` gives)."""
        return self.sents[bisect_right(self.starts, i) - 1]

    def sent_text(self, sent: Span) -> str:
        # what `sent.text` gives: the Doc's text is the one it was made from
        return doc_text(self.doc)[sent.start_char:sent.end_char]

    @cached_property
    def candidates(self) -> dict[str, list[int]]:
        a = self.attributor
        rows = self.doc.to_array([POS, LOWER, LEMMA, ORTH]).tolist()
        # the lemmas of this Doc that the lexicons hold (looked up once per lemma), then their tokens
        in_doc, noun_lemmas = a._lemma_hashes({r[2] for r in rows}, self.doc)
        nouns, citing = a._noun_hashes, a._citing_hashes
        return {
            "verbs": [i for i, r in enumerate(rows) if r[0] == VERB or r[0] == AUX],
            "nouns": [i for i, r in enumerate(rows) if r[0] == NOUN and (r[1] in nouns or r[2] in noun_lemmas)],
            "in_document": [i for i, r in enumerate(rows) if r[2] in in_doc],
            "colons": [i for i, r in enumerate(rows) if r[3] == _COLON],
            "citing": [i for i, r in enumerate(rows) if r[1] in citing],
            "stance_nouns": [i for i, r in enumerate(rows) if r[0] == NOUN and (r[2] in a._stance_noun_hashes
                                                                               or r[1] in a._stance_noun_hashes)],
            # ("we are convinced that": a participle the tagger takes for a verb)
            "stance_adjectives": [i for i, r in enumerate(rows) if (r[0] == ADJ or r[0] == VERB)
                                  and r[1] in a._stance_adj_hashes],
        }

    def tokens(self, kind: str, sent: Span) -> list[Token]:
        """The candidate tokens of one kind in a sentence, in order."""
        idx = self.candidates[kind]
        doc = self.doc
        return [doc[i] for i in idx[bisect_left(idx, sent.start):bisect_left(idx, sent.end)]]


_COLON = hash_string(":")
# word forms remembered per Attributor: hot forms come back within a few articles, and a run of
# 10,000 articles meets ~50,000 lemmas, which would add a few MB to its peak memory
_MEMO_MAX = 20_000


class Attributor:
    def __init__(self, cues: Cues, registry: Registry, continue_paragraphs: bool = True, linker=None,
                 stance: bool = True):
        self.cues = cues
        self.stance = stance and bool(cues.stance_verbs)
        self.registry = registry
        self.continue_paragraphs = continue_paragraphs
        # optional learned second opinion (pipeline/linker.py): sees the rules' cues and choices
        self.linker = linker
        self._noun_hashes = {hash_string(w) for w in cues.nouns}
        self._citing_hashes = {hash_string(w) for w in cues.citing}
        self._stance_noun_hashes = {hash_string(w) for w in cues.stance_nouns}
        self._stance_adj_hashes = {hash_string(w) for w in cues.stance_adjectives}
        self._lemma_kind: dict[int, int] = {}     # lemma hash -> 1: in IN_DOCUMENT, 2: a cue noun
        self._ix: _DocIndex | None = None
        self._turns: set[int] = set()
        self._verb_forms: dict[tuple[int, int], str | None] = {}
        self._stance_forms: dict[tuple[int, int], str | None] = {}
        self._figure_verbs = {hash_string(w) for w in cues.revising | PLACING}

    def _lemma_hashes(self, lemmas: set[int], doc: Doc) -> tuple[set[int], set[int]]:
        """Of these lemma hashes, those whose lower-cased lemma is an in-document noun, a cue noun."""
        kinds, strings = self._lemma_kind, doc.vocab.strings
        if len(kinds) > _MEMO_MAX:
            kinds.clear()
        in_doc, nouns = set(), set()
        for h in lemmas:
            k = kinds.get(h)
            if k is None:
                low = strings[h].lower()
                k = kinds[h] = (low in IN_DOCUMENT) + 2 * (low in self.cues.nouns)
            if k & 1:
                in_doc.add(h)
            if k & 2:
                nouns.add(h)
        return in_doc, nouns

    def _cue_verb(self, t: Token) -> str | None:
        """The cue verb a verb token is a form of, or None (kept per word form: most verbs are no cue)."""
        return self._lexicon_verb(t, self.cues.verbs, self._verb_forms)

    def _stance_verb(self, t: Token) -> str | None:
        """The stance verb ("want", "rate", "agree") a verb token is a form of, or None."""
        return self._lexicon_verb(t, self.cues.stance_verbs, self._stance_forms)

    @staticmethod
    def _lexicon_verb(t: Token, lexicon: set[str], memo: dict) -> str | None:
        key = (t.lemma, t.lower)
        if key in memo:
            return memo[key]
        if len(memo) > _MEMO_MAX:
            memo.clear()
        lemma = t.lemma_.lower()
        if lemma not in lexicon:
            # the lemmatiser misses some forms ("hopes" -> "hop")
            lemma = re.sub(r"(?:e?s|ed)$", "", t.lower_)
            lemma = lemma if lemma in lexicon else lemma + "e"
            if lemma not in lexicon:
                lemma = None
        memo[key] = lemma
        return lemma

    def _index(self, doc: Doc) -> _DocIndex:
        ix = self._ix
        if ix is None or ix.doc is not doc:
            ix = self._ix = _DocIndex(doc, self)
        return ix

    # ------------------------------------------------------------ source phrases
    def _np(self, h: Token) -> tuple[int, int]:
        """Character span of the noun phrase headed by h: modifiers and 'of'-names, no clauses."""
        doc = h.doc
        ents = self._index(doc).ents
        if h.ent_type_ == "PERSON":
            for ent in ents:
                if ent.start <= h.i < ent.end:
                    s = ent.start_char
                    # spaCy splits hyphenated given names: "Adbul-Jabbar Mohsen"
                    m = re.search(r"[A-Z][\w']*-$", doc_text(doc)[max(0, s - 30):s])
                    return (s - len(m.group(0)) if m else s), ent.end_char
        left = h.i
        for c in h.lefts:
            if c.ent_type_ in ("ORDINAL", "DATE", "TIME"):
                continue            # "a second communique", "today's statement" name no one new
            if c.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "quantmod", "npadvmod") or (
                    c.dep_ == "det" and c.lower_ not in ("the", "a", "an", "this", "that", "these", "those")):
                left = min(left, min(t.i for t in c.subtree))
        # never across punctuation or a line break: "KHARTOUM, March 18 - Sudan"
        for i in range(h.i - 1, left - 1, -1):
            if (doc[i].is_punct and doc[i].text not in ("'s", "’s", "'", "’", ".", "&")) or "\n" in doc[i].text_with_ws:
                left = i + 1
                break
        right = h.i
        for c in h.rights:
            if c.dep_ == "case":
                right = max(right, c.i)
            elif c.dep_ == "prep" and c.lower_ in ("of", "for") and (h.is_title or h.ent_type_ or h.lower_ in self.cues.unnamed_heads):
                pobj = [t for t in c.children if t.dep_ == "pobj"]
                if pobj and (pobj[0].ent_type_ or pobj[0].is_title or pobj[0].is_upper):
                    right = max(right, max(t.i for t in pobj[0].subtree if t.dep_ not in ("appos", "relcl", "acl", "punct") or t.i < pobj[0].i))
            elif c.dep_ == "compound" or c.dep_ == "flat":
                right = max(right, c.i)
        while right > h.i and doc[right].is_punct:
            right -= 1
        span = doc[left:right + 1]
        s, e = span.start_char, span.end_char
        for ent in ents:
            if ent.start <= h.i < ent.end and ent.label_ in ("ORG", "GPE", "NORP", "FAC"):
                s, e = min(s, ent.start_char), max(e, ent.end_char)
        # the entity recogniser sometimes runs into "(ACRONYM": the name stops before the bracket
        cut = doc_text(doc).find("(", s, e)
        if cut > s:
            e = s + len(doc_text(doc)[s:cut].rstrip())
        # an entity that ran on into a preposition: "the ministry on (Friday)"; a possessor's "'s"
        e = s + len(re.sub(r"\s+(?:on|in|at|of|for|to)$|(?<=\w)(?:['’]s?)$", "", doc_text(doc)[s:e]))
        # "United States Geological Survey (USGS)": the defined long form is the name
        m = re.match(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)", doc_text(doc)[e:e + 14])
        if m is None:
            nxt = re.search(r"\(([A-Z][A-Za-z.&]{1,9})\)", doc_text(doc)[e:e + 60])
            m = nxt if nxt and re.fullmatch(r"[\w\s&'-]*", doc_text(doc)[e:e + nxt.start()]) else None
        if m is not None:
            lf = acronyms_in(doc_text(doc)[max(0, s - 80):e + m.end()]).get(m.group(1))
            if lf:
                k = doc_text(doc).rfind(lf, 0, e + m.end())
                if k != -1 and k <= s < k + len(lf) + 1:
                    s, e = k, k + len(lf)
        return s, e

    def _entity_label(self, h: Token) -> str | None:
        return h.ent_type_ or None

    def _plausible(self, h: Token) -> bool:
        """Whether a token can name a claimant: a person, body, pronoun or the like, not "savings"."""
        low, lemma = h.lower_, h.lemma_.lower()
        if h.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY"):
            return False
        if low in self.cues.pronouns or h.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC") or h.pos_ == "PROPN":
            return True
        if lemma in self.cues.nouns or low in self.cues.nouns:
            # "the report", "exit polls", "new fundraising reports" name a document; "previous reports" credits no one
            return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "its", "their", "a", "an") or c.dep_ == "poss"
                       or c.dep_ == "compound" or c.dep_ == "amod" and c.lower_ not in VAGUE_ADJ
                       for c in h.children)
        if {lemma, low} & (self.cues.generic_heads | self.cues.unnamed_heads | self.cues.agent_nouns):
            return True
        # "Lloyds insurance said": a body named by its modifier; "the country's largest lender said"
        return h.pos_ == "NOUN" and any(c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP")
                                        or c.dep_ == "amod" and c.tag_ == "JJS" for c in h.children)

    def _could_author(self, h: Token) -> bool:
        """Whether a noun can have written a document: a named body or person, or a word for one."""
        return h.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or h.pos_ == "PROPN" or h.lower_ in self.cues.pronouns \
            or bool({h.lemma_.lower(), h.lower_} & (self.cues.generic_heads | self.cues.unnamed_heads | self.cues.agent_nouns))

    @staticmethod
    def _nameable(h: Token) -> bool:
        """Whether a token can be a source once a verb of speech says so: any noun or name ("cement
        makers argue", "one pastor said"), but no number, date or empty word."""
        return h.pos_ in ("NOUN", "PROPN") and h.ent_type_ not in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY",
                                                                   "QUANTITY", "ORDINAL")

    def _source_head(self, h: Token) -> Token:
        """A nominal cue as subject ("the assessment by X", "X's estimate") points at X."""
        if h.lemma_.lower() in self.cues.through or (h.lemma_.lower() in ("spokesman", "spokeswoman", "spokesperson")):
            # "the final instalment of his review", "a spokesman for the ministry"
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                    pobj = [t for t in c.children if t.dep_ == "pobj"]
                    if pobj:
                        return self._source_head(pobj[0])
                if c.dep_ in ("compound", "poss", "nmod") and (c.ent_type_ in ("ORG", "GPE", "NORP") or c.pos_ == "PROPN") \
                        and h.lemma_.lower() != "official":
                    return c
        if h.lower_ in self.cues.nouns or h.lemma_ in self.cues.nouns:
            # "a survey of superdelegates" names who was asked, not who asked
            # "a POLITICO analysis of other data": a named author before the noun is who wrote it,
            # what follows "of" is then only what it looked at
            named = next((c for c in h.lefts if c.dep_ == "compound" and (c.ent_type_ or c.is_upper or c.is_title
                                                                             and not c.is_sent_start)
                          and c.ent_type_ not in ("DATE", "TIME")), None)
            authors = ("by", "from") if h.lemma_.lower() in SAMPLED or named is not None else ("by", "of", "from")
            for c in h.children:
                if c.dep_ == "poss":
                    return c
                if c.dep_ == "acl" and c.tag_ == "VBN":
                    # "a report released in September by the National Academies"
                    agent = next((x for a in c.children if a.dep_ == "agent" for x in a.children if x.dep_ == "pobj"), None)
                    if agent is not None and self._could_author(agent):
                        return self._source_head(agent)
                if c.dep_ == "prep" and c.lower_ in authors:
                    pobj = [t for t in c.children if t.dep_ == "pobj"]
                    # "an analysis of her calendar" looked at the calendar; "a report of the committee" is its;
                    # "a slide from the presentation" is part of a document, "files from NGP VAN" are its
                    if pobj and (c.lower_ == "by" or self._could_author(pobj[0])
                                 or c.lower_ == "from" and pobj[0].lemma_.lower() in self.cues.nouns):
                        return self._source_head(pobj[0])
            if named is not None:
                return named
        # a title with a named person in apposition: "the commander, General Oleksandr Syrskyi"
        if h.ent_type_ != "PERSON":
            for c in h.children:
                if c.dep_ == "appos" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN" and not c.ent_type_):
                    return c
        return h

    # ------------------------------------------------------------ cues
    def _verb_cues(self, sent: Span) -> list[_Cue]:
        out = []
        for t in self._index(sent.doc).tokens("verbs", sent):
            if t.pos_ not in ("VERB", "AUX") or t.tag_ == "VBN" and t.dep_ == "amod":
                continue             # "pledged delegates" is no report
            lemma = None
            if t.lemma in self._figure_verbs:
                low = t.lemma_.lower()
                if low in self.cues.revising and any(c.dep_ == "dobj" and c.lemma_.lower() in self.cues.revised
                                                     for c in t.children):
                    lemma = "put"        # "the agency raised the death toll to 267" gives the new figure
                elif low in PLACING and any(c.dep_ == "dobj" and (low not in ("have", "set") or c.pos_ == "PRON"
                                                                  or c.lemma_.lower() in self.cues.revised)
                                            for c in t.children) and any(
                        c.dep_ == "prep" and c.lower_ == "at" and any(x.like_num or x.ent_type_ in NUMERIC for x in c.subtree)
                        for c in t.children):
                    lemma = "put"        # "Bloomberg pegged him at $2.9 billion", "Wealth-X has it at $4.5 billion"
            if lemma is None:
                lemma = self._cue_verb(t)
            if lemma is None:
                continue
            if lemma in self.cues.verbs_need_ccomp and not any(c.dep_ in ("ccomp",) for c in t.children) \
                    and not any(c.dep_ == "dobj" and c.lower_ in self.cues.nouns for c in t.children):
                # "The headline reads: ..." introduces what follows the colon
                if lemma not in ("show", "put", "find", "point", "count", "record", "list") \
                        and not doc_text(sent.doc)[t.idx + len(t):t.idx + len(t) + 2].lstrip().startswith(":"):
                    continue
            if lemma in self.cues.verbs_no_object and any(c.dep_ == "dobj" and c.lower_ not in self.cues.nouns
                                                           for c in t.children):
                continue             # "cuts would add $1.5 trillion", "firms post 17% gains": no report
            subj = self._own_subject(t)
            if subj is None and t.dep_ in ("conj", "xcomp", "advcl") and t.head.pos_ in ("VERB", "AUX"):
                owner = t.head
                if t.tag_ == "VBG" and owner.dep_ == "ccomp" and owner.head.lemma_.lower() in self.cues.verbs:
                    # "Iran said its forces attacked, adding that ...": the parser hangs "adding" low
                    owner = owner.head
                subj = next((c for c in owner.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and t.dep_ == "pcomp":
                subj = self._subject(t)     # "rallied thousands by promising to impose 35 percent tariffs"
            if subj is None and t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN") \
                    and (any(c.dep_ == "ccomp" for c in t.children)
                         or lemma in FINDING
                         and t.tag_ == "VBG" and t.head.lemma_.lower() in self.cues.nouns):
                # "A Quinnipiac poll found that ...", parsed as a noun phrase with a clause; "a poll showing X at 14%"
                subj = t.head
            antecedent = None
            if subj is not None and subj.lower_ in RELATIVE and t.dep_ == "relcl" and t.head.pos_ in ("NOUN", "PROPN"):
                # "Gabriel Sherman, who reported that ...": the pronoun is the mention, its noun the source
                antecedent = t.head
                if antecedent.dep_ == "appos" and antecedent.head.ent_type_ == "PERSON":
                    antecedent = antecedent.head    # "said X, the party's director, who also said"
            elif subj is None or subj.lower_ in EXPLETIVE and subj.lower_ != "it" or subj.dep_ == "expl":
                continue
            if subj.lower_ == "it" and any(c.dep_ == "ccomp" and c.i > t.i for c in t.children) and t.tag_ == "VBN":
                continue
            head = self._source_head(antecedent if antecedent is not None else subj)
            # "Polls show ...", "records show": a document that finds speaks even without a determiner
            document = lemma in FINDING and head.lemma_.lower() in self.cues.nouns and head.tag_ in ("NNS", "NN") \
                and not any(c.dep_ == "amod" and c.lower_ in VAGUE_ADJ for c in head.children)
            # ("a hat that says ..." is no speaker: a thing speaks through "that" only when it could anyway)
            if not self._plausible(head) and not (lemma in self.cues.speech_verbs and self._nameable(head)
                                                  and (antecedent is None or subj.lower_ == "who")) \
                    and not document:
                continue
            content = next((c for c in t.children if c.dep_ == "ccomp" and c.i > t.i), None)
            # "X said in a speech to 5,000 supporters that ...": where and to whom X spoke is the
            # writer's account of the report, not what X reported
            # (a phrase before the verb may as well frame what is said: "In Miami, where two of ..., X said")
            setting = {x.i for c in t.children if c.dep_ == "prep" and content is not None
                       and t.i < c.i < content.left_edge.i for x in c.subtree}
            prospective = self._prospective(t)
            if t.dep_ == "xcomp" and t.head.lemma_.lower() in UNSAID:
                continue        # "X declined to comment on reports that ...": X has said nothing
            out.append(_Cue(t, (t.idx, t.idx + len(t)), subj if antecedent is not None else head,
                            self._scope(t, subj) - setting, antecedent=head if antecedent is not None else None,
                            weak=prospective, setting=setting))
        return out

    @staticmethod
    def _prospective(t: Token) -> bool:
        """Whether a report is yet to be made: 'X will announce plans', 'little point for Mexico to
        respond'. It says what X intends, a stance, not what X has said."""
        # ("went on to say", "appeared to confirm", "continued to report" are reports made)
        return any(c.dep_ == "aux" and (c.lower_ in ("will", "'ll", "’ll", "wo") or c.lower_ == "to" and t.tag_ == "VB"
                                        and t.head.lemma_.lower() not in ASPECTUAL)
                   for c in t.children)

    def _stance_cues(self, sent: Span, taken: set[int]) -> list[_Cue]:
        """'Clinton wants to sign up 5 million people', 'PolitiFact rated 32% of claims false': the
        subject of a predicate of stance, intention or appraisal holds its content, where no report
        does (`stance_verbs` in models/cues.json). The content is the clause the verb governs, what
        it is about ("talked about", "called for"), and for `stance_object_verbs` its object; not
        where, when, with what or by what means the subject acted ("defended the town with 40
        tanks", "Oil prices declined 3%" hold nothing)."""
        out = []
        for t in self._index(sent.doc).tokens("verbs", sent):
            if self._stance_verb(t) is None or t.i in taken or t.pos_ != "VERB" or t.tag_ == "VBN" and t.dep_ == "amod":
                continue
            content = self._stance_content(t)
            if not content:
                continue
            subj = self._subject(t)
            if subj is None or subj.dep_ == "expl" or subj.lower_ in EXPLETIVE and subj.lower_ != "it":
                continue
            head = self._source_head(subj)
            if not self._plausible(head):
                continue
            out.append(_Cue(t, (t.idx, t.idx + len(t)), head, content, weak=True))
        return out

    def _stance_content(self, t: Token) -> set[int]:
        lemma = self._stance_verb(t)
        if lemma in self.cues.stance_object_verbs:
            # "PolitiFact rated 32% of the claims as false, compared to 11%", "criticized X for shooting
            # a 40-year-old": all the verb governs but where, when and with what it was done
            parts = [c for c in t.children if c.dep_ not in NOT_CONTENT
                     and not (c.dep_ == "prep" and c.lower_ in CIRCUMSTANCE)]
        else:
            parts = [c for c in t.children if c.dep_ in ("ccomp", "xcomp")
                     or c.dep_ == "prep" and (c.lower_ in ("about", "of", "against")
                                              or c.lower_ == "for" and lemma in self.cues.stance_for_verbs
                                              or c.lower_ == "with" and lemma in self.cues.stance_with_verbs)
                     or c.dep_ == "dobj" and lemma in self.cues.stance_with_verbs
                     and any(x.dep_ == "prep" and x.lower_ == "with" for x in t.children)]
        # what comes before the verb frames the stance rather than being its content ("Non-callable for
        # three years, the issue is rated Ba-2 by Moody's"; "The war has gone on for 17 years; the Taliban wants")
        parts = [c for c in parts if c.i > t.i]
        scope = {x.i for c in parts for x in c.subtree}
        for c in parts:
            if c.dep_ in ("ccomp", "xcomp"):
                continue
            for x in c.subtree:
                if x.dep_ in ("relcl", "acl") and x.i != c.i and x.head.pos_ in ("NOUN", "PROPN"):
                    # "condemned the airstrike that killed 40 civilians": the writer says what it was
                    scope -= {y.i for y in x.subtree}
        return scope

    @staticmethod
    def _own_subject(t: Token) -> Token | None:
        """A verb's own subject: the agent of a passive, else its nsubj."""
        subj = None
        for c in t.children:
            if c.dep_ == "agent":
                subj = next((x for x in c.children if x.dep_ == "pobj"), subj)
            elif c.dep_ == "nsubj" and subj is None:
                subj = c
        return subj

    def _subject(self, t: Token) -> Token | None:
        """The subject of a verb: its own, or the one of the verb it hangs on ("agreed to pay",
        "by promising to impose", "candidates proposing")."""
        subj = self._own_subject(t)
        owner = t.head
        if subj is None and t.dep_ == "pcomp" and t.tag_ == "VBG" and owner.pos_ == "ADP":
            owner = owner.head
        if subj is None and t.dep_ in ("conj", "xcomp", "pcomp", "advcl") and owner.pos_ in ("VERB", "AUX"):
            subj = next((c for c in owner.children if c.dep_ == "nsubj"), None)
        if subj is None and t.dep_ == "acl" and t.tag_ == "VBG" and t.head.pos_ in ("NOUN", "PROPN"):
            subj = t.head
        return subj

    def _stance_adjective_cues(self, sent: Span) -> list[_Cue]:
        """'he was especially proud of his 20 years on the board', 'officials are confident that 300 ...':
        the subject of "be" with an adjective of stance (`stance_adjectives`) holds what the adjective
        governs, where no report does."""
        out = []
        for t in self._index(sent.doc).tokens("stance_adjectives", sent):
            if t.dep_ != "acomp":
                continue
            subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.lower_ in EXPLETIVE and subj.lower_ != "it":
                continue
            head = self._source_head(subj)
            if not self._plausible(head):
                continue
            scope = {x.i for x in t.subtree} - {t.i}
            if scope:
                out.append(_Cue(t, (t.idx, t.idx + len(t)), head, scope, weak=True))
        return out

    def _stance_noun_cues(self, sent: Span) -> list[_Cue]:
        """'his proposal to deport 11 million', 'Mrs. Clinton's plan would cap rates at 28 percent': the
        owner of a noun of intention or decision (`stance_nouns`) holds what the noun, or the clause
        it is the subject of, says, where no report does."""
        out = []
        for t in self._index(sent.doc).tokens("stance_nouns", sent):
            owner = next((c for c in t.children if c.dep_ == "poss"), None)
            if owner is None or not self._plausible(owner):
                continue
            scope = {x.i for x in t.subtree} - {x.i for x in owner.subtree} - {t.i}
            verb = t.head
            if t.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX") and (
                    any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children)
                    or verb.lemma_.lower() in PLAN_VERBS):
                # "Mrs. Clinton's plan would cap rates at 28 percent", "his plan calls for 28 percent";
                # not what befell the plan ("her plan failed after 300 protesters blocked the road")
                scope |= {x.i for c in verb.children if c.i != t.i and c.dep_ not in ("advcl", "relcl", "punct", "cc", "conj")
                          for x in c.subtree}
            if scope:
                out.append(_Cue(t, (t.idx, t.idx + len(t)), owner, scope, nominal=True, weak=True))
        return out

    def _scope(self, t: Token, subj: Token) -> set[int]:
        own = {x.i for x in t.subtree}
        excluded = {x.i for x in subj.subtree} - own
        scope = own - excluded
        # "..., X said." parsed with the content as the root and the cue hanging off it;
        # "As X reported, ..." governs the clause it is attached to
        as_clause = t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
        # "X reported on Thursday, coverage had risen to 55 percent": a cue with nothing of its own
        # hung before the clause it introduces
        before = t.i < t.head.i and not any(c.dep_ in ("dobj", "xcomp", "attr", "advcl") for c in t.children) \
            and any(x.is_punct and x.text in (",", ":") for x in t.doc[t.i + 1:t.head.i])
        if t.dep_ in ("parataxis",) or as_clause or (t.dep_ == "ccomp" and (t.i > t.head.i or before)
                                                     and t.head.lemma_.lower() not in self.cues.verbs and not any(
                c.dep_ == "ccomp" for c in t.children)):
            scope |= {x.i for x in t.head.subtree} - excluded
        elif t.dep_ == "ccomp" and t.i < t.head.i and t.right_edge.i + 1 < len(t.doc) \
                and t.doc[t.right_edge.i + 1].text == ":":
            # "A report noted that X: 70 percent believe ...": what follows the colon bears out the report
            scope |= {x.i for x in t.head.subtree} - excluded
        return scope

    def _according_cues(self, sent: Span) -> list[_Cue]:
        out = []
        text = self._index(sent.doc).sent_text(sent).lower()
        for phrase in self.cues.according:
            if phrase not in text:
                continue
            for m in re.finditer(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text):
                start = sent.start_char + m.start()
                end = sent.start_char + m.end()
                last = sent.doc.char_span(end - 1, end, alignment_mode="expand")
                if last is None:
                    continue
                prep = last[0]
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is None:
                    # the parser sometimes hangs the object elsewhere: take the next noun
                    pobj = next((x for x in sent.doc[prep.i + 1:min(sent.end, prep.i + 8)] if x.pos_ in ("NOUN", "PROPN")), None)
                if pobj is None:
                    continue
                head = sent.doc.char_span(start, start + 1, alignment_mode="expand")[0]
                anchor = head.head if head.head.i != head.i else head
                while anchor.pos_ in ("NOUN", "PROPN", "ADP", "ADV") and anchor.head.i != anchor.i and anchor.dep_ != "ROOT":
                    anchor = anchor.head
                src = self._source_head(pobj)
                # the frame itself credits its object: "according to recent polls"
                if not self._plausible(src) and not self._nameable(src):
                    continue
                phrase_tokens = {x.i for x in head.subtree} | {x.i for x in pobj.subtree}
                if anchor.dep_ == "ROOT" or anchor.i == head.i:
                    scope = set(range(sent.start, sent.end)) - phrase_tokens
                else:
                    scope = {x.i for x in anchor.subtree} - phrase_tokens
                if not any(not sent.doc[i].is_punct for i in scope - {anchor.i}):
                    # "..., including, according to X, 54 children": an aside covers what follows it
                    last_i = next((x.i for x in sent.doc[pobj.i:sent.end] if x.is_punct), max(phrase_tokens))
                    out.append(_Cue(anchor, (start, end), src, set(range(last_i + 1, sent.end)), aside=True))
                    continue
                out.append(_Cue(anchor, (start, end), src, scope))
        return out

    def _in_document_cues(self, sent: Span) -> list[_Cue]:
        """'In an NBC poll released Monday, 50 percent chose X': the poll is the source."""
        out = []
        for t in self._index(sent.doc).tokens("in_document", sent):
            if t.lemma_.lower() not in IN_DOCUMENT or t.dep_ != "pobj" or t.head.lower_ != "in":
                continue
            clause = t.head.head
            while clause.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and clause.dep_ != "ROOT" and clause.head.i != clause.i:
                clause = clause.head        # "held a 24-point lead among voters in a CNN poll": the poll frames the clause
            # "stated in a post": the statement's own cue already names the source
            if clause.pos_ not in ("VERB", "AUX") and clause.dep_ != "ROOT":
                continue            # a verbless headline-like sentence hangs on its root noun
            if clause.lemma_.lower() in self.cues.verbs and not self._counted_speakers(clause):
                continue            # ("In a poll, 79 percent of Democrats said ...": the poll counts the speakers)
            src = self._source_head(t)
            if not self._plausible(src):
                continue
            phrase = {x.i for x in t.head.subtree}
            scope = {x.i for x in clause.subtree} - phrase
            out.append(_Cue(clause, (t.head.idx, t.head.idx + len(t.head)), src, scope))
        return out

    @staticmethod
    def _counted_speakers(verb: Token) -> bool:
        """Whether a verb's subject is a share of respondents: "79 percent of Democrats said"."""
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subj is not None and any(x.like_num or x.ent_type_ == "PERCENT" for x in subj.subtree)

    def _noun_cues(self, sent: Span) -> list[_Cue]:
        """'Howard's claims of £35bn', 'an estimate by the UN of 3,000', 'Pentagon figures': the noun's owner."""
        out = []
        for t in self._index(sent.doc).tokens("nouns", sent):
            if t.pos_ != "NOUN" or not (t.lower_ in self.cues.nouns or t.lemma_.lower() in self.cues.nouns):
                continue
            src = self._source_head(t)
            if src.i == t.i or src.ent_type_ in ("DATE", "TIME") or not self._plausible(src):
                continue
            if t.lemma_.lower() in MEASURED and src.dep_ == "poss" and (
                    src.ent_type_ == "PERSON" or src.lower_ in ("his", "her", "he", "she")):
                continue            # "his favorability numbers", "her poll figures": measured of a person, not by one
            scope = {x.i for x in t.subtree} - {x.i for x in src.subtree}
            if t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_.lower() not in self.cues.verbs:
                # "The ministry's estimate is 3,000": what the noun's clause says
                scope |= {x.i for x in t.head.subtree} - {x.i for x in t.subtree}
            scope.discard(t.i)
            if scope:
                out.append(_Cue(t, (t.idx, t.idx + len(t)), src, scope, nominal=True))
        return out

    def _label_cues(self, sent: Span) -> list[_Cue]:
        """A speaker's label: 'More from Jones: “...”', 'Pollsters agree - Carl Bialik: “...”', and a
        transcript's 'MATTHEWS: Here is ...' at the start of a paragraph."""
        out = []
        doc = sent.doc
        for colon in self._index(doc).tokens("colons", sent):
            if colon.text != ":" or colon.i == sent.start:
                continue
            rest = doc_text(doc)[colon.idx + 1:colon.idx + 4].lstrip()
            quoted = rest[:1] in ("“", '"') or rest.startswith("''")
            head = doc[colon.i - 1]
            # the label runs back to the sentence start, a dash, or "from"
            first = colon.i - 1
            while first > sent.start and not (doc[first - 1].is_punct or doc[first - 1].lower_ == "from"
                                             or doc[first - 1].is_space):
                first -= 1
            at_start = first == sent.start or doc[first - 1].is_space
            if colon.i - first > 5 or not (quoted or at_start and colon.i - first <= 3):
                continue
            if not (head.ent_type_ in ("PERSON", "ORG", "NORP") or head.pos_ == "PROPN"
                    or head.lower_ in self.cues.nouns and any(c.dep_ == "det" for c in head.children)
                    # "Matthews: Here's ...": a transcript names the speaker by the surname the article gives
                    or at_start and colon.i - first == 1 and head.is_title | head.is_upper
                    and head.lower_ in self._index(doc).surnames):
                continue
            if any(t.pos_ in ("VERB", "AUX") for t in doc[first:colon.i]):
                continue            # "X said:" is a verb cue of its own
            scope = set(range(colon.i + 1, sent.end))
            text = doc_text(doc)
            opens = first == sent.start and (doc[first].idx == 0 or "\n" in text[max(0, doc[first].idx - 2):doc[first].idx])
            out.append(_Cue(colon, (colon.idx, colon.idx + 1), head, scope, carries=True, turn=opens))
        return out

    def _introducing_clauses(self, doc: Doc, quotes, cues: list[_Cue]) -> list[_Cue]:
        """'Trump, also on Twitter, defended his decision, "As I have stated ..."': a quotation
        hung on a clause with no reporting verb is spoken by that clause's subject."""
        out = []
        ix = self._index(doc)
        with_cue = {ix.sent_of(c.anchor.i).start for c in cues if not c.nominal and not c.weak}
        for qs, qe in quotes:
            if not re.search(r"[,:]\s*$", doc_text(doc)[max(0, qs - 3):qs]):
                continue
            before = doc.char_span(max(0, qs - 3), qs, alignment_mode="expand")
            if before is None:
                continue
            sent = ix.sent_of(before[0].i)
            # the clause before the quotation: the first verb up from the words before it
            verb = next((t for t in reversed(doc[sent.start:before[0].i + 1]) if t.pos_ == "VERB"
                         and any(c.dep_ == "nsubj" for c in t.children)), None)
            if sent.start in with_cue or verb is None:
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None or not (subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.pos_ == "PROPN"
                                    or subj.lower_ in self.cues.pronouns and subj.lower_ not in ("it", "its")):
                continue
            inside = doc.char_span(qs, qe, alignment_mode="expand")
            if inside is None:
                continue
            out.append(_Cue(verb, (verb.idx, verb.idx + len(verb)), self._source_head(subj),
                            {t.i for t in inside}))
        return out

    def _follows_cues(self, sent: Span) -> list[_Cue]:
        """'Partial transcript as follows:' -- the document named before 'as follows' speaks next."""
        m = re.search(r"(?i)\bas follows\s*:\s*$", self._index(sent.doc).sent_text(sent))
        if m is None:
            return []
        at = sent.start_char + m.start()
        head = next((t for t in reversed(sent) if t.idx < at and t.pos_ in ("NOUN", "PROPN")), None)
        if head is None:
            return []
        anchor = next((t for t in sent if t.idx >= at and t.lower_ == "follows"), head)
        return [_Cue(anchor, (at, sent.start_char + m.end() - len(m.group(0)) + len(m.group(0).rstrip())), head, set())]

    def _citing(self, cue: _Cue, sent: Span) -> None:
        """'X reported, citing Y': Y is the source, X the relay."""
        for t in self._index(sent.doc).tokens("citing", sent):
            if t.lower_ in self.cues.citing and t.i in cue.scope | {x.i for x in cue.anchor.subtree}:
                obj = next((c for c in t.children if c.dep_ in ("dobj", "pobj")), None)
                if obj is None:
                    prep = next((c for c in t.children if c.dep_ == "prep"), None)
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
                if obj is not None and cue.source is not None:
                    cue.via, cue.antecedent = cue.antecedent or cue.source, None
                    cue.source = self._source_head(obj)
                    return
        # "..., CNN reported the governor said": a speaker with nothing of their own to govern
        # is the original source of what the relay reports
        for t in cue.anchor.children:
            if t.dep_ == "ccomp" and t.i > cue.anchor.i and t.lemma_.lower() in self.cues.speech_verbs \
                    and all(c.dep_ in ("nsubj", "aux", "neg", "advmod", "punct") for c in t.children) \
                    and cue.source is not None and cue.scope - {x.i for x in t.subtree}:
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if subj is not None and (self._plausible(subj) or self._nameable(subj)):
                    cue.via, cue.source, cue.antecedent = cue.antecedent or cue.source, self._source_head(subj), None
                    return

    # ------------------------------------------------------------ back-references
    def _resolve(self, h: Token, history: list[tuple[str, int, int, str | None]], doc: Doc):
        """(text, label) for the source head h; pronouns and generic NPs take an earlier mention."""
        low = h.lower_
        kind = self.cues.pronouns.get(low)
        if kind is not None:
            for text, s, e, label in reversed(history):
                if s >= h.idx:
                    continue
                if kind == "person" and label == "PERSON" or kind == "org" and label != "PERSON" or kind == "any":
                    return text, label
            # no earlier source: the nearest entity of the right kind before it
            for ent in reversed([e for e in self._index(doc).ents if e.end_char <= h.idx]):
                if kind == "person" and ent.label_ == "PERSON" or kind != "person" and ent.label_ in ("ORG", "GPE", "NORP"):
                    return ent.text, ent.label_
            if kind != "person":
                # "The company sold 400 cars, it said": a body named by a common noun before it
                for t in reversed(doc[self._index(doc).sent_of(h.i).start:h.i]):
                    if t.pos_ == "NOUN" and t.lemma_.lower() in self.cues.generic_heads and t.dep_ in SUBJ:
                        s, e = self._np(t)
                        return doc_text(doc)[s:e], None
            return None, None
        s, e = self._np(h)
        text = doc_text(doc)[s:e]
        det = next((c.lower_ for c in h.children if c.dep_ == "det"), None)
        # "the ministry" points back to a body named before; "the candidates" are a source of their own
        is_generic = (h.lemma_.lower() in self.cues.generic_heads or low in self.cues.generic_heads) and det in ("the", "this", "that") \
            and h.tag_ != "NNS" \
            and not h.ent_type_ and not any(c.dep_ in ("compound", "poss", "amod") and (c.ent_type_ or c.is_title) for c in h.children)
        if is_generic:
            head_word = h.lemma_.lower()
            if head_word not in PERSON_ROLES and head_word not in self.cues.unnamed_heads:
                # "Martin Ellis, Halifax chief economist, said ... the bank's prediction": the body of
                # the person who speaks last is the one meant, before any other bank named earlier
                last = next((x for x in reversed(history) if x[2] <= h.idx), None)
                if last is not None and last[3] == "PERSON":
                    org = self._affiliations(doc).get(last[0].split()[-1])
                    if org:
                        return org, "ORG"
            for ptext, ps, pe, label in reversed(history):
                # the bank named, or an earlier "the bank" already resolved: one chain of mentions
                # (a title just before the name counts: "Governor Alexander Pimentel" is "the governor")
                title = re.search(r"(\w+) $", doc_text(doc)[max(0, ps - 24):ps])
                if pe <= h.idx and (head_word in normalise(ptext) or head_word in normalise(doc_text(doc)[ps:pe]).split()
                                    or title is not None and title.group(1).lower() == head_word):
                    return ptext, label
            if head_word in PERSON_ROLES:
                # "Mayor Ana Ruiz toured ... the mayor said": the person who bears the title
                for ent in reversed([x for x in self._index(doc).ents if x.end_char <= h.idx and x.label_ == "PERSON"]):
                    if ent.start and doc[ent.start - 1].lower_ == head_word:
                        return ent.text, "PERSON"
            for ptext, ps, pe, label in reversed(history):
                # "the agency" may be the NIS named before; "the governor" is not the senator
                if pe <= h.idx and label != "PERSON" and head_word not in self.cues.unnamed_heads \
                        and head_word not in PERSON_ROLES:
                    return ptext, label
        # "the UK's biggest mortgage lender said": a superlative description of a body named before
        if h.tag_ == "NN" and not h.ent_type_ and h.lemma_.lower() not in PERSON_ROLES \
                and any(c.dep_ == "amod" and c.tag_ == "JJS" for c in h.children):
            for ptext, ps, pe, label in reversed(history):
                if pe <= h.idx and label != "PERSON":
                    return ptext, label
        return text, h.ent_type_ or None

    def _affiliations(self, doc: Doc) -> dict[str, str]:
        """Surname -> organisation for people introduced with their body: "Martin Ellis, Halifax
        chief economist", "Jane Doe, a spokeswoman for the ministry" (only a named organisation)."""
        found = doc.user_data.get("claim_affiliations")
        if found is not None:
            return found
        found = {}
        for ent in self._index(doc).ents:
            if ent.label_ != "PERSON":
                continue
            for c in ent.root.children:
                if c.dep_ != "appos":
                    continue
                orgs = [t for t in c.children if t.dep_ in ("compound", "amod", "poss", "nmod")
                        and (t.ent_type_ == "ORG" or t.pos_ == "PROPN" and not t.ent_type_)]
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ in ("of", "for", "at"):
                        orgs += [t for t in p.children if t.dep_ == "pobj" and t.ent_type_ == "ORG"]
                if orgs:
                    s, e = self._np(orgs[0])
                    found[ent.text.split()[-1]] = doc_text(doc)[s:e]
        doc.user_data["claim_affiliations"] = found
        return found

    # ------------------------------------------------------------ quotes
    @staticmethod
    def _quotes(text: str) -> list[tuple[int, int]]:
        """Quotation spans. A quote still open at the end of a paragraph runs on when the next
        paragraph opens with a quote mark (how quotations over several paragraphs are written);
        otherwise it ends with its paragraph, so one stray mark cannot flip every quote after it."""
        spans, open_at, prev_end = [], None, 0
        for line in re.finditer(r"[^\n]+", text):
            # two apostrophes are a straight double quote in some wire styles: ''Golf is ...''
            marks = list(re.finditer(r"[“”\"]|''", line.group(0)))
            if open_at is not None:
                if marks and not line.group(0)[:marks[0].start()].strip() and marks[0].group(0) in ("“", '"', "''"):
                    marks = marks[1:]           # the quote goes on in this paragraph
                else:
                    spans.append((open_at, prev_end))
                    open_at = None
            for m in marks:
                ch, at, end = m.group(0).replace("''", '"'), line.start() + m.start(), line.start() + m.end()
                before, after = text[at - 1:at] if at else "", text[end:end + 1]
                opens = ch == "“" or ch == '"' and (not before or before.isspace() or before in "([—–-") \
                    and after != "" and not after.isspace()
                closes = ch == "”" or ch == '"' and not opens
                if open_at is None:
                    if opens or ch == '"':
                        open_at = at
                elif closes:
                    spans.append((open_at, end))
                    open_at = None
                elif not re.search(r"[.?!]\s$", text[max(0, at - 2):at]):
                    # a mark that opens while a quote is open: the close was lost; a new quote
                    # after a sentence end is the next paragraph of the same quotation
                    spans.append((open_at, at))
                    open_at = at
            prev_end = line.end()
        if open_at is not None:
            spans.append((open_at, prev_end))
        return spans

    # ------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> list[Attribution | None]:
        try:
            return self._attributions(doc)
        finally:
            self._ix = None             # holds the Doc: not past its article

    def _attributions(self, doc: Doc) -> list[Attribution | None]:
        quantities = doc._.quantities or []
        cues: list[_Cue] = []
        ix = self._index(doc)
        for sent in ix.sents:
            sent_cues = self._verb_cues(sent) + self._according_cues(sent) + self._in_document_cues(sent)
            sent_cues += self._noun_cues(sent)
            sent_cues = sent_cues or self._follows_cues(sent)
            sent_cues += self._label_cues(sent)
            if self.stance:
                sent_cues += self._stance_cues(sent, {c.anchor.i for c in sent_cues}) + self._stance_noun_cues(sent) \
                    + self._stance_adjective_cues(sent)
            for c in sent_cues:
                self._citing(c, sent)
            cues.extend(sent_cues)
        quotes = self._quotes(doc_text(doc))
        cues += self._introducing_clauses(doc, quotes, cues)
        cues.sort(key=lambda c: c.cue_span[0])
        acronyms = acronyms_in(doc_text(doc))
        history: list[tuple[str, int, int, str | None]] = []
        everyone: list[tuple[str, int, int, str | None]] = []     # the subjects of stances too
        for c in cues:
            if c.source is None:
                continue
            if c.weak and c.source.lower_ not in self.cues.pronouns:
                # a stance's subject is itself ("The army plans to deploy ..."), not a body named before
                s, e = self._np(c.source)
                text, label = doc_text(doc)[s:e], c.source.ent_type_ or None
            else:
                text, label = self._resolve(c.antecedent if c.antecedent is not None else c.source,
                                            everyone if c.weak else history, doc)
            if text is None:
                c.source = None
                continue
            s, e = (c.source.idx, c.source.idx + len(c.source)) \
                if c.source.lower_ in self.cues.pronouns or c.antecedent is not None else self._np(c.source)
            if c.carries and label is None and (c.source.is_upper or c.source.lower_ in ix.surnames):
                label = "PERSON"        # a transcript's "WALLACE:" is a person, not a body "the council" points back to
            c.resolved = (text, s, e, label)
            everyone.append(c.resolved)
            if not c.weak:
                # (a stance's subject is no speaker a later "he said" points back to)
                history.append(c.resolved)
        cues = [c for c in cues if c.resolved]
        out: list[Attribution | None] = []
        carried: dict[int, _Cue | None] = {}     # sentence start -> the cue that speaks in it
        sents = ix.sents
        turn: _Cue | None = None                 # the speaker's label that opened this paragraph
        self._turns = turns = set()              # sentences a turn speaks in
        for k, sent in enumerate(sents):
            new_paragraph = k and "\n" in doc_text(doc)[sents[k - 1].end_char - 1:sent.start_char]
            if new_paragraph:
                turn = None
            # a noun cue ("X's estimate of 3,000") speaks only within its own phrase
            own = [c for c in cues if sent.start <= c.anchor.i < sent.end and not c.nominal and not c.weak]
            turn = next((c for c in own if c.turn), turn)
            if turn is not None and own and own[-1] is not turn:
                # "PENCE: ... Mark Cuban has been saying ... But he has 650 employees": in a transcript's
                # turn the speaker of the label speaks on after a report quoted in it
                carried[sent.start] = turn
                turns.add(sent.start)
                continue
            if turn is not None and own:
                turns.add(sent.start)
            prev_colon = k and sents[k - 1].start in carried and ix.sent_text(sents[k - 1]).rstrip().endswith(":")
            if prev_colon and not own:
                # "X said:" followed by a quotation or transcript in the next paragraph, which X speaks
                # as a turn of a transcript
                carried[sent.start] = carried[sents[k - 1].start]
                if new_paragraph:
                    turn = carried[sent.start]
                    turns.add(sent.start)
                continue
            if own:
                # only reported speech carries on into the next sentence
                last = own[-1]
                stext = ix.sent_text(sent)
                quoted = sum(min(b, sent.end_char) - max(a, sent.start_char) for a, b in quotes
                             if a < sent.end_char and b > sent.start_char)
                if quoted > 0.5 * len(stext) and not stext.rstrip().endswith(":"):
                    # '"...," she added.': the quotation holds all she said; the writer goes on
                    continue
                if last.anchor.lemma_.lower() in self.cues.carrying or last.carries or stext.rstrip().endswith(":") or \
                        "according" in self.cues.carrying and doc_text(doc)[last.cue_span[0]:last.cue_span[1]].lower() in self.cues.according:
                    carried[sent.start] = own[-1]
            elif k and self.continue_paragraphs and not new_paragraph \
                    and sents[k - 1].start in carried and not re.search(r"[“”\"]", ix.sent_text(sent)) \
                    and not self._shifts_topic(sent) and (turn is not None or (
                        not self._new_actor(sent, carried[sents[k - 1].start])
                        and not any(c.weak and not c.nominal and sent.start <= c.anchor.i < sent.end for c in cues))):
                # (one who wants, rates or agrees in the sentence acts in the writer's account: no report goes
                # on; in a transcript's turn the speaker speaks of others)
                # ("Meanwhile, ...", "Similarly, ..." turn to another matter in the writer's voice)
                # a sentence with no cue goes on with the report of the one before, within a paragraph
                carried[sent.start] = carried[sents[k - 1].start]
                if turn is not None:
                    turns.add(sent.start)
        prev_end = -1
        for q in quantities:
            conversion = re.fullmatch(r"\s*(?:[^\W\d]+\.?\s*){0,2}\(\s*(?:(?:the\s+)?equivalent\s+(?:of|to)\s+|i\.e\.,?\s+|or\s+)?",
                                      doc_text(doc)[prev_end:q.start]) if prev_end >= 0 else None
            # "9 km (about six miles)": the writer's conversion, in the article's own voice
            out.append(None if conversion else self._attribute(q, doc, cues, quotes, acronyms, carried))
            prev_end = q.end
        if self.linker is not None:
            # the linker was trained on the report cues alone
            out = self.linker.relink(self, doc, quantities, out, [c for c in cues if not c.weak], quotes, acronyms,
                                     carried)
        return out

    def _attribute(self, q, doc: Doc, cues: list[_Cue], quotes, acronyms, carried) -> Attribution | None:
        span = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
        if span is None:
            return None
        ti = span.root.i
        sent = self._index(doc).sent_of(ti)
        holding = [c for c in cues if ti in c.scope and not (c.resolved[1] <= q.num_start < c.resolved[2])]
        weak = sorted((c for c in holding if c.weak), key=lambda c: len(c.scope))
        holding = [c for c in holding if not c.weak]
        holding.sort(key=lambda c: len(c.scope))
        chosen = holding[0] if holding else None
        via = None
        if chosen is not None and len(holding) > 1 and chosen.source is not None \
                and chosen.source.lower_ in self.cues.pronouns and holding[1].source is not None \
                and holding[1].source.lower_ not in self.cues.pronouns \
                and chosen.resolved[0].split()[-1:] == holding[1].resolved[0].split()[-1:]:
            # "Weaver says he's expecting two ...": one speaker; the named mention is the one that says it
            chosen = holding[1]
        elif chosen is not None and len(holding) > 1 and holding[1].resolved[0] != chosen.resolved[0]:
            outer = holding[1]
            if outer.anchor.i != chosen.anchor.i:
                if self._unauthored(chosen) and not self._unauthored(outer) and outer.anchor.i < chosen.anchor.i and any(
                        c.dep_ == "ccomp" and chosen.anchor in c.subtree for c in outer.anchor.children):
                    # "The AP reported that, according to an analysis of her calendar, 85 ...": a document
                    # no one is named for is the evidence of the one who reports it
                    chosen = outer
                elif self._is_media(chosen) and not self._is_media(outer):
                    # "X indicates ..., as reported by Yonhap": the outlet relays X's claim
                    chosen, via = outer, chosen.resolved[0]
                else:
                    via = outer.resolved[0]
        # inside a quotation the speaker who introduces or closes it wins over cues quoted inside it
        for qs, qe in quotes:
            if qs <= q.start < qe:
                # the speaker stands outside every quotation, not inside another one nearby
                near = [c for c in cues if not any(a <= c.cue_span[0] < b for a, b in quotes) and not c.nominal and not c.weak and
                        (0 <= c.cue_span[0] - qe <= 120 or 0 <= qs - c.cue_span[1] <= 120)]
                # a cue of the quotation's own paragraph before one across a paragraph break
                text = doc_text(doc)
                near = [c for c in near if "\n" not in (text[qe:c.cue_span[0]] if c.cue_span[0] >= qe
                                                        else text[c.cue_span[1]:qs])] or near
                if near and (chosen is None or qs <= chosen.cue_span[0] < qe and not chosen.nominal):
                    # 'X told reporters: "..."', '"...," said X, "..."': the cue that opens the quotation,
                    # within its sentence, wins over one that follows it
                    opening = [c for c in near if 0 <= qs - c.cue_span[1]
                               and INTRODUCES.fullmatch(doc_text(doc)[c.cue_span[1] - 1:qs])]
                    chosen = max(opening, key=lambda c: c.cue_span[1]) if opening else \
                        min(near, key=lambda c: min(abs(c.cue_span[0] - qe), abs(qs - c.cue_span[1])))
                    via = None
                break
        if chosen is None:
            same = [c for c in cues if sent.start <= c.anchor.i < sent.end and not (c.resolved[1] <= q.start < c.resolved[2])
                    and c.anchor.pos_ in ("VERB", "AUX") and c.anchor.i > ti
                    and not c.aside and not c.nominal and c.antecedent is None and not c.weak and ti not in c.setting]
            if same:
                chosen = min(same, key=lambda c: abs(c.anchor.i - ti))
        after_colon = self._after_colon(doc, sent, carried)
        reported = carried.get(sent.start) if chosen is None and (after_colon or not any(
            sent.start <= c.anchor.i < sent.end and not c.nominal and not c.weak for c in cues)) else None
        if chosen is None and weak and not (reported is not None and (sent.start in self._turns or after_colon)):
            # no report of this sentence speaks here: the innermost stance holding the number (its
            # subject acts in the sentence, so a report carried from before does not reach in; but
            # "X said:" and a transcript's "PENCE:" speak all that follows them)
            chosen = weak[0]
        if chosen is None:
            chosen = reported
        if chosen is None:
            return None
        text, s, e, label = chosen.resolved
        if chosen.via is not None and via is None:
            via = doc_text(doc).__getitem__(slice(*self._np(chosen.via)))
        canonical, stype = self.canonical(text, label, acronyms, doc)
        cs, ce = chosen.cue_span
        return Attribution(text, s, e, canonical, stype, via, doc_text(doc)[cs:ce], cs, ce, chosen.anchor.i,
                           "stance" if chosen.weak else "report")

    def _shifts_topic(self, sent: Span) -> bool:
        """Whether the sentence opens with a turn to the writer's own account ("Meanwhile, ...",
        "As a result, ...")."""
        head = doc_text(sent.doc)[sent.start_char:sent.start_char + 40].lower()
        return any(head.startswith(p) and not head[len(p):len(p) + 1].isalnum() for p in self.cues.topic_shifts)

    @staticmethod
    def _new_actor(sent: Span, cue: _Cue | None) -> bool:
        """Whether a named person other than the speaker acts in the sentence ("He adds that ...
        Al-Awlaki extols Nidal Hasan, who killed 13 people"): the writer narrates again."""
        if cue is None or not cue.resolved:
            return False
        subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.ent_type_ != "PERSON":
            return False
        return subj.text not in cue.resolved[0]

    def _after_colon(self, doc: Doc, sent: Span, carried) -> bool:
        ix = self._index(doc)
        prev = ix.sent_of(sent.start - 1) if sent.start > 0 else None
        return prev is not None and prev.start in carried and ix.sent_text(prev).rstrip().endswith(":")

    def _unauthored(self, cue: _Cue) -> bool:
        """Whether a cue's source is a document with no author named: "an analysis", "data"."""
        h = cue.source
        return h is not None and cue.antecedent is None and not h.ent_type_ and h.pos_ == "NOUN" \
            and h.lemma_.lower() in self.cues.nouns

    def _is_media(self, cue: _Cue) -> bool:
        e = self.registry.lookup(cue.resolved[0])
        if e is not None:
            return e.type == "media"
        return bool(re.search(r"(?i)\b(news|agency|times|post|journal|tv|television|radio|newspaper|press|channel)\b",
                              cue.resolved[0])) and "intelligence" not in cue.resolved[0].lower()

    def canonical(self, text: str, label: str | None, acronyms: dict[str, str], doc: Doc) -> tuple[str, str]:
        key = text.strip()
        long_form = acronyms.get(key)
        for cand in (key, long_form):
            if cand:
                e = self.registry.lookup(cand)
                if e:
                    return e.canonical, e.type
        # the long form of an acronym, or the acronym of a long form the text defines
        for acro, lf in acronyms.items():
            if normalise(lf) == normalise(key) or normalise(key).endswith(normalise(lf)):
                e = self.registry.lookup(acro)
                if e:
                    return e.canonical, e.type
                return lf, source_type(lf, "ORG", self.cues.unnamed_heads)
        if long_form:
            return long_form, source_type(long_form, "ORG", self.cues.unnamed_heads)
        if label == "PERSON":
            # "Zelensky" -> the fullest name the article gives that person
            last = key.split()[-1] if key else key
            full = max((e.text for e in self._index(doc).ents if e.label_ == "PERSON" and e.text.split()[-1] == last),
                       key=len, default=key)
            return full, "person"
        name = re.sub(r"^(?:the|The)\s+", "", key)
        return name, source_type(name, label, self.cues.unnamed_heads)


if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


@Language.factory("claim_attribution", default_config={"cues": None, "sources": None, "continue_paragraphs": True,
                                                       "linker": None, "linker_mode": "null_only",
                                                       "linker_threshold": None, "stance": True})
def make_attribution(nlp: Language, name: str, cues: str | None, sources: str | None, continue_paragraphs: bool,
                     linker: str | None, linker_mode: str, linker_threshold: float | None, stance: bool):
    return AttributionComponent(name, cues, sources, continue_paragraphs, linker, linker_mode, linker_threshold, stance)


class AttributionComponent:
    def __init__(self, name: str = "claim_attribution", cues: str | None = None, sources: str | None = None,
                 continue_paragraphs: bool = True, linker: str | None = None, linker_mode: str = "null_only",
                 linker_threshold: float | None = None, stance: bool = True):
        self.name = name
        registry = Registry.load(*([sources] if sources else []))
        self.attributor = Attributor(load_cues(cues), registry, continue_paragraphs, stance=stance)
        if linker and linker_mode != "off":
            from .linker import Linker
            self.attributor.linker = Linker.load(linker, linker_mode, linker_threshold)

    def __call__(self, doc: Doc) -> Doc:
        atts = self.attributor(doc)
        doc._.attributions = atts
        seen_s, seen_c, srcs, cues = set(), set(), [], []
        for a in atts:
            if a is None:
                continue
            for (s, e, label, acc, seen) in ((a.source_start, a.source_end, "SOURCE", srcs, seen_s),
                                              (a.cue_start, a.cue_end, "CUE", cues, seen_c)):
                sp = doc.char_span(s, e, label=label, alignment_mode="expand")
                if sp is not None and (sp.start, sp.end) not in seen:
                    seen.add((sp.start, sp.end))
                    acc.append(sp)
        doc.spans["sources"] = srcs
        doc.spans["cues"] = cues
        return doc

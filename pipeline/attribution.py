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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
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


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> Cues:
    d = json.loads(Path(path or MODELS / "cues.json").read_text(encoding="utf-8"))
    return Cues(set(d["verbs"]), set(d["verbs_need_ccomp"]), set(d["nouns"]), d["according"],
                set(d["citing"]), d["pronouns"], set(d["generic_heads"]), set(d["unnamed_heads"]),
                set(d["through"]), set(d["agent_nouns"]), set(d["carrying"]))


@dataclass
class _Cue:
    anchor: Token                   # verb, or the head the "according to" phrase hangs on
    cue_span: tuple[int, int]       # character offsets of the cue words
    source: Token | None            # head token of the source mention
    scope: set[int]                 # token indices the cue governs
    via: Token | None = None
    resolved: tuple[str, int, int, str | None] | None = None   # text, start, end, entity label
    chain: list = field(default_factory=list)


SUBJ = ("nsubj", "nsubjpass", "csubj")
IN_DOCUMENT = {"poll", "survey", "study", "report", "analysis", "census", "estimate", "assessment", "count", "tally"}
VAGUE_ADJ = {"previous", "earlier", "recent", "other", "some", "many", "several", "various", "unconfirmed", "past",
             "latest", "prior", "conflicting", "initial", "early", "media", "news"}
EXPLETIVE = {"it", "there", "this", "that", "which", "who", "what"}


class Attributor:
    def __init__(self, cues: Cues, registry: Registry, continue_paragraphs: bool = True):
        self.cues = cues
        self.registry = registry
        self.continue_paragraphs = continue_paragraphs

    # ------------------------------------------------------------ source phrases
    def _np(self, h: Token) -> tuple[int, int]:
        """Character span of the noun phrase headed by h: modifiers and 'of'-names, no clauses."""
        doc = h.doc
        if h.ent_type_ == "PERSON":
            for ent in doc.ents:
                if ent.start <= h.i < ent.end:
                    s = ent.start_char
                    # spaCy splits hyphenated given names: "Adbul-Jabbar Mohsen"
                    m = re.search(r"[A-Z][\w']*-$", doc_text(doc)[max(0, s - 30):s])
                    return (s - len(m.group(0)) if m else s), ent.end_char
        left = h.i
        for c in h.lefts:
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
        for ent in doc.ents:
            if ent.start <= h.i < ent.end and ent.label_ in ("ORG", "GPE", "NORP", "FAC"):
                s, e = min(s, ent.start_char), max(e, ent.end_char)
        # the entity recogniser sometimes runs into "(ACRONYM": the name stops before the bracket
        cut = doc_text(doc).find("(", s, e)
        if cut > s:
            e = s + len(doc_text(doc)[s:cut].rstrip())
        # an entity that ran on into a preposition: "the ministry on (Friday)"
        e = s + len(re.sub(r"\s+(?:on|in|at|of|for|to)$", "", doc_text(doc)[s:e]))
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
        return False

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
            for c in h.children:
                if c.dep_ == "poss":
                    return c
                if c.dep_ == "prep" and c.lower_ in ("by", "of", "from"):
                    pobj = [t for t in c.children if t.dep_ == "pobj"]
                    if pobj:
                        return self._source_head(pobj[0])
            for c in h.lefts:
                if c.dep_ == "compound" and (c.ent_type_ or c.is_title) and c.ent_type_ not in ("DATE", "TIME"):
                    return c
        # a title with a named person in apposition: "the commander, General Oleksandr Syrskyi"
        if h.ent_type_ != "PERSON":
            for c in h.children:
                if c.dep_ == "appos" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN" and not c.ent_type_):
                    return c
        return h

    # ------------------------------------------------------------ cues
    def _verb_cues(self, sent: Span) -> list[_Cue]:
        out = []
        for t in sent:
            if t.pos_ not in ("VERB", "AUX") or t.tag_ == "VBN" and t.dep_ == "amod":
                continue             # "pledged delegates" is no report
            lemma = t.lemma_.lower()
            if lemma not in self.cues.verbs:
                # the lemmatiser misses some forms ("hopes" -> "hop")
                lemma = re.sub(r"(?:e?s|ed)$", "", t.lower_)
                lemma = lemma if lemma in self.cues.verbs else lemma + "e"
                if lemma not in self.cues.verbs:
                    continue
            if lemma in self.cues.verbs_need_ccomp and not any(c.dep_ in ("ccomp",) for c in t.children) \
                    and not any(c.dep_ == "dobj" and c.lower_ in self.cues.nouns for c in t.children):
                if lemma not in ("show", "put", "find", "point", "count", "record", "list"):
                    continue
            subj = None
            for c in t.children:
                if c.dep_ == "agent":
                    pobj = [x for x in c.children if x.dep_ == "pobj"]
                    if pobj:
                        subj = pobj[0]
                elif c.dep_ in ("nsubj",) and subj is None:
                    subj = c
            if subj is None and t.dep_ in ("conj", "xcomp", "advcl") and t.head.pos_ in ("VERB", "AUX"):
                subj = next((c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.lower_ in EXPLETIVE and subj.lower_ != "it" or subj.dep_ == "expl":
                continue
            if subj.lower_ == "it" and any(c.dep_ == "ccomp" and c.i > t.i for c in t.children) and t.tag_ == "VBN":
                continue
            head = self._source_head(subj)
            if not self._plausible(head):
                continue
            out.append(_Cue(t, (t.idx, t.idx + len(t)), head, self._scope(t, subj)))
        return out

    def _scope(self, t: Token, subj: Token) -> set[int]:
        excluded = {x.i for x in subj.subtree}
        scope = {x.i for x in t.subtree} - excluded
        # "..., X said." parsed with the content as the root and the cue hanging off it
        if t.dep_ in ("parataxis",) or (t.dep_ == "ccomp" and t.i > t.head.i and not any(
                c.dep_ == "ccomp" for c in t.children)):
            scope |= {x.i for x in t.head.subtree} - excluded
        return scope

    def _according_cues(self, sent: Span) -> list[_Cue]:
        out = []
        text = sent.text.lower()
        for phrase in self.cues.according:
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
                if not self._plausible(src):
                    continue
                phrase_tokens = {x.i for x in head.subtree} | {x.i for x in pobj.subtree}
                if anchor.dep_ == "ROOT" or anchor.i == head.i:
                    scope = set(range(sent.start, sent.end)) - phrase_tokens
                else:
                    scope = {x.i for x in anchor.subtree} - phrase_tokens
                out.append(_Cue(anchor, (start, end), src, scope))
        return out

    def _in_document_cues(self, sent: Span) -> list[_Cue]:
        """'In an NBC poll released Monday, 50 percent chose X': the poll is the source."""
        out = []
        for t in sent:
            if t.lemma_.lower() not in IN_DOCUMENT or t.dep_ != "pobj" or t.head.lower_ != "in":
                continue
            clause = t.head.head
            # "stated in a post": the statement's own cue already names the source
            if clause.pos_ not in ("VERB", "AUX") or clause.lemma_.lower() in self.cues.verbs:
                continue
            src = self._source_head(t)
            if not self._plausible(src):
                continue
            phrase = {x.i for x in t.head.subtree}
            scope = {x.i for x in clause.subtree} - phrase
            out.append(_Cue(clause, (t.head.idx, t.head.idx + len(t.head)), src, scope))
        return out

    def _citing(self, cue: _Cue, sent: Span) -> None:
        """'X reported, citing Y': Y is the source, X the relay."""
        for t in sent:
            if t.lower_ in self.cues.citing and t.i in cue.scope | {x.i for x in cue.anchor.subtree}:
                obj = next((c for c in t.children if c.dep_ in ("dobj", "pobj")), None)
                if obj is None:
                    prep = next((c for c in t.children if c.dep_ == "prep"), None)
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
                if obj is not None and cue.source is not None:
                    cue.via = cue.source
                    cue.source = self._source_head(obj)
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
            for ent in reversed([e for e in doc.ents if e.end_char <= h.idx]):
                if kind == "person" and ent.label_ == "PERSON" or kind != "person" and ent.label_ in ("ORG", "GPE", "NORP"):
                    return ent.text, ent.label_
            if kind != "person":
                # "The company sold 400 cars, it said": a body named by a common noun before it
                for t in reversed(doc[h.sent.start:h.i]):
                    if t.pos_ == "NOUN" and t.lemma_.lower() in self.cues.generic_heads and t.dep_ in SUBJ:
                        s, e = self._np(t)
                        return doc_text(doc)[s:e], None
            return None, None
        s, e = self._np(h)
        text = doc_text(doc)[s:e]
        det = next((c.lower_ for c in h.children if c.dep_ == "det"), None)
        is_generic = (h.lemma_.lower() in self.cues.generic_heads or low in self.cues.generic_heads) and det in ("the", "this", "that") \
            and not h.ent_type_ and not any(c.dep_ in ("compound", "poss", "amod") and (c.ent_type_ or c.is_title) for c in h.children)
        if is_generic:
            head_word = h.lemma_.lower()
            for ptext, ps, pe, label in reversed(history):
                if pe <= h.idx and head_word in normalise(ptext):
                    return ptext, label
            for ptext, ps, pe, label in reversed(history):
                if pe <= h.idx and label != "PERSON" and head_word not in self.cues.unnamed_heads:
                    return ptext, label
        return text, h.ent_type_ or None

    # ------------------------------------------------------------ quotes
    @staticmethod
    def _quotes(text: str) -> list[tuple[int, int]]:
        spans, open_at = [], None
        for m in re.finditer(r"[“”\"]", text):
            ch = m.group(0)
            if open_at is None and ch in "“\"":
                open_at = m.start()
            elif open_at is not None and ch in "”\"":
                spans.append((open_at, m.end()))
                open_at = None
        return spans

    # ------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> list[Attribution | None]:
        quantities = doc._.quantities or []
        cues: list[_Cue] = []
        for sent in doc.sents:
            sent_cues = self._verb_cues(sent) + self._according_cues(sent) + self._in_document_cues(sent)
            for c in sent_cues:
                self._citing(c, sent)
            cues.extend(sent_cues)
        cues.sort(key=lambda c: c.cue_span[0])
        acronyms = acronyms_in(doc_text(doc))
        history: list[tuple[str, int, int, str | None]] = []
        for c in cues:
            if c.source is None:
                continue
            text, label = self._resolve(c.source, history, doc)
            if text is None:
                c.source = None
                continue
            s, e = (c.source.idx, c.source.idx + len(c.source)) if c.source.lower_ in self.cues.pronouns else self._np(c.source)
            c.resolved = (text, s, e, label)
            history.append((text, s, e, label))
        cues = [c for c in cues if c.resolved]
        quotes = self._quotes(doc_text(doc))
        out: list[Attribution | None] = []
        carried: dict[int, _Cue | None] = {}     # sentence start -> the cue that speaks in it
        sents = list(doc.sents)
        for k, sent in enumerate(sents):
            own = [c for c in cues if sent.start <= c.anchor.i < sent.end]
            prev_colon = k and sents[k - 1].start in carried and sents[k - 1].text.rstrip().endswith(":")
            if prev_colon and not own:
                # "X said:" followed by a quotation or transcript in the next paragraph
                carried[sent.start] = carried[sents[k - 1].start]
                continue
            if own:
                # only reported speech carries on into the next sentence
                last = own[-1]
                if last.anchor.lemma_.lower() in self.cues.carrying or sent.text.rstrip().endswith(":") or \
                        doc_text(doc)[last.cue_span[0]:last.cue_span[1]].lower() in self.cues.according:
                    carried[sent.start] = own[-1]
            elif k and self.continue_paragraphs and "\n" not in doc_text(doc)[sents[k - 1].end_char - 1:sent.start_char] \
                    and sents[k - 1].start in carried and not re.search(r"[“”\"]", sent.text):
                # a sentence with no cue goes on with the report of the one before, within a paragraph
                carried[sent.start] = carried[sents[k - 1].start]
        prev_end = -1
        for q in quantities:
            conversion = re.fullmatch(r"\s*\(\s*", doc_text(doc)[prev_end:q.start]) if prev_end >= 0 else None
            # "9 km (about six miles)": the writer's conversion, in the article's own voice
            out.append(None if conversion else self._attribute(q, doc, cues, quotes, acronyms, carried))
            prev_end = q.end
        return out

    def _attribute(self, q, doc: Doc, cues: list[_Cue], quotes, acronyms, carried) -> Attribution | None:
        span = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
        if span is None:
            return None
        ti = span.root.i
        sent = span.root.sent
        holding = [c for c in cues if ti in c.scope and not (c.resolved[1] <= q.num_start < c.resolved[2])]
        holding.sort(key=lambda c: len(c.scope))
        chosen = holding[0] if holding else None
        via = None
        if chosen is not None and len(holding) > 1 and holding[1].resolved[0] != chosen.resolved[0]:
            outer = holding[1]
            if outer.anchor.i != chosen.anchor.i:
                if self._is_media(chosen) and not self._is_media(outer):
                    # "X indicates ..., as reported by Yonhap": the outlet relays X's claim
                    chosen, via = outer, chosen.resolved[0]
                else:
                    via = outer.resolved[0]
        # inside a quotation the speaker who introduces or closes it wins over cues quoted inside it
        for qs, qe in quotes:
            if qs <= q.start < qe:
                near = [c for c in cues if not (qs <= c.cue_span[0] < qe) and
                        (0 <= c.cue_span[0] - qe <= 120 or 0 <= qs - c.cue_span[1] <= 120)]
                if near and (chosen is None or qs <= chosen.cue_span[0] < qe):
                    chosen = min(near, key=lambda c: min(abs(c.cue_span[0] - qe), abs(qs - c.cue_span[1])))
                    via = None
                break
        if chosen is None:
            same = [c for c in cues if sent.start <= c.anchor.i < sent.end and not (c.resolved[1] <= q.start < c.resolved[2])
                    and c.anchor.pos_ in ("VERB", "AUX") and c.anchor.i > ti]
            if same:
                chosen = min(same, key=lambda c: abs(c.anchor.i - ti))
        if chosen is None and (not any(sent.start <= c.anchor.i < sent.end for c in cues) or self._after_colon(doc, sent, carried)):
            chosen = carried.get(sent.start)
        if chosen is None:
            return None
        text, s, e, label = chosen.resolved
        if chosen.via is not None and via is None:
            via = doc_text(doc).__getitem__(slice(*self._np(chosen.via)))
        canonical, stype = self.canonical(text, label, acronyms, doc)
        cs, ce = chosen.cue_span
        return Attribution(text, s, e, canonical, stype, via, doc_text(doc)[cs:ce], cs, ce, chosen.anchor.i)

    @staticmethod
    def _after_colon(doc: Doc, sent: Span, carried) -> bool:
        prev = doc[sent.start - 1].sent if sent.start > 0 else None
        return prev is not None and prev.start in carried and prev.text.rstrip().endswith(":")

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
            full = max((e.text for e in doc.ents if e.label_ == "PERSON" and e.text.split()[-1] == last),
                       key=len, default=key)
            return full, "person"
        name = re.sub(r"^(?:the|The)\s+", "", key)
        return name, source_type(name, label, self.cues.unnamed_heads)


if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


@Language.factory("claim_attribution", default_config={"cues": None, "sources": None, "continue_paragraphs": True})
def make_attribution(nlp: Language, name: str, cues: str | None, sources: str | None, continue_paragraphs: bool):
    return AttributionComponent(name, cues, sources, continue_paragraphs)


class AttributionComponent:
    def __init__(self, name: str = "claim_attribution", cues: str | None = None, sources: str | None = None,
                 continue_paragraphs: bool = True):
        self.name = name
        registry = Registry.load(*([sources] if sources else []))
        self.attributor = Attributor(load_cues(cues), registry, continue_paragraphs)

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

"""What a number counts: its `unit` and its `counted` noun, read from the parse of its sentence.

ANNOTATION.md ("What a number counts"): people affected by violence, disaster or
disease are counted by what happened to them (`killed`, `wounded`, `casualties`,
`missing`, `displaced`, `arrested`, `cases` ...), read from

* the verb of which the counted phrase is subject or object ("40 people were
  killed", "killed 40 and wounded 100", "injured 25", "were killed or wounded"
  -> casualties), and what a verb says of its object ("lost their lives");
* the noun or adjective next to the number ("40 dead", "1,000 wounded", "40
  deaths", "25 wounded people", "100 North Koreans killed");
* the toll or tally the number is the value of ("the death toll rose to 65",
  "the number of cases rose to 58", "put the toll at 120", "casualties ...
  exceeded 200", "the death of at least 50 people");
* an apposition or an inclusion ("20 bodies ..., eleven women and nine men";
  "the 36 infected included 26 soldiers").

Other things are counted by their noun (head of the phrase: "five interest rate
rises" counts rises), money by its ISO code (`currency_names`: "Sudanese pounds"
-> sdg), and a number that names nothing takes what the number before it in its
sentence counts ("fell to 77,000 from 85,000"). The counted noun itself
("children", "soldiers") is returned beside the unit.

The word lists are data in models/counts.json, checked when loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from .constants import NEAR, PLACES, WHERE
from .constants import NOMINAL_SUBJ as SUBJ
from .doctext import ents_in
from .lexicons import LexiconError, cached_per_file, check_keys, read_json

QUALIFYING_PREPS = ("over", "about", "around", "nearly", "almost", "up", "some", "under", "than")
SCALE_WORDS = ("million", "billion", "trillion", "mln", "bln", "bn", "m", "b", "k", "thousand", "hundred")
LEVEL_PREPS = ("to", "at", "from", "of", "around", "near", "above", "over", "by")


@dataclass(frozen=True)
class Counting:
    """The lexicon of models/counts.json."""

    event_units: dict
    combine: list
    verbs: dict
    moved_verbs: frozenset
    verb_objects: dict
    nouns: dict
    adjectives: dict
    containers: frozenset
    group_nouns: frozenset
    measure_after: dict
    measure_before: dict
    score_verbs: frozenset
    bare_nouns: frozenset
    people_nouns_only: frozenset
    people_only_verbs: frozenset
    people_nouns: frozenset
    person_suffixes: tuple
    currency_names: dict
    regexes: dict = field(default_factory=dict, compare=False, hash=False)


# the shape of each key of counts.json (lexicons.SHAPES), and the keys a file must have
SHAPES = {
    "event_units": "str->object",
    "combine": "objects",
    "verbs": "str->str",
    "moved_verbs": "words",
    "verb_objects": "str->object",
    "nouns": "str->str",
    "adjectives": "str->str",
    "containers": "words",
    "group_nouns": "object",
    "measure_after": "str->str",
    "measure_before": "str->str",
    "score_verbs": "words",
    "bare_nouns": "words",
    "people_nouns_only": "words",
    "people_only_verbs": "words",
    "people_nouns": "words",
    "person_suffixes": "words",
    "currency_names": "str->object",
}
REQUIRED = ("event_units", "verbs", "nouns", "adjectives", "verb_objects", "containers", "currency_names")


def _check(data: dict, path) -> dict:
    """The lexicon without its comments, once its keys and their shapes are known
    (lexicons.check_keys) and every unit a list maps to is a known one, so a typo fails at load."""
    data = check_keys(data, path, SHAPES, REQUIRED)
    events = set(data["event_units"])
    for name, entry in data["event_units"].items():
        if not {"means", "gdelt", "acled"} <= set(entry):
            raise LexiconError(f"{path}: event unit {name!r} needs means, gdelt and acled")
    for key in ("verbs", "adjectives"):
        bad = {w: u for w, u in data[key].items() if u not in events}
        if bad:
            raise LexiconError(f"{path}: {key} map to units not in event_units: {bad}")
    for verb, objs in data["verb_objects"].items():
        bad = {w: u for w, u in objs.items() if u not in events}
        if bad:
            raise LexiconError(f"{path}: verb_objects[{verb!r}] maps to unknown units: {bad}")
    for c in data.get("combine", []):
        if not set(c["all"]) | {c["gives"]} <= events:
            raise LexiconError(f"{path}: combine {c} names units not in event_units")
    for word, cur in data["currency_names"].items():
        codes = [cur.get("default"), *cur.get("places", {}).values()]
        if not all(isinstance(x, str) and re.fullmatch(r"[a-z]{3}", x) for x in codes):
            raise LexiconError(f"{path}: currency {word!r} needs lower-case ISO 4217 codes")
    for key in ("nouns", "measure_after", "measure_before"):
        if not all(isinstance(k, str) and isinstance(v, str) and v for k, v in data.get(key, {}).items()):
            raise LexiconError(f"{path}: {key} must map words to unit names")
    return data


@cached_per_file("counts.json", maxsize=4)
def load_counting(path: str) -> Counting:
    """The lexicon of `path` (models/counts.json by default), checked."""
    path = Path(path)
    data = _check(read_json(path), path)
    after = "|".join(re.escape(w) for w in sorted(data.get("measure_after", {}), key=len, reverse=True))
    before = "|".join(re.escape(w) for w in sorted(data.get("measure_before", {}), key=len, reverse=True))
    return Counting(
        event_units=data["event_units"],
        combine=data.get("combine", []),
        verbs=data["verbs"],
        moved_verbs=frozenset(data.get("moved_verbs", [])),
        verb_objects=data["verb_objects"],
        nouns=data["nouns"],
        adjectives=data["adjectives"],
        containers=frozenset(data["containers"]),
        group_nouns=frozenset(data.get("group_nouns", {})),
        measure_after=data.get("measure_after", {}),
        measure_before=data.get("measure_before", {}),
        score_verbs=frozenset(data.get("score_verbs", [])),
        currency_names=data["currency_names"],
        bare_nouns=frozenset(data.get("bare_nouns", [])),
        people_nouns_only=frozenset(data.get("people_nouns_only", [])),
        people_only_verbs=frozenset(data.get("people_only_verbs", [])),
        people_nouns=frozenset(data.get("people_nouns", [])),
        person_suffixes=tuple(data.get("person_suffixes", [])),
        regexes={
            "after": re.compile(rf"(?i)^\s*(?:{after})\b") if after else None,
            "before": re.compile(rf"(?i)\b(?:{before})\s*(?:of\s+)?$") if before else None,
            "score": re.compile(r"^\s?[–-]\s?\d{1,3}(?!\d|[.,]\d)"),
            "score_before": re.compile(r"(?<![\d,.])\d{1,3}\s?[–-]\s?$"),
        },
    )


def event_vocabulary(path: str | None = None) -> dict:
    """unit -> {means, gdelt, acled}: the controlled vocabulary of event counts (for docs/schema.md)."""
    return dict(load_counting(path).event_units)


# ------------------------------------------------------------------------------------ the parse


def nominal(t: Token) -> bool:
    """A noun, or a plural noun the tagger took for a verb in a noun's place ('five rate rises are')."""
    return t.pos_ in ("NOUN", "PROPN") or (
        t.tag_ == "VBZ" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr") and t.lower_.endswith("s")
    )


def number_token(doc: Doc, start: int, end: int) -> Token | None:
    """The token that stands for the number at doc text [start, end): the top of its number tokens."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    q = nums[-1] if nums else span[-1]
    while q.head.i != q.i and q.head in span:
        q = q.head
    return q


class WordUnits:
    """What the words of counts.json say, one word (or the few next to a number) at a time: the
    unit a verb, a noun, a currency word, a measure or a score gives, and whether a noun names
    people. Holds nothing of any one Doc."""

    def __init__(self, lex: Counting | None = None):
        self.lex = lex or load_counting()

    # -- words ---------------------------------------------------------------------------------
    def _lemma(self, t: Token) -> str:
        return t.lemma_.lower()

    def is_people(self, n: Token | None) -> bool:
        """Whether a counted noun names people: 'villagers', 'Iraqis', not 'villages'."""
        if n is None:
            return True
        lem = self._lemma(n)
        return (
            lem in self.lex.people_nouns
            or n.lower_ in self.lex.people_nouns
            or n.ent_type_ == "NORP"
            or lem.endswith(self.lex.person_suffixes)
            or (
                lem.endswith(("er", "or"))
                and n.tag_ == "NNS"
                and not lem.endswith(("order", "water", "meter", "center"))
            )
        )

    def verb_unit(self, v: Token, counted: Token | None = None) -> str | None:
        lem = self._lemma(v)
        if lem in self.lex.people_only_verbs and not self.is_people(counted):
            return None
        if lem in self.lex.moved_verbs:
            return "displaced" if any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) else None
        unit = self.lex.verbs.get(lem) or self.lex.verbs.get(v.lower_)
        if unit is None and (v.pos_ == "ADJ" or v.tag_ in ("VBG", "VBN")):
            unit = self.lex.adjectives.get(v.lower_)  # 'are missing', 'were hospitalised'
        if unit is None:
            objs = self.lex.verb_objects.get(lem, {})
            for c in v.children:
                if c.dep_ in ("dobj", "acomp", "oprd", "attr") and (objs.get(self._lemma(c)) or objs.get(c.lower_)):
                    return objs.get(self._lemma(c)) or objs.get(c.lower_)
        return unit

    def noun_unit(self, n: Token) -> str | None:
        lem, low = self._lemma(n), n.lower_
        comp = [c for c in n.children if c.dep_ == "compound"]
        if comp and f"{comp[-1].lower_} {low}" in self.lex.nouns:
            return self.lex.nouns[f"{comp[-1].lower_} {low}"]
        unit = self.lex.nouns.get(lem) or self.lex.nouns.get(low)
        if unit and lem in self.lex.bare_nouns and any(c.dep_ in ("amod", "compound") for c in n.children):
            return None  # 'public bodies' are no dead
        if unit and (lem in self.lex.people_nouns_only or low in self.lex.people_nouns_only):
            whose = [
                g
                for c in n.children
                if c.dep_ == "prep" and c.lower_ in ("of", "among")
                for g in c.children
                if g.dep_ == "pobj"
            ] + [c for c in n.children if c.dep_ in ("amod", "compound", "poss")]
            if not any(w.ent_type_ == "NORP" or (w.pos_ in ("NOUN", "PROPN") and self.is_people(w)) for w in whose):
                return None  # 'a 756 mln franc loss' is money
        return unit

    def _combine(self, units: list[str]) -> str | None:
        found = [u for u in dict.fromkeys(units) if u]
        for c in self.lex.combine:
            if set(c["all"]) <= set(found):
                return c["gives"]
        return found[0] if found else None

    # -- money ---------------------------------------------------------------------------------
    def currency(self, doc: Doc, word: Token) -> str | None:
        """ISO code of a currency word ('pounds', 'reais', 'Sudanese pounds', 'shillings' in an article
        about Uganda), or None when the word is no currency."""
        entry = self.lex.currency_names.get(word.lower_) or self.lex.currency_names.get(self._lemma(word))
        if entry is None or (entry.get("plural_only") and word.tag_ != "NNS"):
            return None
        scaled = any(t.lower_ in SCALE_WORDS for t in doc[max(0, word.i - 3) : word.i])
        if (
            entry.get("also_weight")
            and not scaled
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in word.children)
        ):
            return None  # 'half a pound of butter' weighs
        places = entry.get("places", {})
        mods = [c for c in word.children if c.dep_ in ("amod", "compound", "nmod")]
        for m in mods:
            phrase = " ".join(t.lower_ for t in doc[min(t.i for t in m.subtree) : m.i + 1])
            for key in (phrase, m.lower_):
                if key in places:
                    return places[key]
        if entry.get("context") and places:
            counts = doc.user_data.get("newsclaims.place_counts")
            if counts is None:
                counts = {}
                for e in doc.ents:  # NER may call 'Ugandan' an ORG
                    if e.label_ in PLACES or e.label_ == "ORG":
                        k = e.text.lower().removeprefix("the ")
                        counts[k] = counts.get(k, 0) + 1
                doc.user_data["newsclaims.place_counts"] = counts
            found = sorted(((n, places[k]) for k, n in counts.items() if k in places), reverse=True)
            if found:
                return found[0][1]
        return entry.get("default")

    # -- the words around a number ---------------------------------------------------------------
    def measure(self, text: str, start: int, end: int) -> str | None:
        """A measure the words around the number name: 'aged 28', '6.9 on the Richter scale'."""
        rx = self.lex.regexes
        m = rx["after"].match(text[end : end + 40]) if rx["after"] else None
        if m:
            return self.lex.measure_after[re.sub(r"\s+", " ", m.group(0).strip().lower())]
        m = rx["before"].search(text[max(0, start - 20) : start]) if rx["before"] else None
        if m:
            word = re.sub(r"\s+of$", "", m.group(0).strip().lower()).strip()
            return self.lex.measure_before.get(word)
        return None

    def is_score(self, doc: Doc, text: str, start: int, end: int) -> bool:
        """'defeated Caboolture 43–5': two numbers joined by a dash in a clause of winning or losing."""
        rx = self.lex.regexes
        if not (rx["score"].match(text[end : end + 6]) or rx["score_before"].search(text[max(0, start - 6) : start])):
            return False
        q = number_token(doc, start, end)
        if q is None:
            return False
        t = q
        for _ in range(5):
            if self._lemma(t) in self.lex.score_verbs:
                return True
            if t.head.i == t.i:
                break
            t = t.head
        return any(self._lemma(w) in self.lex.score_verbs for w in doc[max(0, q.i - 6) : q.i])


class CountedPhrase(WordUnits):
    """The phrase a number heads, from the parse: the noun it counts, the container or coordination
    it sits in ('the number of casualties', 'killed ..., and one worker'), and the nouns joined to
    its own ('81 brigades and battalions')."""

    def counted_noun(self, q: Token) -> Token | None:
        """The noun the number counts: its head ('40 people'), what follows 'of' ('3,000 of them',
        '12 of the state's delegates')."""
        if (
            q.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "npadvmod")
            and q.head.pos_ in ("NOUN", "PROPN")
            and q.head.i > q.i
        ):
            n = q.head
            while n.dep_ in ("compound", "nmod", "amod") and nominal(n.head) and n.head.i > n.i and n.head.i - q.i <= 4:
                n = n.head  # '53 measles related deaths', 'five rate rises'
            return n
        last = None
        for t in q.doc[q.i + 1 : q.i + 5]:  # a misparsed '21 confirmed cases', 'four oil sites'
            if t.pos_ == "NOUN" and t.tag_ in ("NNS", "NN") and t.dep_ != "npadvmod":
                last = t
                if t.tag_ == "NNS" or t.dep_ != "compound":
                    break
            elif t.tag_ not in ("VBN", "JJ") or last is not None:
                break
        if last is not None:
            return last
        of = [c for c in q.children if c.dep_ == "prep" and c.lower_ == "of"]
        if of:
            objs = [c for c in of[0].children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
        return None

    def _phrase_head(self, q: Token, noun: Token | None) -> Token:
        """The token whose relation to the clause says what happened: the counted noun, climbing through
        containers ('the number of casualties', 'a total of 40 people') and coordinations."""
        p = noun if noun is not None and noun.head.i != q.i and noun.head.head.i != q.i else q
        for _ in range(4):
            if p.dep_ == "pobj" and p.head.lower_ == "of" and self._lemma(p.head.head) in self.lex.containers:
                p = p.head.head
            elif p.dep_ == "conj" and p.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
                p = p.head
            elif (
                p.dep_ == "conj"
                and p.head.pos_ == "VERB"
                and p.pos_ in ("NOUN", "PROPN", "NUM")
                and any(c.dep_ in SUBJ for c in p.head.children)
            ):
                p = next(c for c in p.head.children if c.dep_ in SUBJ)  # 'were injured ..., and one worker'
            else:
                break
        return p

    def _unwrap(self, n: Token) -> Token:
        """'the number of casualties' -> casualties."""
        for _ in range(2):
            if self._lemma(n) in self.lex.containers:
                inner = [
                    g
                    for c in n.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children
                    if g.dep_ == "pobj"
                ]
                if inner:
                    n = inner[0]
                    continue
            break
        return n

    def _coordinated(self, noun: Token) -> str | None:
        """'81 brigades and battalions', '220 tanks and armoured personnel carriers': one number counts
        nouns joined to its own when they have no number of their own."""
        conj = [
            c
            for c in noun.children
            if c.dep_ == "conj"
            and c.pos_ == "NOUN"
            and c.tag_ == "NNS"
            and not any(g.dep_ == "nummod" or g.like_num for g in c.subtree)
        ]
        if not conj or not any(c.dep_ == "cc" and c.lower_ in ("and", "or") for c in noun.children):
            return None
        end = conj[0]
        if end.i - noun.i > 6 or any(t.is_punct for t in noun.doc[noun.i : end.i]):
            return None
        return noun.doc[noun.i : end.i + 1].text.lower()


class CountReader(CountedPhrase):
    """Reads `(unit, counted)` for the numbers of one Doc: what the parse around a number says
    happened to what it counts (the words' units come from `WordUnits`, the phrase around the number from
    `CountedPhrase`)."""

    def __init__(self, lex: Counting | None = None):
        super().__init__(lex)
        self.prev_unit = None

    # -- events of a verb ---------------------------------------------------------------------
    def events_of(self, v: Token, counted: Token | None = None, with_conj: bool = True) -> str | None:
        """What a verb and the verbs chained to it say happened: 'were killed or wounded' -> casualties,
        'are believed to have been killed', 'have been confirmed killed', 'left 42 people dead'."""
        units, todo, seen = [], [v], set()
        while todo and len(seen) < 8:
            w = todo.pop(0)
            if w.i in seen:
                continue
            seen.add(w.i)
            units.append(self.verb_unit(w, counted))
            for c in w.children:
                if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp") and c.pos_ in ("VERB", "ADJ", "AUX") and c.i > v.i:
                    todo.append(c)
                elif (
                    with_conj
                    and c.dep_ == "conj"
                    and c.pos_ in ("VERB", "ADJ")
                    and not any(g.dep_ in SUBJ + ("dobj", "aux", "auxpass") for g in c.children)
                ):
                    todo.append(c)
                elif c.dep_ == "prep" and c.lower_ == "among":
                    units += [
                        self.noun_unit(o) or self.lex.adjectives.get(o.lower_) for o in c.children if o.dep_ == "pobj"
                    ]
                elif c.dep_ == "prep" and c.lower_ == "with" and w.i == v.i:
                    units.append(self._with_unit(w))  # 'were taken away with serious injuries'
        return self._combine(units)

    def _subject_unit(self, v: Token) -> str | None:
        """The unit of the clause's subject: 'the death toll rose to 65', 'casualties exceeded 200',
        'the number of cases rose to 58', 'the magnitude was 6.6'."""
        subj = [c for c in v.children if c.dep_ in SUBJ]
        if not subj and v.dep_ in ("xcomp", "conj") and v.head.pos_ in ("VERB", "AUX"):
            subj = [c for c in v.head.children if c.dep_ in SUBJ]
        objs = [c for c in v.children if c.dep_ == "dobj"]  # 'put the toll at 120'
        found = []
        for part in subj + objs:
            s = self._unwrap(part)
            if s.pos_ in ("NOUN", "PROPN"):
                # "the number of displaced people": what happened to them before who they are
                mod = self._modifier_unit(s) or (self._modifier_unit(part) if part is not s else None)
                u = mod if mod in self.lex.event_units else self.noun_unit(s) or mod
                if u or (s.tag_ == "NNS" and part.dep_ in SUBJ and part.i < v.i):
                    found.append(u or s.lower_)  # "new loans fell to 77,000", "the number of aftershocks"
        events = [u for u in found if u in self.lex.event_units]  # "officials raised the toll to 6"
        return (events or found or [None])[0]

    def _level_unit(self, v: Token) -> str | None:
        """A number without a noun that a verb's subject is said to reach ('the toll rose to 81'): an event
        unit of the subject, else what the number before it counts ('fell to 12,000 units from 15,000'),
        else the subject's noun ('new loans fell to 77,000')."""
        u = self._subject_unit(v)
        if u in self.lex.event_units:
            return u
        return self.prev_unit or u

    def _modifier_unit(self, n: Token) -> str | None:
        """What the words on a counted noun say: '25 wounded people', 'people infected', 'North Koreans
        killed', 'people who were killed'."""
        units = []
        for c in n.children:
            if c.dep_ == "amod" and c.i < n.i and c.lower_ in self.lex.adjectives:
                units.append(self.lex.adjectives[c.lower_])
            elif c.dep_ == "acl" and c.i > n.i:
                units.append(self.events_of(c, n))
            elif c.dep_ == "relcl" and any(
                g.dep_ in ("nsubjpass", "nsubj") and g.tag_ in ("WP", "WDT") for g in c.children
            ):
                if any(g.dep_ == "auxpass" for g in c.children) or self.lex.verbs.get(self._lemma(c)) == "killed":
                    units.append(self.events_of(c, n))
        return self._combine(units)

    def _with_unit(self, t: Token) -> str | None:
        """'two more with minor injuries', '12 people with burns': what the phrase is 'with'."""
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                for o in c.children:
                    u = self.noun_unit(o) if o.dep_ == "pobj" else None
                    if u in ("wounded", "cases"):
                        return u
        return None

    def _word_after(self, doc: Doc, q: Token, noun: Token | None) -> str | None:
        """'40 dead', '1,000 wounded', '70 HURT': a victim word right after the number (or after its noun)."""
        t = noun if noun is not None and noun.i > q.i else q
        j = t.i + 1
        while j < len(doc) - 1 and doc[j].tag_ == "RB" and doc[j].lower_ not in ("more", "less"):
            j += 1
        nxt = doc[j] if j < len(doc) else None
        if noun is None and q.i > 0:
            k = q.i - 1
            while k > 0 and doc[k].dep_ in ("advmod", "quantmod") and doc[k].head.i in (q.i, k + 1):
                k -= 1
            if doc[k].pos_ in ("NOUN", "PROPN") and self.noun_unit(doc[k]) in self.lex.event_units:
                return self.noun_unit(doc[k])  # 'TOLL ALMOST 150', 'casualties around 1,100'
        if nxt is None:
            return None
        if noun is None and nxt.lower_ in self.lex.adjectives and nxt.pos_ in ("ADJ", "VERB", "NOUN"):
            return self.lex.adjectives[nxt.lower_]
        if noun is not None and nxt.tag_ == "VBN" and self.verb_unit(nxt, noun):
            return self.events_of(nxt, noun)  # '100 North Koreans killed'
        return None

    def relation_unit(self, doc: Doc, q: Token, noun: Token | None, depth: int = 0) -> str | None:
        """What happened to what the number counts, from the clause around its phrase."""
        if depth > 3:
            return None
        u = (
            (self._modifier_unit(noun) if noun is not None else None)
            or self._word_after(doc, q, noun)
            or self._with_unit(noun if noun is not None else q)
        )
        if u:
            return u
        p = self._phrase_head(q, noun)
        h = p.head.head if p.head.dep_ in ("aux", "auxpass") else p.head  # '23 are missing', misparsed
        if p.dep_ in SUBJ and h.pos_ in ("VERB", "AUX", "ADJ"):
            return self.events_of(h, noun)
        if (p.dep_ == "dobj" or (p.dep_ == "npadvmod" and noun is None)) and h.pos_ == "VERB":
            return self._object_unit(h, noun, depth)  # (npadvmod: a misparsed 'killed at least 300')
        if p.dep_ == "pobj":
            return self._prep_object_unit(h, noun, depth)
        if p.dep_ in ("attr", "acomp") and h.pos_ in ("AUX", "VERB"):
            return self._subject_unit(h)  # 'the magnitude was 6.6'
        if p.dep_ == "appos" and h.pos_ in ("NOUN", "PROPN", "NUM"):
            return self._noun_phrase_unit(h, depth + 1)  # '20 bodies ..., eleven women'
        return None

    def _object_unit(self, verb: Token, noun: Token | None, depth: int) -> str | None:
        """The number's phrase is the verb's object: 'killed 40', 'killed or wounded 4,000 Iraqis',
        'left 42 people dead', 'the infected included 26 soldiers', 'casualties exceeded 200'."""
        if self._lemma(verb) == "include":
            return self._includer_unit(verb, depth)
        for c in verb.children:
            if c.dep_ in ("oprd", "ccomp", "xcomp", "acomp") and c.lower_ in self.lex.adjectives:
                return self.lex.adjectives[c.lower_]
        units = [self.verb_unit(verb, noun)]
        units += [
            self.verb_unit(c, noun)
            for c in verb.children
            if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_ in ("dobj",) + SUBJ for g in c.children)
        ]
        if verb.dep_ == "conj" and not any(g.dep_ == "dobj" for g in verb.head.children):
            units.append(self.verb_unit(verb.head, noun))
        return self._combine(units) or (self._level_unit(verb) if noun is None else None)

    def _prep_object_unit(self, prep: Token, noun: Token | None, depth: int) -> str | None:
        """The number's phrase hangs on a preposition: 'including two children', 'the death of 50 people',
        'infected over 4,200', 'rose to 81', 'casualties around 1,100'."""
        x = prep.head
        if prep.lower_ in ("including", "include"):
            return self._includer_unit(x, depth)
        if x.pos_ in ("NOUN", "PROPN") and prep.lower_ == "of" and self.noun_unit(x) in self.lex.event_units:
            return self.noun_unit(x)
        if x.pos_ == "VERB" and prep.lower_ in QUALIFYING_PREPS and self.verb_unit(x, noun):
            return self.verb_unit(x, noun)
        if x.pos_ in ("VERB", "AUX") and prep.lower_ in LEVEL_PREPS:
            u = self._level_unit(x) if noun is None else self._subject_unit(x)
            if noun is None or (u in self.lex.event_units and self.is_people(noun)):
                return u  # 'raised the death toll from five people to six'
        if noun is None and x.pos_ in ("NOUN", "PROPN"):
            return self._noun_phrase_unit(x) if self._lemma(x) in self.lex.containers else self.noun_unit(x)
        return None

    def _noun_phrase_unit(self, n: Token, depth: int = 0) -> str | None:
        """The unit of a whole noun phrase (an antecedent, an apposition's head, a container)."""
        doc = n.doc
        if n.like_num or n.pos_ == "NUM":
            return self.relation_unit(doc, n, self.counted_noun(n), depth + 1)
        n2 = self._unwrap(n)
        nums = [c for c in n2.children if c.dep_ == "nummod"]
        u = self.relation_unit(doc, nums[0], n2, depth + 1) if nums else None
        return u or self._modifier_unit(n2) or self.noun_unit(n2) or self._clause_unit(n2)

    def _clause_unit(self, n: Token) -> str | None:
        """What the clause says happened to a noun that is its subject or object."""
        if n.dep_ in SUBJ and n.head.pos_ in ("VERB", "AUX"):
            return self.events_of(n.head, n)
        if n.dep_ == "dobj" and n.head.pos_ == "VERB":
            return self.verb_unit(n.head, n)
        return None

    def _includer_unit(self, x: Token, depth: int) -> str | None:
        """'the 36 people infected included 26 soldiers', 'killed 62, including two children'."""
        if x.pos_ in ("VERB", "AUX"):
            if self._lemma(x) == "include":
                subj = [c for c in x.children if c.dep_ in SUBJ]
                return self._noun_phrase_unit(subj[0], depth + 1) if subj else None
            objs = [c for c in x.children if c.dep_ == "dobj"]
            return self.events_of(x) or (self._noun_phrase_unit(objs[0], depth + 1) if objs else None)
        return self._noun_phrase_unit(x, depth + 1)

    # -- the whole reading ---------------------------------------------------------------------
    def read(
        self, doc: Doc, num_start: int, num_end: int, prev_unit: str | None = None
    ) -> tuple[str | None, Token | None]:
        """(unit, counted noun token) of the number at [num_start, num_end); unit None when the parse says
        nothing of what happened to what it counts and it counts no noun. `prev_unit`: what the number
        before it in its sentence counts."""
        self.prev_unit = prev_unit
        q = number_token(doc, num_start, num_end)
        if q is None:
            return None, None
        noun = self.counted_noun(q)
        if noun is not None and noun.pos_ == "PRON":
            noun = None
        unit = self.relation_unit(doc, q, noun)
        if unit is None and noun is not None:
            cur = self.currency(doc, noun)
            if cur:
                return cur, None
            for t in doc[q.i + 1 : noun.i]:  # 'a 756 mln franc loss'
                cur = self.currency(doc, t) if t.dep_ in ("compound", "nmod", "amod") else None
                if cur:
                    return cur, noun
            unit = self.noun_unit(noun)
            if unit is None and noun.lower_ in self.lex.group_nouns:
                comp = [c for c in noun.children if c.dep_ == "compound" and c.is_alpha and len(c.text) > 2]
                unit = comp[-1].lower_ if comp else None
            if unit is None and (noun.ent_type_ == "NORP" or (noun.pos_ == "PROPN" and noun.tag_ == "NNPS")):
                unit = "people"  # '400,000 Sri Lankans'
            if unit is None and (noun.pos_ == "NOUN" or noun.tag_ in ("NNPS", "VBZ")):
                unit = self._coordinated(noun) or noun.lower_  # not a name: 'world number one Ferrero'
        return unit, noun


# ------------------------------------------------------------------------------ where and whose

# prepositions that attach where an event happened ('killed in Russia')
WHERE_PREPS = ("in", "among", "of", "from", "inside", "across", "near", "at")


def _verb_above(tok: Token) -> Token | None:
    """The first verb up the tree from a counted word, through prepositions and objects."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") and t.i != tok.i:
            return t
        if t.dep_ in ("ROOT", "ccomp", "advcl", "relcl") and t.i != tok.i:
            return None
        if t.head.i == t.i:
            return None
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else None


def context_entities(
    doc: Doc, sent, start: int, end: int, skip: tuple[int, int] | None = None, reader: CountReader | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(near, peoples, sentence): the places, peoples and bodies named in the number's phrase, its counted
    noun's phrase or where its event happened ('killed in Russia'); the peoples among them; and the
    places and peoples of its sentence. The source's own mention (`skip`, offsets) is left out, so
    'Seoul said' does not make a count Seoul's."""

    def free(e):
        return not (skip and e.start_char < skip[1] and e.end_char > skip[0])

    ents = [e for e in ents_in(sent) if free(e)]
    sentence = list(dict.fromkeys(e.text for e in ents if e.label_ in WHERE))
    q = number_token(doc, start, end)
    if q is None:
        return [], [], sentence
    reader = reader or _reader()
    noun = reader.counted_noun(q)
    if noun is None and q.dep_ in ("dobj", "pobj", "attr", "oprd", "npadvmod"):
        verb = _verb_above(q)  # 'Russian casualties ... had exceeded 5,000'
        subj = [c for c in verb.children if c.dep_ in SUBJ and c.pos_ in ("NOUN", "PROPN")] if verb is not None else []
        noun = reader._unwrap(subj[0]) if subj else None
    toks = {t.i for t in doc.char_span(start, end, alignment_mode="expand") or [q]}
    if noun is not None:
        inner = {t.i for c in noun.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        toks |= {t.i for t in noun.subtree} - inner
    verb = _verb_above(noun if noun is not None else q)
    if verb is not None:
        toks |= {
            t.i
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in WHERE_PREPS
            for o in c.children
            if o.dep_ == "pobj"
            for t in [o, *o.children]
            if t.dep_ != "prep"
        }
    near = [e for e in ents if e.label_ in NEAR and any(t.i in toks for t in e)]
    return (
        list(dict.fromkeys(e.text for e in near)),
        list(dict.fromkeys(e.text for e in near if e.label_ == "NORP")),
        sentence,
    )


@lru_cache(maxsize=1)
def _reader() -> CountReader:
    return CountReader()

"""The word lists of the attribution rules (models/cues.json), loaded and checked.

`Cues` holds every list; `load_cues` reads a cues file and refuses one with an
unknown (or misspelt) key, a missing required key or a value of the wrong type,
naming the file and the key. Each key is documented beside it in the file
(`_comment_<key>`). `Lexicon` adds what the cue finders look words up by (string
hashes, memoised verb forms); it holds nothing of any one Doc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from ..lexicons import LexiconError, cached_per_file, check_keys, read_json


class CuesError(LexiconError):
    """A cues file that cannot be read as written."""


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
    speech_verbs: set[str] = field(default_factory=set)
    verbs_no_object: set[str] = field(default_factory=set)
    topic_shifts: set[str] = field(default_factory=set)
    revising: set[str] = field(default_factory=set)  # verbs that give a new figure for a "revised" noun
    revised: set[str] = field(default_factory=set)
    stance_verbs: set[str] = field(default_factory=set)  # weaker tier: "X wants", "X rated", "X agreed"
    stance_nouns: set[str] = field(default_factory=set)  # "X's plan", "her decision to"
    stance_adjectives: set[str] = field(default_factory=set)  # "X is confident that", "proud of"
    stance_object_verbs: set[str] = field(default_factory=set)  # their object is content: "rated 32% of claims"
    stance_for_verbs: set[str] = field(default_factory=set)  # "called for", "asked for"
    stance_with_verbs: set[str] = field(default_factory=set)  # "charged two developers with defrauding"
    person_roles: set[str] = field(default_factory=set)  # "the mayor" is the person titled so
    sampled_nouns: set[str] = field(default_factory=set)  # "a survey of voters": who was asked
    in_document_nouns: set[str] = field(default_factory=set)  # "in an NBC poll, 50 percent chose X"
    vague_adjectives: set[str] = field(default_factory=set)  # "previous reports" credit no one
    finding_verbs: set[str] = field(default_factory=set)  # "polls show", "records show"
    placing_verbs: set[str] = field(default_factory=set)  # "pegged him at $2.9 billion"
    unsaid_verbs: set[str] = field(default_factory=set)  # "declined to comment": nothing said
    aspectual_verbs: set[str] = field(default_factory=set)  # "went on to say" is a report made
    plan_verbs: set[str] = field(default_factory=set)  # "his plan calls for 28 percent"
    measured_nouns: set[str] = field(default_factory=set)  # "his favorability numbers": of him, not by him
    object_report_verbs: set[str] = field(default_factory=set)  # "the records show 300 deaths"
    placing_pronoun_verbs: set[str] = field(default_factory=set)  # "has it at $4.5 billion", not "has 40 at"
    spokes_nouns: set[str] = field(default_factory=set)  # "a spokesman for the ministry"
    media_words: list[str] = field(default_factory=list)  # "Yonhap news agency" is an outlet
    not_media_words: list[str] = field(default_factory=list)  # ... "the Defense Intelligence Agency" is not
    # "the ministry" -> the words or "@LABEL"s of an earlier source it may point back to
    description_antecedents: dict[str, list[str]] = field(default_factory=dict)
    it_report_verbs: set[str] = field(default_factory=set)  # "as one official put it"
    noun_tagged_verbs: set[str] = field(default_factory=set)  # "files show that": a verb tagged as a noun
    house_voices: set[str] = field(default_factory=set)  # "Editor's note:" is the writer's voice
    expectation_verbs: set[str] = field(default_factory=set)  # "is expected to be 4%": no one named
    list_item_words: int = 12  # a paragraph this short after "X's data show:" is a row of X's list


# keys a cues file must have (the others default to empty)
REQUIRED = (
    "verbs",
    "verbs_need_ccomp",
    "nouns",
    "according",
    "citing",
    "pronouns",
    "generic_heads",
    "unnamed_heads",
    "through",
    "agent_nouns",
    "carrying",
    "person_roles",
    "sampled_nouns",
    "in_document_nouns",
    "vague_adjectives",
    "finding_verbs",
    "placing_verbs",
    "unsaid_verbs",
    "aspectual_verbs",
    "plan_verbs",
    "measured_nouns",
    "object_report_verbs",
    "placing_pronoun_verbs",
    "spokes_nouns",
    "media_words",
    "not_media_words",
)
# keys read as a list (order kept), or a mapping of word -> kind; every other key is a set of words
LISTS = ("according", "media_words", "not_media_words")
MAPPINGS = ("pronouns",)
WORD_LISTS = ("description_antecedents",)  # a mapping of word -> list of words
NUMBERS = ("list_item_words",)


def _shape(key: str) -> str:
    """The shape (pipeline/lexicons.py `SHAPES`) a cues key holds."""
    if key in MAPPINGS:
        return "str->str"
    if key in WORD_LISTS:
        return "str->words"
    return "int" if key in NUMBERS else "words"


def parse_cues(d: object, path: Path) -> Cues:
    """A `Cues` from the decoded JSON of `path`; a `CuesError` naming the file and key if it is not one."""
    if not isinstance(d, dict):
        raise CuesError(f"{path}: must hold a JSON object, not {type(d).__name__}")
    shapes = {f.name: _shape(f.name) for f in fields(Cues)}
    try:
        values = check_keys(d, path, shapes, REQUIRED)
    except LexiconError as e:
        raise CuesError(str(e)) from None
    # word lists are sets, but for those read in order
    return Cues(**{k: set(v) if shapes[k] == "words" and k not in LISTS else v for k, v in values.items()})


@cached_per_file("cues.json", maxsize=4)
def load_cues(path: str) -> Cues:
    """The cues of `path` (models/cues.json by default), checked."""
    try:
        d = read_json(path)
    except LexiconError as e:
        raise CuesError(str(e)) from None
    return parse_cues(d, Path(path))


_MISSING = object()
# word forms remembered per Lexicon: hot forms come back within a few articles, and a run of
# 10,000 articles meets ~50,000 lemmas, which would add a few MB to its peak memory
_MEMO_MAX = 20_000


class Lexicon:
    """The cues with what the finders look words up by: string hashes of the lexicons and
    memoised verb forms. Shared by every Doc (the memos are caches: any Doc may fill them)."""

    def __init__(self, cues: Cues):
        self.cues = cues
        self.noun_hashes = {hash_string(w) for w in cues.nouns}
        self.citing_hashes = {hash_string(w) for w in cues.citing}
        self.stance_noun_hashes = {hash_string(w) for w in cues.stance_nouns}
        self.stance_adj_hashes = {hash_string(w) for w in cues.stance_adjectives}
        self.figure_verbs = {hash_string(w) for w in cues.revising | cues.placing_verbs}
        self.noun_tagged_hashes = {hash_string(w) for w in cues.noun_tagged_verbs}
        words = "|".join(re.escape(w) for w in sorted(cues.media_words, key=len, reverse=True))
        self.media_name = re.compile(rf"(?i)\b(?:{words})\b") if words else None
        self._lemma_kind: dict[int, int] = {}  # lemma hash -> 1: an in-document noun, 2: a cue noun
        self._verb_forms: dict[tuple[int, int], str | None] = {}
        self._stance_forms: dict[tuple[int, int], str | None] = {}

    def lemma_hashes(self, lemmas: set[int], doc: Doc) -> tuple[set[int], set[int]]:
        """Of these lemma hashes, those whose lower-cased lemma is an in-document noun, a cue noun."""
        kinds, strings = self._lemma_kind, doc.vocab.strings
        if len(kinds) > _MEMO_MAX:
            kinds.clear()
        in_doc, nouns = set(), set()
        for h in lemmas:
            k = kinds.get(h)
            if k is None:
                low = strings[h].lower()
                k = kinds[h] = (low in self.cues.in_document_nouns) + 2 * (low in self.cues.nouns)
            if k & 1:
                in_doc.add(h)
            if k & 2:
                nouns.add(h)
        return in_doc, nouns

    def cue_verb(self, t: Token) -> str | None:
        """The cue verb a verb token is a form of, or None (kept per word form: most verbs are no cue)."""
        return self._lexicon_verb(t, self.cues.verbs, self._verb_forms)

    def stance_verb(self, t: Token) -> str | None:
        """The stance verb ("want", "rate", "agree") a verb token is a form of, or None."""
        return self._lexicon_verb(t, self.cues.stance_verbs, self._stance_forms)

    @staticmethod
    def _lexicon_verb(t: Token, lexicon: set[str], memo: dict) -> str | None:
        key = (t.lemma, t.lower)
        lemma = memo.get(key, _MISSING)
        if lemma is not _MISSING:
            return lemma
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

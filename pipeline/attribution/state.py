"""`DocState`: everything the rules work out about one Doc while attributing it.

One is made per Doc and passed to every step explicitly, so the component itself
keeps nothing of any Doc and can attribute several Docs at once.

spaCy builds a new Span for every sentence or entity and a new Token for every
index on each read, and `token.sent` walks the sentence; reading them per cue,
per sentence and per quantity was most of this stage's time. The cue finders
walk only the tokens that can start a cue of their kind, in order: the same
tokens their first test lets through.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from spacy.attrs import LEMMA, LOWER, ORTH, POS
from spacy.strings import hash_string
from spacy.symbols import ADJ, AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from ..doctext import doc_text
from ..sources import acronyms_in
from .lexicon import Cues, Lexicon

_COLON = hash_string(":")


class DocState:
    """What the rules read of one Doc, worked out once, and what they decide about it on the way."""

    def __init__(self, doc: Doc, lexicon: Lexicon):
        self.doc = doc
        self.lexicon = lexicon
        self.cues: Cues = lexicon.cues
        self.turns: set[int] = set()  # starts of the sentences a transcript's turn speaks in

    @cached_property
    def text(self) -> str:
        return doc_text(self.doc)

    @cached_property
    def acronyms(self) -> dict[str, str]:
        """The acronyms the article defines: "National Intelligence Service (NIS)" -> NIS."""
        return acronyms_in(self.text)

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
        return self.text[sent.start_char : sent.end_char]

    @cached_property
    def candidates(self) -> dict[str, list[int]]:
        lx = self.lexicon
        rows = self.doc.to_array([POS, LOWER, LEMMA, ORTH]).tolist()
        # the lemmas of this Doc that the lexicons hold (looked up once per lemma), then their tokens
        in_doc, noun_lemmas = lx.lemma_hashes({r[2] for r in rows}, self.doc)
        nouns, citing = lx.noun_hashes, lx.citing_hashes
        return {
            "verbs": [i for i, r in enumerate(rows) if r[0] == VERB or r[0] == AUX],
            "nouns": [i for i, r in enumerate(rows) if r[0] == NOUN and (r[1] in nouns or r[2] in noun_lemmas)],
            "in_document": [i for i, r in enumerate(rows) if r[2] in in_doc],
            "colons": [i for i, r in enumerate(rows) if r[3] == _COLON],
            "citing": [i for i, r in enumerate(rows) if r[1] in citing],
            # ("files show that": a verb the tagger took for a noun)
            "noun_tagged_verbs": [i for i, r in enumerate(rows) if r[0] == NOUN and r[1] in lx.noun_tagged_hashes],
            "stance_nouns": [
                i
                for i, r in enumerate(rows)
                if r[0] == NOUN and (r[2] in lx.stance_noun_hashes or r[1] in lx.stance_noun_hashes)
            ],
            # ("we are convinced that": a participle the tagger takes for a verb)
            "stance_adjectives": [
                i for i, r in enumerate(rows) if (r[0] == ADJ or r[0] == VERB) and r[1] in lx.stance_adj_hashes
            ],
        }

    def tokens(self, kind: str, sent: Span) -> list[Token]:
        """The candidate tokens of one kind in a sentence, in order."""
        idx = self.candidates[kind]
        doc = self.doc
        return [doc[i] for i in idx[bisect_left(idx, sent.start) : bisect_left(idx, sent.end)]]

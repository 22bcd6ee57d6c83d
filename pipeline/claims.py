"""Claims: one record per quantity, joined to its source and its date.

What a number counts is read here too, while the Doc is in hand (`unit` and
`counted` from the quantities stage; the places and peoples next to the
number from the parse, see counting.context_entities), so grouping across
articles (groups.py) is table work that never parses again.

The `claims` component reads what the earlier stages set (`doc._.quantities`,
`doc._.attributions`, `doc._.claim_dates`) and writes `doc._.claims`, plain
dicts with the columns of the claims table except the article metadata the
writer adds. `claim_id` is a hash of the article text, the offsets and the
pipeline version, so it is stable across re-runs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401  (registers doc._.claims and the others)
from ._version import __version__
from .counting import CountReader, context_entities, load_counting
from .doctext import doc_text, sent_of
from .lexicons import save_files
from .resources import model_path

# A claim row carries its sentence as evidence, but at most this many characters of it:
# a window around the number (text without sentence ends once gave every one of 6,400
# claims a 99,000-character sentence). `sentence_start` is where the window starts.
MAX_EVIDENCE_CHARS = 1000


def claim_id(doc_id: str, text: str, start: int, end: int) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in (__version__, doc_id or "", text, str(start), str(end)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def claim_ids(doc_id: str, text: str):
    """`claims.claim_id(doc_id, text, start, end)` as a function of (start, end).

    The whole text is hashed once and the state copied per claim: hashing
    5 MB again for each of thousands of claims would dominate the run.
    """
    h = hashlib.blake2b(digest_size=10)
    for part in (__version__, doc_id or "", text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")

    def claim_id(start: int, end: int) -> str:
        g = h.copy()
        for part in (str(start), str(end)):
            g.update(part.encode("utf-8"))
            g.update(b"\x00")
        return g.hexdigest()

    return claim_id


def evidence_window(
    start: int, end: int, num_start: int, num_end: int, limit: int = MAX_EVIDENCE_CHARS
) -> tuple[int, int]:
    """(start, end) of at most `limit` characters of the sentence [start, end), centred on the number."""
    if end - start <= limit:
        return start, end
    lo = max(start, min(num_start - (limit - (num_end - num_start)) // 2, end - limit))
    return lo, min(end, lo + limit)


@Language.factory(
    "claims",
    assigns=["doc._.claims"],
    requires=[
        "doc._.quantities",
        "doc._.attributions",
        "doc._.claim_dates",
        "doc.ents",
        "doc.sents",
        "token.dep",
        "token.pos",
    ],
    default_config={"counts": None},
)
def make_claims(nlp: Language, name: str, *, counts: str | None):
    return ClaimsComponent(name, counts=counts)


class ClaimsComponent:
    """Sets doc._.claims: one row per quantity, with its source, its date and the places and
    peoples next to it (read with the lexicon of counts.json, which `to_disk` saves)."""

    def __init__(self, name: str = "claims", *, counts: str | None = None):
        self.name = name
        self._load(str(counts or model_path("counts.json")))

    def _load(self, counts: str) -> None:
        self.counts_path = counts
        self.reader = CountReader(load_counting(counts))

    def to_disk(self, path, *, exclude=tuple()) -> None:
        save_files(path, {"counts.json": self.counts_path})

    def from_disk(self, path, *, exclude=tuple()) -> "ClaimsComponent":
        self._load(str(Path(path) / "counts.json"))
        return self

    def __call__(self, doc: Doc) -> Doc:
        qs = doc._.quantities or []
        atts = doc._.attributions or [None] * len(qs)
        dates = doc._.claim_dates or [None] * len(qs)
        claims = []
        ids = claim_ids(doc._.doc_id, doc_text(doc))  # (the text hashed once, not once per claim)
        for q, a, d in zip(qs, atts, dates):
            sent = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
            sent = sent_of(doc, sent.root.i) if sent is not None else None
            skip = (a.source_start, a.source_end) if a and a.source_start is not None else None
            near, peoples, places = (
                ([], [], []) if sent is None else context_entities(doc, sent, q.num_start, q.num_end, skip, self.reader)
            )
            ev = evidence_window(sent.start_char, sent.end_char, q.num_start, q.num_end) if sent is not None else None
            claims.append(
                {
                    "claim_id": ids(q.start, q.end),
                    **q.columns(),
                    "source": a.source if a else None,
                    "source_canonical": a.source_canonical if a else None,
                    "source_type": a.source_type if a else None,
                    "source_start": a.source_start if a else None,
                    "source_end": a.source_end if a else None,
                    "via": a.via if a else None,
                    "cue": a.cue if a else None,
                    "cue_start": a.cue_start if a else None,
                    "cue_end": a.cue_end if a else None,
                    "cue_kind": a.cue_kind if a else None,
                    "content_start": a.content_start if a else None,
                    "content_end": a.content_end if a else None,
                    "claim_date": d.claim_date if d else None,
                    "claim_date_precision": d.precision if d else None,
                    "claim_date_start": d.start if d else None,
                    "claim_date_end": d.end if d else None,
                    "claim_date_text": d.text if d else None,
                    "period_start": d.period_start if d else None,
                    "period_end": d.period_end if d else None,
                    "sentence": doc_text(doc)[ev[0] : ev[1]] if ev else None,
                    "sentence_start": ev[0] if ev else None,
                    "near_entities": near,
                    "near_peoples": peoples,
                    "sentence_entities": places,
                }
            )
        doc._.claims = claims
        return doc

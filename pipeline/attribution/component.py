"""The spaCy component `claim_attribution` and the `Attributor` it runs.

`Attributor` holds what is shared by every Doc (the lexicons, the source registry,
the settings, an optional linker); each call makes a `DocState` for its Doc and
passes it through the steps: find the cues (`cues.py`, `stance.py`), resolve their
sources (`mentions.py`), decide which cue speaks in each sentence (`carrying.py`),
then credit each quantity (`decision.py`). Nothing of a Doc stays on the component,
so one component may attribute several Docs at once.

The optional linker (pipeline/linker.py) is found in spaCy's `misc` registry as
"newsclaims.linker.v1" (registered when pipeline.linker is imported, as pipeline.nlp
does), so this package does not import the linker that reads it.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry as spacy_registry

from ..doctext import doc_text
from ..extensions import EXTENSIONS  # noqa: F401  (importing it registers doc._.attributions and the others)
from ..lexicons import save_files
from ..resources import model_path
from ..sources import Registry
from .carrying import carried_cues
from .cues import find_cues
from .decision import attribute_all
from .lexicon import Cues, Lexicon, load_cues
from .mentions import Mentions, resolve_sources
from .quotes import quotation_spans
from .records import Attribution
from .state import DocState

LINKER = "newsclaims.linker.v1"


class Attributor:
    """Credits each quantity of a Doc (`doc._.quantities`) to a source, or to no one."""

    def __init__(
        self, cues: Cues, registry: Registry, continue_paragraphs: bool = True, linker=None, stance: bool = False
    ):
        self.cues = cues
        self.lexicon = Lexicon(cues)
        self.stance = stance and bool(cues.stance_verbs)
        self.registry = registry
        self.continue_paragraphs = continue_paragraphs
        # optional learned second opinion (pipeline/linker.py): sees the rules' cues and choices
        self.linker = linker

    def __call__(self, doc: Doc) -> list[Attribution | None]:
        st = DocState(doc, self.lexicon)
        quantities = doc._.quantities or []
        quotes = quotation_spans(doc_text(doc))
        cues = find_cues(st, quotes, self.stance)
        acronyms = st.acronyms
        cues = resolve_sources(st, cues)
        carried = carried_cues(st, cues, quotes, self.continue_paragraphs)
        out = attribute_all(st, self.registry, quantities, cues, quotes, acronyms, carried)
        if self.linker is not None:
            # the linker was trained on the report cues alone
            out = self.linker.relink(
                Mentions(st, self.registry),
                doc,
                quantities,
                out,
                [c for c in cues if not c.weak],
                quotes,
                acronyms,
                carried,
            )
        return out


@Language.factory(
    "claim_attribution",
    assigns=["doc._.attributions", "doc.spans"],
    requires=["doc._.quantities", "doc.sents", "doc.ents", "token.dep", "token.pos", "token.lemma", "token.ent_type"],
    default_config={
        "cues": None,
        "sources": None,
        "continue_paragraphs": True,
        "linker": "models/linker.json",
        "linker_mode": "gate",
        "linker_threshold": None,
        "stance": False,
    },
)
def make_attribution(
    nlp: Language,
    name: str,
    *,
    cues: str | None,
    sources: str | None,
    continue_paragraphs: bool,
    linker: str | None,
    linker_mode: str,
    linker_threshold: float | None,
    stance: bool,
):
    return AttributionComponent(
        name,
        cues=cues,
        sources=sources,
        continue_paragraphs=continue_paragraphs,
        linker=linker,
        linker_mode=linker_mode,
        linker_threshold=linker_threshold,
        stance=stance,
    )


class AttributionComponent:
    """Sets `doc._.attributions` (aligned with `doc._.quantities`), `doc.spans["sources"]` and
    `doc.spans["cues"]`.

    Its data are cues.json (`cues`), the source registry (`sources`, models/sources.json by
    default) and the linker's model (`linker`); `to_disk` saves them beside the pipeline and
    `from_disk` reads them back from there."""

    def __init__(
        self,
        name: str = "claim_attribution",
        *,
        cues: str | None = None,
        sources: str | None = None,
        continue_paragraphs: bool = True,
        linker: str | None = None,
        linker_mode: str = "gate",
        linker_threshold: float | None = None,
        stance: bool = False,
    ):
        self.name = name
        self.continue_paragraphs, self.stance = continue_paragraphs, stance
        self.linker_mode, self.linker_threshold = linker_mode, linker_threshold
        self._load(
            str(cues or model_path("cues.json")),
            str(sources or model_path("sources.json")),
            linker if linker and linker_mode != "off" else None,
        )

    def _load(self, cues: str, sources: str, linker: str | None) -> None:
        self.paths = {"cues.json": cues, "sources.json": sources, "linker.json": None}
        self.attributor = Attributor(
            load_cues(cues), Registry.load(sources), self.continue_paragraphs, stance=self.stance
        )
        if linker:
            self.attributor.linker = _load_linker(linker, self.linker_mode, self.linker_threshold)
            found = getattr(self.attributor.linker, "path", None)  # (a linker registered elsewhere may have none)
            self.paths["linker.json"] = str(found) if found else None

    def to_disk(self, path, *, exclude=tuple()) -> None:
        save_files(path, self.paths)

    def from_disk(self, path, *, exclude=tuple()) -> "AttributionComponent":
        path = Path(path)
        linker = path / "linker.json"
        self._load(str(path / "cues.json"), str(path / "sources.json"), str(linker) if linker.exists() else None)
        return self

    def __call__(self, doc: Doc) -> Doc:
        atts = self.attributor(doc)
        doc._.attributions = atts
        seen_s, seen_c, srcs, cues = set(), set(), [], []
        for a in atts:
            if a is None:
                continue
            for s, e, label, acc, seen in (
                (a.source_start, a.source_end, "SOURCE", srcs, seen_s),
                (a.cue_start, a.cue_end, "CUE", cues, seen_c),
            ):
                sp = doc.char_span(s, e, label=label, alignment_mode="expand")
                if sp is not None and (sp.start, sp.end) not in seen:
                    seen.add((sp.start, sp.end))
                    acc.append(sp)
        doc.spans["sources"] = srcs
        doc.spans["cues"] = cues
        return doc


def _load_linker(path: str, mode: str, threshold: float):
    try:
        load = spacy_registry.misc.get(LINKER)
    except Exception as e:  # catalogue.RegistryError
        raise ValueError(
            f"claim_attribution: linker {path!r} asked for, but no {LINKER!r} is registered "
            "(import pipeline.linker, as pipeline.nlp does)"
        ) from e
    return load(path, mode, threshold)

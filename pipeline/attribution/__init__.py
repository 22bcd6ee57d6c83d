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

Where each rule lives:
  lexicon.py    the word lists (models/cues.json), loaded and checked
  (pipeline/constants.py: dependency labels, entity labels, function words)
  records.py    `Attribution` (the row) and `Cue` (what a finder found)
  state.py      `DocState`: what is worked out about one Doc
  cues.py       report cue finders (verbs, according to, in a poll, nouns, labels, relays)
  stance.py     stance cue finders (wants, plans, is confident that)
  content.py    what a cue covers: scopes, stance content, the setting of a report
  quotes.py     quotation spans
  mentions.py   noun phrases, source heads, back-references, canonical names; `Mentions`
  carrying.py   which cue speaks in a sentence with none of its own
  decision.py   which cue is credited with each quantity
  component.py  the spaCy factory and component
"""

from __future__ import annotations

from ..constants import EXPLETIVE, NUMERIC, RELATIVE, SUBJ
from .component import LINKER, AttributionComponent, Attributor, make_attribution
from .lexicon import Cues, CuesError, Lexicon, load_cues
from .mentions import Mentions
from .records import Attribution, Cue
from .state import DocState

__all__ = [
    "Attribution",
    "AttributionComponent",
    "Attributor",
    "Cue",
    "Cues",
    "CuesError",
    "DocState",
    "EXPLETIVE",
    "LINKER",
    "Lexicon",
    "Mentions",
    "NUMERIC",
    "RELATIVE",
    "SUBJ",
    "load_cues",
    "make_attribution",
]

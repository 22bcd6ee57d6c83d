"""Closed sets the rules test the parse against: dependency labels, entity labels and a few
function words, each defined once for every stage (as textacy's constants.py).

These are the grammar of the parser and the entity recogniser (their label names) and
closed-class words, not lexicons to tune: the open word lists are data in models/*.json
(quantities.json, counts.json, cues.json), loaded and checked by each component.
"""

from __future__ import annotations

import calendar

# ------------------------------------------------------------ dependency labels
# a clause's subject, a clause as subject included ("what he said was ...")
SUBJ = ("nsubj", "nsubjpass", "csubj")
# a subject that is a noun phrase: what a number's phrase can be the subject of (counting.py)
NOMINAL_SUBJ = ("nsubj", "nsubjpass")
# the modifiers of a noun that belong to its phrase ("the UN's refugee agency")
NP_MODIFIERS = ("compound", "amod", "poss", "nmod", "nummod", "quantmod", "npadvmod")
# a stance verb's children that are not what it is about
NOT_CONTENT = {
    "nsubj",
    "nsubjpass",
    "agent",
    "aux",
    "auxpass",
    "neg",
    "punct",
    "cc",
    "conj",
    "advcl",
    "mark",
    "prt",
    "npadvmod",
    "dep",
    "expl",
}

# ------------------------------------------------------------ entity labels
NUMERIC = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY"}
# what names no claimant: a date, a time or a number
NOT_A_CLAIMANT = ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY")
# a number, a date, or an ordinal: never a source even after a verb of speech
NOT_NAMEABLE = ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL")
# ("a second communique", "today's statement" name no one new)
NOT_NEW_NAME = ("ORDINAL", "DATE", "TIME")
# who can speak: a person or a body
CLAIMANTS = ("PERSON", "ORG", "GPE", "NORP", "FAC")
# who can write a document
AUTHORS = ("PERSON", "ORG", "GPE", "NORP")
# a body, named
BODIES = ("ORG", "GPE", "NORP")
# who can speak over a label ("Jones: ...") or a clause that introduces a quotation
LABELLED = ("PERSON", "ORG", "NORP")
# the named mentions the linker lists as candidate sources
CANDIDATE_SOURCES = ("PERSON", "ORG", "GPE", "NORP")
# places and peoples: what names a currency's country ("shillings" in an article about Uganda)
PLACES = ("GPE", "NORP", "LOC")
# where a count happened or whose it is: the places and peoples of a number's sentence
WHERE = ("GPE", "NORP", "LOC", "FAC", "EVENT")
# ... and, next to the number, the bodies too (an ORG in the number's phrase says whose count it is)
NEAR = WHERE + ("ORG",)
# places that head a table's row: a label "Lviv:" is no speaker's turn (attribution/cues.py)
ROW_PLACES = ("GPE", "LOC", "FAC")

# ------------------------------------------------------------ function words
EXPLETIVE = {"it", "there", "this", "that", "which", "who", "what"}
RELATIVE = {"who", "which", "that"}
MODALS = {"would", "will", "could", "should", "might", "may", "can", "'d", "’d", "'ll", "’ll"}
# prepositions of where, when, with what or by what means an act was done
CIRCUMSTANCE = {"in", "on", "at", "during", "after", "before", "since", "with", "by", "through", "amid", "from", "into"}


# ------------------------------------------------------------ calendar words
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# month names and abbreviations -> month number ("sept" as news writes it)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9

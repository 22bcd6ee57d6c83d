"""The pyarrow schema of every output table, documented column by column.

`docs/schema.md` is generated from this module (`python -m pipeline schema`),
so the documentation and the files cannot drift apart. Bump SCHEMA_VERSION on
any change of a column's name, type or meaning. No column is named after an SQL
keyword (1.6 renamed `where` to `location`): tables are queried with DuckDB.
1.7: `claims.sentence` is at most 1,000 characters of the sentence, around the number.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.7"

UNIT_DOC = (
    "What the number counts or measures, lower case (see 'Units' below): people affected by violence, "
    "disaster or disease by what happened to them (killed, wounded, casualties, missing, displaced, arrested, "
    "detained, cases ...: the event vocabulary); other people and things by the counted noun (troops, people, "
    "missiles, votes); money by ISO 4217 code (usd, gbp, brl); percent, points, fraction, times; measures by "
    "their unit (km, miles, tonnes, years, magnitude). Null when the text says nothing of what is counted."
)
COUNTED_DOC = (
    "The noun the number counts as written, lower case ('children' in '40 children were killed', whose unit "
    "is killed; 'soldiers' in '3,000 soldiers'), null when the number has no noun ('injured 25')."
)

# (name, type, description) per table
_TABLES: dict[str, tuple[str, list[tuple[str, pa.DataType, str]]]] = {
    "articles": (
        "One row per article processed.",
        [
            (
                "doc_id",
                pa.string(),
                "Article id: file name without .txt, or the `id` of a JSONL/CSV/Parquet row (made unique with ~N when repeated).",
            ),
            ("title", pa.string(), "Title from the input, or the first line of a .txt when it looks like one."),
            (
                "published",
                pa.date32(),
                "Publication date: from the input's metadata, else from a dateline in the text, else null.",
            ),
            ("published_from", pa.string(), "Where `published` came from: metadata, text, or null."),
            ("outlet", pa.string(), "Outlet from the input, if any."),
            ("url", pa.string(), "URL from the input, if any."),
            ("input", pa.string(), "The input path as given on the command line."),
            ("location", pa.string(), "Where the article is inside the input: file name, `line N` or `row N`."),
            ("n_chars", pa.int64(), "Length of the text in characters, as read."),
            ("n_claims", pa.int64(), "Number of rows this article has in `claims`."),
            ("text_hash", pa.string(), "BLAKE2 hash of the text (hex), to detect changed articles."),
            (
                "key",
                pa.string(),
                "Hash of the article (id, text, metadata) and of the pipeline, model and config that made its rows: a re-run into the same folder reprocesses only articles whose key is new.",
            ),
        ],
    ),
    "entities": (
        "One row per named entity of the spaCy model.",
        [
            ("doc_id", pa.string(), "Article id."),
            ("start", pa.int64(), "Character offset of the entity in the article text (inclusive)."),
            ("end", pa.int64(), "Character offset (exclusive)."),
            ("text", pa.string(), "The entity as written."),
            ("label", pa.string(), "spaCy NER label (PERSON, ORG, GPE, DATE ...)."),
        ],
    ),
    "quantities": (
        "One row per quantity found, whether or not anyone is credited with it.",
        [
            ("doc_id", pa.string(), "Article id."),
            ("start", pa.int64(), "Offset of the quantity as written, qualifier included."),
            ("end", pa.int64(), "Offset (exclusive)."),
            ("quantity_text", pa.string(), "The quantity as written: 'approximately 1,100', '10-12 thousand'."),
            (
                "value",
                pa.float64(),
                "The number; the lower bound of a range; a vague count's base (thousands -> 1000).",
            ),
            (
                "value_max",
                pa.float64(),
                "Upper bound of an explicit range; for a vague count that names a magnitude, ten times the magnitude word (thousands 1000..10000, dozens 12..120, several hundred 300..1000); else null.",
            ),
            ("qualifier", pa.string(), "exact, approx, at_least, more_than, at_most, less_than, range."),
            ("unit", pa.string(), UNIT_DOC),
            ("counted", pa.string(), COUNTED_DOC),
            ("vague", pa.bool_(), "True for vague counts (thousands, dozens, several hundred)."),
            ("change", pa.string(), "up / down when the number is a change ('rose 2.1%'), else null."),
            ("subject", pa.string(), "Short phrase for what the number is about."),
        ],
    ),
    "dates": (
        "One row per temporal expression (spaCy DATE entity), resolved against the publication date.",
        [
            ("doc_id", pa.string(), "Article id."),
            ("start", pa.int64(), "Offset of the expression."),
            ("end", pa.int64(), "Offset (exclusive)."),
            ("text", pa.string(), "The expression as written."),
            ("date", pa.date32(), "Resolved date (the start of its window); null when it cannot be resolved."),
            ("precision", pa.string(), "day, week, month or year."),
            ("window_start", pa.date32(), "First day the expression can mean."),
            ("window_end", pa.date32(), "Last day it can mean (capped at the publication date)."),
        ],
    ),
    "attributions": (
        "One row per (source mention, cue) pair that credits at least one quantity.",
        [
            ("doc_id", pa.string(), "Article id."),
            ("source", pa.string(), "The source as named (pronouns resolved to what they refer to)."),
            (
                "source_canonical",
                pa.string(),
                "One name per real-world source (registry in models/sources.json, acronyms defined in the text).",
            ),
            ("source_type", pa.string(), "person, organisation, government, media or unnamed."),
            ("source_start", pa.int64(), "Offset of the mention the cue links to ('he' in 'he said')."),
            ("source_end", pa.int64(), "Offset (exclusive)."),
            ("cue", pa.string(), "The reporting cue: said, according to, estimates ..."),
            ("cue_start", pa.int64(), "Offset of the cue."),
            ("cue_end", pa.int64(), "Offset (exclusive)."),
            (
                "cue_kind",
                pa.string(),
                'What kind of cue credits the source: report (a reporting verb, "according to", a document, a speaker\'s label) or stance (a predicate of intention, appraisal, decision or knowledge such as wants, rated, agreed, knows, which credits a number only where no report does; filter on it for reported figures alone); linked when the learned linker chose the source in one of its optional modes (--linker-mode).',
            ),
            ("via", pa.string(), "The relay ('Yonhap' in 'Yonhap, citing the NIS'), else null."),
            (
                "content_start",
                pa.int64(),
                "Offset of the report's content that holds its claims: the clause or quotation the cue governs ('X said *that ...*', '*...,* X said', 'according to X, *...*'), extended to the end of the last sentence the report carries into (ANNOTATION.md, 'Continuing into later sentences'). A number is credited only inside it.",
            ),
            ("content_end", pa.int64(), "Offset (exclusive) of that content."),
            ("n_claims", pa.int64(), "How many claims this attribution credits."),
        ],
    ),
    "claims": (
        "One row per quantity with who claims it and when (see ../shared/eval/ANNOTATION.md).",
        [
            ("claim_id", pa.string(), "Stable id: hash of pipeline version, doc_id, text and offsets."),
            ("doc_id", pa.string(), "Article id."),
            (
                "start",
                pa.int64(),
                "Offset of the number as written, qualifier included, into the text exactly as read.",
            ),
            ("end", pa.int64(), "Offset (exclusive)."),
            ("quantity_text", pa.string(), "text[start:end]."),
            ("value", pa.float64(), "The number (lower bound of a range; base of a vague count)."),
            (
                "value_max",
                pa.float64(),
                "Upper bound of an explicit range; for a vague count that names a magnitude, ten times the magnitude word (thousands 1000..10000, dozens 12..120, several hundred 300..1000); else null.",
            ),
            ("qualifier", pa.string(), "exact, approx, at_least, more_than, at_most, less_than, range."),
            ("unit", pa.string(), UNIT_DOC),
            ("counted", pa.string(), COUNTED_DOC),
            ("vague", pa.bool_(), "True for vague counts."),
            ("change", pa.string(), "up / down for changes, else null."),
            ("subject", pa.string(), "Short phrase for what is counted."),
            (
                "source",
                pa.string(),
                "Who the article credits, as named; null when the article states it in its own voice.",
            ),
            ("source_canonical", pa.string(), "Canonical name of the source across mentions and articles."),
            ("source_type", pa.string(), "person, organisation, government, media or unnamed."),
            (
                "source_start",
                pa.int64(),
                "Offset of the source mention the attribution links to (the pronoun itself for 'it said').",
            ),
            ("source_end", pa.int64(), "Offset (exclusive)."),
            ("via", pa.string(), "Relay of a chained claim, else null."),
            ("cue", pa.string(), "The attribution cue as written."),
            ("cue_start", pa.int64(), "Offset of the cue."),
            ("cue_end", pa.int64(), "Offset (exclusive)."),
            ("cue_kind", pa.string(), "report, stance or linked, as in `attributions`; null when no one is credited."),
            (
                "claim_date",
                pa.date32(),
                "Day the claim was made: the date attached to the cue, else the publication date; null when neither is known.",
            ),
            ("claim_date_precision", pa.string(), "day, week, month or year."),
            ("claim_date_start", pa.date32(), "First day of the window claim_date stands for."),
            ("claim_date_end", pa.date32(), "Last day of that window."),
            (
                "claim_date_text",
                pa.string(),
                "The expression that gave the claim date ('on Monday'), null when it is the publication date.",
            ),
            ("period_start", pa.date32(), "Start of the period the number refers to, when the text says it."),
            ("period_end", pa.date32(), "End of that period."),
            ("published", pa.date32(), "Publication date of the article."),
            ("outlet", pa.string(), "Outlet of the article."),
            ("title", pa.string(), "Title of the article."),
            (
                "sentence",
                pa.string(),
                "The sentence that holds the number, as evidence: at most 1,000 characters of it, around the number; sentence_start is where that window starts.",
            ),
            (
                "sentence_start",
                pa.int64(),
                "Offset of that sentence (of its window, when the sentence is longer than 1,000 characters).",
            ),
            (
                "near_entities",
                pa.list_(pa.string()),
                "Places, peoples and bodies named next to the number: in its phrase, its counted noun's phrase or where its event happened ('North Korean' in 'North Korean casualties', 'Russia' in 'killed in Russia'); the source's own mention left out. Grouping keeps subjects apart by them.",
            ),
            ("near_peoples", pa.list_(pa.string()), "The peoples (NORP) among `near_entities`: whose count it is."),
            (
                "sentence_entities",
                pa.list_(pa.string()),
                "Places and peoples named anywhere in the sentence (the source's mention left out).",
            ),
            (
                "group_id",
                pa.string(),
                "The underlying claim this row reports (`claim_groups`); set by the grouping step at the end of a run.",
            ),
        ],
    ),
    "errors": (
        "One row per rejected or partly processed article, and per bad input record.",
        [
            ("input", pa.string(), "The input path."),
            ("location", pa.string(), "Where inside the input: file name, `line N` or `row N`."),
            ("doc_id", pa.string(), "Article id when known."),
            ("stage", pa.string(), "ingest, nlp or write."),
            ("message", pa.string(), "What went wrong, in words."),
            (
                "fatal",
                pa.bool_(),
                "True when the article was not processed; false when it was processed with a warning.",
            ),
        ],
    ),
    "claim_groups": (
        "One row per underlying claim: claims from any articles that are the same statement (same canonical source or none, same number and direction, compatible counted thing and claim dates). Written by the grouping step (pipeline/groups.py).",
        [
            ("group_id", pa.string(), "Id: hash of the group's first claim, so later relays keep it."),
            (
                "subject_id",
                pa.string(),
                "The subject (`subjects`) the group counts, null when what it counts cannot be read.",
            ),
            ("source_canonical", pa.string(), "Canonical source; null for numbers outlets state in their own voice."),
            ("source_type", pa.string(), "person, organisation, government, media or unnamed."),
            ("sources_as_named", pa.list_(pa.string()), "The names the articles use for the source."),
            ("via", pa.list_(pa.string()), "Relays seen ('Yonhap' in 'Yonhap, citing the NIS')."),
            ("value", pa.float64(), "The number (lower bound of a range)."),
            ("value_max", pa.float64(), "Upper bound of a range, else null."),
            ("qualifier", pa.string(), "Most common qualifier among the reports (exact, approx, more_than ...)."),
            ("unit", pa.string(), "Most common unit among the reports."),
            ("vague", pa.bool_(), "True for vague counts (thousands)."),
            (
                "counts",
                pa.string(),
                "What the number counts: the claims' `unit` (killed, wounded, casualties, troops ...), or for money what it pays for (`counted`, else the currency); null for shares and measures (percent, km, years), which name no subject alone.",
            ),
            ("entities", pa.list_(pa.string()), "Places and peoples named around the number, most frequent first."),
            (
                "first_reported",
                pa.date32(),
                "Earliest publication date of an article reporting it (claim date when no article is dated).",
            ),
            ("last_reported", pa.date32(), "Latest such date."),
            ("first_claim_date", pa.date32(), "Earliest claim date among the reports."),
            ("last_claim_date", pa.date32(), "Latest claim date."),
            ("n_claims", pa.int64(), "Claim rows in the group."),
            ("n_articles", pa.int64(), "Distinct articles reporting it."),
            ("n_outlets", pa.int64(), "Distinct outlets reporting it (articles without an outlet are not counted)."),
            ("doc_ids", pa.list_(pa.string()), "Articles reporting it."),
            ("outlets", pa.list_(pa.string()), "Outlets reporting it."),
            ("quantity_texts", pa.list_(pa.string()), "The number as written in the reports."),
            (
                "sentence",
                pa.string(),
                "The first report's sentence, as evidence (at most 1,000 characters of it, as in claims).",
            ),
        ],
    ),
    "subjects": (
        "One row per subject: claim groups that count the same thing from any sources (e.g. North Korean casualties in Russia), so disagreements show. A subject never mixes units (killed with wounded). Written by the grouping step from the claims table alone.",
        [
            ("subject_id", pa.string(), "Id: hash of its first group's id."),
            ("label", pa.string(), "Readable name: the place or people most named with it and what is counted."),
            ("counts", pa.string(), "What is counted (the groups' `counts`)."),
            (
                "unit",
                pa.string(),
                "Currency (ISO 4217) of a subject that counts money, else null: what is counted is `counts`.",
            ),
            (
                "event_id",
                pa.string(),
                "Links the subjects that count one event's killed, wounded, casualties ... (their claims stand in one sentence: 'killed 40 and wounded 100'); they stay separate subjects. Null for subjects that are no event count.",
            ),
            ("n_groups", pa.int64(), "Claim groups in the subject."),
            ("n_claims", pa.int64(), "Claim rows in the subject."),
            ("n_sources", pa.int64(), "Distinct canonical sources (unattributed counts as one)."),
            ("sources", pa.list_(pa.string()), "Those sources; '(unattributed)' for outlets' own voice."),
            ("n_articles", pa.int64(), "Distinct articles."),
            ("first_reported", pa.date32(), "Earliest report date."),
            ("last_reported", pa.date32(), "Latest report date."),
            ("low", pa.float64(), "Lowest of each source's latest firm (non-vague) figure: the conservative estimate."),
            ("best", pa.float64(), "Median of each source's latest firm figure (a range counts as its midpoint)."),
            ("high", pa.float64(), "Highest of each source's latest firm figure (upper bound of a range)."),
        ],
    ),
}

TABLES = list(_TABLES)
# tables with rows per article, written by a run; the others are built across articles afterwards
ACROSS_TABLES = ["claim_groups", "subjects"]
ARTICLE_TABLES = [t for t in TABLES if t not in ACROSS_TABLES]


def schema(table: str) -> pa.Schema:
    desc, cols = _TABLES[table]
    return pa.schema(
        [pa.field(n, t, nullable=True, metadata={"description": d}) for n, t, d in cols],
        metadata={"table": table, "schema_version": SCHEMA_VERSION, "description": desc},
    )


def markdown() -> str:
    lines = [
        f"# Output tables (schema version {SCHEMA_VERSION})",
        "",
        "Generated from `pipeline/schema.py` by `python -m pipeline schema`; do not edit by hand.",
        "Every table is a Parquet file in the output folder. Character offsets always index the",
        "article text exactly as read (UTF-8 decoded, nothing stripped), end exclusive.",
        "",
    ]
    for name, (desc, cols) in _TABLES.items():
        lines += [f"## `{name}.parquet`", "", desc, "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{n}` | {t} | {d} |" for n, t, d in cols]
        lines.append("")
    return "\n".join(lines + _units_markdown())


def _units_markdown() -> list[str]:
    """The section on `unit`: the controlled vocabulary of event counts (models/counts.json)."""
    import json

    from .resources import model_path

    events = json.loads(model_path("counts.json").read_text(encoding="utf-8"))["event_units"]
    lines = [
        "## Units",
        "",
        "`unit` (in `quantities`, `claims`, `claim_groups`) says what a number counts or measures, as",
        "../shared/eval/ANNOTATION.md defines it: people affected by violence, disaster or disease by what",
        "happened to them (the event units below), read from the verb, the toll or tally, an adjective or an",
        "elided head; other people and things by the counted noun (`troops` for soldiers, `people` for",
        "persons, individuals and peoples' names, else the noun as written: `stores`, `missiles`); money by",
        "ISO 4217 code in lower case (`usd`, `gbp`, `brl`, `pln`; a name several countries use, such as",
        "pounds or shillings, by the place named before it, else the article's country); `percent`,",
        "`points` (percentage points, scores), `fraction`, `times`; measures by their unit (`km`, `miles`,",
        "`metres`, `ft`, `tonnes`, `years`, `days`, `magnitude`). `counted` keeps the noun itself",
        "(children, soldiers), and `subject` whose or where.",
        "",
        "### Event counts: the controlled vocabulary",
        "",
        "Join keys for other datasets: the GDELT Global Knowledge Graph's `COUNTS` types and ACLED's",
        "`fatalities` column. ACLED records fatalities only; GDELT has no type for some units (null).",
        "A `casualties` figure (killed and wounded together) matches GDELT's KILL and WOUND counts summed.",
        "",
        "| unit | what it counts | GDELT GKG count type | ACLED |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{u}` | {e['means']} | {e['gdelt'] or ''} | {e['acled'] or ''} |" for u, e in events.items()]
    lines += [
        "",
        "The words that lead to each unit are data in `models/counts.json` (verbs, nouns, adjectives,",
        "what a verb says of its object, currency names), checked when loaded.",
        "",
    ]
    return lines

"""Across articles: claims that are one statement, and statements that count one thing.

Runs after a whole run has been written (`python -m pipeline run` calls it once the
tables are committed; `python -m pipeline groups OUT` runs it on an existing output):

* `claim_groups`: one row per underlying claim. Claims from any articles are one
  group when they credit the same canonical source (or none), give the same number
  (value, upper bound, direction of the qualifier, vagueness), count compatible
  things and were made on compatible days. Three outlets relaying the spy agency's
  "about 1,100 casualties" are one group with three articles.
* `subjects`: groups that count the same thing, whoever says it, so disagreements
  show (Seoul's 1,100 beside Kyiv's 3,000). What a number counts was read in the
  main pass, while its Doc was parsed (pipeline/counting.py), and is in the claims
  table: `unit` (killed, wounded, casualties, troops ...), `counted`, and the places
  and peoples named next to the number (entity overlap keeps Syrian and North
  Korean casualties apart). A subject never mixes units; one event's killed and
  wounded share an `event_id`.

Grouping is table work on the claims table: it never loads spaCy, and its time grows
with the number of claims. Every claim row gets its `group_id`; the tables are written as
one new generation of the output folder (pipeline/outdir.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import statistics
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from .constants import WHERE
from .resources import model_path
from .schema import schema

QUALIFIER_CLASS = {
    "exact": "point",
    "approx": "point",
    "range": "range",
    "more_than": "lower",
    "at_least": "lower",
    "less_than": "upper",
    "at_most": "upper",
}
DATE_TOLERANCE_DAYS = 7
SUBJECT_GAP_DAYS = 60  # reports further apart than this link only through reports in between


@dataclass
class Measures:
    """What names no subject (models/measures.json: shares and measures) and which units are money."""

    no_subject: set[str]
    money: set[str]
    events: set[str]

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> "Measures":
        data = json.loads((Path(path) if path else model_path("measures.json")).read_text(encoding="utf-8"))
        quantities = json.loads(model_path("quantities.json").read_text(encoding="utf-8"))
        counts = json.loads(model_path("counts.json").read_text(encoding="utf-8"))
        money = set(quantities["currencies"].values()) | set(quantities["currency_words"].values())
        for entry in counts["currency_names"].values():
            money |= {entry["default"], *entry.get("places", {}).values()}
        bad = [u for u in data["no_subject"] if not isinstance(u, str)]
        if bad:
            raise ValueError(f"measures.json: no_subject must hold unit names, not {bad}")
        return cls(
            no_subject=set(data["no_subject"]), money=money - {"cents", "pence"}, events=set(counts["event_units"])
        )


@dataclass
class Frame:
    """What one claim's number counts."""

    core: str | None = None  # concept key: 'casualties', 'troops deployed', 'unemployment rate'
    munit: str | None = None  # unit of measure when it is not the counted noun (percent, usd)
    head: str | None = None  # the counted noun's concept or lemma
    frame_ents: dict[str, str] = field(default_factory=dict)  # entity key -> text, near the number
    sent_ents: dict[str, str] = field(default_factory=dict)  # places and peoples of the sentence
    peoples: set[str] = field(default_factory=set)  # NORP keys among frame_ents: the best label


# --- entities -------------------------------------------------------------------------------------

_SUFFIXES = ("ians", "ian", "ans", "ese", "ish", "ia", "an", "i", "n", "e", "a", "s")


def _stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


def entity_key(text: str) -> str:
    """One key for a place and its people: 'North Korean' and 'North Korea', 'Ukraine' and 'Ukrainian'."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").split("'s")[0])
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_stem(w) for w in words)


# --- what a number counts: read from the claims table --------------------------------------------


def frame_of_claim(c: dict, m: "Measures") -> Frame:
    """What one claim counts, from the columns the main pass wrote (`unit`, `counted`, `near_entities`,
    `near_peoples`, `sentence_entities`): no parse. The unit is the concept, so a subject never mixes
    killed with wounded; money is kept apart by what it pays for (`counted`) and its currency; a
    measure or a share (percent, km, years) alone names no subject."""
    unit, counted = c.get("unit") or None, c.get("counted") or None
    f = Frame(
        frame_ents={entity_key(t): t for t in c.get("near_entities") or []},
        sent_ents={entity_key(t): t for t in c.get("sentence_entities") or []},
        peoples={entity_key(t) for t in c.get("near_peoples") or []},
    )
    if unit is None or unit in m.no_subject:
        return f
    if unit in m.money and counted != unit:  # 'one cup' is no Cuban peso
        f.core, f.munit, f.head = counted or unit, unit, counted
    else:
        f.core, f.head = unit, counted
    return f


def frames_for(claims: list[dict], measures: "Measures | None" = None) -> list[Frame]:
    """The frame of every claim, from its row."""
    m = measures or Measures.load()
    return [frame_of_claim(c, m) for c in claims]


# --- grouping ---------------------------------------------------------------------------------------


def _hash(*parts) -> str:
    h = hashlib.blake2b(digest_size=8)
    for p in parts:
        h.update(str(p).encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


class _UnionFind:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, i):
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a, b):
        a, b = self.find(a), self.find(b)
        if a != b:
            self.p[max(a, b)] = min(a, b)


def _day(c, key):
    v = c.get(key)
    return v if isinstance(v, dt.date) else None


def _date_clusters(members: list[dict], tol: int) -> list[list[dict]]:
    """Split claims of one statement key into runs of compatible claim dates."""
    dated = sorted((c for c in members if _day(c, "claim_date")), key=lambda c: (c["claim_date"], c["claim_id"]))
    undated = [c for c in members if not _day(c, "claim_date")]
    runs: list[list[dict]] = []
    end = None
    for c in dated:
        s = _day(c, "claim_date_start") or c["claim_date"]
        e = _day(c, "claim_date_end") or c["claim_date"]
        if runs and s <= end + dt.timedelta(days=tol):
            runs[-1].append(c)
            end = max(end, e)
        else:
            runs.append([c])
            end = e
    if undated:
        if len(runs) == 1:
            runs[0].extend(undated)
        else:
            runs.append(undated)
    return runs


def statement_groups(claims: list[dict], frames: list[Frame], tol: int = DATE_TOLERANCE_DAYS) -> list[list[int]]:
    """Indices of claims that are one statement: a pandas group-by on source, number, qualifier class,
    vagueness, currency and what is counted, then runs of compatible claim dates."""
    import pandas as pd

    if not claims:
        return []
    df = pd.DataFrame(
        {
            "source": [c.get("source_canonical") for c in claims],
            "value": [c.get("value") for c in claims],
            "value_max": [c.get("value_max") for c in claims],
            "qclass": [QUALIFIER_CLASS.get(c.get("qualifier"), c.get("qualifier")) for c in claims],
            "vague": [bool(c.get("vague")) for c in claims],
            "munit": [f.munit for f in frames],
            # a unit that names no subject (months, percent) still keeps its claims apart from others
            "core": [f.core or (f"unit:{c['unit']}" if c.get("unit") else None) for c, f in zip(claims, frames)],
        }
    )
    buckets: dict[tuple, dict] = defaultdict(dict)
    for key, idx in df.groupby(
        ["source", "value", "value_max", "qclass", "vague", "munit", "core"], dropna=False, sort=False
    ).indices.items():
        key = tuple(None if not isinstance(k, str) and pd.isna(k) else k for k in key)  # NaN never equals NaN
        buckets[key[:-1]][key[-1]] = list(idx)
    out = []
    for by_core in buckets.values():
        # a claim whose count we cannot read at all joins the one reading its statement has, if only one
        if None in by_core and len(by_core) == 2:
            loose = by_core.pop(None)
            next(iter(by_core.values())).extend(loose)
        for members in by_core.values():
            for run in _date_clusters([claims[i] | {"_i": i} for i in members], tol):
                out.append([c["_i"] for c in run])
    return out


def _subject_label(core: str | None, ents: Counter) -> str | None:
    if core is None:
        return None
    top: dict[str, str] = {}
    for t, _ in ents.most_common():
        top.setdefault(entity_key(t), t)
        if len(top) == 2:
            break
    return f"{core}: {', '.join(top.values())}" if top else core


def build(
    claims: list[dict],
    frames: list[Frame],
    article_ents: dict[str, dict[str, str]],
    tol: int = DATE_TOLERANCE_DAYS,
    events: set[str] | None = None,
) -> tuple[list[str], list[dict], list[dict]]:
    """(group_id per claim, claim_groups rows, subjects rows)."""
    groups = statement_groups(claims, frames, tol)

    # a group's founding claim (earliest, then lowest id) names it, so relays added later keep the id
    def founding(members):
        return min(members, key=lambda i: (_day(claims[i], "claim_date") or dt.date.max, claims[i]["claim_id"]))

    groups.sort(
        key=lambda ms: (_day(claims[founding(ms)], "claim_date") or dt.date.max, claims[founding(ms)]["claim_id"])
    )
    group_of = [None] * len(claims)
    rows = []
    info = []
    for members in groups:
        f0 = claims[founding(members)]
        gid = "g" + _hash(f0["claim_id"])
        for i in members:
            group_of[i] = gid
        cs = [claims[i] for i in members]
        fr = [frames[i] for i in members]
        rows.append(_group_row(gid, f0, cs, fr))
        info.append(_subject_evidence(cs, fr, article_ents, rows[-1]["counts"]))
    subjects = _subjects(rows, info)
    _link_events(claims, frames, group_of, rows, subjects, Measures.load().events if events is None else events)
    return group_of, rows, subjects


def _reported(cs: list[dict]) -> list:
    """When a group's claims were reported: the articles' publication dates, else the claims' dates."""
    pubs = [c["published"] for c in cs if _day(c, "published")]
    return pubs or [c["claim_date"] for c in cs if _day(c, "claim_date")]


def _group_row(gid: str, f0: dict, cs: list[dict], fr: list[Frame]) -> dict:
    """The claim_groups row of one group: `f0` its founding claim, `cs` its claims, `fr` their frames."""
    cores = Counter(f.core for f in fr if f.core)
    ent_texts = Counter(t for f in fr for t in f.frame_ents.values()) + Counter(
        t for f in fr for t in f.sent_ents.values()
    )
    days = [c["claim_date"] for c in cs if _day(c, "claim_date")]
    reported = _reported(cs)
    quals = Counter(c["qualifier"] for c in cs if c.get("qualifier"))
    units = Counter(c["unit"] for c in cs if c.get("unit"))
    return {
        "group_id": gid,
        "subject_id": None,
        "source_canonical": f0.get("source_canonical"),
        "source_type": Counter(c["source_type"] for c in cs if c.get("source_type")).most_common(1)[0][0]
        if any(c.get("source_type") for c in cs)
        else None,
        "sources_as_named": sorted({c["source"] for c in cs if c.get("source")}),
        "via": sorted({c["via"] for c in cs if c.get("via")}),
        "value": f0.get("value"),
        "value_max": f0.get("value_max"),
        "qualifier": quals.most_common(1)[0][0] if quals else None,
        "unit": units.most_common(1)[0][0] if units else None,
        "vague": bool(f0.get("vague")),
        "counts": cores.most_common(1)[0][0] if cores else None,
        "entities": [t for t, _ in ent_texts.most_common(5)],
        "first_reported": min(reported) if reported else None,
        "last_reported": max(reported) if reported else None,
        "first_claim_date": min(days) if days else None,
        "last_claim_date": max(days) if days else None,
        "n_claims": len(cs),
        "n_articles": len({c["doc_id"] for c in cs}),
        "n_outlets": len({c["outlet"] for c in cs if c.get("outlet")}),
        "doc_ids": sorted({c["doc_id"] for c in cs}),
        "outlets": sorted({c["outlet"] for c in cs if c.get("outlet")}),
        "quantity_texts": sorted({c["quantity_text"] for c in cs}),
        "sentence": f0.get("sentence"),
    }


class GroupEvidence(NamedTuple):
    """What `_subjects` reads of one claim group."""

    core: object  # what it counts (None: it names no subject)
    munit: str | None  # its unit of measure
    framing: set  # entity keys next to the number ('North Korean casualties')
    context: set  # entity keys of its sentences
    article: set  # entity keys of its articles
    names: Counter  # names weighed, for the subject's label
    peoples: set  # peoples framing it
    when: tuple | None  # (first, last) day it was reported


def _subject_evidence(cs: list[dict], fr: list[Frame], article_ents: dict[str, dict[str, str]], core) -> GroupEvidence:
    """What `_subjects` reads of one group."""
    fkeys = {k for f in fr for k in f.frame_ents}
    ckeys = {k for f in fr for k in f.sent_ents} | fkeys
    akeys = {k for c in cs for k in article_ents.get(c["doc_id"], {})}
    # a subject is best named by the people next to its number, then any place next to it
    named = Counter()
    for f in fr:
        for k, t in f.frame_ents.items():
            named[t] += 3 if k in f.peoples else 2
        for t in f.sent_ents.values():
            named[t] += 1
    peoples = {k for f in fr for k in f.peoples}
    reported = _reported(cs)
    when = (min(reported), max(reported)) if reported else None
    return GroupEvidence(core, fr[0].munit if fr else None, fkeys, ckeys, akeys, named, peoples, when)


def _link_events(claims, frames, group_of, rows, subjects, events: set[str]) -> None:
    """One event's killed, wounded and casualties stay separate subjects but share an `event_id`: subjects
    of event counts whose claims stand in one sentence of one article ('killed 40 and wounded 100')."""
    sid_of = {r["group_id"]: r["subject_id"] for r in rows}
    by_sentence: dict[tuple, set[str]] = defaultdict(set)
    for c, f, g in zip(claims, frames, group_of):
        sid = sid_of.get(g)
        if sid and f.core in events:
            by_sentence[(c["doc_id"], c.get("sentence_start"))].add(sid)
    index = {s["subject_id"]: i for i, s in enumerate(subjects)}
    uf = _UnionFind(len(subjects))
    for sids in by_sentence.values():
        first, *rest = sorted(sids)
        for other in rest:
            uf.union(index[first], index[other])
    members: dict[int, list[str]] = defaultdict(list)
    for s in subjects:
        if s["counts"] in events:
            members[uf.find(index[s["subject_id"]])].append(s["subject_id"])
    for sids in members.values():
        eid = "e" + _hash(min(sids))
        for sid in sids:
            subjects[index[sid]]["event_id"] = eid


def _subjects(rows: list[dict], info: list[GroupEvidence]) -> list[dict]:
    """Union groups counting one thing: same concept and unit, and the same places or peoples.

    A group is 'framed' when entities stand next to its number ('North Korean casualties'); two
    groups link when each one's framing entities are named in the other's sentences (so Russian
    and North Korean casualties stay apart even when both sentences name Ukraine); a group without
    framing entities links on any place or people its sentences share with the other. Two groups
    whose numbers are framed by different peoples never link directly.
    """
    uf = _UnionFind(len(rows))
    ctx_index: dict[tuple, list[int]] = defaultdict(list)
    first_unframed: dict[tuple, int] = {}

    def near(a, b):
        return (
            a is None or b is None or (b[0] - a[1]).days <= SUBJECT_GAP_DAYS and (a[0] - b[1]).days <= SUBJECT_GAP_DAYS
        )

    for g, (core, munit, fkeys, ckeys, akeys, *_) in enumerate(info):
        if core is not None:
            # what an unframed number counts may be named a sentence earlier ('3,000 of them'):
            # a framed group may find it through the article's places and peoples
            for k in (ckeys | akeys if not fkeys else ckeys) or {None}:
                ctx_index[(core, munit, k)].append(g)
    for g, (core, munit, fkeys, ckeys, akeys, _, peoples, when) in enumerate(info):
        if core is None:
            continue
        if not fkeys:
            # unframed groups meet in windows of SUBJECT_GAP_DAYS (a cheap stand-in for pairwise checks)
            window = when[0].toordinal() // SUBJECT_GAP_DAYS if when else None
            for k in ckeys or akeys or {None}:
                uf.union(g, first_unframed.setdefault((core, munit, k, window), g))
            continue
        for k in fkeys:
            for h in ctx_index[(core, munit, k)]:
                other = info[h]
                # whose casualties: 'Russian casualties in Ukraine' are not 'North Korean casualties in Russia'
                if peoples and other.peoples and not peoples & other.peoples:
                    continue
                if h != g and (not other.framing or other.framing & ckeys) and near(when, other.when):
                    uf.union(g, h)
    members: dict[int, list[int]] = defaultdict(list)
    for g, (core, *_rest) in enumerate(info):
        if core is not None:
            members[uf.find(g)].append(g)
    subjects = []
    for root, gs in members.items():
        sid = "s" + _hash(rows[gs[0]]["group_id"])
        for g in gs:
            rows[g]["subject_id"] = sid
        names = Counter()
        for g in gs:
            names += info[g].names
        subjects.append(_subject_row(sid, info[root].core, info[root].munit, [rows[g] for g in gs], names))
    return subjects


def _point(r: dict) -> float:
    return (r["value"] + r["value_max"]) / 2 if r.get("value_max") is not None else r["value"]


def _subject_row(sid: str, core: str, munit: str | None, gs: list[dict], ents: Counter) -> dict:
    """Low / best / high over each source's latest figure, ACLED/UCDP style: low is the most
    conservative figure any source gives, high the largest, best the median of the sources."""
    latest: dict[str | None, dict] = {}
    for r in sorted(gs, key=lambda r: r["last_claim_date"] or r["last_reported"] or dt.date.min):
        if not r["vague"] and r["value"] is not None:
            latest[r["source_canonical"]] = r
    firm = list(latest.values())
    reported = [d for r in gs for d in (r["first_reported"], r["last_reported"]) if d]
    return {
        "subject_id": sid,
        "label": _subject_label(core, ents),
        "counts": core,
        "unit": munit,
        "event_id": None,
        "n_groups": len(gs),
        "n_claims": sum(r["n_claims"] for r in gs),
        "n_sources": len({r["source_canonical"] for r in gs}),
        "sources": sorted({r["source_canonical"] or "(unattributed)" for r in gs}),
        "n_articles": len({d for r in gs for d in r["doc_ids"]}),
        "first_reported": min(reported) if reported else None,
        "last_reported": max(reported) if reported else None,
        "low": min(r["value"] for r in firm) if firm else None,
        "best": statistics.median(_point(r) for r in firm) if firm else None,
        "high": max(r["value_max"] if r["value_max"] is not None else r["value"] for r in firm) if firm else None,
    }


# --- reading and writing an output folder -----------------------------------------------------------

# an older release kept what it parsed for grouping here; grouping reads the claims table now
FRAMES_CACHE = ".groups-frames.parquet"


def _article_entities(d: Path) -> dict[str, dict[str, str]]:
    """Each article's most named places and peoples, for claims whose sentence names none."""
    path = d / "entities.parquet"
    if not path.exists():
        return {}
    t = pq.read_table(path, columns=["doc_id", "text", "label"]).to_pylist()
    per: dict[str, Counter] = defaultdict(Counter)
    text_of: dict[str, str] = {}
    for r in t:
        if r["label"] in WHERE:
            k = entity_key(r["text"])
            per[r["doc_id"]][k] += 1
            text_of.setdefault(k, r["text"])
    return {d: {k: text_of[k] for k, _ in cnt.most_common(5)} for d, cnt in per.items()}


def _write(table: str, rows: list[dict], d: Path) -> None:
    _write_table(table, pa.Table.from_pylist(rows, schema=schema(table)), d)


def _write_table(name: str, table: pa.Table, d: Path) -> None:
    # a new temporary file renamed over the table: never written through a link at its name
    fd, tmp = tempfile.mkstemp(prefix=f".tmp-{name}-", suffix=".parquet", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            pq.write_table(table.cast(schema(name)), f, compression="zstd")
        os.replace(tmp, d / f"{name}.parquet")
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_empty(d: Path) -> None:
    """A generation written without grouping: no claim_groups, no subjects, and no claim pointing at one
    (reused claim rows came with the group_id of the generation before)."""
    for t in ("claim_groups", "subjects"):
        _write(t, [], d)
    table = pq.read_table(d / "claims.parquet")
    i = table.schema.get_field_index("group_id")
    _write_table("claims", table.set_column(i, table.schema.field(i), pa.nulls(table.num_rows, pa.string())), d)


def group_dir(d: str | os.PathLike, tol: int = DATE_TOLERANCE_DAYS) -> dict[str, int]:
    """Group the claims of the tables in folder `d` (a generation not yet published), in place:
    rewrite claims with group_id, write claim_groups and subjects.

    Table work only: what each number counts was read in the main pass and is in the claims table.
    """
    d = Path(d)
    table = pq.read_table(d / "claims.parquet")
    claims = table.to_pylist()
    frames = frames_for(claims)
    group_of, groups, subjects = build(claims, frames, _article_entities(d), tol)
    table = table.set_column(
        table.schema.get_field_index("group_id"), table.schema.field("group_id"), pa.array(group_of, pa.string())
    )
    _write("subjects", subjects, d)
    _write("claim_groups", groups, d)
    _write_table("claims", table, d)
    return {"claims": len(claims), "claim_groups": len(groups), "subjects": len(subjects)}


def regroup(out: str | os.PathLike, tol: int = DATE_TOLERANCE_DAYS) -> dict[str, int]:
    """Group the claims of output folder `out` again, as a new generation of all its tables.

    The article tables are hard-linked from the current generation; claims, claim_groups and
    subjects are rewritten; the new generation is published at once (pipeline/outdir.py).
    """
    from . import outdir
    from .schema import TABLES

    out = Path(out)
    cur = outdir.current_dir(out)
    if cur is None:
        raise FileNotFoundError(f"no tables in {out}")
    gen = outdir.new_generation(out)
    try:
        # every file is rewritten by a rename, never in place: links leave the current generation as it is
        outdir.link_into(cur, gen, [f"{t}.parquet" for t in TABLES] + [outdir.RUN_JSON])
        n = group_dir(gen, tol)
    except BaseException:
        outdir._remove(gen)
        raise
    outdir.publish(out, gen)
    (out / FRAMES_CACHE).unlink(missing_ok=True)
    return n

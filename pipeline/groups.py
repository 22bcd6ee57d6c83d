"""Across articles: claims that are one statement, and statements that count one thing.

Runs after a whole run has been written (`python -m pipeline run` calls it once the
tables are committed; `python -m pipeline groups OUT` runs it on an existing output):

* `claim_groups`: one row per underlying claim. Claims from any articles are one
  group when they credit the same canonical source (or none), give the same number
  (value, upper bound, direction of the qualifier, vagueness), count compatible
  things and were made on compatible days. Three outlets relaying the spy agency's
  "about 1,100 casualties" are one group with three articles.
* `subjects`: groups that count the same thing, whoever says it, so disagreements
  show (Seoul's 1,100 beside Kyiv's 3,000). What a number counts is read from the
  parse of its sentence: the noun it counts, the verbs that say what happened to it
  ("killed or wounded"), mapped to concepts by `models/measures.json`, plus the
  places and peoples named around it (entity overlap keeps Syrian and North Korean
  casualties apart).

Every claim row gets its `group_id`; `claims.parquet` is rewritten atomically.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import schema

MODELS = Path(__file__).resolve().parent.parent / "models"
# ents that characterise what is counted: where and whose
PLACE_LABELS = {"GPE", "NORP", "LOC", "FAC", "EVENT"}
FRAME_LABELS = PLACE_LABELS | {"ORG"}
QUALIFIER_CLASS = {"exact": "point", "approx": "point", "range": "range", "more_than": "lower",
                   "at_least": "lower", "less_than": "upper", "at_most": "upper"}
DATE_TOLERANCE_DAYS = 7
SUBJECT_GAP_DAYS = 60      # reports further apart than this link only through reports in between
WHERE_PREPS = {"in", "among", "of", "from", "inside", "across", "near", "at"}


@dataclass
class Measures:
    """The lexicon of models/measures.json plus the reporting verbs of models/cues.json."""
    concepts: dict[str, str]
    combine: list[tuple[frozenset[str], str]]
    ranks: dict[str, int]
    containers: set[str]
    light: set[str]
    reporting: set[str]
    no_subject: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> "Measures":
        data = json.loads(Path(path or MODELS / "measures.json").read_text(encoding="utf-8"))
        cues = json.loads((MODELS / "cues.json").read_text(encoding="utf-8"))
        return cls(concepts=data["concepts"],
                   combine=[(frozenset(c["all"]), c["gives"]) for c in data.get("combine", [])],
                   ranks=data.get("ranks", {}), containers=set(data.get("container_nouns", [])),
                   light=set(data.get("light_words", [])),
                   reporting=set(cues["verbs"]) | set(cues.get("verbs_need_ccomp", [])),
                   no_subject=set(data.get("no_subject", [])))

    def concept(self, word: str | None) -> str | None:
        if not word:
            return None
        w = word.lower()
        return self.concepts.get(w) or (self.concepts.get(w[:-1]) if w.endswith("s") else None)


@dataclass
class Frame:
    """What one claim's number counts."""
    core: str | None = None          # concept key: 'casualties', 'troops deployed', 'unemployment rate'
    munit: str | None = None         # unit of measure when it is not the counted noun (percent, usd)
    head: str | None = None          # the counted noun's concept or lemma
    frame_ents: dict[str, str] = field(default_factory=dict)   # entity key -> text, near the number
    sent_ents: dict[str, str] = field(default_factory=dict)    # places and peoples of the sentence
    peoples: set[str] = field(default_factory=set)             # NORP keys among frame_ents: the best label


# --- entities -------------------------------------------------------------------------------------

_SUFFIXES = ("ians", "ian", "ans", "ese", "ish", "ia", "an", "i", "n", "e", "a", "s")


def _stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[:-len(suf)]
    return word


def entity_key(text: str) -> str:
    """One key for a place and its people: 'North Korean' and 'North Korea', 'Ukraine' and 'Ukrainian'."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").split("'s")[0])
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_stem(w) for w in words)


# --- what a number counts -------------------------------------------------------------------------

def _num_token(span):
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    q = nums[-1] if nums else span.root
    while q.head in span and q.head.i != q.i and (q.head.like_num or q.head.pos_ == "NUM"):
        q = q.head
    return q


def _verb_above(tok):
    """The first verb up the tree from a counted word, through prepositions and objects."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") and t.i != tok.i:
            return t
        if t.dep_ in ("ROOT", "ccomp", "advcl", "relcl") and t.i != tok.i:
            return None
        if t.head.i == t.i:
            return None
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else None


def _events(verb, m: Measures):
    """The verb and what it chains to ('believed to have been killed or wounded')."""
    out, todo = [], [verb]
    while todo and len(out) < 6:
        v = todo.pop()
        out.append(v)
        # a conjoined verb with a subject of its own says something about another number
        todo.extend(c for c in v.children if c.dep_ in ("xcomp", "conj") and c.pos_ in ("VERB", "ADJ")
                    and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children))
        if v.lemma_ in m.reporting:
            todo.extend(c for c in v.children if c.dep_ == "ccomp" and c.pos_ == "VERB")
    return [v for v in out if v.lemma_ not in m.reporting and v.lemma_ not in m.light]


def frame_of(sent, start: int, end: int, unit: str | None, m: Measures, skip: tuple[int, int] | None = None) -> Frame:
    """Read what the number at sent.text[start:end] counts from the parse of its sentence."""
    span = sent.char_span(start, end, alignment_mode="expand")
    f = Frame(sent_ents={entity_key(e.text): e.text for e in sent.ents if e.label_ in PLACE_LABELS
                         and not (skip and e.start_char < skip[1] and e.end_char > skip[0])})
    if span is None or not len(span):
        return _finish(f, None, [], unit, m)
    q = _num_token(span)
    counted, events = None, []
    of = [c for c in q.children if c.dep_ == "prep" and c.lower_ == "of"]
    if q.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "appos") and q.head.pos_ in ("NOUN", "PROPN") \
            and q.head not in span:
        counted = q.head
    elif of and any(c.dep_ == "pobj" for c in of[0].children):
        counted = next(c for c in of[0].children if c.dep_ == "pobj")        # '3,000 of them', 'thousands of troops'
    elif q.dep_ == "pobj" and q.head.dep_ == "prep" and q.head.head.pos_ in ("NOUN", "PROPN"):
        counted = q.head.head                                                   # 'casualties around 1,100'
    elif q.dep_ == "conj" and q.head.pos_ in ("NOUN", "PROPN"):
        counted = q.head                                                        # '100 killed and 1,000 wounded'
    if counted is not None and counted.pos_ == "PRON":
        counted = None
    acl = [c for c in counted.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"] if counted is not None else []
    if acl and q.dep_ != "conj":
        events = [v for a in acl for v in _events(a, m)]
    else:
        verb = _verb_above(counted if counted is not None else q)
        if verb is not None:
            if counted is None and q.dep_ in ("dobj", "pobj", "attr", "oprd", "npadvmod"):
                subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")]
                counted = subj[0] if subj else None                            # 'casualties ... exceeded 200'
            events = _events(verb, m)
    if counted is not None and counted.lemma_.lower() in m.containers:
        inner = [g for c in counted.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        counted = inner[0] if inner else counted                               # 'the number of casualties'
    # entities near the number: in the counted phrase, the number's phrase, the event's adjuncts
    toks = set(span)
    if counted is not None:
        toks |= set(counted.subtree) - set(t for c in counted.children if c.dep_ in ("relcl", "acl") for t in c.subtree)
    # where or among whom it happened ('killed in Russia'), not every adjunct ('clashes with Ukrainian forces')
    for v in events:
        toks |= {t for c in v.children if c.dep_ == "prep" and c.lower_ in WHERE_PREPS
                 for o in c.children if o.dep_ == "pobj" for t in [o, *o.children] if t.dep_ != "prep"}
    near = [e for e in sent.ents if e.label_ in FRAME_LABELS and any(t in toks for t in e)
            and not (skip and e.start_char < skip[1] and e.end_char > skip[0])]
    f.frame_ents = {entity_key(e.text): e.text for e in near}
    f.peoples = {entity_key(e.text) for e in near if e.label_ == "NORP"}
    return _finish(f, counted, events, unit, m)


def _finish(f: Frame, counted, events, unit, m: Measures) -> Frame:
    head = label = None
    if counted is not None:
        head = m.concept(counted.lemma_) or m.concept(counted.text)
        if head is None:
            mods = [c.lemma_.lower() for c in counted.children if c.dep_ == "compound" and c.pos_ == "NOUN"
                    and c.ent_type_ == ""]
            head = " ".join(mods + [counted.lemma_.lower()])
    elif unit:
        head = m.concept(unit) or unit
    concepts = {m.concept(v.lemma_) for v in events} - {None}
    for need, gives in m.combine:
        if need <= concepts | {head}:
            concepts = (concepts - need) | {gives}
            head = gives if head in need else head
    ranked = sorted(concepts | ({head} if head else set()), key=lambda c: -m.ranks.get(c, 1 if c in m.concepts.values() else 0))
    top = ranked[0] if ranked else None
    if top is None:
        core = None
    elif m.ranks.get(top, 0) >= 3 or top == head:
        core = top
    else:
        core = f"{head} {top}" if head else top                                   # 'troops deployed'
    if core in m.no_subject or (head in m.no_subject and core == head):
        core = None
    f.core, f.head = core, head
    if unit and m.concept(unit) != head and unit != head and not (counted is not None and
                                                                   unit in (counted.lemma_.lower(), counted.lower_)):
        f.munit = unit
    return f


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
    """Indices of claims that are one statement."""
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        key = (c.get("source_canonical"), c.get("value"), c.get("value_max"),
               QUALIFIER_CLASS.get(c.get("qualifier"), c.get("qualifier")), bool(c.get("vague")), frames[i].munit)
        buckets[key].append(i)
    out = []
    for idx in buckets.values():
        by_core: dict[str | None, list[int]] = defaultdict(list)
        for i in idx:
            by_core[frames[i].core].append(i)
        # a claim whose count we cannot read joins the one reading its statement has, if only one
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


def build(claims: list[dict], frames: list[Frame], article_ents: dict[str, dict[str, str]],
          tol: int = DATE_TOLERANCE_DAYS) -> tuple[list[str], list[dict], list[dict]]:
    """(group_id per claim, claim_groups rows, subjects rows)."""
    groups = statement_groups(claims, frames, tol)
    # a group's founding claim (earliest, then lowest id) names it, so relays added later keep the id
    def founding(members):
        return min(members, key=lambda i: (_day(claims[i], "claim_date") or dt.date.max, claims[i]["claim_id"]))
    groups.sort(key=lambda ms: (_day(claims[founding(ms)], "claim_date") or dt.date.max, claims[founding(ms)]["claim_id"]))
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
        cores = Counter(f.core for f in fr if f.core)
        frame_ents = Counter(t for f in fr for t in f.frame_ents.values())
        fkeys = {k for f in fr for k in f.frame_ents}
        ckeys = {k for f in fr for k in f.sent_ents} | fkeys
        akeys = {k for c in cs for k in article_ents.get(c["doc_id"], {})}
        ent_texts = frame_ents + Counter(t for f in fr for t in f.sent_ents.values())
        pubs = [c["published"] for c in cs if _day(c, "published")]
        days = [c["claim_date"] for c in cs if _day(c, "claim_date")]
        reported = pubs or days
        quals = Counter(c["qualifier"] for c in cs if c.get("qualifier"))
        units = Counter(c["unit"] for c in cs if c.get("unit"))
        core = cores.most_common(1)[0][0] if cores else None
        rows.append({
            "group_id": gid, "subject_id": None,
            "source_canonical": f0.get("source_canonical"),
            "source_type": Counter(c["source_type"] for c in cs if c.get("source_type")).most_common(1)[0][0]
            if any(c.get("source_type") for c in cs) else None,
            "sources_as_named": sorted({c["source"] for c in cs if c.get("source")}),
            "via": sorted({c["via"] for c in cs if c.get("via")}),
            "value": f0.get("value"), "value_max": f0.get("value_max"),
            "qualifier": quals.most_common(1)[0][0] if quals else None,
            "unit": units.most_common(1)[0][0] if units else None,
            "vague": bool(f0.get("vague")),
            "counts": core,
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
        })
        # a subject is best named by the people next to its number, then any place next to it
        named = Counter()
        for f in fr:
            for k, t in f.frame_ents.items():
                named[t] += 3 if k in f.peoples else 2
            for t in f.sent_ents.values():
                named[t] += 1
        peoples = {k for f in fr for k in f.peoples}
        when = (min(reported), max(reported)) if reported else None
        info.append((core, fr[0].munit if fr else None, fkeys, ckeys, akeys, named, peoples, when))
    subjects = _subjects(rows, info)
    return group_of, rows, subjects


def _subjects(rows: list[dict], info: list[tuple]) -> list[dict]:
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
        return a is None or b is None or (b[0] - a[1]).days <= SUBJECT_GAP_DAYS and (a[0] - b[1]).days <= SUBJECT_GAP_DAYS

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
                hf, hp = info[h][2], info[h][6]
                # whose casualties: 'Russian casualties in Ukraine' are not 'North Korean casualties in Russia'
                if peoples and hp and not peoples & hp:
                    continue
                if h != g and (not hf or hf & ckeys) and near(when, info[h][7]):
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
            names += info[g][5]
        subjects.append(_subject_row(sid, info[root][0], info[root][1], [rows[g] for g in gs], names))
    return subjects


def _point(r: dict) -> float:
    return (r["value"] + r["value_max"]) / 2 if r.get("value_max") is not None else r["value"]


def _subject_row(sid: str, core: str, munit: str | None, gs: list[dict], ents: Counter) -> dict:
    """Low / best / high over each source's latest figure, ACLED/UCDP style: low is the most
    conservative figure any source gives, high the largest, best the median of the sources."""
    latest: dict[str | None, dict] = {}
    for r in sorted(gs, key=lambda r: (r["last_claim_date"] or r["last_reported"] or dt.date.min)):
        if not r["vague"] and r["value"] is not None:
            latest[r["source_canonical"]] = r
    firm = list(latest.values())
    reported = [d for r in gs for d in (r["first_reported"], r["last_reported"]) if d]
    return {
        "subject_id": sid, "label": _subject_label(core, ents), "counts": core, "unit": munit,
        "n_groups": len(gs), "n_sources": len({r["source_canonical"] for r in gs}),
        "sources": sorted({r["source_canonical"] or "(unattributed)" for r in gs}),
        "n_articles": len({d for r in gs for d in r["doc_ids"]}),
        "first_reported": min(reported) if reported else None,
        "last_reported": max(reported) if reported else None,
        "low": min(r["value"] for r in firm) if firm else None,
        "best": statistics.median(_point(r) for r in firm) if firm else None,
        "high": max(r["value_max"] if r["value_max"] is not None else r["value"] for r in firm) if firm else None,
    }


# --- reading and writing an output folder -----------------------------------------------------------

def _parse_sentences(nlp, texts: list[str]):
    """(text, Doc) for each sentence, streamed: the Docs are not kept, so memory stays flat."""
    from .nlp import COMPONENTS
    disable = [p for p in nlp.pipe_names if p in COMPONENTS]
    with nlp.select_pipes(disable=disable):
        yield from zip(texts, nlp.pipe(texts, batch_size=64))


def _frame_key(c: dict, version: str) -> str:
    """What a claim's frame depends on: its sentence, where the number and source sit in it, its unit."""
    off = c.get("sentence_start") or 0
    skip = (c["source_start"] - off, c["source_end"] - off) if c.get("source_start") is not None else None
    return _hash(version, c.get("sentence"), c["start"] - off, c["end"] - off, c.get("unit"), skip)


def frames_version(model: str) -> str:
    """Frames change with the model that parses, the lexicons and this module's code."""
    parts = [model] + [p.read_bytes() for p in (MODELS / "measures.json", MODELS / "cues.json", Path(__file__))]
    return _hash(*[hashlib.blake2b(p if isinstance(p, bytes) else p.encode()).hexdigest() for p in parts])


def frames_for(claims: list[dict], nlp, measures: Measures | None = None,
               cache: dict[str, Frame] | None = None, version: str = "") -> list[Frame]:
    """The frame of every claim. Frames found in `cache` (by `_frame_key`) are reused, so a re-run
    parses only the sentences of new or changed claims; `nlp` may be a callable that loads the
    model, called only when a sentence has to be parsed."""
    m = measures or Measures.load()
    cache = cache if cache is not None else {}
    by_sentence: dict[str, list[int]] = defaultdict(list)
    out: list[Frame | None] = [None] * len(claims)
    for i, c in enumerate(claims):
        hit = cache.get(_frame_key(c, version)) if c.get("sentence") else None
        if hit is not None:
            out[i] = hit
        elif c.get("sentence"):
            by_sentence[c["sentence"]].append(i)
    if by_sentence and callable(nlp) and not hasattr(nlp, "pipe"):
        nlp = nlp()
    for text, doc in (_parse_sentences(nlp, sorted(by_sentence)) if by_sentence else ()):
        for i in by_sentence[text]:
            c = claims[i]
            off = c["sentence_start"]
            skip = None
            if c.get("source_start") is not None:
                skip = (c["source_start"] - off, c["source_end"] - off)
            out[i] = frame_of(doc, c["start"] - off, c["end"] - off, c.get("unit"), m, skip)
    for i, c in enumerate(claims):
        if out[i] is None:
            out[i] = _finish(Frame(), None, [], c.get("unit"), m)
    return out


FRAMES_CACHE = ".groups-frames.parquet"


def _load_frames(out: Path, version: str) -> dict[str, Frame]:
    path = out / FRAMES_CACHE
    if not path.exists():
        return {}
    try:
        t = pq.read_table(path)
    except Exception:               # a damaged cache only costs a re-parse
        return {}
    if t.schema.metadata is None or t.schema.metadata.get(b"version") != version.encode():
        return {}
    found = {}
    for key, frame in zip(t.column("key").to_pylist(), t.column("frame").to_pylist()):
        d = json.loads(frame)
        found[key] = Frame(core=d["core"], munit=d["munit"], head=d["head"], frame_ents=d["frame_ents"],
                           sent_ents=d["sent_ents"], peoples=set(d["peoples"]))
    return found


def _save_frames(out: Path, version: str, claims: list[dict], frames: list[Frame]) -> None:
    """Keep the frames of the current claims only, so the cache never outgrows the tables."""
    keys, blobs, seen = [], [], set()
    for c, f in zip(claims, frames):
        if not c.get("sentence"):
            continue
        k = _frame_key(c, version)
        if k in seen:
            continue
        seen.add(k)
        keys.append(k)
        blobs.append(json.dumps({"core": f.core, "munit": f.munit, "head": f.head, "frame_ents": f.frame_ents,
                                 "sent_ents": f.sent_ents, "peoples": sorted(f.peoples)}, ensure_ascii=False))
    table = pa.table({"key": keys, "frame": blobs}).replace_schema_metadata({"version": version})
    tmp = out / f".tmp-{os.getpid()}-frames.parquet"
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, out / FRAMES_CACHE)
    finally:
        tmp.unlink(missing_ok=True)


def _article_entities(out: Path) -> dict[str, dict[str, str]]:
    """Each article's most named places and peoples, for claims whose sentence names none."""
    path = out / "entities.parquet"
    if not path.exists():
        return {}
    t = pq.read_table(path, columns=["doc_id", "text", "label"]).to_pylist()
    per: dict[str, Counter] = defaultdict(Counter)
    text_of: dict[str, str] = {}
    for r in t:
        if r["label"] in PLACE_LABELS:
            k = entity_key(r["text"])
            per[r["doc_id"]][k] += 1
            text_of.setdefault(k, r["text"])
    return {d: {k: text_of[k] for k, _ in cnt.most_common(5)} for d, cnt in per.items()}


def _write(table: str, rows: list[dict], out: Path) -> None:
    tmp = out / f".tmp-{os.getpid()}-{table}.parquet"
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema(table)), tmp, compression="zstd")
        os.replace(tmp, out / f"{table}.parquet")
    finally:
        tmp.unlink(missing_ok=True)


def regroup(out: str | os.PathLike, nlp=None, tol: int = DATE_TOLERANCE_DAYS) -> dict[str, int]:
    """Group the claims of output folder `out`; rewrite claims with group_id, write claim_groups, subjects."""
    out = Path(out)
    claims = pq.read_table(out / "claims.parquet").to_pylist()
    from .nlp import DEFAULT_MODEL
    model = DEFAULT_MODEL
    run = out / "run.json"
    if run.exists():
        model = json.loads(run.read_text(encoding="utf-8")).get("model") or model
    if nlp is None:
        def nlp():                  # loaded only if some sentence is not in the cache
            import spacy
            return spacy.load(model)
    version = frames_version(model)
    frames = frames_for(claims, nlp, cache=_load_frames(out, version), version=version)
    group_of, groups, subjects = build(claims, frames, _article_entities(out), tol)
    for c, g in zip(claims, group_of):
        c["group_id"] = g
    # subjects and groups first: a claims table with group_ids never points at missing groups
    _write("subjects", subjects, out)
    _write("claim_groups", groups, out)
    _write("claims", claims, out)
    _save_frames(out, version, claims, frames)
    return {"claims": len(claims), "claim_groups": len(groups), "subjects": len(subjects)}

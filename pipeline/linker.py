"""Linker: a learned second opinion on who each number is credited to (issue #4).

The rules of `claim_attribution` give every quantity one source or None. The linker
lists, for each quantity, the mentions that could be its source (candidates) and
scores them with a linear model over hand-made features; a softmax over one
quantity's candidates, a NULL candidate (the writer's own voice) among them.

Candidates, for a number in sentence k:
  rule    the rules' own choice (its mention);
  cue     the sources of the rules' cues in sentences k-2 .. k;
  subj    the subject (nsubj, or the agent of a passive) of each verb on the number's
          dependency path to the root ("the company agreed to pay $325 million");
  ent     PERSON / ORG / GPE / NORP mentions in the sentence;
  pron    pronouns in the sentence ("he", "they");
  prev    the source the rules chose last in the sentence before;
  NULL.
Mentions that overlap are merged into one candidate with all their kinds.

The model (models/linker.json: feature names, weights, version) is trained on the
PolNeAR train split by `python -m pipeline.linker_train train` (`make train-linker`;
pipeline/linker_train.py).

At inference (`claim_attribution` config `linker`, `linker_mode`, `linker_threshold`):
  null_only  the linker may only give a source where the rules say None, when its
             best candidate is not NULL and has probability >= threshold;
  switch     as null_only, and its best candidate also replaces the rules' source when
             it is another mention (never None) with probability >= threshold;
  override   the linker's best candidate replaces the rules' choice whenever it
             differs and has probability >= threshold (NULL included);
  off        the rules alone.
PolNeAR credits stance predicates ("agreed", "named", "blame") and the outer
source of nested reports; the project's gold (ANNOTATION.md) credits the writer's
voice for events and the inner source. The linker learns PolNeAR's convention, so
it is off by default: see docs/linker.md for the measurements.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.util import registry

from .attribution import LINKER, Attribution, Mentions
from .constants import CANDIDATE_SOURCES, EXPLETIVE, SUBJ
from .doctext import doc_text
from .resources import locate

MODES = ("off", "gate", "null_only", "switch", "override")
VERSION = 2
NULL = "NULL"
# "9 km (about six miles)": the writer's conversion, which the rules keep in the writer's voice
# (the same pattern as attribution.decision.CONVERSION)
CONVERSION = re.compile(r"\s*(?:[^\W\d]+\.?\s*){0,2}\(\s*(?:(?:the\s+)?equivalent\s+(?:of|to)\s+|i\.e\.,?\s+|or\s+)?")


@dataclass
class Candidate:
    start: int  # the mention's character span; -1 for NULL
    end: int
    head: Token | None
    kinds: set[str] = field(default_factory=set)
    cue: object | None = None  # the rules' Cue naming this mention, if any
    verbs: list[Token] = field(default_factory=list)  # the verbs this mention is the subject of
    rule: Attribution | None = None  # the rules' own Attribution, for the rule candidate
    prev: Attribution | None = None
    feats: list[str] = field(default_factory=list)


def _bucket(n: int, edges=(1, 2, 4, 8, 16, 32)) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


class _Context:
    """What the features of one Doc need, computed once."""

    def __init__(self, att: Mentions, doc: Doc, quantities, out, cues, quotes, carried):
        self.att, self.doc, self.cues, self.quotes, self.carried = att, doc, cues, quotes, carried
        self.sents = list(doc.sents)
        # the sentence of each token (what `token.sent` finds by walking the sentence)
        self.token_sent = [k for k, s in enumerate(self.sents) for _ in range(s.end - s.start)]
        self.ents = list(doc.ents)
        self._pronouns: dict[int, list[Token]] = {}
        self._words: dict[int, list[str]] = {}
        self.history = [c.resolved for c in cues if c.resolved]
        # the rules' last choice per sentence: the "prev" candidate of the next sentence
        self.last_choice: dict[int, Attribution] = {}
        for q, a in zip(quantities, out):
            t = self._token(q)
            if t is not None and a is not None:
                self.last_choice[self.sent_of(t)] = a

    def _token(self, q) -> Token | None:
        span = self.doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
        return span.root if span is not None else None

    def sent_of(self, t: Token) -> int:
        return self.token_sent[t.i]

    def pronouns(self, k: int) -> list[Token]:
        """The pronouns of sentence k (cues.json `pronouns`), found once per sentence."""
        found = self._pronouns.get(k)
        if found is None:
            found = self._pronouns[k] = [h for h in self.sents[k] if h.lower_ in self.att.cues.pronouns]
        return found

    def content_words(self, k: int) -> list[str]:
        """The verbs, nouns and prepositions of sentence k, lower-cased, found once per sentence."""
        found = self._words.get(k)
        if found is None:
            found = self._words[k] = [x.lower_ for x in self.sents[k] if x.pos_ in ("VERB", "NOUN", "ADP")]
        return found

    def in_quote(self, pos: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in self.quotes if a <= pos < b), None)


def _path_up(t: Token, top: Token, limit: int = 4) -> list[str] | None:
    """The dependency labels from `t` up to (not including) its ancestor `top`, or None."""
    labels, x = [], t
    while x.i != top.i:
        if x.head.i == x.i:
            return None
        labels.append(x.dep_)
        x = x.head
    return labels[-limit:]


def content_features(ctx: _Context, t: Token, anchor: Token) -> list[str]:
    """Where the number lies relative to the cue that would credit it: inside the clause the
    cue governs (its content) or beside it, in the sentence before or after, in a quotation.
    Learned from PolNeAR's content spans; the rules' scope is one feature among them."""
    f: list[str] = []
    text = doc_text(ctx.doc)
    ds = ctx.sent_of(t) - ctx.sent_of(anchor)
    if ds != 0:
        f.append(f"R:sent:{ds if -1 <= ds <= 2 else ('3+' if ds > 2 else 'before')}")
        sent = ctx.sents[ctx.sent_of(t)]
        a_sent = ctx.sents[ctx.sent_of(anchor)]
        lo, hi = sorted((a_sent.end_char, sent.start_char))
        f.append("R:para" if "\n" in text[lo:hi] else "R:same_para")
        root = sent.root
        f.append(f"R:root:{root.lemma_.lower()}")
        subj = next((x for x in root.children if x.dep_ in SUBJ), None)
        f.append(f"R:rsubj:{(subj.ent_type_ or subj.pos_) if subj is not None else '-'}")
        if subj is not None and subj.pos_ == "PRON":
            f.append(f"R:rsubj_w:{subj.lower_}")
        f.append(f"R:first:{sent[0].lower_ if sent[0].is_alpha else sent[0].pos_}")
        path = _path_up(t, root)
        if path:
            f.append(f"R:npath:{'>'.join(path[-2:])}")
        return f
    f.append("R:before" if t.i < anchor.i else "R:after")
    lo, hi = sorted((t.idx, anchor.idx))
    between = text[lo:hi]
    if "," in between:
        f.append("R:comma")
    if any(ch in between for ch in '"“”'):
        f.append("R:quote_between")
    path = _path_up(t, anchor)
    if path == []:
        return f + ["R:is_cue"]
    if path is not None:
        f += [f"R:in:{path[-1]}", f"R:path:{'>'.join(path)}", f"R:plen:{_bucket(len(path), (1, 2, 3, 5, 8))}"]
        f.append(f"R:in:{path[-1]}&{anchor.lemma_.lower()}")
        if any(x in ("relcl", "acl", "appos", "advcl") for x in path[:-1]):
            f.append("R:inner_clause")
        return f
    # the cue hangs below the clause ("..., X said"): how, and where the number sits in that clause
    lca = next((a for a in [anchor] + list(anchor.ancestors) if a.left_edge.i <= t.i <= a.right_edge.i), None)
    f.append(f"R:cue_dep:{anchor.dep_}")
    if lca is not None:
        up = _path_up(anchor, lca) or ["-"]
        down = _path_up(t, lca) or ["-"]
        f += [f"R:up:{'>'.join(up[-2:])}", f"R:down:{down[-1]}", f"R:updown:{up[-1]}|{down[-1]}"]
        if any(x in ("relcl", "acl", "appos", "advcl") for x in down[:-1]):
            f.append("R:inner_clause")
    return f


def number_shape(ctx: _Context, q) -> list[str]:
    """What the number looks like: a long digit string is an identifier, not a figure anyone states."""
    text = doc_text(ctx.doc)
    raw = text[q.num_start : q.num_end]
    f = []
    if re.fullmatch(r"\d{9,}", raw):
        f.append("id_digits")
    left = text[max(0, q.num_start - 200) : q.num_start]
    if left.rfind("<") > left.rfind(">"):
        f.append("in_markup")
    return f


def _merge(found: list[Candidate], c: Candidate) -> None:
    """Add a candidate, or merge it into one it overlaps (its kinds, cue, verbs, prev)."""
    for o in found:
        if o.start < c.end and c.start < o.end:
            o.kinds |= c.kinds
            o.cue = o.cue or c.cue
            o.verbs += [v for v in c.verbs if v not in o.verbs]
            o.prev = o.prev or c.prev
            return
    found.append(c)


def _mention(att: Mentions, h: Token) -> tuple[int, int]:
    """The character span of the mention a head stands for (a pronoun: itself)."""
    if h.lower_ in att.cues.pronouns:
        return h.idx, h.idx + len(h)
    return att.span(h)


def _cue_candidates(ctx: _Context, t: Token, k: int, rule: Attribution | None) -> list[Candidate]:
    """The rules' own choice, and the sources of the rules' cues in sentences k-2 .. k."""
    doc, out = ctx.doc, []
    if rule is not None:
        h = doc.char_span(rule.source_start, rule.source_end, alignment_mode="expand")
        out.append(
            Candidate(rule.source_start, rule.source_end, h.root if h is not None else None, {"rule"}, rule=rule)
        )
    sent = ctx.sents[k]
    for c in ctx.cues:
        ck = ctx.sent_of(c.anchor)
        if k - 2 <= ck <= k and c.resolved:
            kinds = {"cue", f"cue_s{k - ck}"}
            if t.i in c.scope:
                kinds.add("cue_holds")
            if ctx.carried.get(sent.start) is c:
                kinds.add("carried")
            if c.nominal:
                kinds.add("cue_nominal")
            if c.aside:
                kinds.add("cue_aside")
            if doc_text(doc)[c.cue_span[0] : c.cue_span[1]].lower() in ctx.att.cues.according:
                kinds.add("cue_according")
            out.append(Candidate(c.resolved[1], c.resolved[2], c.source, kinds, cue=c))
    return out


def _subject_candidates(ctx: _Context, t: Token) -> list[Candidate]:
    """The subject of each verb on the number's path to the root ("the company agreed to pay $325 million")."""
    att, out = ctx.att, []
    for r, v in enumerate(a for a in t.ancestors if a.pos_ in ("VERB", "AUX")):
        subj = att.own_subject(v)
        if subj is None and v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
            subj = next((c for c in v.head.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
            subj = v.head  # "officials who said": the officials
        if subj is None or subj.dep_ == "expl" or subj.lower_ in EXPLETIVE and subj.lower_ != "it":
            continue
        h = att.source_head(subj)
        s, e = _mention(att, h)
        out.append(Candidate(s, e, h, {"subj", f"subj_r{min(r, 3)}"}, verbs=[v]))
    return out


def _mention_candidates(ctx: _Context, k: int) -> list[Candidate]:
    """The named mentions and pronouns of sentence k, and the rules' last source in the sentence before."""
    doc, sent, out = ctx.doc, ctx.sents[k], []
    for ent in ctx.ents:
        if sent.start <= ent.start < sent.end and ent.label_ in CANDIDATE_SOURCES:
            h = ent.root
            v = [h.head] if h.dep_ in SUBJ and h.head.pos_ in ("VERB", "AUX") else []
            out.append(Candidate(ent.start_char, ent.end_char, h, {"ent"}, verbs=v))
    for h in ctx.pronouns(k):
        v = [h.head] if h.dep_ in SUBJ and h.head.pos_ in ("VERB", "AUX") else []
        out.append(Candidate(h.idx, h.idx + len(h), h, {"pron"}, verbs=v))
    prev = ctx.last_choice.get(k - 1)
    if prev is not None:
        h = doc.char_span(prev.source_start, prev.source_end, alignment_mode="expand")
        out.append(
            Candidate(prev.source_start, prev.source_end, h.root if h is not None else None, {"prev"}, prev=prev)
        )
    return out


class Linker:
    def __init__(
        self,
        features: list[str],
        weights: list[float],
        mode: str = "gate",
        threshold: float | None = None,
        meta: dict | None = None,
        rates: dict[str, float] | None = None,
        gate: dict | None = None,
    ):
        if mode not in MODES:
            raise ValueError(f"linker_mode must be one of {MODES}, not {mode!r}")
        self.weights = dict(zip(features, weights))
        self.rates = rates or {}
        self.gate = dict(zip(gate["features"], gate["weights"])) if gate else {}
        self.gate_bias = gate["bias"] if gate else 0.0
        if threshold is None:
            threshold = gate["threshold"] if gate and mode == "gate" else 0.5
        # a report carried into later sentences: ANNOTATION.md lets it continue more often than
        # PolNeAR's content spans do, so the gate drops it only when surer
        self.threshold_carried = min(threshold, gate.get("threshold_carried", threshold)) if gate else threshold
        self.mode, self.threshold, self.meta = mode, threshold, meta or {}
        self.path: Path | None = None
        if mode == "gate" and not gate:
            raise ValueError("linker_mode 'gate' needs a model with a gate (models/linker.json)")

    @classmethod
    def load(cls, path: str | Path, mode: str = "gate", threshold: float | None = None) -> "Linker":
        p = locate(path)  # "models/linker.json" from anywhere
        d = json.loads(p.read_text(encoding="utf-8"))
        if d.get("version") != VERSION:
            raise ValueError(f"{p}: linker version {d.get('version')}, this code reads {VERSION}")
        linker = cls(d["features"], d["weights"], mode, threshold, d.get("meta"), d.get("cue_rates"), d.get("gate"))
        linker.path = p  # the file read, which a saved pipeline carries (claim_attribution.to_disk)
        return linker

    # ------------------------------------------------------------ candidates
    def candidates(
        self, ctx: _Context, q, rule: Attribution | None, rule_only: bool = False
    ) -> tuple[Token | None, list[Candidate]]:
        """The number's token and its candidate sources, each with its features, NULL last
        (`rule_only`: the features of the rules' candidate alone, all the gate reads)."""
        t = ctx._token(q)
        if t is None:
            return None, []
        k = ctx.sent_of(t)
        found: list[Candidate] = []
        for c in _cue_candidates(ctx, t, k, rule) + _subject_candidates(ctx, t) + _mention_candidates(ctx, k):
            _merge(found, c)
        for c in found:
            if not rule_only or "rule" in c.kinds:
                c.feats = self._features(ctx, q, t, c)
        null = Candidate(-1, -1, None, {NULL})
        null.feats = self._null_features(ctx, q, t, rule, found)
        return t, found + [null]

    # ------------------------------------------------------------ features
    def _features(self, ctx: _Context, q, t: Token, c: Candidate) -> list[str]:
        att, h = ctx.att, c.head
        f = [f"k:{x}" for x in sorted(c.kinds)]
        if c.start <= q.num_start < c.end:
            f.append("has_num")
        nq, cq = ctx.in_quote(q.start), ctx.in_quote(c.start)
        if nq:
            f.append("nq&same_quote" if cq == nq else "nq&outside")
        elif cq:
            f.append("cand_in_quote")
        if h is None:
            return f + ["nohead"]
        d = ctx.sent_of(t) - ctx.sent_of(h)
        f.append(f"sent:{d if 0 <= d <= 2 else ('3+' if d > 2 else 'after')}")
        if d == 0:
            f.append("before" if h.i < t.i else "after")
            f.append(f"dist:{_bucket(abs(h.i - t.i))}")
        f += [f"ent:{h.ent_type_ or '-'}", f"pos:{h.pos_}", f"dep:{h.dep_}"]
        kind = att.cues.pronouns.get(h.lower_)
        if kind:
            f.append(f"pron:{kind}")
        if att.plausible(h):
            f.append("plausible")
        elif att.nameable(h):
            f.append("nameable")
        verbs = list(c.verbs)
        if c.cue is not None and c.cue.anchor not in verbs:
            verbs.append(c.cue.anchor)
        if c.rule is not None and 0 <= c.rule.cue_token < len(ctx.doc) and ctx.doc[c.rule.cue_token] not in verbs:
            verbs.append(ctx.doc[c.rule.cue_token])
        lemmas = sorted({v.lemma_.lower() for v in verbs})
        f += [f"v:{x}" for x in lemmas]
        # the word forms, for the rate at which PolNeAR's annotators marked them as cues (see expand)
        f += [f"vw:{v.lower_}" for v in verbs]
        if any(x in att.cues.verbs for x in lemmas):
            f.append("v_lex")
        elif lemmas and "subj" in c.kinds:
            f.append("subj&v_nonlex")
        if any(x in att.cues.speech_verbs for x in lemmas):
            f.append("v_speech")
        if any(v.pos_ not in ("VERB", "AUX") for v in verbs):
            f.append("v_notverb")
        path = [t] + list(t.ancestors)
        on_path = [path.index(v) for v in verbs if v in path[1:]]
        if on_path:
            i = min(on_path)
            f += ["v_anc", f"vdep:{path[i - 1].dep_}", f"plen:{_bucket(i)}"]
        elif any(v.i == t.i for v in verbs):
            f.append("v_is_num")
        anchor = (
            c.cue.anchor
            if c.cue is not None
            else (ctx.doc[c.rule.cue_token] if c.rule is not None and 0 <= c.rule.cue_token < len(ctx.doc) else None)
        )
        if anchor is not None:
            f += content_features(ctx, t, anchor)
        return f

    def _null_features(self, ctx: _Context, q, t: Token, rule, found: list[Candidate]) -> list[str]:
        att = ctx.att
        f = [NULL] + [f"NULL&{x}" for x in number_shape(ctx, q)]
        if rule is None:
            f.append("NULL&rule_null")
        if ctx.in_quote(q.start):
            f.append("NULL&nq")
        sent = ctx.sents[ctx.sent_of(t)]
        if any(sent.start <= c.anchor.i < sent.end for c in ctx.cues):
            f.append("NULL&sent_cue")
        if ctx.carried.get(sent.start) is not None:
            f.append("NULL&carried")
        verbs = [a for a in t.ancestors if a.pos_ in ("VERB", "AUX")]
        f += [f"NULL&pw:{v.lower_}" for v in verbs]
        f += [f"NULL&pn:{a.lower_}" for a in t.ancestors if a.pos_ == "NOUN"]
        f += [f"NULL&sw:{w}" for w in ctx.content_words(ctx.sent_of(t))]
        if any(v.lemma_.lower() in att.cues.verbs for v in verbs):
            f.append("NULL&path_lex")
        if not verbs:
            f.append("NULL&no_verb")
        else:
            f.append(f"NULL&root:{verbs[-1].lemma_.lower()}")
        n = sum("subj" in c.kinds for c in found)
        f.append(f"NULL&nsubj:{min(n, 3)}")
        if not found:
            f.append("NULL&alone")
        return f

    def _score(self, feats: list[str]) -> float:
        w = self.weights
        return sum(w.get(x, 0.0) for x in expand(feats, self.rates))

    def keep_probability(self, cands: list[Candidate]) -> float:
        """P(the rules' source stands), from the features of the rules' candidate and of NULL."""
        rule = next(c for c in cands if "rule" in c.kinds)
        null = cands[-1]
        w = self.gate
        z = self.gate_bias + sum(w.get(x, 0.0) for x in gate_features(rule.feats, null.feats, self.rates))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probabilities(self, cands: list[Candidate]) -> list[float]:
        s = [self._score(c.feats) for c in cands]
        m = max(s)
        e = [math.exp(x - m) for x in s]
        z = sum(e)
        return [x / z for x in e]

    # ------------------------------------------------------------ decisions
    def relink(self, att: Mentions, doc: Doc, quantities, out, cues, quotes, acronyms, carried) -> list:
        """The rules' attributions `out`, changed where the model is sure enough; `att` is the
        attribution's public view of this Doc's mentions."""
        if not quantities:
            return out
        ctx = _Context(att, doc, quantities, out, cues, quotes, carried)
        new = list(out)
        text, prev_end = doc_text(doc), -1
        for i, (q, rule) in enumerate(zip(quantities, out)):
            conversion = prev_end >= 0 and CONVERSION.fullmatch(text[prev_end : q.start])
            prev_end = q.end
            if conversion:
                continue
            if self.mode == "gate":
                if rule is not None and self._drops(ctx, q, rule):
                    new[i] = None
                continue
            t, cands = self.candidates(ctx, q, rule)
            if len(cands) < 2:
                continue
            p = self.probabilities(cands)
            best = max(range(len(cands)), key=lambda j: (p[j], -j))
            b = cands[best]
            if p[best] < self.threshold or "rule" in b.kinds or (NULL in b.kinds and rule is None):
                continue
            if (
                NULL not in b.kinds
                and b.cue is None
                and b.prev is None
                and (b.head is None or not att.plausible(b.head))
            ):
                continue  # only a mention the rules would take for a claimant ("Previous reports" is none)
            if self.mode == "null_only" and (rule is not None or NULL in b.kinds):
                continue
            if self.mode == "switch" and NULL in b.kinds:
                continue
            new[i] = None if NULL in b.kinds else self._attribution(ctx, t, b, acronyms)
        return new

    def _drops(self, ctx: _Context, q, rule: Attribution) -> bool:
        """Whether the gate sends a number the rules credit back to the writer's voice."""
        t, cands = self.candidates(ctx, q, rule, rule_only=True)
        rc = next(c for c in cands if "rule" in c.kinds)
        if not gated(rc.feats, figure_lemmas(ctx.att.cues)):
            return False
        carried = any(x.startswith("R:sent:") for x in rc.feats)
        return self.keep_probability(cands) < (self.threshold_carried if carried else self.threshold)

    def _attribution(self, ctx: _Context, t: Token, c: Candidate, acronyms) -> Attribution:
        att, doc = ctx.att, ctx.doc
        if c.prev is not None:
            return c.prev
        if c.cue is not None:
            text, s, e, label = c.cue.resolved
            cs, ce = c.cue.cue_span
            anchor = c.cue.anchor.i
        else:
            text, label = (None, None)
            if c.head is not None:
                text, label = att.resolve(c.head, ctx.history)
            if text is None:
                text, label = doc_text(doc)[c.start : c.end], (c.head.ent_type_ or None) if c.head is not None else None
            s, e = c.start, c.end
            v = c.verbs[0] if c.verbs else next((a for a in t.ancestors if a.pos_ in ("VERB", "AUX")), t.sent.root)
            cs, ce, anchor = v.idx, v.idx + len(v), v.i
        canonical, stype = att.canonical(text, label, acronyms)
        # (the rules' own choice keeps its kind; a choice of the linker's says so)
        return Attribution(text, s, e, canonical, stype, None, doc_text(doc)[cs:ce], cs, ce, anchor, "linked")


@registry.misc(LINKER)
def load_linker(path: str | Path, mode: str = "null_only", threshold: float = 0.5) -> Linker:
    """How `claim_attribution` loads its linker (its `linker`, `linker_mode`, `linker_threshold`)."""
    return Linker.load(path, mode, threshold)


def _rate_bucket(r: float | None) -> str:
    if r is None:
        return "none"
    return next(f"<={e}" for e in (0.02, 0.1, 0.3, 0.6, 1.0) if r <= e)


def expand(feats: list[str], rates: dict[str, float]) -> list[str]:
    """Model features from the extracted ones: the word forms of verbs ("vw:agreed",
    "NULL&pw:agreed") become buckets of the rate at which PolNeAR's annotators made that word
    a cue, the highest over a candidate's verbs ("vrate:<=0.6") and over the verbs on the
    number's path for NULL, with the nearest path verb's on its own."""
    out, vr, pr, p0, nr, sr = [], None, None, None, None, None
    for x in feats:
        if x.startswith("vw:"):
            r = rates.get(x[3:], 0.0)
            vr = r if vr is None else max(vr, r)
        elif x.startswith("NULL&pw:"):
            r = rates.get(x[8:], 0.0)
            p0 = r if p0 is None else p0
            pr = r if pr is None else max(pr, r)
        elif x.startswith("NULL&pn:"):
            nr = max(nr or 0.0, rates.get(x[8:], 0.0))
        elif x.startswith("NULL&sw:"):
            sr = max(sr or 0.0, rates.get(x[8:], 0.0))
        else:
            out.append(x)
    if vr is not None or (feats and not feats[0] == NULL):
        b = _rate_bucket(vr)
        out.append(f"vrate:{b}")
        if "v_anc" in out:
            out.append(f"vrate&anc:{b}")
        if "k:subj" in out:
            out.append(f"vrate&subj:{b}")
    if feats and feats[0] == NULL:
        out += [
            f"NULL&prate:{_rate_bucket(pr)}",
            f"NULL&p0rate:{_rate_bucket(p0)}",
            f"NULL&nrate:{_rate_bucket(nr)}",
            f"NULL&srate:{_rate_bucket(sr)}",
        ]
    return out


def figure_lemmas(cues) -> frozenset[str]:
    """Verbs whose object or "at" phrase is the source's own figure ("raised the toll to 52",
    "pegged it at $2.9 billion"): the rules read their content exactly."""
    return frozenset(cues.revising | cues.placing_verbs)


def gated(rule_feats: list[str], figures: frozenset[str]) -> bool:
    """Whether the gate decides for this credit: a verb of saying, finding or showing whose content
    is a clause, where a number may lie outside it (in what the writer says of the speaker, the
    occasion, a relative clause). Noun cues ("X's estimate of"), "according to", documents and
    polls, and verbs that state the figure itself keep the rules' reading."""
    if any(x in ("k:cue_nominal", "k:cue_according", "v_notverb", "nohead") for x in rule_feats):
        return False
    if "k:cue" not in rule_feats:
        return False
    return not any(x.startswith("v:") and x[2:] in figures for x in rule_feats)


def gate_features(rule_feats: list[str], null_feats: list[str], rates: dict[str, float]) -> list[str]:
    """The gate's features: those of the rules' candidate and of NULL (the writer's voice)."""
    return expand(rule_feats, rates) + expand(null_feats, rates)

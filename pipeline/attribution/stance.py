"""The stance cue finders: the weaker tier of cues, which credit their subject only where no
report does ("Clinton wants to sign up 5 million people", "his proposal to deport 11
million", "officials are confident that 300 ..."), and `prospective`, which tells a report
yet to be made ("X will announce") from one made."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..constants import EXPLETIVE, MODALS
from .content import stance_content
from .lexicon import Cues
from .mentions import plausible, source_head, subject
from .records import Cue
from .state import DocState


def prospective(cues: Cues, t: Token) -> bool:
    """Whether a report is yet to be made: 'X will announce plans', 'little point for Mexico to
    respond'. It says what X intends, a stance, not what X has said."""
    # ("went on to say", "appeared to confirm", "continued to report" are reports made)
    return any(
        c.dep_ == "aux"
        and (
            c.lower_ in ("will", "'ll", "’ll", "wo")
            or c.lower_ == "to"
            and t.tag_ == "VB"
            and t.head.lemma_.lower() not in cues.aspectual_verbs
        )
        for c in t.children
    )


def stance_cues(st: DocState, sent: Span, taken: set[int]) -> list[Cue]:
    """'Clinton wants to sign up 5 million people', 'PolitiFact rated 32% of claims false': the
    subject of a predicate of stance, intention or appraisal holds its content, where no report
    does (`stance_verbs` in models/cues.json). The content is the clause the verb governs, what
    it is about ("talked about", "called for"), and for `stance_object_verbs` its object; not
    where, when, with what or by what means the subject acted ("defended the town with 40
    tanks", "Oil prices declined 3%" hold nothing)."""
    out = []
    for t in st.tokens("verbs", sent):
        if (
            st.lexicon.stance_verb(t) is None
            or t.i in taken
            or t.pos_ != "VERB"
            or t.tag_ == "VBN"
            and t.dep_ == "amod"
        ):
            continue
        content = stance_content(st.lexicon, t)
        if not content:
            continue
        subj = subject(t)
        if subj is None or subj.dep_ == "expl" or subj.lower_ in EXPLETIVE and subj.lower_ != "it":
            continue
        head = source_head(st.cues, subj)
        if not plausible(st.cues, head):
            continue
        out.append(Cue(t, (t.idx, t.idx + len(t)), head, content, weak=True))
    return out


def stance_adjective_cues(st: DocState, sent: Span) -> list[Cue]:
    """'he was especially proud of his 20 years on the board', 'officials are confident that 300 ...':
    the subject of "be" with an adjective of stance (`stance_adjectives`) holds what the adjective
    governs, where no report does."""
    out = []
    for t in st.tokens("stance_adjectives", sent):
        if t.dep_ != "acomp":
            continue
        subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in EXPLETIVE and subj.lower_ != "it":
            continue
        head = source_head(st.cues, subj)
        if not plausible(st.cues, head):
            continue
        covered = {x.i for x in t.subtree} - {t.i}
        if covered:
            out.append(Cue(t, (t.idx, t.idx + len(t)), head, covered, weak=True))
    return out


def stance_noun_cues(st: DocState, sent: Span) -> list[Cue]:
    """'his proposal to deport 11 million', 'Mrs. Clinton's plan would cap rates at 28 percent': the
    owner of a noun of intention or decision (`stance_nouns`) holds what the noun, or the clause
    it is the subject of, says, where no report does."""
    out = []
    for t in st.tokens("stance_nouns", sent):
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        if owner is None or not plausible(st.cues, owner):
            continue
        covered = {x.i for x in t.subtree} - {x.i for x in owner.subtree} - {t.i}
        verb = t.head
        if (
            t.dep_ in ("nsubj", "nsubjpass")
            and verb.pos_ in ("VERB", "AUX")
            and (
                any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children)
                or verb.lemma_.lower() in st.cues.plan_verbs
            )
        ):
            # "Mrs. Clinton's plan would cap rates at 28 percent", "his plan calls for 28 percent";
            # not what befell the plan ("her plan failed after 300 protesters blocked the road")
            covered |= {
                x.i
                for c in verb.children
                if c.i != t.i and c.dep_ not in ("advcl", "relcl", "punct", "cc", "conj")
                for x in c.subtree
            }
        if covered:
            out.append(Cue(t, (t.idx, t.idx + len(t)), owner, covered, nominal=True, weak=True))
    return out

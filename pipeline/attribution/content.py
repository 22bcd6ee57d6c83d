"""What a cue covers: the tokens a reporting verb governs (its scope), the content of a
stance, and the setting of a report ("said in a speech to 5,000 supporters"), which is the
writer's account of the report rather than what was reported."""

from __future__ import annotations

from spacy.tokens import Token

from ..constants import CIRCUMSTANCE, NOT_CONTENT
from .lexicon import Cues, Lexicon

# the conjunctions of a clause that tells when or why something was said, not what
OCCASION_MARKS = frozenset({"after", "before", "when", "since", "until", "once"})


def scope(cues: Cues, t: Token, subj: Token) -> set[int]:
    """The tokens a reporting verb t with subject subj governs."""
    own = {x.i for x in t.subtree}
    excluded = {x.i for x in subj.subtree} - own
    # (a second subject is a misparse: "... 250,000 Syrian refugees (in fact, Obama has proposed ...)")
    excluded |= {x.i for c in t.children if c.dep_ == "nsubj" and c.i != subj.i for x in c.subtree}
    excluded |= _told_beside(t)
    result = own - excluded
    if bracketed(t):
        return result  # "(officials put the number at 50,000)" speaks inside its brackets only
    # "..., X said." parsed with the content as the root and the cue hanging off it;
    # "As X reported, ..." governs the clause it is attached to
    as_clause = t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
    # "X reported on Thursday, coverage had risen to 55 percent": a cue with nothing of its own
    # hung before the clause it introduces
    before = (
        t.i < t.head.i
        and not any(c.dep_ in ("dobj", "xcomp", "attr", "advcl") for c in t.children)
        and any(x.is_punct and x.text in (",", ":") for x in t.doc[t.i + 1 : t.head.i])
    )
    if (
        t.dep_ in ("parataxis",)
        or as_clause
        or (
            t.dep_ == "ccomp"
            and (t.i > t.head.i or before)
            and t.head.lemma_.lower() not in cues.verbs
            and not any(c.dep_ == "ccomp" for c in t.children)
        )
    ):
        result |= {x.i for x in t.head.subtree} - excluded
    elif (
        t.dep_ == "ccomp"
        and t.i < t.head.i
        and t.right_edge.i + 1 < len(t.doc)
        and t.doc[t.right_edge.i + 1].text == ":"
    ):
        # "A report noted that X: 70 percent believe ...": what follows the colon bears out the report
        result |= {x.i for x in t.head.subtree} - excluded
    return result


def _told_beside(t: Token) -> set[int]:
    """What the writer tells beside a report, though the parser hangs it on the verb: a clause a new
    named actor heads after "and" ("Duisenberg said he would follow any cut, and last week the
    Finance Ministry raised 2.25 billion guilders"), and what a relative clause says of one
    questioned or told ("Khodorkovsky, who faces a possible 10 year sentence, will be questioned
    by a judge")."""
    out: set[int] = set()
    clauses = [c for c in t.children if c.dep_ == "ccomp" and c.i > t.i]
    for prev, c in zip(clauses, clauses[1:]):
        joined = {x.lower_ for x in t.doc[prev.i + 1 : c.left_edge.i] if x.dep_ == "cc"}
        subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
        named = subj is not None and (subj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or subj.pos_ == "PROPN")
        that = any(x.dep_ == "mark" and x.lower_ == "that" for x in c.children)
        if joined & {"and", "but"} and not that and named:
            out |= {x.i for x in c.subtree}
    for c in t.children:
        if c.dep_ == "nsubjpass":
            out |= {y.i for x in c.subtree if x.dep_ in ("relcl", "acl") for y in x.subtree}
    return out


def bracketed(t: Token) -> bool:
    """Whether the clause of t is an aside in brackets."""
    left = t.left_edge.i
    return left > 0 and t.doc[left - 1].text == "(" or t.doc[left].text == "("


def setting(t: Token) -> set[int]:
    """ "X said in a speech to 5,000 supporters that ...": where and to whom X spoke is the
    writer's account of the report, not what X reported."""
    # (a phrase before the verb may as well frame what is said: "In Miami, where two of ..., X said")
    content = next((c for c in t.children if c.dep_ == "ccomp" and c.i > t.i), None)
    # ("said of the country's 900 largest factories only 86 were closed": what it is said of is content)
    where = {
        x.i
        for c in t.children
        if c.dep_ == "prep"
        and c.lower_ not in ("of", "about")
        and content is not None
        and t.i < c.i < content.left_edge.i
        for x in c.subtree
    }
    # "Police denied rumours of riots after an armed man killed one person": when the report was
    # made, or why, is the writer's account of the occasion
    return where | {x.i for c in t.children if c.dep_ == "advcl" and _occasion(c) for x in c.subtree}


def _occasion(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ in OCCASION_MARKS for m in clause.children)


def stance_content(lex: Lexicon, t: Token) -> set[int]:
    """What a stance verb t is about: the clause it governs, what it is 'about', 'of' or 'against',
    and, for `stance_object_verbs`, its object; never what comes before the verb."""
    cues = lex.cues
    lemma = lex.stance_verb(t)
    if lemma in cues.stance_object_verbs:
        # "PolitiFact rated 32% of the claims as false, compared to 11%", "criticized X for shooting
        # a 40-year-old": all the verb governs but where, when and with what it was done
        parts = [
            c for c in t.children if c.dep_ not in NOT_CONTENT and not (c.dep_ == "prep" and c.lower_ in CIRCUMSTANCE)
        ]
    else:
        parts = [
            c
            for c in t.children
            if c.dep_ in ("ccomp", "xcomp")
            or c.dep_ == "prep"
            and (
                c.lower_ in ("about", "of", "against")
                or c.lower_ == "for"
                and lemma in cues.stance_for_verbs
                or c.lower_ == "with"
                and lemma in cues.stance_with_verbs
            )
            or c.dep_ == "dobj"
            and lemma in cues.stance_with_verbs
            and any(x.dep_ == "prep" and x.lower_ == "with" for x in t.children)
        ]
    # what comes before the verb frames the stance rather than being its content ("Non-callable for
    # three years, the issue is rated Ba-2 by Moody's"; "The war has gone on for 17 years; the Taliban wants")
    parts = [c for c in parts if c.i > t.i]
    result = {x.i for c in parts for x in c.subtree}
    for c in parts:
        if c.dep_ in ("ccomp", "xcomp"):
            continue
        for x in c.subtree:
            if x.dep_ in ("relcl", "acl") and x.i != c.i and x.head.pos_ in ("NOUN", "PROPN"):
                # "condemned the airstrike that killed 40 civilians": the writer says what it was
                result -= {y.i for y in x.subtree}
    return result

"""The report cue finders: where the article says someone reported something.

One finder per kind of cue, each over one sentence:
  `verb_cues`         "X said that ...", "..., X said", "Polls show ..."
  `according_cues`    "according to X", "as reported by X"
  `in_document_cues`  "In an NBC poll released Monday, 50 percent chose X"
  `noun_cues`         "X's estimate of 3,000", "an estimate by the UN of 3,000"
  `label_cues`        "More from Jones: “...”", a transcript's "MATTHEWS: ..."
  `follows_cues`      "Partial transcript as follows:"
and over the Doc, `introducing_clauses` ('Trump defended his decision, "As I have ..."'), and
`citing` for the relay of a cue ("X reported, citing Y"). `find_cues` runs them all, with the
stance finders of `stance.py`.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..constants import EXPLETIVE, LABELLED, NUMERIC, RELATIVE, ROW_PLACES
from ..doctext import doc_text
from .content import scope, setting
from .mentions import nameable, own_subject, plausible, source_head, subject, ticker
from .records import Cue
from .stance import prospective, stance_adjective_cues, stance_cues, stance_noun_cues
from .state import DocState


def find_cues(st: DocState, quotes: list[tuple[int, int]], stance: bool) -> list[Cue]:
    """Every cue of the Doc, in the order of their cue words."""
    cues: list[Cue] = []
    for sent in st.sents:
        sent_cues = verb_cues(st, sent) + according_cues(st, sent) + in_document_cues(st, sent)
        sent_cues += noun_cues(st, sent)
        sent_cues = (sent_cues or follows_cues(st, sent)) + noun_tagged_verb_cues(st, sent)
        sent_cues += label_cues(st, sent)
        if stance:
            sent_cues += (
                stance_cues(st, sent, {c.anchor.i for c in sent_cues})
                + stance_noun_cues(st, sent)
                + stance_adjective_cues(st, sent)
            )
        for c in sent_cues:
            citing(st, c, sent)
        if sent_cues and ";" in st.sent_text(sent):
            run_on_past_semicolons(sent, sent_cues)
        cues.extend(sent_cues)
    cues += introducing_clauses(st, quotes, cues)
    cues.sort(key=lambda c: c.cue_span[0])
    return cues


def run_on_past_semicolons(sent: Span, cues: list[Cue]) -> None:
    """A semicolon after a report: "The researchers reported that Apple holds $214.9 billion; Nike
    holds $10.7 billion" goes on with what was reported, as far as the next cue of the sentence;
    after a closing "..., officials said;" the writer speaks again ("the town has 2,000 people")."""
    semis = [t.i for t in sent if t.text == ";"]
    for c in cues:
        semi = next((i for i in semis if i > c.anchor.i), None)
        if semi is None or c.weak or c.nominal or not c.scope or c.anchor.pos_ != "VERB":
            continue
        kids = [k for k in c.anchor.children if k.dep_ == "ccomp"]
        if any(k.i < c.anchor.i for k in kids):
            c.scope -= set(range(semi, sent.end))
        elif any(k.i > c.anchor.i and k.right_edge.i + 1 == semi for k in kids):
            later = [x.anchor.i for x in cues if x is not c and x.anchor.i > semi]
            if not later:
                c.scope |= set(range(semi + 1, sent.end))


# ------------------------------------------------------------ verbs
def verb_cues(st: DocState, sent: Span) -> list[Cue]:
    """'X said that ...', '..., X said', 'Polls show ...': a reporting verb and its subject."""
    out = []
    for t in st.tokens("verbs", sent):
        if t.pos_ not in ("VERB", "AUX") or t.tag_ == "VBN" and t.dep_ == "amod":
            continue  # "pledged delegates" is no report
        lemma = _report_lemma(st, t, sent)
        if lemma is None:
            continue
        subj = _verb_subject(st, t, lemma)
        speaker = _speaker(st, t, lemma, subj)
        if speaker is None:
            continue
        source, antecedent = speaker
        where = setting(t)
        weak = prospective(st.cues, t)
        if t.dep_ == "xcomp" and t.head.lemma_.lower() in st.cues.unsaid_verbs:
            continue  # "X declined to comment on reports that ...": X has said nothing
        out.append(
            Cue(
                t,
                (t.idx, t.idx + len(t)),
                source,
                scope(st.cues, t, subj) - where,
                antecedent=antecedent,
                weak=weak,
                setting=where,
            )
        )
    return out


def _report_lemma(st: DocState, t: Token, sent: Span) -> str | None:
    """The reporting verb a verb token stands for here ("put" for "raised the toll to 267"), or None."""
    cues = st.cues
    figure = _figure_lemma(st, t) if t.lemma in st.lexicon.figure_verbs else None
    if figure is not None:
        return figure  # the figure is its object: no clause needed
    lemma = st.lexicon.cue_verb(t)
    if lemma is None:
        return None
    if (
        lemma in cues.verbs_need_ccomp
        and not any(c.dep_ in ("ccomp",) for c in t.children)
        and not any(c.dep_ == "dobj" and c.lower_ in cues.nouns for c in t.children)
    ):
        # "The headline reads: ..." introduces what follows the colon
        # ("as one official put it", but "could put thousands of people to work" is no report)
        put_it = lemma in cues.it_report_verbs and any(c.dep_ == "dobj" and c.lower_ == "it" for c in t.children)
        if (
            lemma not in cues.object_report_verbs
            and not put_it
            and not doc_text(sent.doc)[t.idx + len(t) : t.idx + len(t) + 2].lstrip().startswith(":")
        ):
            return None
    if lemma in cues.verbs_no_object and any(c.dep_ == "dobj" and c.lower_ not in cues.nouns for c in t.children):
        return None  # "cuts would add $1.5 trillion", "firms post 17% gains": no report
    return lemma


def _figure_lemma(st: DocState, t: Token) -> str | None:
    """ "put" for a verb that gives a source's figure: "the agency raised the death toll to 267",
    "Bloomberg pegged him at $2.9 billion", "Wealth-X has it at $4.5 billion"; else None."""
    cues = st.cues
    low = t.lemma_.lower()
    if low in cues.revising and any(c.dep_ == "dobj" and c.lemma_.lower() in cues.revised for c in t.children):
        return "put"
    if (
        low in cues.placing_verbs
        and any(
            c.dep_ == "dobj"
            and (low not in cues.placing_pronoun_verbs or c.pos_ == "PRON" or c.lemma_.lower() in cues.revised)
            for c in t.children
        )
        and any(
            c.dep_ == "prep" and c.lower_ == "at" and any(x.like_num or x.ent_type_ in NUMERIC for x in c.subtree)
            for c in t.children
        )
    ):
        return "put"
    return None


def _verb_subject(st: DocState, t: Token, lemma: str) -> Token | None:
    """Who a reporting verb's subject is, also when the parser hangs it on another verb or noun."""
    cues = st.cues
    subj = own_subject(t)
    if subj is None and t.dep_ in ("conj", "xcomp", "advcl") and t.head.pos_ in ("VERB", "AUX"):
        owner = t.head
        if t.tag_ == "VBG" and owner.dep_ == "ccomp" and owner.head.lemma_.lower() in cues.verbs:
            # "Iran said its forces attacked, adding that ...": the parser hangs "adding" low
            owner = owner.head
        subj = next((c for c in owner.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and t.dep_ == "pcomp":
        subj = subject(t)  # "rallied thousands by promising to impose 35 percent tariffs"
    if (
        subj is None
        and t.dep_ == "acl"
        and t.head.pos_ in ("NOUN", "PROPN")
        and (
            any(c.dep_ == "ccomp" for c in t.children)
            or lemma in cues.finding_verbs
            and t.tag_ == "VBG"
            and t.head.lemma_.lower() in cues.nouns
        )
    ):
        # "A Quinnipiac poll found that ...", parsed as a noun phrase with a clause; "a poll showing X at 14%"
        subj = t.head
    if subj is None and t.dep_ == "ROOT":
        subj = _stranded_speaker(t)
    if subj is not None and subj.i < t.i:
        subj = _past_dateline(subj, t)
    return subj


def _past_dateline(subj: Token, t: Token) -> Token:
    """ "TORONTO, March 5 - <Royal Trustco Ltd> said": the parser takes the dateline's city for the
    subject; the speaker is the name between the dateline's dash and the verb."""
    doc = t.doc
    dash = next((x.i for x in doc[subj.i + 1 : t.i] if x.text in ("-", "--", "—", "–") and x.whitespace_), None)
    if dash is None or subj.left_edge.i != t.sent.start:
        return subj
    name = next((x for x in reversed(doc[dash + 1 : t.i]) if x.pos_ in ("PROPN", "NOUN") and not ticker(x)), None)
    return name if name is not None else subj


def _stranded_speaker(t: Token) -> Token | None:
    """ "..., Patrick F. Kennedy, the undersecretary for management, said.": finding no subject for
    a closing verb of saying, the parser hangs the speaker on the clause before it as an apposition.
    The speaker is the name that apposition leads to, from the word just before the comma."""
    doc = t.doc
    if t.i < t.sent.start + 2 or doc[t.i - 1].text != "," or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
        return None
    x, name = doc[t.i - 2], None
    while x.dep_ in ("appos", "pobj", "prep", "compound", "amod") and x.i < t.i:
        if x.dep_ == "appos" and (x.ent_type_ in ("PERSON", "ORG") or x.pos_ == "PROPN"):
            name = x
        if x.head.i == x.i:
            break
        x = x.head
    return name


def _speaker(st: DocState, t: Token, lemma: str, subj: Token | None) -> tuple[Token, Token | None] | None:
    """(source, antecedent) of a reporting verb with this subject, or None if it names no speaker."""
    cues = st.cues
    antecedent = None
    if subj is not None and subj.lower_ in RELATIVE and t.dep_ == "relcl" and t.head.pos_ in ("NOUN", "PROPN"):
        # "Gabriel Sherman, who reported that ...": the pronoun is the mention, its noun the source
        antecedent = t.head
        if antecedent.dep_ == "appos" and antecedent.head.ent_type_ == "PERSON":
            antecedent = antecedent.head  # "said X, the party's director, who also said"
    elif subj is None or subj.lower_ in EXPLETIVE and subj.lower_ != "it" or subj.dep_ == "expl":
        return None
    if subj.lower_ == "it" and any(c.dep_ == "ccomp" and c.i > t.i for c in t.children) and t.tag_ == "VBN":
        return None
    head = source_head(cues, antecedent if antecedent is not None else subj)
    # "Polls show ...", "records show": a document that finds speaks even without a determiner
    document = (
        lemma in cues.finding_verbs
        and head.lemma_.lower() in cues.nouns
        and head.tag_ in ("NNS", "NN")
        and not any(c.dep_ == "amod" and c.lower_ in cues.vague_adjectives for c in head.children)
    )
    # ("a hat that says ..." is no speaker: a thing speaks through "that" only when it could anyway)
    # "the rebels put the toll at 120": whoever gives a toll or a figure states it, as with a verb of speech;
    # but what raises a toll may be its cause ("aftershocks increased the death toll to six")
    speaks = lemma in cues.speech_verbs or (
        t.lemma_.lower() not in cues.revising
        and any(c.dep_ == "dobj" and c.lemma_.lower() in cues.revised for c in t.children)
    )
    # "Reports say ...", "Estimates suggest ...": documents no one is named for say nothing of their own
    # (a document that shows or finds still does: "Polls show")
    bare = (
        {head.lower_, head.lemma_.lower()} & cues.nouns
        and head.tag_ in ("NNS", "NNPS")
        and not any(c.dep_ in ("det", "poss", "compound", "amod", "nmod", "prep") for c in head.children)
    )
    if bare and not document and lemma not in cues.finding_verbs:
        return None
    if (
        not plausible(cues, head)
        and not (speaks and nameable(head) and (antecedent is None or subj.lower_ == "who"))
        and not document
    ):
        return None
    if antecedent is not None:
        return subj, head
    return head, None


# ------------------------------------------------------------ "according to X"
def according_cues(st: DocState, sent: Span) -> list[Cue]:
    """'according to X', 'as reported by X': the frame's object is the source."""
    out = []
    text = st.sent_text(sent).lower()
    for phrase in st.cues.according:
        if phrase not in text:
            continue
        for m in re.finditer(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text):
            cue = _according_cue(st, sent, sent.start_char + m.start(), sent.start_char + m.end())
            if cue is not None:
                out.append(cue)
    return out


def _named_person_after(st: DocState, pobj: Token) -> Token:
    """'according to Connecticut Senator Richard Blumenthal', parsed with the place as the object:
    the person a run of names ends in is the source."""
    doc = pobj.doc
    for ent in st.ents:
        if (
            ent.label_ == "PERSON"
            and pobj.i < ent.start <= pobj.i + 3
            and all(doc[k].pos_ == "PROPN" for k in range(pobj.i, ent.end))
        ):
            return doc[ent.end - 1]
    return pobj


def _according_cue(st: DocState, sent: Span, start: int, end: int) -> Cue | None:
    doc = sent.doc
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    if last is None:
        return None
    prep = last[0]
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        # the parser sometimes hangs the object elsewhere: take the next noun
        pobj = next((x for x in doc[prep.i + 1 : min(sent.end, prep.i + 8)] if x.pos_ in ("NOUN", "PROPN")), None)
    if pobj is None:
        return None
    pobj = _named_person_after(st, pobj)
    head = doc.char_span(start, start + 1, alignment_mode="expand")[0]
    anchor = head.head if head.head.i != head.i else head
    while anchor.pos_ in ("NOUN", "PROPN", "ADP", "ADV") and anchor.head.i != anchor.i and anchor.dep_ != "ROOT":
        anchor = anchor.head
    src = source_head(st.cues, pobj)
    # the frame itself credits its object: "according to recent polls"
    if not plausible(st.cues, src) and not nameable(src):
        return None
    phrase_tokens = {x.i for x in head.subtree} | {x.i for x in pobj.subtree}
    # "According to the exit polls, 24% ...; 66% ...": a frame that opens the sentence covers all of
    # it, though the parser hangs it on the first clause only
    opens = all(doc[k].pos_ in ("CCONJ", "ADV", "PUNCT") for k in range(sent.start, head.i))
    if anchor.dep_ == "ROOT" or anchor.i == head.i or opens:
        covered = set(range(sent.start, sent.end)) - phrase_tokens
    else:
        covered = {x.i for x in anchor.subtree} - phrase_tokens
    if not any(not doc[i].is_punct for i in covered - {anchor.i}):
        # "..., including, according to X, 54 children": an aside covers what follows it
        last_i = next((x.i for x in doc[pobj.i : sent.end] if x.is_punct), max(phrase_tokens))
        return Cue(anchor, (start, end), src, set(range(last_i + 1, sent.end)), aside=True)
    return Cue(anchor, (start, end), src, covered)


# ------------------------------------------------------------ documents and nouns
def in_document_cues(st: DocState, sent: Span) -> list[Cue]:
    """'In an NBC poll released Monday, 50 percent chose X': the poll is the source."""
    out = []
    cues = st.cues
    for t in st.tokens("in_document", sent):
        if t.lemma_.lower() not in cues.in_document_nouns or t.dep_ != "pobj" or t.head.lower_ != "in":
            continue
        clause = t.head.head
        while clause.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and clause.dep_ != "ROOT" and clause.head.i != clause.i:
            clause = clause.head  # "held a 24-point lead among voters in a CNN poll": the poll frames the clause
        # "stated in a post": the statement's own cue already names the source
        if clause.pos_ not in ("VERB", "AUX") and clause.dep_ != "ROOT":
            continue  # a verbless headline-like sentence hangs on its root noun
        if clause.lemma_.lower() in cues.verbs and not counted_speakers(clause):
            continue  # ("In a poll, 79 percent of Democrats said ...": the poll counts the speakers)
        src = source_head(cues, t)
        if not plausible(cues, src):
            continue
        phrase = {x.i for x in t.head.subtree}
        covered = {x.i for x in clause.subtree} - phrase
        out.append(Cue(clause, (t.head.idx, t.head.idx + len(t.head)), src, covered))
    return out


def counted_speakers(verb: Token) -> bool:
    """Whether a verb's subject is a share of respondents: "79 percent of Democrats said"."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and any(x.like_num or x.ent_type_ == "PERCENT" for x in subj.subtree)


def noun_cues(st: DocState, sent: Span) -> list[Cue]:
    """'Howard's claims of £35bn', 'an estimate by the UN of 3,000', 'Pentagon figures': the noun's owner."""
    out = []
    cues = st.cues
    for t in st.tokens("nouns", sent):
        if t.pos_ != "NOUN" or not (t.lower_ in cues.nouns or t.lemma_.lower() in cues.nouns):
            continue
        src = source_head(cues, t)
        if (
            src.i == t.i
            or src.ent_type_ in ("DATE", "TIME")
            or not plausible(cues, src)
            or src.lower_ in cues.house_voices
        ):
            continue  # ("Editor's note: ..." is the publication's own voice)
        if (
            t.lemma_.lower() in cues.measured_nouns
            and src.dep_ == "poss"
            and (src.ent_type_ == "PERSON" or src.lower_ in ("his", "her", "he", "she"))
        ):
            continue  # "his favorability numbers", "her poll figures": measured of a person, not by one
        covered = {x.i for x in t.subtree} - {x.i for x in src.subtree}
        # "his 104-page report", "her three speeches": a number before the noun counts or sizes
        # the documents, it is not what they say ("Bernie's 51% claim" is)
        covered -= {x.i for c in t.lefts if c.dep_ == "nummod" or _hyphenated(c) for x in c.subtree}
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_.lower() not in cues.verbs:
            # "The ministry's estimate is 3,000": what the noun's clause says, not what a clause within
            # it tells of something else ("Trump's speech was the moment thousands were waiting for")
            covered |= {x.i for x in t.head.subtree} - {x.i for x in t.subtree} - _told_of(t.head)
        covered.discard(t.i)
        if covered:
            out.append(Cue(t, (t.idx, t.idx + len(t)), src, covered, nominal=True))
    return out


def _told_of(head: Token) -> set[int]:
    """The relative and adverbial clauses below the arguments of `head`: what they say is the
    writer's description of a thing, not the value a noun cue's clause states."""
    return {
        y.i
        for c in head.children
        for x in c.subtree
        if x.dep_ in ("relcl", "acl", "advcl") and (x.i != c.i or c.dep_ == "advcl")
        for y in x.subtree
    }


def _hyphenated(t: Token) -> bool:
    """Whether a modifier is a measure joined by hyphens: "104-page", "a 30-minute"."""
    return any(x.like_num for x in t.subtree) and any(x.text == "-" for x in t.subtree)


# ------------------------------------------------------------ labels and announcements
def label_cues(st: DocState, sent: Span) -> list[Cue]:
    """A speaker's label: 'More from Jones: “...”', 'Pollsters agree - Carl Bialik: “...”', and a
    transcript's 'MATTHEWS: Here is ...' at the start of a paragraph."""
    out = []
    doc = sent.doc
    for colon in st.tokens("colons", sent):
        if colon.text != ":" or colon.i == sent.start:
            continue
        first = _label_start(colon, sent)
        if first is None or not _names_speaker(st, doc[colon.i - 1], colon, first, sent):
            continue
        if source_head(st.cues, doc[colon.i - 1]).lower_ in st.cues.house_voices:
            continue  # "Editor's note:" is the publication's own voice
        if any(t.pos_ in ("VERB", "AUX") for t in doc[first : colon.i]):
            continue  # "X said:" is a verb cue of its own
        after = [t for t in doc[colon.i + 1 : sent.end] if not (t.is_space or t.is_punct)]
        if not _quoted_after(colon) and (
            doc[colon.i - 1].ent_type_ in ROW_PLACES or after and not any(t.pos_ in ("VERB", "AUX") for t in after)
        ):
            continue  # "Lviv: 45 cases" is a table's row, a place speaks only in quotation marks
        covered = set(range(colon.i + 1, sent.end))
        text = doc_text(doc)
        opens = first == sent.start and (
            doc[first].idx == 0 or "\n" in text[max(0, doc[first].idx - 2) : doc[first].idx]
        )
        out.append(Cue(colon, (colon.idx, colon.idx + 1), doc[colon.i - 1], covered, carries=True, turn=opens))
    return out


def _quoted_after(colon: Token) -> bool:
    rest = doc_text(colon.doc)[colon.idx + 1 : colon.idx + 4].lstrip()
    return rest[:1] in ("“", '"') or rest.startswith("''")


def _label_start(colon: Token, sent: Span) -> int | None:
    """The first token of the label before a colon (back to the sentence start, a dash or
    "from"), or None if what precedes the colon is no label."""
    doc = colon.doc
    quoted = _quoted_after(colon)
    first = colon.i - 1
    while first > sent.start and not (
        doc[first - 1].is_punct or doc[first - 1].lower_ == "from" or doc[first - 1].is_space
    ):
        first -= 1
    at_start = first == sent.start or doc[first - 1].is_space
    if colon.i - first > 5 or not (quoted or at_start and colon.i - first <= 3):
        return None
    return first


def _names_speaker(st: DocState, head: Token, colon: Token, first: int, sent: Span) -> bool:
    """Whether the word before a label's colon names someone who can speak."""
    doc = colon.doc
    at_start = first == sent.start or doc[first - 1].is_space
    return (
        head.ent_type_ in LABELLED
        or head.pos_ == "PROPN"
        or head.lower_ in st.cues.nouns
        and any(c.dep_ == "det" for c in head.children)
        # "Matthews: Here's ...": a transcript names the speaker by the surname the article gives
        or at_start
        and colon.i - first == 1
        and head.is_title | head.is_upper
        and head.lower_ in st.surnames
    )


def noun_tagged_verb_cues(st: DocState, sent: Span) -> list[Cue]:
    """A verb of finding or saying the tagger took for a noun, as it does after a run of nouns:
    'Audit files from NGP VAN show that ...', 'The Sanders campaign projects that ...',
    '..., records show.', 'Figures from the health ministry show:' over a table."""
    out = []
    if not st.tokens("noun_tagged_verbs", sent):
        return out  # (most sentences: no need to walk their words)
    words = [t for t in sent if not t.is_space]
    for k, verb in enumerate(words[1:], 1):
        if verb.pos_ != "NOUN" or verb.lower_ not in st.cues.noun_tagged_verbs:
            continue
        nxt = words[k + 1].text if k + 1 < len(words) else ""
        owner = next((c for c in reversed(list(verb.lefts)) if c.dep_ == "compound"), None)
        if nxt == ":" and k + 2 == len(words):
            scope, owner = set(), owner or (sent.root if sent.root.i < verb.i else None)
        elif nxt == "that":
            scope = set(range(words[k + 1].i + 1, sent.end))
        elif (
            nxt in (",", ".", "")
            and owner is not None
            and owner.left_edge.i > sent.start
            and words[words.index(owner.left_edge) - 1].text == ","
        ):
            scope = set(range(sent.start, owner.left_edge.i - 1))  # "..., records show."
        elif _parsed_as_verb(verb):
            # "Leaked documents from his tax return show he took a $916 million loss": a noun by its
            # tag, a verb by its parse, with a subject and the clause it governs
            owner = next(c for c in verb.children if c.dep_ == "nsubj")
            scope = {x.i for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i for x in c.subtree}
        else:
            continue
        if owner is None:
            continue
        head = source_head(st.cues, owner)
        if plausible(st.cues, head) or {head.lemma_.lower(), head.lower_} & st.cues.nouns:
            out.append(Cue(verb, (verb.idx, verb.idx + len(verb)), head, scope))
    return out


def _parsed_as_verb(t: Token) -> bool:
    """Whether the parser treats a noun-tagged word as a verb: a subject before it, a clause after."""
    kids = list(t.children)
    return any(c.dep_ == "nsubj" and c.i < t.i for c in kids) and any(c.dep_ == "ccomp" and c.i > t.i for c in kids)


def follows_cues(st: DocState, sent: Span) -> list[Cue]:
    """'Partial transcript as follows:' -- the document named before 'as follows' speaks next."""
    m = re.search(r"(?i)\bas follows\s*:\s*$", st.sent_text(sent))
    if m is None:
        return []
    at = sent.start_char + m.start()
    head = next((t for t in reversed(sent) if t.idx < at and t.pos_ in ("NOUN", "PROPN")), None)
    if head is None:
        return []
    anchor = next((t for t in sent if t.idx >= at and t.lower_ == "follows"), head)
    return [Cue(anchor, (at, sent.start_char + m.end() - len(m.group(0)) + len(m.group(0).rstrip())), head, set())]


def introducing_clauses(st: DocState, quotes: list[tuple[int, int]], cues: list[Cue]) -> list[Cue]:
    """'Trump, also on Twitter, defended his decision, "As I have stated ..."': a quotation
    hung on a clause with no reporting verb is spoken by that clause's subject."""
    out = []
    doc = st.doc
    with_cue = {st.sent_of(c.anchor.i).start for c in cues if not c.nominal and not c.weak}
    for qs, qe in quotes:
        if not re.search(r"[,:]\s*$", doc_text(doc)[max(0, qs - 3) : qs]):
            continue
        before = doc.char_span(max(0, qs - 3), qs, alignment_mode="expand")
        if before is None:
            continue
        sent = st.sent_of(before[0].i)
        # the clause before the quotation: the first verb up from the words before it
        verb = next(
            (
                t
                for t in reversed(doc[sent.start : before[0].i + 1])
                if t.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in t.children)
            ),
            None,
        )
        if sent.start in with_cue or verb is None:
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None or not (
            subj.ent_type_ in LABELLED
            or subj.pos_ == "PROPN"
            or subj.lower_ in st.cues.pronouns
            and subj.lower_ not in ("it", "its")
        ):
            continue
        inside = doc.char_span(qs, qe, alignment_mode="expand")
        if inside is None:
            continue
        out.append(Cue(verb, (verb.idx, verb.idx + len(verb)), source_head(st.cues, subj), {t.i for t in inside}))
    return out


# ------------------------------------------------------------ relays
def citing(st: DocState, cue: Cue, sent: Span) -> None:
    """'X reported, citing Y': Y is the source, X the relay."""
    cues = st.cues
    for t in st.tokens("citing", sent):
        if t.lower_ in cues.citing and t.i in cue.scope | {x.i for x in cue.anchor.subtree}:
            obj = next((c for c in t.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is None:
                prep = next((c for c in t.children if c.dep_ == "prep"), None)
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if obj is not None and cue.source is not None:
                cue.via, cue.antecedent = cue.antecedent or cue.source, None
                cue.source = source_head(cues, obj)
                return
    _reported_speaker(st, cue)


def _reported_speaker(st: DocState, cue: Cue) -> None:
    """'..., CNN reported the governor said': a speaker with nothing of their own to govern
    is the original source of what the relay reports."""
    cues = st.cues
    for t in cue.anchor.children:
        if (
            t.dep_ == "ccomp"
            and t.i > cue.anchor.i
            and t.lemma_.lower() in cues.speech_verbs
            and all(c.dep_ in ("nsubj", "aux", "neg", "advmod", "punct") for c in t.children)
            and cue.source is not None
            and cue.scope - {x.i for x in t.subtree}
        ):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None and (plausible(cues, subj) or nameable(subj)):
                cue.via, cue.source, cue.antecedent = cue.antecedent or cue.source, source_head(cues, subj), None
                return

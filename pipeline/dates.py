"""Dates: the day each claim was made, and the period its number refers to.

The publication date comes from the input's metadata; when it is missing, from a
dateline at the top of the text ("Dec 23, 2024 - 07:00"); when no year can be
known it stays null. Temporal expressions are the spaCy DATE entities; only they
go to dateparser (cached), resolved against the publication date with past dates
preferred. A claim's date is the expression attached to its reporting cue
("said on Monday", "On December 18, X reported", "Last week, Seoul reported"),
else the publication date. Its precision (day, week, month, year) gives the
window `claim_date_start`..`claim_date_end` it stands for.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers doc._.claim_dates and the others)
from .constants import MONTHS, WEEKDAYS
from .doctext import doc_text, sent_of


class When(NamedTuple):
    date: dt.date
    precision: str  # day | week | month | year
    start: dt.date
    end: dt.date


class ClaimDate(NamedTuple):
    claim_date: dt.date | None
    precision: str | None
    start: dt.date | None
    end: dt.date | None
    text: str | None  # the expression, when the cue carries one
    period_start: dt.date | None
    period_end: dt.date | None


def _window(d: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    if precision == "week":
        s = d - dt.timedelta(days=d.weekday())
        return s, s + dt.timedelta(days=6)
    if precision == "month":
        return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
    if precision == "year":
        return d.replace(month=1, day=1), d.replace(month=12, day=31)
    return d, d


# A publication date this near either end of the calendar is a placeholder (Go's zero time
# 0001-01-01T00:00:00Z, 9999-12-31), and "last week" from it does not exist: such a date is
# not used to resolve claim dates (they stay null) and the article gets a note.
CALENDAR_MARGIN = dt.timedelta(days=800)
NOTES = "newsclaims.notes"


def usable_base(base: dt.date | None) -> bool:
    return base is None or dt.date.min + CALENDAR_MARGIN <= base <= dt.date.max - CALENDAR_MARGIN


def resolve(expr: str, base: dt.date | None) -> When | None:
    """Resolve a temporal expression against the publication date (None: unknown, or out of the calendar)."""
    try:
        return _resolve(expr, base)
    except OverflowError:
        return None


@lru_cache(maxsize=50000)
def _resolve(expr: str, base: dt.date | None) -> When | None:
    s = re.sub(r"\s+", " ", expr.strip().lower())
    s = re.sub(r"^(?:on|in|at|during|by|since|from|until|as of|earlier|early|late|mid-?)\s+", "", s)
    s = re.sub(r"^(?:the\s+)", "", s)
    if not s:
        return None
    for i, w in enumerate(WEEKDAYS):
        if re.fullmatch(rf"(?:last |this |past )?{w}(?: (?:morning|afternoon|evening|night))?", s):
            return _weekday(s, i, base)
    if base is None and not re.search(r"\b\d{4}\b", s):
        return None
    found = _relative(s, base)
    if found is not None:
        return found
    m = re.fullmatch(r"([a-z]+)\.?(?: of)?(?: (\d{4}))?", s)
    if m and m.group(1) in MONTHS:
        return _month(MONTHS[m.group(1)], int(m.group(2)) if m.group(2) else None, base)
    if re.fullmatch(r"\d{4}", s):
        a, b = _window(dt.date(int(s), 1, 1), "year")
        return When(a, "year", a, b)
    m = re.fullmatch(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?", s)
    if m and m.group(1) in MONTHS and base is not None:
        return _month_day(s, MONTHS[m.group(1)], int(m.group(2)), int(m.group(3)) if m.group(3) else None, base)
    if all(w in UNANCHORED for w in re.split(r"[\s-]+", s)):
        return None  # "annual", "the full year", "quarterly": no day to find (dateparser agrees, slowly)
    return _dateparser(s, base)


def _weekday(s: str, i: int, base: dt.date | None) -> When | None:
    """Weekday `i` ("on Monday"): the latest such day on or before publication (in a Monday paper,
    today); "last Monday" a week back when today is Monday."""
    if base is None:
        return None
    back = (base.weekday() - i) % 7
    if s.startswith("last ") and back == 0:
        back = 7
    d = base - dt.timedelta(days=back)
    return When(d, "day", d, d)


def _relative(s: str, base: dt.date) -> When | None:
    """ "last week", "this month", "past year", "today": a window placed by the publication date."""
    if re.fullmatch(r"(?:last|past|previous) week(?:end)?", s):
        d = base - dt.timedelta(days=7)
        a, b = _window(d, "week")
        return When(a, "week", a, b)
    if re.fullmatch(r"this week", s):
        a, _ = _window(base, "week")
        return When(a, "week", a, base)
    if re.fullmatch(r"(?:last|past|previous) month", s):
        d = base.replace(day=1) - dt.timedelta(days=1)
        a, b = _window(d, "month")
        return When(a, "month", a, b)
    if re.fullmatch(r"this month", s):
        return When(base.replace(day=1), "month", base.replace(day=1), base)
    if re.fullmatch(r"(?:last|past|previous) year", s):
        a, b = _window(base.replace(year=base.year - 1), "year")
        return When(a, "year", a, b)
    if re.fullmatch(r"this year", s):
        return When(base.replace(month=1, day=1), "year", base.replace(month=1, day=1), base)
    if s in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return When(base, "day", base, base)
    return None


def _month(month: int, year: int | None, base: dt.date | None) -> When:
    """ "March", "March 2024": the month (without a year, the latest one on or before publication),
    cut at the publication date when it holds it."""
    if year is None:
        year = base.year if month <= base.month else base.year - 1
    a, b = _window(dt.date(year, month, 1), "month")
    if base and b > base >= a:
        b = base
    return When(a, "month", a, b)


def _month_day(s: str, month: int, day: int, year: int | None, base: dt.date) -> When | None:
    """ "march 18", "dec. 18, 2024": the latest such day on or before publication, as dateparser
    (preferring the past) gives it."""
    try:
        d = dt.date(base.year if year is None else year, month, day)
        if year is None and d > base:
            d = dt.date(base.year - 1, month, day)
    except ValueError:
        return _dateparser(s, base)
    return None if d > base else When(d, "day", d, d)


# words that name a length or frequency of time, never a point in it
UNANCHORED = {
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "quarter",
    "quarters",
    "annual",
    "annually",
    "quarterly",
    "weekly",
    "monthly",
    "daily",
    "seasonally",
    "full",
    "half",
    "current",
    "fiscal",
    "recent",
    "same",
    "period",
    "end",
    "first",
    "second",
    "third",
    "fourth",
}


def _dateparser(s: str, base: dt.date | None) -> When | None:
    settings = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": [],
        "STRICT_PARSING": False,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    try:
        data = _ddp(tuple(sorted((k, str(v)) for k, v in settings.items())), settings).get_date_data(s)
    except Exception:  # dateparser raises on odd input; an unparsed date is just unknown
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    precision = data.period if data.period in ("day", "week", "month", "year") else "day"
    if precision == "time":
        precision = "day"
    if base is None and not re.search(r"\b\d{4}\b", s):
        return None
    a, b = _window(d, precision)
    if precision == "day":
        a = b = d
    if base is not None and a > base:
        return None  # a claim is not made after the article
    if base is not None and b > base:
        b = base
    return When(a if precision != "day" else d, precision, a, b)


_DDP: dict = {}


def _ddp(key, settings):
    from dateparser.date import DateDataParser

    if key not in _DDP:
        _DDP[key] = DateDataParser(languages=["en"], settings=settings)
    return _DDP[key]


DATELINE = re.compile(
    r"(?P<d>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})"
)


def published_from_text(text: str) -> dt.date | None:
    """A dateline with a year near the top of the article; None when the year is not given."""
    m = DATELINE.search(text[:600])
    if not m:
        return None
    w = resolve(m.group("d"), None)
    return w.date if w else None


# --------------------------------------------------------------------------- component

PERIOD_CUES = re.compile(r"\b(between|since|from|in|during|for|by|as of|through|until)\b", re.I)


@Language.factory(
    "claim_dates",
    assigns=["doc._.claim_dates", "doc._.published", "doc._.published_from", "doc.spans"],
    requires=["doc._.quantities", "doc._.attributions", "doc.ents", "doc.sents", "token.dep"],
    default_config={"dateline": True},
)
def make_dates(nlp: Language, name: str, *, dateline: bool):
    return DatesComponent(name, dateline=dateline)


class DatesComponent:
    """Sets doc._.claim_dates (aligned with doc._.quantities) and doc.spans["dates"].

    Runs after attribution: a claim's date hangs on its cue.
    """

    def __init__(self, name: str = "claim_dates", *, dateline: bool = True):
        self.name = name
        self.dateline = dateline
        # dateparser imports itself and compiles its English and time-zone patterns on first
        # use (~0.5 s of CPU): a cost of loading the pipeline, paid here rather than by whichever
        # article holds the first date
        _dateparser("3 weeks ago", dt.date(2000, 1, 1))

    def __call__(self, doc: Doc) -> Doc:
        if doc._.published is None and self.dateline and not doc._.chunk_start:
            doc._.published = published_from_text(doc_text(doc))
            doc._.published_from = "text" if doc._.published else None
        elif doc._.published is not None and doc._.published_from is None:
            doc._.published_from = "metadata"
        base = doc._.published
        if not usable_base(base):
            doc.user_data.setdefault(NOTES, []).append(
                f"publication date {base.isoformat()} is a placeholder at the edge of the calendar (Go's zero "
                "time?): claim dates are left null"
            )
            base = None
        ents = doc.ents  # a new Span per entity on each read
        dates = [e for e in ents if e.label_ == "DATE"]
        times = [e for e in ents if e.label_ in ("DATE", "TIME")]  # "said Tuesday evening"
        doc.spans["dates"] = dates
        atts = doc._.attributions or [None] * len(doc._.quantities or [])
        out = []
        for q, a in zip(doc._.quantities or [], atts):
            when, expr = None, None
            if a is not None:
                ent = self._cue_date(doc, a, times)
                if ent is not None:
                    when, expr = resolve(ent.text, base), ent.text
            period = self._period(doc, q, dates, base)
            if when is not None:
                out.append(ClaimDate(when.date, when.precision, when.start, when.end, expr, *period))
            elif base is not None:
                out.append(ClaimDate(base, "day", base, base, None, *period))
            else:
                out.append(ClaimDate(None, None, None, None, None, *period))
        doc._.claim_dates = out
        return doc

    @staticmethod
    def _cue_date(doc: Doc, att, dates: list[Span]) -> Span | None:
        """The DATE entity that modifies the cue itself, not its content."""
        cue_i = att.cue_token
        cue = doc[cue_i]
        if att.cue.lower().startswith("according"):
            # "according to the ministry on Friday": the date follows the source phrase
            m = re.match(r"[^,.;]*", doc_text(doc)[att.cue_end : att.cue_end + 80])
            for ent in dates:
                if att.cue_end <= ent.start_char and ent.end_char <= att.cue_end + m.end():
                    return ent
        sent = sent_of(doc, cue_i)
        best = None
        for ent in dates:
            if not (sent.start <= ent.start < sent.end):
                continue
            lo, hi = sorted((ent.end_char, cue.idx))
            if "\n" in doc_text(doc)[lo:hi] or re.search(r"\d:\d\d", ent.text):
                continue  # a dateline above the sentence is not the cue's time
            r = ent.root
            h = r.head
            attached = h.i == cue.i and r.dep_ in ("npadvmod", "tmod", "advmod", "obl", "nmod", "dobj", "pobj")
            if not attached and h.dep_ == "prep" and h.head.i == cue.i:
                attached = True
            # "On December 20, X stated that ...": a fronted date before the cue's subject
            if not attached and ent.end <= cue.i and (h.i == cue.i or (h.dep_ == "prep" and h.head.i == cue.i)):
                attached = True
            if attached:
                best = ent
                break
        return best

    @staticmethod
    def _period(doc: Doc, q, dates: list[Span], base):
        """'between January and February', 'since April', 'in 2019' next to the number."""
        span = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
        sent = sent_of(doc, span.root.i) if span is not None else None
        near = sorted(
            (e for e in dates if sent is not None and sent.start <= e.start < sent.end),
            key=lambda e: (e.start_char < q.end, abs(e.start_char - q.end)),
        )
        for ent in near:
            if (
                ent.start_char >= q.end
                and ent.start_char - q.end < 60
                or ent.end_char <= q.start
                and re.match(
                    r"(?i)since|between", doc_text(doc)[max(0, ent.start_char - 8) : ent.start_char].strip() or ent.text
                )
            ):
                m = PERIOD_CUES.search(doc_text(doc)[max(0, ent.start_char - 9) : ent.start_char])
                text = ent.text
                if m or re.match(r"(?i)between|since|in\b", text):
                    parts = re.split(r"\band\b|\bto\b|-", re.sub(r"(?i)^between\s+", "", text))
                    ws = [resolve(p, base) for p in parts if p.strip()]
                    ws = [w for w in ws if w]
                    if ws:
                        start = ws[0].start
                        end = base if re.match(r"(?i)since", (m.group(0) if m else text)) and base else ws[-1].end
                        return start, end
        return None, None

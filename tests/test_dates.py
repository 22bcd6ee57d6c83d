"""Dates: temporal expressions resolved against the publication date, the claim date
taken from the reporting cue, and the publication date read from a dateline."""

import datetime as dt

import pytest
from conftest import claims_of

from pipeline.dates import _dateparser, published_from_text, resolve

D = dt.date
MON = D(2024, 12, 23)  # a Monday
WED = D(2025, 1, 8)  # a Wednesday, early in a year


def when(expr, base):
    w = resolve(expr, base)
    assert w is not None, f"{expr!r} did not resolve against {base}"
    return (w.date, w.precision, w.start, w.end)


# ---------------------------------------------------------------- resolve()


@pytest.mark.parametrize(
    "expr, base, expected",
    [
        # a weekday is the latest such day on or before publication: the day itself when it matches
        ("on Monday", MON, (MON, "day", MON, MON)),
        ("Monday", MON, (MON, "day", MON, MON)),
        ("on Friday", MON, (D(2024, 12, 20), "day", D(2024, 12, 20), D(2024, 12, 20))),
        ("Sunday", MON, (D(2024, 12, 22), "day", D(2024, 12, 22), D(2024, 12, 22))),
        ("on Tuesday", MON, (D(2024, 12, 17), "day", D(2024, 12, 17), D(2024, 12, 17))),
        ("last Monday", MON, (D(2024, 12, 16), "day", D(2024, 12, 16), D(2024, 12, 16))),
        ("on Monday", WED, (D(2025, 1, 6), "day", D(2025, 1, 6), D(2025, 1, 6))),
        ("on Wednesday", WED, (WED, "day", WED, WED)),
        ("on Thursday", WED, (D(2025, 1, 2), "day", D(2025, 1, 2), D(2025, 1, 2))),
        # days
        ("yesterday", MON, (D(2024, 12, 22), "day", D(2024, 12, 22), D(2024, 12, 22))),
        ("yesterday", WED, (D(2025, 1, 7), "day", D(2025, 1, 7), D(2025, 1, 7))),
        ("today", MON, (MON, "day", MON, MON)),
        # weeks: Monday..Sunday of the week before
        ("last week", MON, (D(2024, 12, 16), "week", D(2024, 12, 16), D(2024, 12, 22))),
        ("last week", WED, (D(2024, 12, 30), "week", D(2024, 12, 30), D(2025, 1, 5))),
        # months
        ("last month", MON, (D(2024, 11, 1), "month", D(2024, 11, 1), D(2024, 11, 30))),
        ("last month", WED, (D(2024, 12, 1), "month", D(2024, 12, 1), D(2024, 12, 31))),
        ("in November", MON, (D(2024, 11, 1), "month", D(2024, 11, 1), D(2024, 11, 30))),
        ("in December", WED, (D(2024, 12, 1), "month", D(2024, 12, 1), D(2024, 12, 31))),
        # the current month runs up to publication, not beyond
        ("in December", MON, (D(2024, 12, 1), "month", D(2024, 12, 1), MON)),
        # days of the month: the latest such day on or before publication
        ("on December 18", MON, (D(2024, 12, 18), "day", D(2024, 12, 18), D(2024, 12, 18))),
        ("December 18", WED, (D(2024, 12, 18), "day", D(2024, 12, 18), D(2024, 12, 18))),
        # years
        ("last year", MON, (D(2023, 1, 1), "year", D(2023, 1, 1), D(2023, 12, 31))),
        ("in 2019", MON, (D(2019, 1, 1), "year", D(2019, 1, 1), D(2019, 12, 31))),
    ],
)
def test_resolve(expr, base, expected):
    assert when(expr, base) == expected


@pytest.mark.parametrize("expr", ["on Monday", "yesterday", "last week", "last month", "in December"])
def test_relative_expressions_need_a_publication_date(expr):
    assert resolve(expr, None) is None


@pytest.mark.parametrize(
    "expr, starts",
    [
        ("yesterday", (D(2024, 3, 4), D(2025, 5, 31))),
        ("two weeks ago", (D(2024, 2, 19), D(2025, 5, 12))),
        ("a year ago", (D(2023, 1, 1), D(2024, 1, 1))),
    ],
)
def test_cached_resolution_follows_the_publication_date(expr, starts):
    """Resolutions are cached (and dateparser's parsers, one per setting): the same words read
    against another publication date, then the first again, give that date's window each time."""
    bases = (D(2024, 3, 5), D(2025, 6, 1))
    for base, start in [*zip(bases, starts), (bases[0], starts[0])]:
        assert resolve(expr, base).start == start
        assert _dateparser(expr, base).start == start


def test_absolute_date_resolves_without_publication_date():
    assert when("March 5, 2021", None) == (D(2021, 3, 5), "day", D(2021, 3, 5), D(2021, 3, 5))


# ---------------------------------------------------------------- claim dates through the pipeline


def claim_date(nlp, text, published):
    claims = claims_of(nlp, text, published)
    assert len(claims) == 1, [c["quantity_text"] for c in claims]
    c = claims[0]
    return (c["claim_date"], c["claim_date_precision"], c["claim_date_start"], c["claim_date_end"])


FRI = D(2024, 12, 20)


@pytest.mark.parametrize(
    "text, published, expected",
    [
        # the cue's own date
        ("The ministry said on Monday that 450 soldiers were wounded.", MON, (MON, "day", MON, MON)),
        ("The ministry said on Friday that 450 soldiers were wounded.", MON, (FRI, "day", FRI, FRI)),
        ("The navy said Friday that 14 ships were at sea.", MON, (FRI, "day", FRI, FRI)),
        ("The minister told parliament on Friday that 14 ships were at sea.", MON, (FRI, "day", FRI, FRI)),
        ("Fourteen ships were at sea, the navy said on Friday.", MON, (FRI, "day", FRI, FRI)),
        ("The prices of 14 goods rose, the statistics office said on Friday.", MON, (FRI, "day", FRI, FRI)),
        (
            "Police said yesterday that 30 people were arrested.",
            MON,
            (D(2024, 12, 22), "day", D(2024, 12, 22), D(2024, 12, 22)),
        ),
        (
            "Yesterday the navy announced that 14 ships were at sea.",
            MON,
            (D(2024, 12, 22), "day", D(2024, 12, 22), D(2024, 12, 22)),
        ),
        (
            "The ministry said on Monday that 450 soldiers were wounded.",
            WED,
            (D(2025, 1, 6), "day", D(2025, 1, 6), D(2025, 1, 6)),
        ),
        (
            "The agency said last week that 1,200 homes had been damaged.",
            MON,
            (D(2024, 12, 16), "week", D(2024, 12, 16), D(2024, 12, 22)),
        ),
        (
            "The council said last month that 80 schools would close.",
            MON,
            (D(2024, 11, 1), "month", D(2024, 11, 1), D(2024, 11, 30)),
        ),
        ("Police reported 90 burglaries last month.", MON, (D(2024, 11, 1), "month", D(2024, 11, 1), D(2024, 11, 30))),
        (
            "The council said in December that 80 schools would close.",
            MON,
            (D(2024, 12, 1), "month", D(2024, 12, 1), MON),
        ),
        (
            "The ministry said on December 18 that 600 people were injured.",
            MON,
            (D(2024, 12, 18), "day", D(2024, 12, 18), D(2024, 12, 18)),
        ),
        # a fronted date belongs to the cue
        (
            "On December 18, the ministry reported 600 casualties.",
            MON,
            (D(2024, 12, 18), "day", D(2024, 12, 18), D(2024, 12, 18)),
        ),
        (
            "Last week, the agency reported that 1,200 homes had been damaged.",
            MON,
            (D(2024, 12, 16), "week", D(2024, 12, 16), D(2024, 12, 22)),
        ),
        ("Last month, police reported 90 burglaries.", MON, (D(2024, 11, 1), "month", D(2024, 11, 1), D(2024, 11, 30))),
        ("On Friday, Admiral Kim said 14 ships were at sea.", MON, (FRI, "day", FRI, FRI)),
        # no date on the cue: the publication date
        ("The ministry said that 600 people were injured.", MON, (MON, "day", MON, MON)),
        ("The city has 12 bridges.", WED, (WED, "day", WED, WED)),
        # a date that dates the number, not the cue, does not move the claim date
        ("Exports rose 5% in 2019, the ministry said.", MON, (MON, "day", MON, MON)),
    ],
)
def test_claim_date(nlp, text, published, expected):
    assert claim_date(nlp, text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The ministry said on Monday that 450 soldiers were wounded.",
        "The ministry said that 600 people were injured.",
        "The city has 12 bridges.",
    ],
)
def test_no_publication_date_no_claim_date(nlp, text):
    assert claim_date(nlp, text, None) == (None, None, None, None)


def test_period_of_the_number(nlp):
    c = claims_of(nlp, "Exports rose 5% in 2019, the ministry said.", MON)[0]
    assert (c["period_start"], c["period_end"]) == (D(2019, 1, 1), D(2019, 12, 31))
    c = claims_of(nlp, "The ministry said that 600 people were injured.", MON)[0]
    assert (c["period_start"], c["period_end"]) == (None, None)


# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dec 23, 2024 - 07:00\nThe ministry said that 600 people were injured.", D(2024, 12, 23)),
        ("23 December 2024 - Officials said 40 shops closed.", D(2024, 12, 23)),
        ("2024-12-23 The council met.", D(2024, 12, 23)),
        ("KYIV, March 3, 2023 (Wire) - The army said 12 drones were downed.", D(2023, 3, 3)),
        # no year: the publication date cannot be known
        ("Seoul, Dec 23 (NationPress) The ministry said that 600 people were injured.", None),
        ("The ministry said that 600 people were injured.", None),
    ],
)
def test_published_from_text(text, expected):
    assert published_from_text(text) == expected


def test_dateline_dates_the_claims(nlp):
    text = "Dec 23, 2024 - 07:00\nThe ministry said that 600 people were injured."
    claims = claims_of(nlp, text)
    assert [c["quantity_text"] for c in claims] == ["600"]  # neither 23 nor 07:00 is a quantity
    assert claim_date(nlp, text, None) == (MON, "day", MON, MON)


def test_dateline_without_year_leaves_claims_undated(nlp):
    text = "Seoul, Dec 23 (NationPress) The ministry said that 600 people were injured."
    assert [c["quantity_text"] for c in claims_of(nlp, text)] == ["600"]
    assert claim_date(nlp, text, None) == (None, None, None, None)


def test_since_before_the_number_runs_to_publication(nlp):
    (c,) = claims_of(nlp, "Since April, the army has deployed 5,000 soldiers.", D(2025, 3, 10))
    assert (c["period_start"], c["period_end"]) == (D(2024, 4, 1), D(2025, 3, 10))


def test_according_to_source_on_a_day_dates_the_claim(nlp):
    (c,) = claims_of(nlp, "According to the ministry on Friday, 600 people were injured.", D(2025, 3, 10))
    assert c["claim_date"] == D(2025, 3, 7) and c["source"] == "the ministry"


def test_dateline_above_the_sentence_is_not_the_cue_date(nlp):
    (c,) = claims_of(nlp, "Dec 23, 2024 - 07:00\nThe ministry said that 600 people were injured.", D(2024, 12, 25))
    assert c["claim_date"] == D(2024, 12, 25)


@pytest.mark.parametrize(
    "expr",
    [
        "annual",
        "the full year",
        "quarterly",
        "first half",
        "year-end",
        "the same period",
        "recent months",
        "current fiscal year",
    ],
)
def test_lengths_of_time_name_no_day_as_dateparser_says(expr):
    from pipeline.dates import _dateparser

    base = dt.date(2020, 3, 15)
    # the shortcut must give what dateparser gives, only faster
    assert resolve(expr, base) is None
    assert _dateparser(expr.removeprefix("the "), base) is None


@pytest.mark.parametrize(
    "expr, base",
    [
        ("March 18", dt.date(2020, 3, 15)),
        ("March 15", dt.date(2020, 3, 15)),
        ("Dec. 18, 2024", dt.date(2024, 12, 23)),
        ("Feb 29", dt.date(2021, 3, 1)),
        ("April 31", dt.date(2020, 5, 1)),
        ("Nov 3rd", dt.date(2019, 11, 4)),
    ],
)
def test_month_and_day_resolve_as_dateparser_resolves_them(expr, base):
    from pipeline.dates import _dateparser

    s = expr.lower()
    assert resolve(expr, base) == _dateparser(s, base)

"""Quantities: what counts as a number, its value, qualifier, unit, vagueness and change.

Every sentence here is written for these tests. Each case states the exact
quantity_text and the fields that matter for the phenomenon; fields a case does
not name are not checked.
"""

import pytest
from conftest import claims_of


def only(nlp, text):
    """The one claim of a sentence that states one number."""
    claims = claims_of(nlp, text)
    assert len(claims) == 1, f"expected one quantity in {text!r}, got {[c['quantity_text'] for c in claims]}"
    return claims[0]


def check(claim, expected):
    """Every expected field equals the claim's (floats to 1e-9 relative: exact up to float rounding)."""
    wrong = {}
    for k, v in expected.items():
        ok = claim[k] == pytest.approx(v, rel=1e-9) if isinstance(v, float) and claim[k] is not None else claim[k] == v
        if not ok:
            wrong[k] = (claim[k], v)
    assert not wrong, f"got/expected: {wrong}"


def case(text, quantity_text, value, **fields):
    return pytest.param(text, dict(quantity_text=quantity_text, value=float(value), **fields), id=text[:60])


# ---------------------------------------------------------------- digits

DIGITS = [
    case("The company hired 1,100 workers last year.", "1,100", 1100, value_max=None, qualifier="exact"),
    case("Inflation reached 2.5 percent in the quarter.", "2.5 percent", 2.5, unit="percent"),
    case("The warehouse stores 12,345,678 parcels.", "12,345,678", 12345678),
    case("The school has 350 pupils.", "350", 350, unit="pupils", vague=False),
]


# ---------------------------------------------------------------- scale words and abbreviations

SCALES = [
    case("The country has 1.3 billion people.", "1.3 billion", 1.3e9, unit="people"),
    case("The bank lent 800 mln dollars to farmers.", "800 mln", 8e8, unit="usd"),
    case("The club has 50K members.", "50K", 50000, unit="members"),
    case("The deal is worth $2bn.", "$2bn", 2e9, unit="usd"),
    case("The deal was valued at US$2bn.", "US$2bn", 2e9, unit="usd"),
    case("Losses reached 7 million dollars.", "7 million", 7e6, unit="usd"),
    case("The budget is 4.5 trillion yen.", "4.5 trillion", 4.5e12, unit="jpy"),
    case("The fund holds €300m in assets.", "€300m", 3e8, unit="eur"),
    case("The firm paid £1.2bn for the stake.", "£1.2bn", 1.2e9, unit="gbp"),
]


# ---------------------------------------------------------------- currencies and percent

MONEY_PERCENT = [
    case("Shares closed at $55.67 on the exchange.", "$55.67", 55.67, unit="usd"),
    case("Unemployment was 4.4% in the region.", "4.4%", 4.4, unit="percent"),
    case("Turnout was 95 per cent in the village.", "95 per cent", 95, unit="percent"),
    case("Revenue increased to $4 billion.", "$4 billion", 4e9, unit="usd", change=None),
]


# ---------------------------------------------------------------- spelled numbers

SPELLED = [
    case("Twelve miners were rescued.", "Twelve", 12, unit="rescued", counted="miners"),
    case("The rebels captured twelve villages.", "twelve", 12, unit="villages"),
    case("Two hundred protesters gathered outside.", "Two hundred", 200, unit="protesters"),
    case("The rebels held two hundred prisoners.", "two hundred", 200, unit="prisoners", counted="prisoners"),
    case("Forty-three students passed the exam.", "Forty-three", 43, unit="students"),
    case("Officials counted forty-three bodies.", "forty-three", 43, unit="killed", counted="bodies"),
    case("A dozen boats were sunk.", "A dozen", 12, unit="boats", vague=False),
    case("Police seized a dozen rifles.", "a dozen", 12, unit="rifles"),
    case("The hall seats one hundred and five guests.", "one hundred and five", 105, unit="guests"),
    case("Three-and-a-half million people voted.", "Three-and-a-half million", 3.5e6, unit="people"),
    case("One man was arrested.", "One", 1, unit="arrested", counted="man"),
]


# ---------------------------------------------------------------- fractions

FRACTIONS = [
    case(
        "Nearly half of the voters stayed home.",
        "Nearly half",
        0.5,
        qualifier="approx",
        unit="fraction",
        counted="voters",
    ),
    case(
        "Two-thirds of the budget went to defence.",
        "Two-thirds",
        2 / 3,
        qualifier="exact",
        unit="fraction",
        counted="budget",
    ),
    case(
        "Almost two-thirds of the wells are dry.",
        "Almost two-thirds",
        2 / 3,
        qualifier="approx",
        unit="fraction",
        counted="wells",
    ),
    case("A third of the crops failed.", "A third", 1 / 3, unit="fraction", counted="crops"),
    case("Three-quarters of the staff voted yes.", "Three-quarters", 0.75, unit="fraction", counted="staff"),
    case("More than half of the pupils were absent.", "More than half", 0.5, qualifier="more_than"),
    case("The drought affected a quarter of a million farmers.", "a quarter of a million", 250000, unit="farmers"),
]


# ---------------------------------------------------------------- ranges

RANGES = [
    case(
        "The fire destroyed 10-12 thousand hectares.",
        "10-12 thousand",
        10000,
        value_max=12000.0,
        qualifier="range",
        unit="hectares",
    ),
    case(
        "The plant employs between 36 and 40 engineers.",
        "between 36 and 40",
        36,
        value_max=40.0,
        qualifier="range",
        unit="engineers",
    ),
    case(
        "Growth will be 6.8 or 6.9 percent.",
        "6.8 or 6.9 percent",
        6.8,
        value_max=6.9,
        qualifier="range",
        unit="percent",
    ),
    case(
        "Turnout reached 10 to 12 million voters.",
        "10 to 12 million",
        1e7,
        value_max=1.2e7,
        qualifier="range",
        unit="voters",
    ),
    case(
        "Investment reached between 10 and 15 billion dollars.",
        "between 10 and 15 billion",
        1e10,
        value_max=1.5e10,
        qualifier="range",
        unit="usd",
    ),
    case(
        "The project will cost $1.5 billion to $2 billion.",
        "$1.5 billion to $2 billion",
        1.5e9,
        value_max=2e9,
        qualifier="range",
        unit="usd",
    ),
    case("Prices rose 10-12% over the year.", "10-12%", 10, value_max=12.0, qualifier="range", unit="percent"),
]


# ---------------------------------------------------------------- qualifiers inside the span

QUALIFIERS = [
    case("About 300 people attended the rally.", "About 300", 300, qualifier="approx", unit="people"),
    case("Approximately 40 homes were damaged.", "Approximately 40", 40, qualifier="approx", unit="homes"),
    case(
        "At least 17 people died in the crash.",
        "At least 17",
        17,
        qualifier="at_least",
        unit="killed",
        counted="people",
    ),
    case("More than 2,000 troops crossed the border.", "More than 2,000", 2000, qualifier="more_than", unit="troops"),
    case("Over 500 flights were cancelled.", "Over 500", 500, qualifier="more_than", unit="flights"),
    case("Over 1,100 people signed the petition.", "Over 1,100", 1100, qualifier="more_than"),
    case("Exports exceeded 200 tonnes.", "exceeded 200", 200, qualifier="more_than", unit="tonnes"),
    case(
        "Up to 60 families may be evacuated.", "Up to 60", 60, qualifier="at_most", unit="displaced", counted="families"
    ),
    case("Fewer than 30 patients remain in hospital.", "Fewer than 30", 30, qualifier="less_than", unit="patients"),
    case("The ceasefire began at 07:00 and 15 trucks entered.", "15", 15, qualifier="exact", unit="trucks"),
]


# ---------------------------------------------------------------- vague counts

VAGUE = [
    # a vague count spans its magnitude: value the base, value_max ten times the magnitude word
    case(
        "Thousands of residents fled the city.",
        "Thousands",
        1000,
        value_max=10000.0,
        vague=True,
        unit="displaced",
        counted="residents",
    ),
    case(
        "The storm left hundreds of homes without power.", "hundreds", 100, value_max=1000.0, vague=True, unit="homes"
    ),
    case(
        "Several hundred workers joined the strike.",
        "Several hundred",
        300,
        value_max=1000.0,
        vague=True,
        unit="workers",
    ),
    case(
        "Several thousand soldiers were deployed.",
        "Several thousand",
        3000,
        value_max=10000.0,
        vague=True,
        unit="troops",
        counted="soldiers",
    ),
    case("Tens of thousands of people marched.", "Tens of thousands", 10000, value_max=1e5, vague=True, unit="people"),
    case("Millions of viewers watched the final.", "Millions", 1e6, value_max=1e7, vague=True, unit="viewers"),
    case("The programme will cost trillions of dollars.", "trillions", 1e12, value_max=1e13, vague=True, unit="usd"),
    case(
        "Scores of villagers were displaced.",
        "Scores",
        20,
        value_max=200.0,
        vague=True,
        unit="displaced",
        counted="villagers",
    ),
    case("Dozens of lorries queued at the border.", "Dozens", 12, value_max=120.0, vague=True, qualifier="at_least"),
    case(
        "Only a few thousand tickets remain unsold.",
        "a few thousand",
        3000,
        value_max=10000.0,
        vague=True,
        qualifier="at_least",
        unit="tickets",
    ),
    case("Several dozen stalls lined the square.", "Several dozen", 36, value_max=120.0, vague=True, unit="stalls"),
    case(
        "The flood displaced hundreds of thousands of families.",
        "hundreds of thousands",
        1e5,
        value_max=1e6,
        vague=True,
        unit="displaced",
        counted="families",
    ),
    case(
        "A couple of hundred fans waited outside.",
        "A couple of hundred",
        200,
        value_max=1000.0,
        vague=True,
        qualifier="approx",
        unit="fans",
    ),
    case("The feud has simmered for decades.", "decades", 10, value_max=100.0, vague=True),
    # a small vague count names no magnitude
    case("A handful of protesters stayed behind.", "A handful", 5, value_max=None, vague=True),
]


# ---------------------------------------------------------------- units

UNITS = [
    case("The road is 45 km long.", "45", 45, unit="km"),
    case("The convoy travelled 120 kilometres.", "120", 120, unit="km"),
    case("The pipeline runs 5km under the river.", "5", 5, unit="km"),
    case("The army deployed 3,000 troops.", "3,000", 3000, unit="troops"),
    case("The refinery processes 90,000 barrels a day.", "90,000", 90000, unit="barrels"),
    case("The index dropped by 1.5 points.", "1.5", 1.5, unit="points"),
]


# ---------------------------------------------------------------- change direction

CHANGE = [
    case("Prices rose 2.1% in March.", "2.1%", 2.1, unit="percent", change="up"),
    case("Output grew 3 percent last year.", "3 percent", 3, change="up"),
    case("The number of visitors fell by 300.", "300", 300, change="down"),
    case("Sales fell 12% in the period.", "12%", 12, change="down"),
    case("The index dropped by 1.5 points.", "1.5", 1.5, change="down"),
    case("The school has 350 pupils.", "350", 350, change=None),
]


@pytest.mark.parametrize(
    "text, expected",
    DIGITS + SCALES + MONEY_PERCENT + SPELLED + FRACTIONS + RANGES + QUALIFIERS + VAGUE + UNITS + CHANGE,
)
def test_quantity(nlp, text, expected):
    check(only(nlp, text), expected)


def test_value_max_is_none_for_single_numbers(nlp):
    c = only(nlp, "At least 17 people died in the crash.")
    assert c["value_max"] is None and c["vague"] is False


def test_two_quantities_in_one_sentence_stay_apart(nlp):
    claims = claims_of(nlp, "Nearly half of the 3,000 workers quit.")
    assert [(c["quantity_text"], c["value"], c["qualifier"]) for c in claims] == [
        ("Nearly half", 0.5, "approx"),
        ("3,000", 3000.0, "exact"),
    ]


def test_quantity_text_slices_the_article(nlp):
    text = "Officials said more than 2,000 troops and $2bn in aid crossed the border."
    from pipeline.process import make_doc
    from pipeline.records import Article

    doc = nlp(make_doc(nlp, Article("t", text)))
    for c in doc._.claims:
        assert text[c["start"] : c["end"]] == c["quantity_text"]
    assert [c["quantity_text"] for c in doc._.claims] == ["more than 2,000", "$2bn"]


# ---------------------------------------------------------------- exclusions
# Each sentence holds one real quantity next to something that only looks like a number;
# the list of quantities must be exactly the real one.

EXCLUDED = [
    ("The talks collapsed on December 18 after 40 rounds of negotiation.", "40"),  # date
    ("On 18 December the rebels freed 40 hostages.", "40"),  # date, day first
    ("In 2019 the factory built 600 tractors.", "600"),  # year
    ("The curfew starts at 07:00 and 90 patrols enforce it.", "90"),  # time
    ("She finished 22nd among 80 runners.", "80"),  # ordinal
    ("The brigade received 240mm rocket launchers and 35 trucks.", "35"),  # calibre
    ("The regime fired a KN-23 missile and 6 drones.", "6"),  # designator
    ("Hospitals admitted 70 COVID-19 patients.", "70"),  # disease name
    ("Flooding in Region 11 displaced 900 families.", "900"),  # numbered name
    ("The government adopted a five-year plan to build 500 schools.", "500"),  # hyphenated measure
    ("One of the guards was injured and 30 inmates escaped.", "30"),  # "one of"
    ("Four months after the quake, 200 families still live in tents.", "200"),  # time locator
    ("Rents rose sharply in the 1990s as 400 flats were sold.", "400"),  # decade
]


@pytest.mark.parametrize("text, real", EXCLUDED, ids=[t[:50] for t, _ in EXCLUDED])
def test_non_quantities_are_excluded(nlp, text, real):
    assert [c["quantity_text"] for c in claims_of(nlp, text)] == [real]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting took place on December 18.",
        "The factory opened in 2019.",
        "The shops open at 07:00 each day.",
        "She finished 22nd in the race.",
        "The army fired 240mm rocket launchers.",
        "The regime tested a KN-23 missile.",
        "Hospitals treated COVID-19 patients.",
        "Flooding hit Region 11 hardest.",
        "The government unveiled a five-year plan.",
        "One of the guards was arrested.",
        "She is one of the best players.",
        "The strike began four months after the election.",
        "The bridge collapsed three days after the storm.",
        "In the past 24 hours the river rose sharply.",
        "An F-35 jet crashed near the base.",
    ],
)
def test_sentence_without_quantities(nlp, text):
    assert claims_of(nlp, text) == []


# ---------------------------------------------------------------- currency codes written against the digits

GLUED_CODES = [
    case("The firm reported revenue of EUR50m last year.", "EUR50m", 5e7, unit="eur"),
    case("The flat in the suburb sold for RM450,000.", "RM450,000", 450000, unit="myr"),
    case("The state owes $US12.5 billion to its lenders.", "$US12.5 billion", 1.25e10, unit="usd"),
    case("The mayor approved a grant of AUD2.5m for the park.", "AUD2.5m", 2.5e6, unit="aud"),
]


@pytest.mark.parametrize("text, expected", GLUED_CODES)
def test_glued_currency_codes(nlp, text, expected):
    claims = [c for c in claims_of(nlp, text) if c["quantity_text"] == expected["quantity_text"]]
    assert len(claims) == 1, [c["quantity_text"] for c in claims_of(nlp, text)]
    check(claims[0], expected)


def test_code_against_one_digit_is_a_name(nlp):
    assert [c["quantity_text"] for c in claims_of(nlp, "The shop sold 300 PS5 consoles on launch day.")] == ["300"]


# ---------------------------------------------------------------- scales written as letters or chained words

LETTER_SCALES = [
    case("The mine will ship 2.4m tonnes of copper ore next year.", "2.4m", 2.4e6),
    case("The app reached 3.1M monthly active users.", "3.1M", 3.1e6),
    case("The study followed 45m of the country's voters.", "45m", 4.5e7),
    case("The world now has about 8 B people.", "about 8 B", 8e9, qualifier="approx"),
    case("The region has 6 hundred million residents.", "6 hundred million", 6e8),
    case(
        "The festival drew three to four thousand visitors.",
        "three to four thousand",
        3000,
        value_max=4000.0,
        qualifier="range",
    ),
]


@pytest.mark.parametrize("text, expected", LETTER_SCALES)
def test_letter_and_chained_scales(nlp, text, expected):
    check(only(nlp, text), expected)


@pytest.mark.parametrize(
    "text, value",
    [
        ("The athlete won the 200m sprint easily.", 200.0),
        ("The statue is 12m tall and made of bronze.", 12.0),
        ("Divers found a 25m (82ft) wreck off the coast.", 25.0),
    ],
)
def test_metre_letter_stays_a_unit(nlp, text, value):
    assert [c["value"] for c in claims_of(nlp, text)][:1] == [value]


def test_rank_and_period_is_no_fraction(nlp):
    assert [c["quantity_text"] for c in claims_of(nlp, "The team scored 14 points in the fourth quarter.")] == ["14"]


# ---------------------------------------------------------------- numbers that label rather than count
# Each sentence holds one real quantity next to a label; the list of quantities must be exactly the real one.

LABELS = [
    ("The airline ordered 40 new A320 Neo jets and retired its 757 Max aircraft.", "40"),  # model name
    ("The charity bought the house at 27 Harbour Road for $2 million.", "$2 million"),  # street number
    ("Offices at 10-12 Quay Street rent for $45 per square foot.", "$45"),  # street range
    ("The car passed the ISO 2631-1 test and 12 others.", "12"),  # code
    ("Between 1850 and 1950 the town built 30 mills.", "30"),  # year span
    ("The fair runs Oct. 12-16 and expects 9,000 visitors.", "9,000"),  # day span
    ("Marta Lopez, 58, said the plant would hire 250 workers.", "250"),  # apposed age
    ("Striker Lee Evans (9) scored after 300 fans invaded the pitch.", "300"),  # shirt number
    ("The van has a five-speed gearbox and 7 seats.", "7"),  # hyphenated designator
]


@pytest.mark.parametrize("text, real", LABELS, ids=[t[:50] for t, _ in LABELS])
def test_labels_are_not_quantities(nlp, text, real):
    assert [c["quantity_text"] for c in claims_of(nlp, text)] == [real]


def test_year_span_with_a_unit_still_counts(nlp):
    c = only(nlp, "The hall seats between 1200 and 1500 people.")
    check(c, dict(value=1200.0, value_max=1500.0, qualifier="range"))


def test_scores_still_count(nlp):
    assert [c["value"] for c in claims_of(nlp, "Leeds beat Hull 43-5 on Sunday.")] == [43.0, 5.0]


def test_number_before_a_verb_is_no_part_of_a_name(nlp):
    assert [c["value"] for c in claims_of(nlp, "Astronaut Maria Stone 52 has logged 300 hours in orbit.")] == [
        52.0,
        300.0,
    ]


# ---------------------------------------------------------------- shares written as "N out of M" and "half the"

SHARES = [
    case("Only one out of every hundred seeds sprouts.", "one out of every hundred", 0.01, unit="fraction"),
    case("Two out of five drivers speed on this road.", "Two out of five", 0.4, unit="fraction"),
    case("Half the orchards were flooded.", "Half", 0.5),
    case("The new scanner needs half that time.", "half", 0.5),
]


@pytest.mark.parametrize("text, expected", SHARES)
def test_shares(nlp, text, expected):
    check(only(nlp, text), expected)


def test_second_half_is_still_a_period(nlp):
    assert claims_of(nlp, "The striker scored in the second half of the match.") == []


# ---------------------------------------------------------------- measures that look like years, glued units, "sub-"

MEASURES = [
    case("The 1850 sq m warehouse was sold last week.", "1850", 1850, unit="sq m"),
    case("Fares will rise by an average of 1700 next spring.", "1700", 1700),
    case("The lab builds sub-5 nanometer chips.", "sub-5", 5, qualifier="less_than"),
    case("The new hall covers 2400sqm of floor space.", "2400", 2400, unit="sq m"),
    case("The radio works between 88kHz and 108kHz.", "between 88kHz and 108", 88, value_max=108.0, qualifier="range"),
    case("The furnace reached 900degF overnight.", "900", 900, unit="fahrenheit"),
]


@pytest.mark.parametrize("text, expected", MEASURES)
def test_measures(nlp, text, expected):
    check(only(nlp, text), expected)


@pytest.mark.parametrize(
    "text, values",
    [
        ("The stock slumped 6 percent to 12.40 yuan on Monday.", [(6.0, None), (12.4, None)]),
        ("Sales rose 40% in 2019 to 2.5 million cars.", [(40.0, None), (2.5e6, None)]),
    ],
)
def test_change_and_level_are_no_range(nlp, text, values):
    assert [(c["value"], c["value_max"]) for c in claims_of(nlp, text)] == values


@pytest.mark.parametrize(
    "text, value",
    [
        ("The tablet has a 10.5-inch display.", 10.5),
        ("The coating is 0.2 millimetre thin.", 0.2),
        ("A 3mm copper pipe feeds the boiler.", 3.0),
    ],
)
def test_sizes_that_are_no_calibres(nlp, text, value):
    assert [c["value"] for c in claims_of(nlp, text)] == [value]


def test_calibre_of_a_weapon_is_still_a_name(nlp):
    assert [c["quantity_text"] for c in claims_of(nlp, "The navy fitted 155mm naval guns to 4 ships.")] == ["4"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("A proton weighs about 1.67×10−27 kilograms.", 1.67e-27),
        ("The grid stores 4.5×10^9 joules.", 4.5e9),
        ("Add 3⁄4 of a cup of sugar.", 0.75),
    ],
)
def test_scientific_notation_and_fraction_slash(nlp, text, value):
    assert [c["value"] for c in claims_of(nlp, text)] == [pytest.approx(value, rel=1e-9)]


# ---------------------------------------------------------------- NewsQuant phenomena (issue #3)


@pytest.mark.parametrize(
    "text, expected",
    [
        case("The cake needs 1/2 pound of butter.", "1/2", 0.5, unit="pound"),
        case("The gap is 1/64 of an inch wide.", "1/64", 1 / 64, unit="fraction"),
        case("Stir in 2 1/2 cups of flour.", "2 1/2", 2.5, unit="cups"),
        case("Profits rose more than sixfold last year.", "more than sixfold", 6, qualifier="more_than", unit="times"),
        case("The lab bought a 5-10W laser.", "5-10", 5, value_max=10.0, qualifier="range", unit="w"),
        case("Average temperatures fell by 2 to 2.5 degrees.", "2 to 2.5", 2, value_max=2.5, qualifier="range"),
        case("Its 0-to-60-mph time is short.", "0-to-60", 0, value_max=60.0, qualifier="range", unit="mph"),
        case(
            "Flats range from 500 sq ft up to 1,200 sq ft.",
            "500 sq ft up to 1,200",
            500,
            value_max=1200.0,
            qualifier="range",
            unit="sq ft",
        ),
        case(
            "Analysts see the shares at $40/$55 next year.",
            "$40/$55",
            40,
            value_max=55.0,
            qualifier="range",
            unit="usd",
        ),
        case("The plant has been idle for the past three months.", "three", 3, unit="months"),
    ],
)
def test_newsquant_phenomena(nlp, text, expected):
    check(only(nlp, text), expected)


def test_shares_are_written_exactly(nlp):
    # the nearest float to the share, never a rounding: 1/3, not 0.333; 3/10, not 3 * 0.1
    text = (
        "A third of the wells, two-thirds of the pumps, 1/16 of the pipes, three tenths of the valves, "
        "one out of three tanks and a third of a million gallons were lost."
    )
    assert [c["value"] for c in claims_of(nlp, text)] == [1 / 3, 2 / 3, 1 / 16, 3 / 10, 1 / 3, 1e6 / 3]


def test_respectively_splits_an_or_pair(nlp):
    claims = claims_of(nlp, "The new models are 15k or 30k cheaper than the old ones respectively.")
    assert [(c["value"], c["value_max"]) for c in claims] == [(15000.0, None), (30000.0, None)]


def test_change_by_and_level_stay_apart(nlp):
    claims = claims_of(nlp, "The index fell by 40 to 2,800 points.")
    assert [(c["value"], c["value_max"]) for c in claims] == [(40.0, None), (2800.0, None)]


NOT_CLAIMS_2 = [
    ("Between 1700 and 1850 sea levels rose 20 cm.", "20"),  # year span before a singular noun
    ("The fort held 400 soldiers between A.D. 900 and 1150.", "400"),  # era marker in a year span
    ("Sea levels could rise 2 metres by 2150.", "2"),  # a year of the next century
    ("The firm's 2021 revenue rose 12%.", "12%"),  # possessive before a year
    ("It was good news for Pfizer, where Comirnaty 2021 sales reached $37 billion.", "$37 billion"),
    ("Prices peaked on 9 May at 120 dollars.", "120"),  # day before "May"
    ("She joined the Planet 9 survey team with 12 colleagues.", "12"),  # name before a singular noun
    ("The carmaker sold 5,000 Model 3s.", "5,000"),  # plural of a model name
    ("Fans still talk about the Kick Six game, which drew 87,000 spectators.", "87,000"),
    ("He told BBC One that 40 staff had left.", "40"),  # capitalised number word in a name
    ("She won a three-year $500,000 grant.", "$500,000"),  # hyphenated span before an amount
    ("Growth fell to 2% in the year, its lowest level in decades.", "2%"),  # vague span that locates
    ("The state will spend 5 billion dollars over the next five years.", "5 billion"),
]


@pytest.mark.parametrize("text, real", NOT_CLAIMS_2, ids=[t[:50] for t, _ in NOT_CLAIMS_2])
def test_more_non_quantities(nlp, text, real):
    assert [c["quantity_text"] for c in claims_of(nlp, text)] == [real]


@pytest.mark.parametrize(
    "text, value",
    [
        ("A 60 year-old might withdraw 4% a year.", 60.0),  # capitalised article, not a name
        ("The Notebook Pro 16 inch sells well.", 16.0),  # a measure after a name
        ("The Bay Energy 550 megawatt plant was sold.", 550.0),
    ],
)
def test_singular_measures_after_capitalised_words_count(nlp, text, value):
    assert [c["value"] for c in claims_of(nlp, text)][:1] == [value]


def test_a_run_of_number_words_holds_two_numbers(nlp):
    assert [c["value"] for c in claims_of(nlp, "The shops cut the limit to two and one pack per visit.")] == [2.0, 1.0]


@pytest.mark.parametrize(
    "text, real",
    [
        ("The talks were held on June 4 and 5, and 300 delegates attended.", "300"),  # second day of a date pair
        ("Prices hit a five year low as 20 firms closed.", "20"),  # a level's name
        ("Police made 45 arrests in the 24 hours following the match.", "45"),  # span that locates
    ],
)
def test_dates_levels_and_locating_spans(nlp, text, real):
    assert [c["quantity_text"] for c in claims_of(nlp, text)] == [real]


def test_up_to_after_a_motion_verb_is_a_level(nlp):
    claims = claims_of(nlp, "The jobless rate fell to 5.1% before edging back up to 5.3% in May.")
    assert [(c["quantity_text"], c["qualifier"]) for c in claims] == [("5.1%", "exact"), ("5.3%", "exact")]


def test_a_hyphen_range_binds_before_to(nlp):
    claims = claims_of(nlp, "Sales should grow from 12.5 to 14-15 million units.")
    assert [(c["value"], c["value_max"]) for c in claims][-1] == (1.4e7, 1.5e7)


@pytest.mark.parametrize(
    "text, values",
    [
        ("Spain's 47 million population is ageing.", [4.7e7]),  # scaled count after a possessive
        ("As of Friday, 1450 aftershocks had been recorded.", [1450.0]),  # no year after a comma
        ("The judge called Smith's 40 month sentence fair.", [40.0]),  # a time unit is a measure
        ("The fund may go up to $5bn in size.", [5e9]),  # a cap after a modal
        ("The cotton was 1-1/16 inch staple.", [1.0625]),  # mixed number with a hyphen
        ("Two songs were released, one by Blur and one by Oasis.", [2.0]),  # pronoun "one" after "and"
    ],
)
def test_corpus_regressions(nlp, text, values):
    assert [c["value"] for c in claims_of(nlp, text)] == values


def test_last_months_of_a_year_is_a_period(nlp):
    assert [c["quantity_text"] for c in claims_of(nlp, "Profits fell 4% during the last three months of 2004.")] == [
        "4%"
    ]


def test_cap_after_modal_keeps_its_qualifier(nlp):
    assert only(nlp, "The fund may go up to $5bn in size.")["qualifier"] == "at_most"


def test_units_come_from_the_number_itself(nlp):
    claims = claims_of(nlp, "Nearly two-thirds of the combined 4.3M sales and around 25k or 40k buyers respectively.")
    assert [c["unit"] for c in claims] != [] and "metre" not in [c["unit"] for c in claims]
    assert "kelvin" not in [c["unit"] for c in claims] and "40k" not in [c["unit"] for c in claims]


@pytest.mark.parametrize(
    "text, values",
    [
        # a change writes the scale once: the first number takes it when they stay within a power of ten
        ("Output rose from 5 to 7 million barrels.", [(5e6, None), (7e6, None)]),
        ("The bill fell from $9 to $7bn after talks.", [(9e9, None), (7e9, None)]),
        ("Sales should grow from 12.5 to 14-15 million units.", [(1.25e7, None), (1.4e7, 1.5e7)]),
        ("Membership rose from 900,000 to 1.2 million.", [(9e5, None), (1.2e6, None)]),  # already whole
        ("Prices went from 5% to 7 million yuan.", [(5.0, None), (7e6, None)]),  # another unit
        # a plural magnitude after a number is that number's unit, not a vague count
        ("She is four decades his junior.", [(4.0, None)]),
        # a vague count's scale words multiply: "a few hundred thousand"
        ("A few hundred thousand bags are unsold.", [(3e5, 1e6)]),
        ("Several hundred million dollars vanished.", [(3e8, 1e9)]),
        # "the top/bottom N" with no counted noun is a place in a table, a rank
        ("The club slid into the bottom three after nine defeats.", [(9.0, None)]),
        ("Only the top three seeds were spared.", [(3.0, None)]),
        # "now-"/"then-" before a number dates it; it is no designator like "KN-23"
        ("He left with his now-18 month-old son and a then-45 year-old aide.", [(18.0, None), (45.0, None)]),
    ],
)
def test_scales_magnitudes_and_ranks(nlp, text, values):
    assert [(c["value"], c["value_max"]) for c in claims_of(nlp, text)] == values


@pytest.mark.parametrize(
    "text, kept",
    [
        ("The clip (tweet 912833704518217729) was viewed 9,500 times.", ["9,500"]),
        ("Residents can call +61 2 9374 4000 or 800-555-0199 about the 14 closures.", ["14"]),
        ("Her memoir (ISBN 978-0-14-312854-0) sold 60,000 copies.", ["60,000"]),
        ("The filing dated 2023-11-07 lists 8 defendants.", ["8"]),
        ("The feed stamped 2023-11-07T09:30:00Z showed 5 trucks.", ["5"]),
    ],
)
def test_identifiers_dates_and_long_digit_strings_are_no_quantities(nlp, text, kept):
    assert [c["quantity_text"] for c in claims_of(nlp, text)] == kept


def test_a_thousands_separator_followed_by_a_space_before_a_level(nlp):
    (c, *_) = claims_of(nlp, "The index crosses 21, 400 mark for the first time.")
    assert (c["quantity_text"], c["value"]) == ("21, 400", 21400.0)
    # a list stays a list
    assert [c["value"] for c in claims_of(nlp, "The teams scored 21, 400 and 310 runs.")][:3] == [21.0, 400.0, 310.0]


# ---------------------------------------------------------------- quantulum3, only where it can add a unit


@pytest.mark.parametrize(
    "after, asked",
    [
        (" hp engine", True),
        ("hp", True),
        (" Hz on 9 May", True),
        (" kHz", True),
        (" μm pixel pitch", True),
        (" people were killed", False),
        (" in the city", False),
        (" a day", False),
        # words quantulum3 itself counts as common English: "27,000 as of", "one MP of the party"
        (" as of yesterday", False),
        (" MP of the People's Party", False),
        # a letter alone is metres, minutes or millions: our own lexicons decide
        (" m (250 ft) ship", False),
    ],
)
def test_quantulum_is_asked_only_about_units_it_knows(after, asked):
    from pipeline.quantities import load_lexicon, quantulum_may_read

    assert quantulum_may_read(after, load_lexicon().not_unit_words) is asked


def test_quantulum_reads_the_units_only_it_knows(nlp):
    [c] = [c for c in claims_of(nlp, "The grid frequency fell to 49.55 Hz on 9 May.") if c["value"] == 49.55]
    assert c["unit"] == "hertz"


def test_building_the_pipeline_does_not_import_quantulum():
    import subprocess
    import sys

    code = (
        "import sys; from pipeline.nlp import build; nlp = build(); "
        "nlp('Officials said 40 people were killed and 300 homes burned.'); "
        "print('quantulum3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    "text, number, unit",
    [
        ("The ships were 165\u00a0ft apart.", "165", "ft"),
        ("The shutdown lasted 40\u00a0minutes.", "40", "minutes"),
    ],
)
def test_a_no_break_space_before_a_unit_is_a_space(nlp, text, number, unit):
    [c] = [c for c in claims_of(nlp, text) if c["quantity_text"] == number]
    assert c["unit"] == unit


IDENTIFIER_SAMPLES = [
    "isbn 978-3-16-148410-0",
    "ISBN-13: 9783161484100",
    "ıSBN 978 3 16 148410 0",
    "İSBN 1-2-3-X",
    "978-3-16-148410-0",
    "+44 20 7946 0958",
    "(020) 7946 0958",
    "555-123-4567",
    "12345678901",
    "2024-10-23T14:05:00Z",
    "2024-10-23",
    "14:05:00.25",
    "١٢٣٤٥٦٧٨٩٠١٢",
    "ISBNs 12, 5-6",
    "+ 3 (1) 2",
]


def test_identifier_lookahead_keeps_every_match():
    """The lookahead derived from the identifier patterns only skips positions where no pattern
    matches: the same matches as the bare alternation, on corpus text with identifiers spliced in."""
    import json
    import re

    from conftest import ROOT, SHARED

    from pipeline.quantities import _identifier_regex

    patterns = json.loads((ROOT / "models" / "quantities.json").read_text(encoding="utf-8"))["identifiers"]
    fast, plain = _identifier_regex(patterns), re.compile("|".join(f"(?:{r})" for r in patterns))
    assert fast.pattern.startswith("(?=")  # a lookahead was derived
    texts = [" ".join(IDENTIFIER_SAMPLES), ", ".join(IDENTIFIER_SAMPLES), "".join(IDENTIFIER_SAMPLES)]
    for name in ("reuters21578", "wikinews_2019_2020"):
        path = SHARED / "corpus" / name / "articles.jsonl"
        if path.exists():
            with open(path, encoding="utf-8") as f:
                texts += [json.loads(line)["text"] or "" for _, line in zip(range(400), f)]
    for i, text in enumerate(texts[3:]):  # corpus text, an identifier spliced in every 250 characters
        sample = IDENTIFIER_SAMPLES[i % len(IDENTIFIER_SAMPLES)]
        texts.append(sample.join(text[k : k + 250] for k in range(0, len(text), 250)))
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert sum(1 for text in texts for _ in plain.finditer(text)) > 100


@pytest.mark.parametrize("pattern", [r"a?b", r"(?=x)", r"[^a]b", r".b", r"(?:a|b?)c"])
def test_identifier_pattern_of_unknown_start_gets_no_lookahead(pattern):
    from pipeline.quantities import _identifier_regex

    assert _identifier_regex([r"\d{3}", pattern]).pattern == rf"(?:\d{{3}})|(?:{pattern})"

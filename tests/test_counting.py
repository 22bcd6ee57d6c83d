"""What a number counts (pipeline/counting.py): `unit` as ANNOTATION.md defines it, and `counted`."""

import pytest
from conftest import claims_of

from pipeline.counting import event_vocabulary, load_counting


def unit_of(nlp, text, number):
    claims = [c for c in claims_of(nlp, text) if c["quantity_text"].endswith(number)]
    assert claims, f"{number!r} not found in {[c['quantity_text'] for c in claims_of(nlp, text)]}"
    return claims[0]["unit"], claims[0]["counted"]


@pytest.mark.parametrize(
    "text, number, unit",
    [
        # what happened to people, read from the verb
        ("Police said 31 villagers were killed when the dam burst.", "31", "killed"),
        ("The storm killed 12 and injured 48 along the coast.", "12", "killed"),
        ("The storm killed 12 and injured 48 along the coast.", "48", "wounded"),
        ("The blast injured 25 shoppers at the market.", "25", "wounded"),
        ("Medics said 300 fighters have been killed or wounded this month.", "300", "casualties"),
        ("About 2,000 residents were evacuated from the valley.", "2,000", "displaced"),
        ("Officers arrested 14 protesters outside the ministry.", "14", "arrested"),
        ("Nine climbers are still missing after the avalanche.", "Nine", "missing"),
        ("At least 11 hikers have died and 23 are missing after the storm.", "23", "missing"),
        ("The virus has infected 430 nurses in the province.", "430", "cases"),
        ("Six miners lost their lives in the collapse.", "Six", "killed"),
        # toll nouns, containers and what is said of a subject
        ("The death toll from the floods rose to 87 on Sunday.", "87", "killed"),
        ("The army put the toll at 140.", "140", "killed"),
        ("The number of confirmed infections reached 1,250.", "1,250", "cases"),
        ("Rebel casualties have exceeded 900, the monitor said.", "900", "casualties"),
        ("The crash caused the deaths of 44 passengers.", "44", "killed"),
        # adjectives and elided heads
        ("The quake left 19 dead and dozens homeless.", "19", "killed"),
        ("Officials reported 60 dead and 210 injured.", "210", "wounded"),
        ("The clinic treated 35 injured workers.", "35", "wounded"),
        ("Medics said one driver died and four more were taken away with serious injuries.", "four", "wounded"),
        # other things by the counted noun, people by what they are
        ("The ministry sent 4,000 soldiers to the border.", "4,000", "troops"),
        ("Some 250,000 Venezuelans have settled in the city.", "250,000", "people"),
        ("The firm will close 12 stores next year.", "12", "stores"),
        ("Engineers inspected 80 bridges across the region.", "80", "bridges"),
        ("The rebels seized eight villages in the north.", "eight", "villages"),
        # money by ISO code, and measures
        ("The club paid £12m for the striker.", "£12m", "gbp"),
        ("The bank lent 40 million reais to the farmers.", "40 million", "brl"),
        ("Ugandan officials said the board owes 900 million shillings.", "900 million", "ugx"),
        ("Half of the seats were empty.", "Half", "fraction"),
        ("The insurer said profits reached 212 billion lire last year.", "212 billion", "itl"),
        ("The dam would cost 90 billion rupees, Pakistani engineers said.", "90 billion", "pkr"),
        ("The earthquake, measuring 6.8, killed at least 210.", "at least 210", "killed"),
        ("The group booked a 75 mln franc loss for the year.", "75 mln", "chf"),
        ("Kyiv said Russian losses near the river had reached 900.", "900", "casualties"),
        ("The retailer reported a loss of 40 mln dlrs.", "40 mln", "usd"),
        ("Officials raised the death toll from seven people to nine.", "nine", "killed"),
        ("Two-thirds of the members voted against the plan.", "Two-thirds", "fraction"),
        ("The quake measured 6.2 on the Richter scale.", "6.2", "magnitude"),
        ("The driver, aged 47, was unhurt.", "47", "years"),
        ("The ferry sails 30 kilometres to the island.", "30", "km"),
        ("Home United beat Tampines 31–17 on Saturday.", "31", "points"),
        # a container's noun and what happened to it: "the number of ..." as the clause's subject
        ("The number of aftershocks had reached 1,100.", "1,100", "aftershocks"),
        ("The number of displaced people rose to 2 million.", "2 million", "displaced"),
        ("The number of people killed rose to 40.", "40", "killed"),
    ],
)
def test_unit(nlp, text, number, unit):
    assert unit_of(nlp, text, number)[0] == unit


@pytest.mark.parametrize(
    "text, number, counted",
    [
        ("Police said 31 villagers were killed when the dam burst.", "31", "villagers"),
        ("The ministry sent 4,000 soldiers to the border.", "4,000", "soldiers"),
        ("The storm killed 12 and injured 48 along the coast.", "48", None),
        ("Two-thirds of the members voted against the plan.", "Two-thirds", "members"),
    ],
)
def test_counted_noun_is_kept_beside_the_unit(nlp, text, number, counted):
    assert unit_of(nlp, text, number)[1] == counted


def test_a_number_that_names_nothing_takes_what_the_one_before_counts(nlp):
    assert unit_of(nlp, "Exports of cars fell to 12,000 units in May from 15,000.", "15,000")[0] == "units"
    # a list of ages stays a list of ages
    assert unit_of(nlp, "The climbers were aged eight, eleven, 16 and 52.", "52")[0] == "years"
    assert unit_of(nlp, "Three of the deceased were tourists.", "Three")[0] == "killed"


def test_event_vocabulary_maps_to_gdelt_and_acled():
    vocab = event_vocabulary()
    assert vocab["killed"]["gdelt"] == "KILL" and vocab["killed"]["acled"] == "fatalities"
    assert vocab["wounded"]["gdelt"] == "WOUND" and vocab["arrested"]["gdelt"] == "ARREST"
    assert {"killed", "wounded", "casualties", "missing", "displaced", "arrested", "detained", "cases"} <= set(vocab)


def test_counts_lexicon_is_validated_on_load(tmp_path):
    import json

    from pipeline.resources import model_path

    data = json.loads(model_path("counts.json").read_text(encoding="utf-8"))
    data["verbs"]["slaughter"] = "slaughtered"  # no such event unit
    bad = tmp_path / "counts.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="event_units"):
        load_counting(str(bad))

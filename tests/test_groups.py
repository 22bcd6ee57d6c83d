"""Across articles: one row per underlying claim (claim_groups) and per thing counted (subjects)."""

import datetime as dt
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, claims_of

from pipeline.cli import main
from pipeline.groups import Measures, build, entity_key, frames_for, statement_groups
from pipeline.schema import schema

NIS = "National Intelligence Service (South Korea)"
JCS = "Joint Chiefs of Staff (South Korea)"


@pytest.fixture(scope="module")
def tables(seeds_run):
    return {t: pd.read_parquet(seeds_run / f"{t}.parquet") for t in ("claims", "claim_groups", "subjects")}


def test_every_claim_points_at_its_group(tables, seeds_run):
    claims, groups = tables["claims"], tables["claim_groups"]
    assert claims.group_id.notna().all()
    assert set(claims.group_id) == set(groups.group_id)
    assert groups.group_id.is_unique
    sizes = claims.groupby("group_id").size()
    assert (groups.set_index("group_id").n_claims == sizes.reindex(groups.group_id)).all()
    for t in ("claims", "claim_groups", "subjects"):
        assert pq.read_schema(seeds_run / f"{t}.parquet").remove_metadata() == schema(t).remove_metadata()


def test_spy_agency_estimate_relayed_by_three_articles_is_one_group(tables):
    claims, groups = tables["claims"], tables["claim_groups"]
    nis = claims[(claims.value == 1100) & (claims.source_canonical == NIS)]
    assert len(nis) == 3 and nis.group_id.nunique() == 1
    # the articles name the agency differently; the relays keep the names they used
    assert nis.source.str.replace("’", "'").nunique() >= 2
    g = groups.set_index("group_id").loc[nis.group_id.iloc[0]]
    assert g.n_articles == 3 and g.qualifier == "approx" and g.counts == "casualties"
    assert g.first_reported == dt.date(2024, 12, 23) == g.last_reported
    assert sorted(g.doc_ids) == sorted(nis.doc_id)


def test_casualty_figures_of_every_source_are_one_subject(tables):
    groups, subjects = tables["claim_groups"], tables["subjects"]
    sid = groups[(groups.source_canonical == NIS) & (groups.value == 1100)].subject_id.iloc[0]
    subject = groups[groups.subject_id == sid]
    figures = set(zip(subject.source_canonical, subject.value))
    assert {(NIS, 1100.0), ("Volodymyr Zelensky", 3000.0), ("Andrii Kovalenko", 200.0), (JCS, 4000.0)} <= figures
    assert any(v == 3000 and ("Syrsk" in s or "Commander-in-Chief" in s) for s, v in figures)
    row = subjects.set_index("subject_id").loc[sid]
    assert row.counts == "casualties" and "North Korea" in row.label
    assert (row.low, row.high) == (200, 4000) and row.low <= row.best <= row.high
    assert row.n_sources >= 5
    # killed and wounded counts are other subjects than casualties, and troop numbers are not casualties
    assert not (subject.counts != "casualties").any()
    killed = groups[(groups.value == 100) & groups.source_canonical.isin([NIS, "South Korea"])]
    assert set(killed.counts) == {"killed"} and killed.subject_id.nunique() == 1
    assert not groups[(groups.source_canonical == JCS) & (groups.value == 11000)].subject_id.eq(sid).any()


def test_groups_command_on_an_existing_output_is_stable(seeds_run, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(seeds_run, out)
    before = pd.read_parquet(out / "claims.parquet")
    assert main(["groups", str(out)]) == 0
    after = pd.read_parquet(out / "claims.parquet")
    assert list(after.claim_id) == list(before.claim_id)
    assert list(after.group_id) == list(before.group_id)
    assert not list(out.glob(".tmp-*"))
    assert main(["groups", str(tmp_path / "nothing-here")]) == 2


def test_grouping_is_table_work_that_never_loads_spacy(seeds_run, tmp_path):
    import subprocess
    import sys

    from pipeline.groups import FRAMES_CACHE

    out = tmp_path / "copy"
    shutil.copytree(seeds_run, out)
    (out / FRAMES_CACHE).write_bytes(b"an older release's cache")
    tables = {t: pd.read_parquet(out / f"{t}.parquet") for t in ("claims", "claim_groups", "subjects")}
    code = (
        "import sys; from pipeline.groups import regroup; regroup(sys.argv[1]); "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')], 'spaCy was imported'"
    )
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, cwd=ROOT)
    for t, before in tables.items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{t}.parquet"), before)
    assert not (out / FRAMES_CACHE).exists()


def _claim(nlp, doc_id, sentence, number, source=None, day=None):
    """A claim as the main pass writes it (unit, counted, entities), with the source and day set."""
    found = [c for c in claims_of(nlp, sentence) if c["quantity_text"].endswith(number)]
    assert found, sentence
    c = dict(found[0])
    c.update(
        {
            "claim_id": f"{doc_id}-{c['start']}",
            "doc_id": doc_id,
            "source": source,
            "source_canonical": source,
            "source_type": None,
            "via": None,
            "claim_date": day,
            "claim_date_start": day,
            "claim_date_end": day,
            "published": day,
            "outlet": None,
        }
    )
    return c


@pytest.mark.parametrize(
    "sentence, number, counts",
    [
        ("Zelensky said that about 3,000 of them have been killed or wounded.", "3,000", "casualties"),
        (
            "The number of casualties among North Korean troops is estimated at approximately 1,100.",
            "1,100",
            "casualties",
        ),
        ("The Pentagon said the losses of the contingent have reached 500.", "500", "casualties"),
        ("Officials said 100 soldiers had been killed, and another 1,000 had been injured.", "100", "killed"),
        ("Officials said 100 soldiers had been killed, and another 1,000 had been injured.", "1,000", "wounded"),
        ("It said 3,000 troops were sent to Russia in January.", "3,000", "troops"),
        ("Officials said the toll had risen to 57 on Friday.", "57", "killed"),
    ],
)
def test_what_a_number_counts_is_read_from_its_sentence(nlp, sentence, number, counts):
    (frame,) = frames_for([_claim(nlp, "d", sentence, number)])
    assert frame.core == counts


@pytest.mark.parametrize("sentence", ["1,100.", "Total: 1,100", "About 1,100 on Monday."])
def test_a_number_at_the_root_of_its_sentence_is_read(nlp, sentence):
    # the number heads its own sentence: reading upwards must stop at the root
    claims = [c for c in claims_of(nlp, sentence)]
    (frame,) = frames_for(claims[:1]) if claims else (None,)
    assert frame is None or frame.core is None or isinstance(frame.core, str)


def test_one_statement_needs_source_number_thing_and_days_to_agree(nlp):
    d1, d2, d3 = dt.date(2024, 12, 20), dt.date(2024, 12, 23), dt.date(2025, 3, 1)
    s = "Seoul said about 1,100 North Korean soldiers had been killed or wounded."
    claims = [
        _claim(nlp, "a", s, "1,100", "Seoul", d1),
        _claim(nlp, "b", s, "1,100", "Seoul", d2),
        _claim(nlp, "c", s, "1,100", "Seoul", d3),  # months later: said again, not relayed
        _claim(nlp, "d", s, "1,100", "Seoul", None),  # undated: no single group to join
        _claim(nlp, "e", s.replace("Seoul", "Kyiv"), "1,100", "Kyiv", d2),
        _claim(nlp, "f", "Seoul said 1,100 troops were sent to Russia.", "1,100", "Seoul", d2),
    ]
    groups = statement_groups(claims, frames_for(claims))
    docs = sorted(sorted(claims[i]["doc_id"] for i in g) for g in groups)
    assert docs == [["a", "b"], ["c"], ["d"], ["e"], ["f"]]


def test_casualties_of_different_peoples_are_different_subjects(nlp):
    day = dt.date(2024, 12, 23)
    claims = [
        _claim(nlp, "a", "Kyiv said Russian casualties in the war had exceeded 5,000 on Monday.", "5,000", "Kyiv", day),
        _claim(nlp, "b", "Seoul said North Korean casualties in Russia had exceeded 1,100.", "1,100", "Seoul", day),
        _claim(
            nlp,
            "c",
            "Kyiv said 3,000 North Korean soldiers had been killed or wounded in Russia.",
            "3,000",
            "Kyiv",
            day,
        ),
    ]
    group_of, groups, subjects = build(claims, frames_for(claims), {})
    sid = {g["group_id"]: g["subject_id"] for g in groups}
    assert sid[group_of[1]] == sid[group_of[2]] != sid[group_of[0]]
    assert {s["counts"] for s in subjects} == {"casualties"}


def test_entity_keys_join_places_and_their_peoples():
    assert entity_key("North Korean") == entity_key("North Korea") == entity_key("the North Korea's")
    assert entity_key("Ukrainian") == entity_key("Ukraine")
    assert entity_key("Russian") == entity_key("Russia")
    assert entity_key("Austria") != entity_key("Australia")


def test_measures_lexicon_loads():
    m = Measures.load()
    assert {"percent", "km", "years"} <= m.no_subject
    assert {"usd", "gbp", "brl", "sdg"} <= m.money and {"killed", "wounded", "casualties"} <= m.events


def test_killed_and_wounded_of_one_event_are_separate_subjects_linked_by_an_event(nlp):
    day = dt.date(2025, 3, 2)
    s = "Rescuers said the landslide killed 23 villagers and injured 71 in Nepal."
    claims = [
        _claim(nlp, "a", s, "23", "rescuers", day),
        _claim(nlp, "a", s, "71", "rescuers", day),
        _claim(nlp, "b", "The army said 30 villagers died in the landslide in Nepal.", "30", "the army", day),
    ]
    assert [c["unit"] for c in claims] == ["killed", "wounded", "killed"]
    group_of, groups, subjects = build(claims, frames_for(claims), {})
    sid = {g["group_id"]: g["subject_id"] for g in groups}
    killed, wounded, killed2 = (sid[g] for g in group_of)
    assert killed == killed2 != wounded
    by_id = {s["subject_id"]: s for s in subjects}
    assert by_id[killed]["event_id"] == by_id[wounded]["event_id"] is not None
    assert by_id[killed]["n_claims"] == 2 and by_id[killed]["low"] == 23 and by_id[killed]["high"] == 30


def test_subjects_never_mix_units(seeds_run):
    claims = pd.read_parquet(seeds_run / "claims.parquet")
    groups = pd.read_parquet(seeds_run / "claim_groups.parquet")
    units = claims.merge(groups[["group_id", "subject_id"]], on="group_id").dropna(subset=["subject_id"])
    assert (units.groupby("subject_id").unit.nunique() == 1).all()

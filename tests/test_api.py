"""The Python API: extract() on texts and DataFrames, read_output() with proper dtypes."""

import datetime as dt

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from pipeline import extract, read_output
from pipeline.api import CATEGORIES
from pipeline.schema import TABLES, schema


def _seeds() -> pd.DataFrame:
    manifest = pd.read_csv(ROOT / "seeds" / "manifest.csv", dtype=str, keep_default_na=False)
    published = dict(zip(manifest.doc_id, manifest.published))
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    return pd.DataFrame(
        {
            "doc_id": [p.stem for p in paths],
            "content": [p.read_text(encoding="utf-8") for p in paths],
            "date": [published.get(p.stem) or None for p in paths],
        }
    )


def test_categories_name_real_string_columns():
    for table, columns in CATEGORIES.items():
        for c in columns:
            assert str(schema(table).field(c).type) == "string", (table, c)


def test_read_output_dtypes(seeds_run):
    tables = read_output(seeds_run)
    assert set(tables) == set(TABLES)
    claims = tables["claims"]
    for c in ("published", "claim_date", "claim_date_start", "period_end"):
        assert pd.api.types.is_datetime64_any_dtype(claims[c]), c
    for c in ("start", "end", "source_start", "cue_end", "sentence_start"):
        assert str(claims[c].dtype) == "Int64", c
    assert claims.source_start.isna().any() and not claims.start.isna().any()  # nullable, not float
    assert str(claims.vague.dtype) == "boolean"
    for c in CATEGORIES["claims"]:
        assert isinstance(claims[c].dtype, pd.CategoricalDtype), c
    assert "report" in claims.cue_kind.cat.categories
    assert pd.api.types.is_datetime64_any_dtype(tables["articles"].published)
    assert tables["articles"].published.dt.year.dropna().eq(2024).all()
    # the values are those of the files
    raw = pq.read_table(seeds_run / "claims.parquet").to_pandas()
    assert list(claims.claim_id) == list(raw.claim_id)
    assert [None if pd.isna(v) else v.date() for v in claims.claim_date] == list(raw.claim_date)
    assert [None if pd.isna(v) else int(v) for v in claims.source_start] == [
        None if pd.isna(v) else int(v) for v in raw.source_start
    ]
    assert list(claims.unit.astype(object).where(claims.unit.notna(), None)) == list(raw.unit)


def test_read_output_of_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_output(tmp_path / "nothing")


def test_extract_on_a_dataframe_gives_the_rows_of_a_run(seeds_run):
    tables = extract(_seeds())
    got, want = tables["claims"], read_output(seeds_run)["claims"]
    assert list(got.claim_id) == list(want.claim_id)
    assert list(got.group_id) == list(want.group_id)
    cols = ["doc_id", "start", "end", "value", "unit", "source_canonical", "cue_kind", "claim_date"]
    pd.testing.assert_frame_equal(got[cols], want[cols])
    assert set(tables["articles"].input) == {"<DataFrame>"}
    assert list(tables["articles"].location) == [f"row {i}" for i in range(1, 6)]


def test_extract_on_texts_with_dates():
    texts = [
        "Officials said on Monday that about 1,100 soldiers were killed, Reuters reported.",
        "The ministry said 40 people were hurt.",
    ]
    tables = extract(texts, dates=["2025-03-11", "March 12, 2025"])
    claims = tables["claims"]
    assert list(claims.doc_id) == ["0", "1"]
    assert list(claims.value) == [1100.0, 40.0]
    assert claims.claim_date.iloc[0] == pd.Timestamp(dt.date(2025, 3, 10))  # "on Monday"
    assert list(tables["articles"].published) == [pd.Timestamp("2025-03-11"), pd.Timestamp("2025-03-12")]
    (note,) = tables["errors"].itertuples()
    assert (note.doc_id, note.fatal) == ("1", False) and "is not ISO" in note.message
    one_date = extract(texts, dates=dt.date(2025, 1, 1), ids=["a", "b"])
    assert list(one_date["articles"].doc_id) == ["a", "b"]
    assert one_date["articles"].published.eq(pd.Timestamp("2025-01-01")).all()


def test_extract_keeps_tables_in_out_and_reports_fatal_input(tmp_path):
    out = tmp_path / "out"
    extract(pd.DataFrame({"story": ["Police said 12 people were arrested."]}), text_field="story", out=out)
    assert pq.read_table(out / "claims.parquet").num_rows == 1
    with pytest.raises(ValueError, match="lacks a text column .*looked for text, body, content"):
        extract(pd.DataFrame({"story": ["x"]}))
    with pytest.raises(ValueError, match="cannot load spaCy model 'no_such_model'"):
        extract(["Police said 12 people were arrested."], model="no_such_model")
    with pytest.raises(TypeError):
        extract("one text")

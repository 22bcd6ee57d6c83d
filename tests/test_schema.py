"""The output tables can be queried as they are: no column named after an SQL keyword."""

import duckdb
import pytest

from pipeline.schema import SCHEMA_VERSION, TABLES, schema

SQL_KEYWORDS = {"where", "select", "from", "group", "order", "table", "join"}
# `end` (entities, quantities, dates, claims) is reserved in DuckDB too, but the shared scorers
# read start/end: it stays, and SQL quotes it ("end").
KNOWN_RESERVED = {"end"}


@pytest.mark.parametrize("table", TABLES)
def test_no_column_is_an_sql_keyword(table):
    # DuckDB's own list of what it cannot parse as a bare column name
    reserved = {
        k
        for (k,) in duckdb.sql(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'"
        ).fetchall()
    }
    names = set(schema(table).names)
    assert not names & (SQL_KEYWORDS | reserved) - KNOWN_RESERVED


def test_where_is_now_location():
    assert tuple(map(int, SCHEMA_VERSION.split("."))) >= (1, 6)
    for table in ("articles", "errors"):
        assert "location" in schema(table).names and "where" not in schema(table).names


def test_duckdb_reads_location_unquoted(seeds_run, tmp_path):
    from pipeline.cli import main

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"id": "a", "text": "Officials said 40 people were killed."}\nnot json\n', encoding="utf-8")
    assert main(["run", str(jsonl), "--out", str(tmp_path / "out"), "--progress", "off", "--no-groups"]) == 0
    rows = duckdb.sql(f"SELECT input, location, stage FROM '{tmp_path / 'out' / 'errors.parquet'}'").fetchall()
    assert rows == [(str(jsonl), "line 2", "ingest")]
    located = duckdb.sql(f"SELECT doc_id, location FROM '{seeds_run / 'articles.parquet'}' ORDER BY 1").fetchall()
    assert located and all(loc.endswith(".txt") for _, loc in located)

"""The command line as a new user meets it: help, field options, progress, and what a failed run leaves."""

import datetime as dt
import json
import re

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from pipeline.cli import main
from pipeline.schema import TABLES

TEXT = "On Monday, officials said about 1,100 soldiers were killed, Reuters reported."


def _help(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_help_epilog_lists_every_table(capsys):
    for argv in ((), ("run",)):
        text = _help(capsys, *argv)
        listed = text[text.index("Output (in --out)") :]
        for table in TABLES:
            assert table in listed, (argv, table)
        assert "claim_groups" in listed and "subjects" in listed


@pytest.mark.parametrize(
    "command, words",
    [("groups", "across articles"), ("report", "HTML report"), ("schema", "documentation of every table")],
)
def test_subcommands_have_help(capsys, command, words):
    listing = " ".join(_help(capsys).split())  # the list of commands, its lines joined
    assert re.search(rf" {command} [a-z][^{{}}]*{words}", listing), listing
    own = _help(capsys, command)
    description = own.split("\n\n")[1]  # after the usage line: a description of its own
    assert words in " ".join(description.split())


def test_run_help_names_the_field_options(capsys):
    text = _help(capsys, "run")
    for option in ("--id-field", "--text-field", "--date-field"):
        assert option in text
    assert "published_at" in text and "body" in text


def _no_text_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,story_text\n1,x\n", encoding="utf-8")
    return bad


def test_fatal_error_leaves_a_new_out_folder_uncreated(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(_no_text_column(tmp_path)), "--out", str(out), "--progress", "off"]) == 2
    assert "lacks required column(s) text" in capsys.readouterr().err
    assert not out.exists()
    assert main(["run", str(ROOT / "seeds"), "--out", str(out), "--model", "no_such_model"]) == 2
    assert "cannot load spaCy model 'no_such_model'" in capsys.readouterr().err
    assert not out.exists()


def test_fatal_error_leaves_an_existing_out_folder_as_it_was(tmp_path, seeds_run):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", str(_no_text_column(tmp_path)), "--out", str(empty), "--progress", "off"]) == 2
    assert list(empty.iterdir()) == []

    # a folder with a previous run's tables (and its .lock) keeps them, and gains no .work
    def state():  # .lock is opened for writing by every run: its time changes, not its presence
        return {p.name: p.stat().st_mtime_ns if p.name != ".lock" else 0 for p in seeds_run.iterdir()}

    before = state()
    assert main(["run", str(_no_text_column(tmp_path)), "--out", str(seeds_run), "--progress", "off"]) == 2
    assert state() == before
    assert ".lock" in before and ".work" not in before


def test_limit_is_the_progress_bar_total(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(ROOT / "seeds"), "--out", str(out), "--limit", "2", "--progress", "on", "--no-groups"]) == 0
    err = capsys.readouterr().err
    assert "2/2" in err and "/5" not in err, err
    assert pq.read_table(out / "articles.parquet").num_rows == 2


def test_field_options_and_common_names(tmp_path):
    dump = tmp_path / "dump.jsonl"
    rows = [
        {"article_id": "a1", "story": TEXT, "when": "March 11, 2025", "author": "X"},
        {"article_id": "a2", "story": TEXT, "when": "2025-03-12", "author": "Y", "tags": ["t"]},
    ]
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(
            [
                "run",
                str(dump),
                "--out",
                str(out),
                "--progress",
                "off",
                "--no-groups",
                "--text-field",
                "story",
                "--date-field",
                "when",
            ]
        )
        == 0
    )
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    assert [(a["doc_id"], a["published"]) for a in articles] == [
        ("a1", dt.date(2025, 3, 11)),
        ("a2", dt.date(2025, 3, 12)),
    ]
    errors = pq.read_table(out / "errors.parquet").to_pylist()
    # each unread field once for the whole input; the guessed date once for its article
    assert [
        (e["location"], e["doc_id"], e["fatal"], e["message"].split(" not read")[0])
        for e in errors
        if "not read" in e["message"]
    ] == [("line 1", None, False, "field(s) 'author'"), ("line 2", None, False, "field(s) 'tags'")]
    dated = [e for e in errors if "is not ISO" in e["message"]]
    assert [(e["doc_id"], e["fatal"]) for e in dated] == [("a1", False)]
    claims = pq.read_table(out / "claims.parquet").to_pylist()
    assert {c["doc_id"] for c in claims} == {"a1", "a2"}
    # "On Monday" is read against the publication date
    assert {c["doc_id"]: c["claim_date"] for c in claims}["a1"] == dt.date(2025, 3, 10)

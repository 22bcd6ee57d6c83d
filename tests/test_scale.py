"""Scale: re-runs, worker processes and a Dask cluster all give the tables of one clean run."""

import fcntl
import json

import pandas as pd
import pytest
from conftest import SHARED

import pipeline.outdir
import pipeline.store
from pipeline.cli import main
from pipeline.schema import TABLES

REUTERS = SHARED / "corpus" / "reuters21578" / "articles.jsonl"
ADDED = " Officials said 40 ships were idle on Tuesday, the port authority said."


def short_articles(n: int) -> list[dict]:
    """The first n short Reuters articles (quick to process, real text)."""
    if not REUTERS.exists():
        pytest.skip(f"{REUTERS} missing")
    out = []
    with open(REUTERS, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if 300 < len(r["text"]) < 900:
                out.append(r)
                if len(out) == n:
                    break
    return out


def write_jsonl(path, rows, bad_line_at=None):
    lines = [json.dumps(r) for r in rows]
    if bad_line_at is not None:
        lines.insert(bad_line_at, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(inp, out, *extra) -> dict:
    assert main(["run", str(inp), "--out", str(out), "--progress", "off", *extra]) == 0
    assert not (out / ".work").exists() and not list(out.glob(".tmp-*")), "work files left behind"
    return json.loads((out / "run.json").read_text())


def tables(out) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


def assert_same_tables(out_a, out_b):
    a, b = tables(out_a), tables(out_b)
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """24 articles, processed once from scratch with one process."""
    d = tmp_path_factory.mktemp("scale")
    rows = short_articles(24)
    inp = write_jsonl(d / "a.jsonl", rows)
    info = run(inp, d / "clean")
    assert info["counts"]["processed"] == 24 and info["counts"]["articles"] == 24
    return rows, inp, d / "clean"


def test_rerun_processes_only_new_and_changed_articles(base, tmp_path):
    rows, inp, clean = base
    out = tmp_path / "out"
    run(inp, out)
    info = run(inp, out)
    assert (info["counts"]["processed"], info["counts"]["reused"]) == (0, 24)
    assert_same_tables(out, clean)

    b = [dict(r) for r in rows]
    b[3]["text"] += ADDED  # changed text
    b[5]["title"] = "A new title"  # changed metadata
    moved = b.pop(10)  # moved to the end: processed again
    del b[7]  # gone from the input: its rows go
    b += [dict(rows[0], id="new-1"), dict(rows[1], id="new-2", text=rows[1]["text"] + ADDED), moved]
    inp_b = write_jsonl(tmp_path / "b.jsonl", b, bad_line_at=4)
    info = run(inp_b, out)
    assert info["counts"]["processed"] == 5 and info["counts"]["reused"] == 20
    assert info["counts"]["input_errors"] == 1
    run(inp_b, tmp_path / "clean_b")
    assert_same_tables(out, tmp_path / "clean_b")

    got = tables(out)
    assert list(got["articles"].doc_id) == [r["id"] for r in b]
    assert rows[7]["id"] not in set(got["claims"].doc_id) | set(got["entities"].doc_id)
    added = got["claims"][got["claims"].doc_id == rows[3]["id"]]
    assert "40" in set(added.quantity_text) and len(got["errors"]) == 1
    assert got["articles"].set_index("doc_id").loc[rows[5]["id"], "title"] == "A new title"


def test_force_processes_everything(base, tmp_path):
    rows, inp, clean = base
    out = tmp_path / "out"
    run(inp, out)
    info = run(inp, out, "--force")
    assert (info["counts"]["processed"], info["counts"]["reused"]) == (24, 0)
    assert_same_tables(out, clean)


def test_changed_config_processes_everything(base, tmp_path):
    rows, inp, clean = base
    out = tmp_path / "out"
    run(inp, out)
    assert run(inp, out, "--no-quantulum")["counts"]["processed"] == 24


def test_worker_processes_give_the_same_tables(base, tmp_path):
    rows, inp, clean = base
    info = run(inp, tmp_path / "w2", "--workers", "2", "--chunk-size", "3")
    assert info["workers"] == 2 and info["counts"]["processed"] == 24
    assert_same_tables(tmp_path / "w2", clean)


@pytest.mark.integration
def test_dask_cluster_gives_the_same_tables(base, tmp_path):
    distributed = pytest.importorskip("distributed")
    rows, inp, clean = base
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        info = run(
            inp, tmp_path / "dask", "--engine", "dask", "--scheduler", cluster.scheduler_address, "--chunk-size", "3"
        )
    assert info["engine"] == "dask" and info["workers"] == 2
    assert_same_tables(tmp_path / "dask", clean)


def test_dask_without_scheduler_is_a_clear_error(base, tmp_path, capsys):
    assert main(["run", str(base[1]), "--out", str(tmp_path / "o"), "--engine", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err


def test_second_run_on_one_folder_refuses(base, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["run", str(base[1]), "--out", str(out), "--progress", "off"]) == 2
    assert "another run is writing" in capsys.readouterr().err
    assert not (out / "articles.parquet").exists()


@pytest.mark.parametrize("renames_before_kill", [0, 4])
def test_commit_stopped_between_renames_is_finished_by_the_next_run(base, tmp_path, monkeypatch, renames_before_kill):
    """Killed before the pointer (0): the old generation stays whole. Killed after the pointer and
    three documented paths (4): readers through the pointer see the new one whole, and the next run
    repairs the documented paths without processing anything."""
    from pipeline import read_output

    rows, inp, clean = base
    out = tmp_path / "out"
    run(write_jsonl(tmp_path / "few.jsonl", rows[:5]), out)
    real, done = pipeline.outdir.os.replace, []

    def dies_after_some_renames(src, dst):
        if str(src).startswith(str(out / ".tmp-")):
            if len(done) == renames_before_kill:
                raise KeyboardInterrupt  # as good as a kill: nothing after it runs
            done.append(dst)
        return real(src, dst)

    monkeypatch.setattr(pipeline.outdir.os, "replace", dies_after_some_renames)
    assert main(["run", str(inp), "--out", str(out), "--progress", "off"]) == 130
    monkeypatch.undo()
    seen = read_output(out)
    n = 5 if renames_before_kill == 0 else 24
    assert len(seen["articles"]) == n and seen["claims"].doc_id.nunique() <= n
    assert set(seen["claims"].doc_id) <= set(seen["articles"].doc_id)
    assert set(seen["claims"].group_id) <= set(seen["claim_groups"].group_id)
    info = run(inp, out)
    if renames_before_kill:
        assert info["counts"]["processed"] == 0 and info["counts"]["reused"] == 24
    assert_same_tables(out, clean)


def test_batches_are_bounded_by_characters_and_keep_the_order():
    from pipeline.process import _batches
    from pipeline.records import Article

    arts = [Article(str(i), "x" * n) for i, n in enumerate([10, 20, 500, 30, 40, 50, 60, 5])]
    batches = list(_batches(arts, 3, 100))
    assert [a for b in batches for a in b] == arts
    assert [[a.doc_id for a in b] for b in batches] == [["0", "1"], ["2"], ["3", "4"], ["5"], ["6", "7"]]

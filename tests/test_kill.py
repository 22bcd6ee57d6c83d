"""A run killed with SIGKILL mid-way leaves the previous tables; the next run resumes and completes them."""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT
from test_scale import assert_same_tables, run, short_articles, tables, write_jsonl

from pipeline.cli import main
from pipeline.schema import TABLES

pytestmark = pytest.mark.integration


def finished_parts(out) -> int:
    work = out / ".work"
    return sum(1 for run_dir in work.iterdir() for p in run_dir.iterdir() if p.name.isdigit()) if work.exists() else 0


def test_sigkill_mid_run_keeps_the_old_tables_and_the_rerun_resumes(tmp_path):
    rows = short_articles(120)
    out = tmp_path / "out"
    run(write_jsonl(tmp_path / "old.jsonl", rows[:20]), out)  # the previous tables
    before = tables(out)
    run_json = (out / "run.json").read_bytes()

    inp = write_jsonl(tmp_path / "all.jsonl", rows)
    env = dict(os.environ, CI="true", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(inp),
            "--out",
            str(out),
            "--chunk-size",
            "4",
            "--progress",
            "off",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 240
    try:
        # the 20 old articles are reused; kill once 9 chunks of new articles are checkpointed
        while finished_parts(out) < 9 and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, f"the run ended by itself before the kill: {err.decode()[-500:]}"

    # the previous tables are still there, whole and unchanged
    after = tables(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(after[t], before[t], obj=t)
    assert (out / "run.json").read_bytes() == run_json

    info = run(inp, out)
    counts = info["counts"]
    assert counts["reused"] == 20 and counts["resumed"] >= 4, counts
    assert counts["processed"] + counts["resumed"] + counts["reused"] == 120
    got = tables(out)
    assert list(got["articles"].doc_id) == [r["id"] for r in rows]
    for t in ("claims", "quantities", "attributions"):
        ids = set(got[t].doc_id)
        assert ids <= set(got["articles"].doc_id), t
    assert not got["claims"].claim_id.duplicated().any()

    assert main(["run", str(inp), "--out", str(tmp_path / "clean"), "--progress", "off"]) == 0
    assert_same_tables(out, tmp_path / "clean")
    assert json.loads((out / "run.json").read_text())["run_id"] != json.loads(run_json)["run_id"]

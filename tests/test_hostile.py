"""Issue 18: faults, hostile input and huge articles. Each test failed at main (d5f0c0e..7b35237)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT, claims_of
from test_scale import run, short_articles, tables, write_jsonl

import pipeline.groups
import pipeline.store
from pipeline import read_output
from pipeline.cli import main
from pipeline.outdir import current_dir
from pipeline.process import process_articles
from pipeline.records import Article
from pipeline.schema import TABLES


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """6 short Reuters articles and a finished output of them."""
    d = tmp_path_factory.mktemp("hostile")
    inp = write_jsonl(d / "in.jsonl", short_articles(6))
    out = d / "out"
    run(inp, out)
    return inp, out


def copy_output(src, dst):
    import shutil

    shutil.copytree(src, dst, symlinks=True)
    return dst


# -- writes through planted links -------------------------------------------------------------


def test_a_link_at_the_lock_is_refused_and_its_target_kept(small, tmp_path, capsys):
    inp, _ = small
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").symlink_to(target)
    assert main(["run", str(inp), "--out", str(out), "--progress", "off"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_groups_refuses_a_link_at_the_lock(small, tmp_path, capsys):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = copy_output(small[1], tmp_path / "out")
    (out / ".lock").unlink()
    (out / ".lock").symlink_to(target)
    assert main(["groups", str(out)]) == 2
    assert target.read_text() == "keep me"


def test_a_link_at_the_work_folder_is_refused(small, tmp_path, capsys):
    inp, _ = small
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".work").symlink_to(elsewhere)
    assert main(["run", str(inp), "--out", str(out), "--progress", "off"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_links_planted_at_table_names_are_replaced_not_written_through(small, tmp_path):
    inp, _ = small
    out = tmp_path / "out"
    out.mkdir()
    victims = {}
    for t in ("claims", "articles"):
        victims[t] = tmp_path / f"victim-{t}"
        victims[t].write_text("keep me")
        (out / f"{t}.parquet").symlink_to(victims[t])
    run(inp, out)
    for t, v in victims.items():
        assert v.read_text() == "keep me"
        assert not (out / f"{t}.parquet").is_symlink()
    assert len(pd.read_parquet(out / "articles.parquet")) == 6


def test_source_names_lose_bidi_controls_and_emoji(nlp):
    text = "\u202eThe ministry said 12 ships sank. The ministry\U0001f680 said 40 soldiers died."
    rows, ok = process_articles(nlp, [Article("t", text)])
    claims = rows[0]["claims"]
    assert ok == 1 and claims
    for c in claims:
        assert c["source_canonical"] and not any(ch in c["source_canonical"] for ch in "\u202e\U0001f680")
        assert c["source"] and "\u202e" not in c["source"]
        assert text[c["start"] : c["end"]] == c["quantity_text"]  # offsets index the text as read


def test_a_dated_claim_in_normalised_text_keeps_its_article(nlp):
    # (the days of a claim date's window were once taken for offsets into the text)
    text = "Officials said on Monday that about 12 people \U0001f642 were killed, the ministry said.\n\n\r"
    rows, ok = process_articles(nlp, [Article("t", text, published=dt.date(2024, 5, 8))])
    assert ok == 1
    [c] = rows[0]["claims"]
    assert c["claim_date"] == dt.date(2024, 5, 6) and c["claim_date_text"] == "Monday"


# -- one consistent output folder -------------------------------------------------------------


def test_deleted_documented_tables_come_back_whole(small, tmp_path):
    inp, base = small
    out = copy_output(base, tmp_path / "out")
    before = tables(out)
    (out / "claims.parquet").unlink()
    (out / "entities.parquet").unlink()
    info = run(inp, out)
    after = tables(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(after[t], before[t], obj=t)
    assert info["counts"]["reused"] == 6


def test_a_table_deleted_from_the_generation_means_processing_again(small, tmp_path, capsys):
    inp, base = small
    out = copy_output(base, tmp_path / "out")
    before = tables(out)
    (current_dir(out) / "claims.parquet").unlink()
    info = run(inp, out)
    assert info["counts"]["processed"] == 6 and info["counts"]["reused"] == 0
    assert "missing or unreadable" in capsys.readouterr().err
    assert len(pd.read_parquet(out / "claims.parquet")) == len(before["claims"]) > 0


def test_a_truncated_table_means_processing_again_and_groups_says_so(small, tmp_path, capsys):
    inp, base = small
    out = copy_output(base, tmp_path / "out")
    n_claims = len(pd.read_parquet(out / "claims.parquet"))
    f = current_dir(out) / "claims.parquet"
    data = f.read_bytes()
    f.unlink()  # the documented path keeps the whole file
    f.write_bytes(data[: len(data) // 2])
    assert main(["groups", str(out)]) == 2
    assert "error: cannot group" in capsys.readouterr().err
    info = run(inp, out)
    assert info["counts"]["processed"] == 6
    assert len(read_output(out)["claims"]) == n_claims


def test_a_failure_while_grouping_leaves_the_previous_generation_whole(small, tmp_path, monkeypatch):
    inp, base = small
    out = copy_output(base, tmp_path / "out")
    before = read_output(out)
    more = write_jsonl(tmp_path / "more.jsonl", short_articles(9))

    def killed(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.groups, "group_dir", killed)
    assert main(["run", str(more), "--out", str(out), "--progress", "off"]) == 130
    monkeypatch.undo()
    after = read_output(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(after[t], before[t], obj=t)
    assert set(after["claims"].group_id) <= set(after["claim_groups"].group_id)
    assert not [
        p
        for p in out.iterdir()
        if p.name.startswith(".gen-") and p != current_dir(out) and p.name > current_dir(out).name
    ]


def test_a_run_without_groups_leaves_no_groups_of_other_claims(small, tmp_path):
    inp, base = small
    out = copy_output(base, tmp_path / "out")
    run(write_jsonl(tmp_path / "more.jsonl", short_articles(9)), out, "--no-groups")
    t = read_output(out)
    assert t["claims"].group_id.isna().all() and len(t["claim_groups"]) == 0 and len(t["subjects"]) == 0


def test_full_disk_is_a_clear_error_and_keeps_the_tables(small, tmp_path, monkeypatch, capsys):
    inp, base = small
    out = copy_output(base, tmp_path / "out")
    before = tables(out)

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.store.outdir, "new_generation", full)
    assert (
        main(
            [
                "run",
                str(write_jsonl(tmp_path / "more.jsonl", short_articles(8))),
                "--out",
                str(out),
                "--progress",
                "off",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "error: cannot write to output folder" in err and "No space left" in err and "Traceback" not in err
    monkeypatch.undo()
    after = tables(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(after[t], before[t], obj=t)


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            continue
        out.update(kids)
        todo += kids
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def test_sigterm_with_workers_ends_the_children(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", short_articles(60))
    env = dict(os.environ, CI="true", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(inp),
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "2",
            "--chunk-size",
            "2",
            "--progress",
            "off",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    kids: set[int] = set()
    deadline = time.time() + 120
    while len(kids) < 3 and proc.poll() is None and time.time() < deadline:  # the forkserver and 2 workers
        kids = _descendants(proc.pid)
        time.sleep(0.2)
    assert len(kids) >= 3, f"no workers started: {proc.poll()}"
    time.sleep(1)
    kids = _descendants(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err.decode()[-500:]
    deadline = time.time() + 15
    while any(_alive(k) for k in kids) and time.time() < deadline:
        time.sleep(0.2)
    assert not [k for k in kids if _alive(k)], "worker processes outlived the run"


# -- bounded memory and time ------------------------------------------------------------------


class _RecordingNlp:
    """The real Language, recording the characters of every batch handed to `pipe` and each lone call."""

    def __init__(self, nlp, fail_on=None):
        self.nlp, self.fail_on, self.batches, self.singles = nlp, fail_on, [], 0

    def __getattr__(self, name):
        return getattr(self.nlp, name)

    def _check(self, doc):
        if self.fail_on and self.fail_on in doc.user_data["newsclaims.text"]:
            raise ValueError("a component failed")

    def pipe(self, docs, batch_size):
        docs = list(docs)
        self.batches.append(sum(len(d.user_data["newsclaims.text"]) for d in docs))
        for d in docs:
            self._check(d)
        return self.nlp.pipe(docs, batch_size=batch_size)

    def __call__(self, doc):
        self.singles += 1
        self._check(doc)
        return self.nlp(doc)


def test_batches_of_chunks_are_bounded_by_characters(nlp):
    # one article of 10 chunks of ~1,000 characters: the old batch of 32 took all ten at once
    text = ("Officials said 40 ships were idle. " * 30 + "\n\n") * 10
    rec = _RecordingNlp(nlp)
    rows, ok = process_articles(rec, [Article("long", text)], chunk_chars=1100, batch_chars=2500)
    assert ok == 1 and len(rows[0]["claims"]) == 300
    assert max(rec.batches) <= 2500 and len(rec.batches) >= 4 and rec.singles == 0


def test_a_failing_chunk_is_retried_alone(nlp):
    text = ("Officials said 40 ships were idle. " * 30 + "\n\n") * 9 + "The bad chunk said 7 died. " * 20
    rec = _RecordingNlp(nlp, fail_on="bad chunk")
    rows, ok = process_articles(rec, [Article("long", text)], chunk_chars=1100, batch_chars=2500)
    assert ok == 1 and len(rows[0]["claims"]) == 270
    failed = [e for e in rows[0]["errors"] if e["stage"] == "nlp"]
    assert len(failed) == 1 and not failed[0]["fatal"]
    # only the failing batch is run again, Doc by Doc: not the whole article
    assert rec.singles <= 3


def test_and_an_eight_pct_rate_does_not_lose_the_article(nlp):
    # at main: AttributeError in the number scanner, and the whole article (or chunk) was lost
    claims = claims_of(nlp, "It rose 5 pct until April 1989 and an eight pct rate thereafter.")
    assert [(c["quantity_text"], c["value"]) for c in claims] == [("5 pct", 5.0), ("eight pct", 8.0)]


def test_text_without_sentence_ends_is_cut_and_evidence_is_capped(nlp):
    words = "the delegates from many regions met again and argued about the plans, "
    text = " ".join(f"{words}and {i * 10 + 7} soldiers stood by" for i in range(60))  # ~5,000 chars
    rows, ok = process_articles(nlp, [Article("flat", text)])
    claims = rows[0]["claims"]
    assert ok == 1 and len(claims) >= 50
    assert max(len(c["sentence"]) for c in claims) <= 1000
    for c in claims:
        s = c["sentence_start"]
        assert text[s : s + len(c["sentence"])] == c["sentence"] and s <= c["start"] < s + len(c["sentence"])
    doc = nlp(text)
    assert max(len(s.text) for s in doc.sents) <= 1100


def test_evidence_window_centres_the_number():
    from pipeline.claims import evidence_window

    assert evidence_window(0, 500, 100, 103) == (0, 500)
    lo, hi = evidence_window(0, 100_000, 50_000, 50_005)
    assert hi - lo == 1000 and lo < 50_000 and 50_005 < hi
    assert evidence_window(0, 100_000, 10, 12) == (0, 1000)
    assert evidence_window(0, 100_000, 99_990, 99_995) == (99_000, 100_000)


# -- clear errors instead of tracebacks ------------------------------------------------------


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "cannot read --sources"),
        ("{not json", "not valid JSON"),
        ('{"sources": [{"name": "x"}]}', "not a source registry"),
    ],
)
def test_bad_sources_file_is_a_clear_error(small, tmp_path, capsys, content, message):
    path = tmp_path / "sources.json"
    if content is not None:
        path.write_text(content)
    assert main(["run", str(small[0]), "--out", str(tmp_path / "o"), "--sources", str(path), "--progress", "off"]) == 2
    err = capsys.readouterr().err
    assert message in err and "spaCy model" not in err and "Traceback" not in err


def test_go_zero_time_keeps_the_article_with_null_claim_dates(nlp):
    a = Article("z", "Officials said last week that 300 people fled.", published=dt.date(1, 1, 5))
    rows, ok = process_articles(nlp, [a])
    assert ok == 1
    assert [c["value"] for c in rows[0]["claims"]] == [300.0]
    assert rows[0]["claims"][0]["claim_date"] is None
    assert [(e["stage"], e["fatal"]) for e in rows[0]["errors"]] == [("dates", False)]
    assert "placeholder" in rows[0]["errors"][0]["message"]


def test_summary_does_not_count_failed_articles_as_processed(tmp_path, monkeypatch, capsys):
    import pipeline.process

    real = pipeline.process.doc_rows

    def fails_for_bad(doc, article):
        if article.doc_id == "bad":
            raise RuntimeError("boom")
        return real(doc, article)

    monkeypatch.setattr(pipeline.process, "doc_rows", fails_for_bad)
    inp = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "ok", "text": "Officials said 40 ships sank."}, {"id": "bad", "text": "The ministry said 12 died."}],
    )
    assert main(["run", str(inp), "--out", str(tmp_path / "o"), "--progress", "off"]) == 0
    err = capsys.readouterr().err
    assert "1 articles (1 processed, 0 unchanged, 1 failed)" in err


# -- text that looks like numbers ----------------------------------------------------------


@pytest.mark.parametrize("sep", ["\u2009", "\u202f", "\u00a0"])
def test_thin_space_thousands_are_one_number(nlp, sep):
    text = f"Officials said 300{sep}000 people fled and 1{sep}100 were hurt."
    rows, _ = process_articles(nlp, [Article("t", text)])
    claims = rows[0]["claims"]
    assert [c["value"] for c in claims] == [300000.0, 1100.0]
    assert [c["quantity_text"] for c in claims] == [f"300{sep}000", f"1{sep}100"]  # as read
    assert all(text[c["start"] : c["end"]] == c["quantity_text"] for c in claims)


def test_ansi_colour_codes_are_not_numbers(nlp):
    text = "Officials said \x1b[31m40\x1b[0m soldiers were killed on \x1b[1;32mMonday\x1b[0m."
    rows, _ = process_articles(nlp, [Article("t", text)])
    assert [c["value"] for c in rows[0]["claims"]] == [40.0]
    assert [q["quantity_text"] for q in rows[0]["quantities"]] == ["40"]


def test_cr_only_line_ends_are_line_breaks(nlp):
    text = "Troops advance in the east\rThe ministry said 40 soldiers were killed."
    claims = process_articles(nlp, [Article("t", text)])[0][0]["claims"]
    assert [c["value"] for c in claims] == [40.0]
    assert "advance" not in (claims[0]["source"] or "") and "east" not in claims[0]["sentence"]


def test_claims_of_plain_text_do_not_change(nlp):
    """The normalisation is a no-op on ordinary text: same values and offsets as before."""
    text = "On Monday, officials said about 1,200 people walked 5 km, up 3% from 2023, Reuters said."
    got = [(c["start"], c["end"], c["value"]) for c in claims_of(nlp, text)]
    assert got == [
        (c["start"], c["end"], c["value"]) for c in process_articles(nlp, [Article("t", text)])[0][0]["claims"]
    ]


# -- the figures (slow: `make test-slow`; `python -m pipeline.stress` measures them all) ----------


@pytest.mark.slow
def test_unpunctuated_text_takes_linear_time(nlp):
    from conftest import SHARED

    from pipeline.stress import corpus_text, cpu_per_mchar

    small = cpu_per_mchar(nlp, corpus_text(SHARED, 10_000, punctuated=False), "small")
    big = cpu_per_mchar(nlp, corpus_text(SHARED, 300_000, punctuated=False), "big")
    assert big["s_per_mchar"] <= 2 * small["s_per_mchar"], (small, big)
    assert big["longest_evidence"] <= 1000

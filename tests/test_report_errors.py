"""`report` when it cannot do its work: one line `error: ...`, exit 2, no traceback, nothing half-written."""

import errno
import os

import pipeline.outdir
import pipeline.report
from pipeline.cli import main


def fails_cleanly(capsys, argv, *words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err, err
    for w in words:
        assert w in err, err
    return err


def test_missing_folder(tmp_path, capsys):
    fails_cleanly(capsys, ["report", str(tmp_path / "nope")], "output folder not found", "nope")


def test_a_file_is_not_an_output_folder(tmp_path, capsys):
    (tmp_path / "f.parquet").write_bytes(b"x")
    fails_cleanly(capsys, ["report", str(tmp_path / "f.parquet")], "not a folder")


def test_empty_folder_is_an_error_not_a_page_of_nothing(tmp_path, capsys):
    fails_cleanly(capsys, ["report", str(tmp_path)], "no tables", "newsclaims run")
    assert not (tmp_path / "report.html").exists() and os.listdir(tmp_path) == []


def test_corrupt_table(seeds_run, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    for f in seeds_run.glob("*.parquet"):
        (out / f.name).write_bytes(f.read_bytes())
    (out / "claims.parquet").write_bytes((seeds_run / "claims.parquet").read_bytes()[:200])
    fails_cleanly(capsys, ["report", str(out)], "cannot read", "claims.parquet")


def test_html_naming_a_folder(seeds_run, tmp_path, capsys):
    fails_cleanly(capsys, ["report", str(seeds_run), "--html", str(tmp_path)], "is a folder")
    assert os.listdir(tmp_path) == []


def test_html_in_a_missing_folder(seeds_run, tmp_path, capsys):
    fails_cleanly(capsys, ["report", str(seeds_run), "--html", str(tmp_path / "no" / "r.html")], "cannot write")


def test_read_only_target(seeds_run, tmp_path, capsys, monkeypatch):
    target = tmp_path / "ro"
    target.mkdir()
    if os.geteuid() == 0:
        # root writes through file modes: make the file system say what a read-only one says
        def refuse(*a, **k):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(pipeline.outdir.tempfile, "mkstemp", refuse)
    else:
        target.chmod(0o555)
    try:
        fails_cleanly(capsys, ["report", str(seeds_run), "--html", str(target / "r.html")], "cannot write", "r.html")
    finally:
        target.chmod(0o755)
    assert os.listdir(target) == []


def test_disk_full_keeps_the_previous_report(seeds_run, tmp_path, capsys, monkeypatch):
    path = tmp_path / "report.html"
    path.write_text("previous report", encoding="utf-8")

    def full(fd, data):
        os.write(fd, data[:4096])  # a part gets written, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pipeline.outdir, "_write_all", full)
    fails_cleanly(capsys, ["report", str(seeds_run), "--html", str(path)], "No space left on device")
    assert path.read_text(encoding="utf-8") == "previous report"
    assert os.listdir(tmp_path) == ["report.html"]  # no temporary file left behind


def test_a_link_planted_in_the_folder_is_not_followed(seeds_run, tmp_path):
    # the temporary file is created exclusively under a fresh name: links at old names are left alone
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for f in seeds_run.glob("*.parquet"):
        (out / f.name).write_bytes(f.read_bytes())
    (out / f".tmp-{os.getpid()}-report.html").symlink_to(victim)
    assert main(["report", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not (out / "report.html").is_symlink() and (out / "report.html").stat().st_mode & 0o777 == 0o644


def test_report_over_a_link_replaces_the_link_not_its_target(seeds_run, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for f in seeds_run.glob("*.parquet"):
        (out / f.name).write_bytes(f.read_bytes())
    (out / "report.html").symlink_to(victim)
    assert main(["report", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == "keep" and not (out / "report.html").is_symlink()

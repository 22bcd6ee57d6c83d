"""The package as a user installs it: a wheel (not editable) in a fresh venv, run from another folder.

The lexicons and weights must ship inside the wheel (pipeline/models, a link to models/) and
be found through importlib.resources; a run of the installed wheel gives the claim ids of a
run from the clone. About 20 s: one wheel build, one venv, two runs of the seeds.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT


def _build_wheel(tmp: Path) -> Path:
    """The wheel of the checkout, built from a copy (a stale build/ in the clone must not leak in)."""
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "pipeline", src / "pipeline", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "models", src / "models", ignore=ignore)
    dist = tmp / "dist"
    # no build isolation: the test extra installs setuptools, and nothing is fetched
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(src),
        ],
        check=True,
        cwd=tmp,
    )
    (wheel,) = dist.glob("newsclaims-*.whl")
    return wheel


def _venv_with(wheel: Path, tmp: Path) -> Path:
    """A fresh venv holding the wheel alone; its dependencies come from the project venv."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # --system-site-packages would see the system's Python, not the project venv: a .pth adds
    # the project venv's site-packages after the fresh venv's own (where the wheel goes)
    Path(purelib, "_project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
    )
    return venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(tmp)
    return wheel, _venv_with(wheel, tmp)


def _run(venv: Path, out: Path, cwd: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(venv / "bin" / "newsclaims"), "run", str(ROOT / "seeds"), "--out", str(out), "--progress", "off"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_wheel_carries_lexicons_weights_and_subpackages(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "models").glob("*.json"):
        assert f"pipeline/models/{path.name}" in names
    for path in (ROOT / "pipeline").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names
    for path in (ROOT / "pipeline" / "static").iterdir():
        assert path.relative_to(ROOT).as_posix() in names  # the report's chart library


def test_installed_wheel_runs_the_seeds_from_another_folder(installed, seeds_run, tmp_path):
    _, venv = installed
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), where  # the wheel, not the clone
    r = _run(venv, tmp_path / "out", cwd)
    assert r.returncode == 0, r.stderr
    ids = pq.read_table(tmp_path / "out" / "claims.parquet", columns=["claim_id"]).column(0).to_pylist()
    assert ids == pq.read_table(seeds_run / "claims.parquet", columns=["claim_id"]).column(0).to_pylist()
    assert len(ids) > 10
    # the same code and data hash the same: a clone's output is reused by the installed package
    keys = pq.read_table(tmp_path / "out" / "articles.parquet", columns=["key"]).column(0).to_pylist()
    assert keys == pq.read_table(seeds_run / "articles.parquet", columns=["key"]).column(0).to_pylist()


def test_a_missing_data_file_is_named_not_blamed_on_the_model(installed, tmp_path):
    _, venv = installed
    lexicon = next((venv / "lib").glob("python*/site-packages/pipeline/models/quantities.json"))
    saved = lexicon.read_bytes()
    lexicon.unlink()
    try:
        r = _run(venv, tmp_path / "out", tmp_path)
    finally:
        lexicon.write_bytes(saved)
    assert r.returncode == 2
    assert "models/quantities.json" in r.stderr and "spaCy model" not in r.stderr, r.stderr
    assert "Traceback" not in r.stderr

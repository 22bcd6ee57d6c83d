"""The output folder's layout: generations of tables, the pointer to the current one, safe writes.

Every run (and `python -m pipeline groups`) writes all its tables and `run.json`
into a new folder `OUT/.gen-<n>/`, then names it in the small file
`OUT/.current`, replaced atomically (`os.replace`). That rename is the commit:
a reader that resolves `.current` once (`current_dir`, `pipeline.read_output`) sees every
table of one generation, the old one or the new one, never a mix, whenever a
run is killed.

For users who read `OUT/claims.parquet` directly, each table of the current
generation is also hard-linked at its documented path `OUT/<table>.parquet`
(and `OUT/run.json`), swapped in one by one after the pointer; a run killed
between the pointer and the links leaves the links of the previous generation
until the next run (or `groups`) repairs them. Those paths are a convenience:
code that must see one consistent set reads through `current_dir`.

Nothing here follows a link planted in OUT: new files are created with
O_EXCL|O_NOFOLLOW or `tempfile.mkstemp` and renamed over the final name
(a rename replaces a link, it never writes through it); folders are made with
`mkdir`, which fails on an existing name.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

CURRENT = ".current"
GEN_PREFIX = ".gen-"
_GEN_NAME = re.compile(r"^\.gen-(\d{6,})$")
RUN_JSON = "run.json"


class UnsafeOutput(Exception):
    """The output folder holds a link (or another thing) where this package writes its own files."""


def _generations(out: Path) -> list[tuple[int, Path]]:
    found = []
    for p in out.iterdir() if out.is_dir() else []:
        m = _GEN_NAME.match(p.name)
        if m:
            found.append((int(m.group(1)), p))
    return sorted(found)


def _read_pointer(out: Path) -> str | None:
    try:
        fd = os.open(out / CURRENT, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, encoding="utf-8", errors="replace") as f:
        name = f.read(200).strip()
    return name if _GEN_NAME.match(name) else None


def current_dir(out: str | os.PathLike) -> Path | None:
    """The folder holding the current tables of output folder `out`; None when it has none.

    A folder written before generations existed (tables directly in OUT) is its own current folder.
    """
    out = Path(out)
    name = _read_pointer(out)
    if name is not None:
        gen = out / name
        if gen.is_dir() and not gen.is_symlink():
            return gen
    legacy = out / "articles.parquet"
    if _read_pointer(out) is None and legacy.is_file() and not legacy.is_symlink():
        return out
    return None


# -- writing ------------------------------------------------------------------------------------


def refuse_link(path: Path, what: str) -> None:
    if path.is_symlink():
        raise UnsafeOutput(f"{path} is a symbolic link; refusing to write {what} through it")


def create_new(path: Path, mode: int = 0o644) -> int:
    """A new file opened for writing: fails on any existing name, a link included."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)


def write_atomic(path: Path, data: str | bytes, mode: int = 0o644) -> None:
    """Replace `path` by a file holding `data`: written under a new temporary name in its folder
    (created exclusively, so a link planted there is never followed), then renamed over `path`.
    A failed write (a full disk) leaves `path` as it was and no temporary file behind."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=f"-{path.name}", dir=path.parent)
    try:
        try:
            os.fchmod(fd, mode)  # mkstemp's 0600 would hide the file from other readers
            _write_all(fd, data.encode("utf-8") if isinstance(data, str) else data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def new_generation(out: Path) -> Path:
    """A new, empty generation folder, numbered after every existing one."""
    gens = _generations(out)
    n = gens[-1][0] + 1 if gens else 1
    while True:
        gen = out / f"{GEN_PREFIX}{n:06d}"
        try:
            gen.mkdir()
            return gen
        except FileExistsError:
            n += 1


def link_into(src_dir: Path, dest_dir: Path, names: list[str]) -> None:
    """Hard-link the files `names` of `src_dir` (those it has) into the new folder `dest_dir`."""
    for name in names:
        src = src_dir / name
        if src.is_file() and not src.is_symlink():
            try:
                os.link(src, dest_dir / name, follow_symlinks=False)
            except OSError:  # a file system without hard links
                shutil.copyfile(src, dest_dir / name, follow_symlinks=False)


def publish(out: Path, gen: Path) -> None:
    """Make `gen` the current generation, then point the documented paths at its files.

    The pointer's rename is the commit; the links after it are for direct readers. The
    generation before stays (a reader may still be in it); older ones are removed.
    """
    before = _read_pointer(out)
    write_atomic(out / CURRENT, gen.name + "\n")
    link_documented_paths(out, gen)
    keep = {gen.name, before}
    for _, p in _generations(out):
        if p.name not in keep:
            _remove(p)


def link_documented_paths(out: Path, gen: Path) -> None:
    """OUT/<table>.parquet and OUT/run.json: hard links to the files of `gen`, each swapped in by a rename."""
    for f in sorted(gen.iterdir()):
        if not (f.suffix == ".parquet" or f.name == RUN_JSON) or f.is_symlink() or _same_file(f, out / f.name):
            continue
        tmp = out / f".tmp-{os.getpid()}-{secrets.token_hex(4)}-{f.name}"
        try:
            try:
                os.link(f, tmp, follow_symlinks=False)
            except OSError:
                shutil.copyfile(f, tmp, follow_symlinks=False)
            os.replace(tmp, out / f.name)
        finally:
            tmp.unlink(missing_ok=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return not b.is_symlink() and os.path.samefile(a, b)
    except OSError:
        return False


def repair(out: Path) -> None:
    """After a kill: the documented paths of the current generation, and no half-written generation.

    Called with the folder's lock held, so no other writer is at work.
    """
    name = _read_pointer(out)
    gens = _generations(out)
    if name is None or not (out / name).is_dir():
        # no generation yet, or one this package did not make: only unpublished ones can go
        for _, p in gens:
            _remove(p)
        return
    current = int(_GEN_NAME.match(name).group(1))
    for n, p in gens:
        if n > current:  # written by a run killed before its commit
            _remove(p)
    link_documented_paths(out, out / name)


def _remove(p: Path) -> None:
    if p.is_symlink():
        p.unlink()
    else:
        shutil.rmtree(p, ignore_errors=True)

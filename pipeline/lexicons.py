"""Reading and checking the components' word lists (models/*.json), and carrying them with a
saved pipeline.

Every lexicon file is one JSON object whose keys are documented beside them
(`_comment_<key>`, or one `_comment` for the file). `check_keys` refuses a file with an
unknown (or misspelt) key, a missing required key or a value of the wrong shape, naming
the file and the key: a typo fails at load instead of silently emptying a list.

The components keep the path of each file they read; `save_files` copies those files into
the folder `nlp.to_disk` gives the component, and `from_disk` reads them back from there,
so a saved pipeline carries its lexicons.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

from .resources import model_path, models_dir

# the packaged lexicons (pipeline/resources.py finds them in a clone, an editable install or a wheel)
MODELS = models_dir()


class LexiconError(ValueError):
    """A lexicon file that cannot be read as written."""


def read_json(path: str | Path) -> dict:
    """The JSON object of a lexicon file; a `LexiconError` naming the file if it holds none."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise LexiconError(f"{p}: not JSON: {e}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{p}: must hold a JSON object, not {type(data).__name__}")
    return data


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_words(v) -> bool:
    return isinstance(v, list) and all(isinstance(w, str) for w in v)


# the shapes a key may hold: a name -> (test, what the error says it must be)
SHAPES = {
    "words": (_is_words, "a list of strings"),
    "str->str": (lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()), "an object of strings"),
    "str->number": (lambda v: isinstance(v, dict) and all(_is_number(x) for x in v.values()), "an object of numbers"),
    "str->words": (
        lambda v: isinstance(v, dict) and all(_is_words(x) for x in v.values()),
        "an object of lists of strings",
    ),
    "str->object": (
        lambda v: isinstance(v, dict) and all(isinstance(x, dict) for x in v.values()),
        "an object of objects",
    ),
    "objects": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v), "a list of objects"),
    "object": (lambda v: isinstance(v, dict), "an object"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
}


def check_keys(data: dict, path: str | Path, shapes: dict[str, str], required: tuple[str, ...] = ()) -> dict:
    """`data` without its comments, once every key is known, every required key present and
    every value of its shape (`shapes`: key -> a name in SHAPES)."""
    for key in data:
        if key.startswith("_comment"):
            continue  # documentation: "_comment" and "_comment_<key>"
        if key not in shapes:
            raise LexiconError(f"{path}: unknown key {key!r} (known: {', '.join(sorted(shapes))})")
    for key in required:
        if key not in data:
            raise LexiconError(f"{path}: missing key {key!r}")
    out = {}
    for key, value in data.items():
        if key.startswith("_comment"):
            continue
        test, what = SHAPES[shapes[key]]
        if not test(value):
            raise LexiconError(f"{path}: key {key!r} must be {what}, not {type(value).__name__}")
        out[key] = value
    return out


def file_stamp(path: str | Path) -> tuple[int, int]:
    """What tells a file changed: its modification time and its size."""
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


def cached_per_file(default_name: str, maxsize: int = 8):
    """Memoise a loader of one lexicon file (`load(path=None)`, models/<default_name> when None)
    by the file's path and stamp: the same file read twice costs one parse (each worker and
    component reads its lexicons once), and a file changed on disk is read again."""

    def wrap(parse):
        @functools.lru_cache(maxsize=maxsize)
        def cached(path: str, stamp: tuple[int, int]):
            return parse(path)

        @functools.wraps(parse)
        def load(path: str | Path | None = None):
            p = str(path or model_path(default_name))
            return cached(p, file_stamp(p))

        load.cache_clear = cached.cache_clear
        return load

    return wrap


def save_files(folder: str | Path, files: dict[str, str | Path | None]) -> None:
    """Copy each lexicon file (name in the folder -> where it was read from) into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, src in files.items():
        if src is not None:
            shutil.copyfile(src, folder / name)


def saved_file(folder: str | Path, name: str) -> str | None:
    """The path of a lexicon file saved in `folder`, or None when the pipeline saved none."""
    p = Path(folder) / name
    return str(p) if p.exists() else None

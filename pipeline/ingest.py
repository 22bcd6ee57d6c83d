"""Readers: every input form -> one stream of `Article`s and `ErrorRecord`s.

The pipeline accepts four forms of input, and `read_input` hides the
difference between them:

* a folder of ``.txt`` files (nested folders too), with an optional
  ``manifest.csv`` (doc_id, published[, title, outlet, url]);
* a ``.jsonl`` file, one article object a line;
* a ``.csv`` or a ``.parquet`` file with the columns id, text[, published,
  title, outlet, url].

Dumps name these fields in many ways: the common other names (``doc_id``,
``body``, ``content``, ``date``, ``published_at`` ... see `ALIASES`) are
recognised, and `FieldNames` takes the names given on the command line
(``--id-field``, ``--text-field``, ``--date-field``). A field the pipeline does
not read is noted once per input in ``errors``, so that a date under a name we
do not know is never dropped silently.

Everything is streamed: no reader holds a whole file of articles in memory.
A problem with one article becomes an `ErrorRecord` and the stream goes on;
only a problem with the input as a whole (missing, unreadable, of an unknown
form, lacking the id or text column) raises `InputError`, and it does so when
`read_input` is called, not halfway through a run.

Texts are kept exactly as decoded (no stripping, no newline or Unicode
normalisation, control characters and a leading BOM included) because every
offset the later stages produce refers to them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from .records import Article, ErrorRecord

__all__ = ["ALIASES", "FieldNames", "InputError", "read_input", "read_records", "parse_published"]

STAGE = "ingest"
FIELDS = ("id", "text", "published", "title", "outlet", "url")
REQUIRED = ("id", "text")
# The names dumps give each field, in order of preference: the first one present is read.
ALIASES = {
    "id": ("id", "doc_id", "article_id"),
    "text": ("text", "body", "content"),
    "published": ("published", "date", "published_at", "pubdate", "publication_date"),
    "title": ("title",),
    "outlet": ("outlet",),
    "url": ("url",),
}
# what the command line calls the fields it can name
OPTION = {"id": "--id-field", "text": "--text-field", "published": "--date-field"}
MANIFEST = "manifest.csv"

# A first line this long is a paragraph, not a headline.
TITLE_MAX_CHARS = 200
TITLE_BAD_ENDINGS = (".", "!", ":")

CSV_CHUNK_ROWS = 500
PARQUET_BATCH_ROWS = 500

# C0/C1 control characters other than the whitespace ones (\t \n \v \f \r).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Valid UTF-8 is binary only when it is *mostly* controls: a stray control
# character is kept as data.  A guessed legacy encoding has to earn its place:
# real cp1252/latin-1 prose has next to no controls, random bytes decoded as
# latin-1 about a quarter.
_BINARY_SHARE = 0.30
_LEGACY_MAX_SHARE = 0.05

# pandas' surrogateescape turns each undecodable byte into one of these.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# Any lone surrogate: JSON may spell one ("\\ud800"), and os.fsdecode makes
# them from file names that are not UTF-8.  No UTF-8 writer accepts them.
_SURROGATE = re.compile("[\ud800-\udfff]")

# UTF-32 first: its little-endian BOM begins with the UTF-16 one.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ISO_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
_PANDAS_SKIPPED_LINE = re.compile(r"Skipping line (\d+): (.*)", re.S)


class InputError(Exception):
    """The input as a whole cannot be read; nothing was (or will be) yielded."""


class FieldNames:
    """Which field of the input holds each article field: one named by the user, else a common name.

    `named` maps an article field (id, text, published) to the input's name for it.
    """

    def __init__(self, named: dict[str, str | None] | None = None):
        self.named = {k: v for k, v in (named or {}).items() if v}
        unknown = set(self.named) - set(ALIASES)
        if unknown:
            raise ValueError(f"no article field {sorted(unknown)}; the fields are {', '.join(ALIASES)}")

    def resolve(self, keys) -> dict[str, str]:
        """Article field -> the input's field, for those found among `keys`."""
        found = {}
        for field, names in ALIASES.items():
            for name in (self.named[field],) if field in self.named else names:
                if name in keys:
                    found[field] = name
                    break
        return found

    def looked_for(self, field: str) -> str:
        if field in self.named:
            return f"{self.named[field]!r} ({OPTION[field]})"
        names = ALIASES[field]
        return f"{', '.join(names)}; or name it with {OPTION[field]}" if field in OPTION else ", ".join(names)


class _Unread:
    """Notes, once per input, the fields of the input that nothing reads."""

    def __init__(self, given: str, known=()):
        self.given, self.seen = given, set(known)

    def note(self, keys, used, where: str) -> list[ErrorRecord]:
        new = [str(k) for k in keys if k not in used and k not in self.seen]
        self.seen.update(keys)
        if not new:
            return []
        names = ", ".join(repr(k) for k in new)
        return [
            ErrorRecord(
                self.given,
                where,
                None,
                STAGE,
                f"field(s) {names} not read (an article is {', '.join(FIELDS)}; "
                "--id-field, --text-field and --date-field name other fields)",
                fatal_for_article=False,
            )
        ]


# --------------------------------------------------------------------------- #
# public API


def read_input(path: str | os.PathLike, fields: FieldNames | None = None) -> Iterator[Article | ErrorRecord]:
    """Lazily yield articles (and error records for bad ones) from INPUT.

    INPUT is a folder of .txt files, or a .jsonl, .csv or .parquet file.
    Raises InputError, at call time, only for fatal problems: the path does
    not exist or is unreadable, is of an unknown form, or a table lacks the
    id/text columns.  Every problem with a single article is yielded as an
    ErrorRecord (stage 'ingest') instead. `fields` names the input's fields
    (a folder's manifest.csv: its date column).
    """
    fields = fields or FieldNames()
    raw = os.fsdecode(os.fspath(path))
    p = Path(raw)
    # `given` is what records show; `p` is what is opened.
    given = _shown_path(raw)
    if not p.exists():
        raise InputError(f"input not found: {given}")
    if p.is_dir():
        return _read_txt_dir(p, given, fields)
    if not p.is_file():
        raise InputError(f"input is neither a folder nor a regular file: {given}")
    suffix = p.suffix.lower()
    if suffix not in (".jsonl", ".csv", ".parquet"):
        raise InputError(
            f"unknown input form {suffix or '(no extension)'!r} for {given}: "
            "expected a folder of .txt files, or a .jsonl, .csv or .parquet file"
        )
    try:
        with open(p, "rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise InputError(f"cannot read {given}: {exc.strerror or exc}") from None
    if suffix == ".jsonl":
        return _read_jsonl(p, given, _wide_bom(head), fields)
    if suffix == ".csv":
        return _read_csv(p, given, _wide_bom(head), fields)
    return _read_parquet(p, given, fields)


def read_records(
    records: Iterable[dict], given: str, fields: FieldNames | None = None
) -> Iterator[Article | ErrorRecord]:
    """Articles from records already in memory (dicts, e.g. a DataFrame's rows), as a .jsonl is read."""
    fields, ids = fields or FieldNames(), _DocIds()
    unread = _Unread(given)
    for number, record in enumerate(records, 1):
        yield from _mapped(record, f"row {number}", given, ids, fields, unread, [])


def parse_published(value) -> tuple[dt.date | None, str | None]:
    """(date, message or None) for a publication date as found in an input.

    Accepts ISO dates 'YYYY-MM-DD', ISO datetimes (the date is taken as
    written, in the timestamp's own offset), datetime/date objects, pandas and
    numpy and pyarrow timestamps.  '' / None / NaN / NaT -> (None, None).
    Other text that dateparser reads as a whole day ('March 11, 2025',
    'Tue, 11 Mar 2025 10:00:00 GMT', '12 mars 2025') -> (date, a note that it
    was read, not ISO).  Anything else, impossible ISO dates and relative ones
    ('yesterday') included -> (None, 'unparseable publication date ...').
    """
    if hasattr(value, "as_py") and not isinstance(value, (str, dt.date)):
        value = value.as_py()  # a pyarrow scalar
    if _is_missing(value):
        return None, None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        if not _ISO_DATE_PREFIX.match(text):
            return _guess_date(value, text)
        try:
            return dt.datetime.fromisoformat(text).date(), None
        except ValueError as exc:
            return None, f"unparseable publication date {value!r} ({exc})"
    # datetime before date: a datetime is a date too, but .date() drops the time.
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    np = sys.modules.get("numpy")  # a numpy value exists only if numpy is loaded
    if np is not None and isinstance(value, np.datetime64):
        day = value.astype("datetime64[D]").item()
        if isinstance(day, dt.date):
            return day, None
    return None, f"unparseable publication date {value!r} (a {type(value).__name__}, not a date)"


def _guess_date(value: str, text: str) -> tuple[dt.date | None, str]:
    written = _date_reader().get_date_data(text).date_obj
    if written is None:
        return None, (
            f"unparseable publication date {value!r} (not an ISO date YYYY-MM-DD, nor a whole date dateparser reads)"
        )
    day = written.date()  # the date as written, in the text's own offset
    return day, f"publication date {value!r} is not ISO (YYYY-MM-DD): read as {day.isoformat()}"


@functools.lru_cache(maxsize=1)
def _date_reader():
    from dateparser.date import DateDataParser

    # day, month and year all written; no relative dates ('yesterday' would be read against
    # today) and no bare digit strings or timestamps ('20241223', '1703289600')
    return DateDataParser(settings={"STRICT_PARSING": True, "PARSERS": ["custom-formats", "absolute-time"]})


# --------------------------------------------------------------------------- #
# folder of .txt files


SKIPPED = "not a .txt file, skipped"


def _read_txt_dir(root: Path, given: str, fields: FieldNames) -> Iterator[Article | ErrorRecord]:
    root_real = os.path.realpath(root)
    try:
        entries = _scan_txt_dir(root_real, ())
    except OSError as exc:
        raise InputError(f"cannot read folder {given}: {exc.strerror or exc}") from None
    manifest, manifest_errors = _read_manifest(root / MANIFEST, given, fields)
    if not any(not (p or "").startswith(SKIPPED) for _, _, p in entries) and not manifest:
        raise InputError(f"no .txt files in folder {given}")
    present = set()
    for rel, _, _ in entries:
        present.update((rel, _strip_txt(rel)))
    unmatched = [key for key in manifest if key not in present]
    return _iter_txt_dir(given, entries, manifest, manifest_errors, unmatched)


def _iter_txt_dir(given, entries, manifest, manifest_errors, unmatched):
    yield from manifest_errors
    ids = _DocIds()
    for rel, real, problem in entries:
        rel = _shown_path(rel)
        doc_id = _strip_txt(rel)
        if problem:
            yield ErrorRecord(given, rel, doc_id, STAGE, problem)
            continue
        try:
            with open(real, "rb") as f:
                data = f.read()
        except OSError as exc:
            yield ErrorRecord(given, rel, doc_id, STAGE, f"cannot read file: {exc.strerror or exc}")
            continue
        text, encoding, problem = _decode(data)
        if text is None:
            yield ErrorRecord(given, rel, doc_id, STAGE, problem)
            continue
        notes = [problem] if encoding else []
        meta = manifest.get(doc_id) or manifest.get(rel) or {}
        record = {
            "id": doc_id,
            "text": text,
            "published": meta.get("published"),
            # A manifest title is someone's decision; the first-line one a guess.
            "title": meta.get("title") or _detect_title(text),
            "outlet": meta.get("outlet"),
            "url": meta.get("url"),
        }
        yield from _build(record, given, rel, ids, notes)
    for key in unmatched:
        line = manifest[key]["line"]
        yield ErrorRecord(
            given, f"{MANIFEST} line {line}", key, STAGE, f"{MANIFEST} names {key!r} but there is no such .txt file"
        )


def _scan_txt_dir(root_real: str, rel: tuple[str, ...]) -> list[tuple[str, str, str | None]]:
    """(relative path with '/', real path to read, problem or None), sorted.

    Listing names up front is cheap and lets read_input fail early on an
    unreadable or empty folder; the files themselves are read one by one.
    """
    folder = os.path.join(root_real, *rel)
    with os.scandir(folder) as it:
        children = sorted(it, key=lambda e: e.name)
    found = []
    for entry in children:
        if entry.name.startswith("."):
            continue  # editor swap files, .git, checkpoints: never articles
        parts = (*rel, entry.name)
        rel_path = "/".join(parts)
        is_txt = entry.name.lower().endswith(".txt")
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if os.path.isdir(target):
                # Following folder links invites cycles and double counting.
                found.append((rel_path, "", "symbolic link to a folder; not followed"))
            elif not is_txt:
                continue
            elif not os.path.exists(target):
                found.append((rel_path, "", "broken symbolic link"))
            elif not _inside(target, root_real):
                found.append((rel_path, "", "symbolic link to a file outside the input folder; not followed"))
            elif not os.path.isfile(target):
                found.append((rel_path, "", "symbolic link to something that is not a regular file"))
            else:
                found.append((rel_path, target, None))
        elif entry.is_dir(follow_symlinks=False):
            try:
                found.extend(_scan_txt_dir(root_real, parts))
            except OSError as exc:
                found.append((rel_path, "", f"cannot read folder: {exc.strerror or exc}"))
        elif is_txt:
            if entry.is_file(follow_symlinks=False):
                found.append((rel_path, entry.path, None))
            else:
                # Opening a FIFO or a device would block or never end.
                found.append((rel_path, "", "not a regular file"))
        elif rel or entry.name != MANIFEST:
            # .md, .text, .txt.bak ...: not read, but never dropped without a word
            found.append((rel_path, "", f"{SKIPPED}: only .txt files are read as articles"))
    return found


def _read_manifest(path: Path, given: str, fields: FieldNames) -> tuple[dict[str, dict], list[ErrorRecord]]:
    """doc_id -> {line, published, title, outlet, url}, and errors about rows.

    The manifest is metadata, far smaller than the texts, so it is read whole.
    A manifest that cannot be used at all is fatal: running on with every
    date silently missing would be worse than stopping.
    """
    if not path.exists():
        return {}, []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        # Here a BOM is the file's framing, not part of any value.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 ({_bad_byte(exc)})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in reader.fieldnames or []]
    if "doc_id" not in columns:
        raise InputError(f"{path} has no doc_id column (columns: {', '.join(columns) or 'none'})")
    reader.fieldnames = columns
    found = fields.resolve([c for c in columns if c != "doc_id"])
    rows: dict[str, dict] = {}
    errors = _Unread(given).note(columns, {"doc_id", *found.values()}, f"{MANIFEST} line 1")
    for row in reader:
        where = f"{MANIFEST} line {reader.line_num}"
        doc_id = (row.get("doc_id") or "").strip()
        if not doc_id:
            errors.append(ErrorRecord(given, where, None, STAGE, f"{MANIFEST} row without a doc_id"))
            continue
        if doc_id in rows:
            errors.append(
                ErrorRecord(
                    given,
                    where,
                    doc_id,
                    STAGE,
                    f"{MANIFEST} repeats doc_id {doc_id!r} (first at line {rows[doc_id]['line']}); row ignored",
                    fatal_for_article=False,
                )
            )
            continue
        meta = {"line": reader.line_num}
        for key in ("published", "title", "outlet", "url"):
            value = (row.get(found.get(key, key)) or "").strip()
            meta[key] = value or None
        rows[doc_id] = meta
    return rows, errors


def _detect_title(text: str) -> str | None:
    """The first line, when it reads like a headline rather than a sentence."""
    first, newline, _ = text.partition("\n")
    if not newline:
        return None
    line = first.lstrip("\ufeff").strip()
    if not line or len(line) >= TITLE_MAX_CHARS or line.endswith(TITLE_BAD_ENDINGS):
        return None
    return line


def _shown_path(name: str) -> str:
    """A path as text: bytes of a name that are not UTF-8 shown as \\xNN.

    os.fsdecode keeps such bytes as lone surrogates, which would make every
    record naming the file unwritable.
    """
    if not _SURROGATE.search(name):
        return name
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return _SURROGATE.sub("\ufffd", name)


def _strip_txt(rel: str) -> str:
    return rel[:-4] if rel.lower().endswith(".txt") else rel


def _inside(target: str, root_real: str) -> bool:
    try:
        return os.path.commonpath([root_real, target]) == root_real
    except ValueError:  # different drives
        return False


# --------------------------------------------------------------------------- #
# .jsonl


def _wide_note(path: Path, given: str, wide: str) -> ErrorRecord:
    """The note that a file was decoded from UTF-16 or UTF-32 by its byte-order mark."""
    return ErrorRecord(
        given,
        path.name,
        None,
        STAGE,
        f"file is {wide} (byte-order mark), not UTF-8; decoded as {wide}",
        fatal_for_article=False,
    )


def _read_jsonl(path: Path, given: str, wide: str | None, fields: FieldNames) -> Iterator[Article | ErrorRecord]:
    ids, unread = _DocIds(), _Unread(given)
    with open(path, "rb") as f:
        if wide:
            yield _wide_note(path, given, wide)
            # Split on '\n' only, as for UTF-8 below: str.splitlines would
            # also break on \x0b, \x1c, \u2028 ... inside a line.
            lines: Iterable = io.TextIOWrapper(f, encoding=wide, newline="\n")
        else:
            lines = f
        number = 0
        try:
            for number, raw in enumerate(lines, 1):
                yield from _jsonl_line(raw, number, given, ids, fields, unread)
        except UnicodeDecodeError as exc:
            yield ErrorRecord(
                given,
                f"line {number + 1}",
                None,
                STAGE,
                f"not valid {wide} from here on ({_bad_byte(exc)}); rest of the file skipped",
            )


def _jsonl_line(raw: bytes | str, number: int, given: str, ids: "_DocIds", fields: FieldNames, unread: _Unread):
    where = f"line {number}"
    notes = []
    if isinstance(raw, bytes):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]  # the file's BOM, not the article's
        if not raw.strip():
            return
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, encoding, problem = _decode_legacy(raw, exc)
            if line is None:
                yield ErrorRecord(given, where, None, STAGE, problem)
                return
            notes.append(problem)
    else:
        line = raw.lstrip("\ufeff") if number == 1 else raw
        if not line.strip():
            return
    try:
        # strict=False: raw control characters inside strings are data, kept as is.
        obj = json.loads(line, strict=False)
    except json.JSONDecodeError as exc:
        yield ErrorRecord(given, where, None, STAGE, f"malformed JSON: {exc}")
        return
    if not isinstance(obj, dict):
        yield ErrorRecord(given, where, None, STAGE, f"line is a JSON {type(obj).__name__}, not an object")
        return
    yield from _mapped(obj, where, given, ids, fields, unread, notes)


def _mapped(
    record: dict, where: str, given: str, ids: "_DocIds", fields: FieldNames, unread: _Unread, notes: list[str]
):
    """One record whose fields may have any of the common names: its article, then the notes."""
    found = fields.resolve(record)
    yield from unread.note(record, set(found.values()), where)
    yield from _build({field: record[name] for field, name in found.items()}, given, where, ids, notes)


# --------------------------------------------------------------------------- #
# .csv


def _read_csv(path: Path, given: str, wide: str | None, fields: FieldNames) -> Iterator[Article | ErrorRecord]:
    import pandas as pd

    encoding = wide or "utf-8"
    try:
        header = pd.read_csv(path, nrows=0, encoding=encoding, encoding_errors="surrogateescape")
    except pd.errors.EmptyDataError:
        raise InputError(f"{given} is empty: a CSV input needs a header with id and text") from None
    except (ValueError, UnicodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read {given} as CSV: {_one_line(exc)}") from None
    found = _require_columns(list(header.columns), given, fields)
    return _iter_csv(path, given, wide, found, _Unread(given).note(header.columns, set(found.values()), "header"))


def _iter_csv(path: Path, given: str, wide: str | None, found: dict[str, str], notes: list[ErrorRecord]):
    import pandas as pd

    if wide:
        yield _wide_note(path, given, wide)
    yield from notes
    ids = _DocIds()
    # dtype=object keeps every cell a Python str exactly as written (ids keep
    # leading zeros, 'NA' stays text) and, unlike pandas' arrow strings,
    # tolerates the escaped bytes of a non-UTF-8 cell so one row can be
    # repaired without losing the file.  No usecols: with it pandas silently
    # truncates rows that have too many fields instead of reporting them.
    chunks = pd.read_csv(
        path,
        chunksize=CSV_CHUNK_ROWS,
        dtype=object,
        keep_default_na=False,
        encoding=wide or "utf-8",
        encoding_errors="surrogateescape",
        on_bad_lines="warn",
    )
    row = 0
    with chunks:
        while True:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", pd.errors.ParserWarning)
                    chunk = next(chunks)
            except StopIteration:
                return
            except (ValueError, UnicodeError, pd.errors.ParserError) as exc:
                yield ErrorRecord(
                    given,
                    f"row {row + 1}",
                    None,
                    STAGE,
                    f"CSV unreadable from here on ({_one_line(exc)}); rest of the file skipped",
                )
                return
            for warning in caught:
                yield _skipped_line_error(warning, given)
            columns = [c for c in found.values() if c in chunk.columns]
            names = [f for f, c in found.items() if c in chunk.columns]
            for values in chunk[columns].itertuples(index=False, name=None):
                row += 1
                record = dict(zip(names, values))
                record, notes, problem = _repair_csv_record(record)
                if problem:
                    doc_id = record.get("id") if isinstance(record.get("id"), str) else None
                    yield ErrorRecord(given, f"row {row}", doc_id, STAGE, problem)
                    continue
                yield from _build(record, given, f"row {row}", ids, notes)


def _repair_csv_record(record: dict) -> tuple[dict, list[str], str | None]:
    """Decode the cells that were not UTF-8 with a fallback encoding."""
    notes = []
    for key, value in record.items():
        if isinstance(value, str) and _ESCAPED_BYTE.search(value):
            raw = value.encode("utf-8", "surrogateescape")
            text, encoding, problem = _decode_legacy(raw)
            if text is None:
                return record, notes, f"{key}: {problem}"
            record[key] = text
            notes.append(f"{key}: {problem}")
    return record, notes, None


def _skipped_line_error(warning, given: str) -> ErrorRecord:
    message = str(warning.message).strip()
    match = _PANDAS_SKIPPED_LINE.match(message)
    if match:
        return ErrorRecord(
            given, f"line {match.group(1)}", None, STAGE, f"malformed CSV line skipped: {match.group(2).strip()}"
        )
    return ErrorRecord(given, "", None, STAGE, f"CSV: {_one_line(message)}")


# --------------------------------------------------------------------------- #
# .parquet


def _read_parquet(path: Path, given: str, fields: FieldNames) -> Iterator[Article | ErrorRecord]:
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as pf:
            names = list(pf.schema_arrow.names)
    except Exception as exc:  # pyarrow reports a bad file with several types
        raise InputError(f"cannot read {given} as Parquet: {_one_line(exc)}") from None
    found = _require_columns(names, given, fields)
    return _iter_parquet(path, given, found, _Unread(given).note(names, set(found.values()), "columns"))


def _iter_parquet(path: Path, given: str, found: dict[str, str], notes: list[ErrorRecord]):
    import pyarrow.parquet as pq

    yield from notes
    ids = _DocIds()
    row = 0
    with pq.ParquetFile(path) as pf:
        batches = pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=list(found.values()))
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception as exc:  # a corrupt row group: the rest is unreachable
                yield ErrorRecord(
                    given,
                    f"row {row + 1}",
                    None,
                    STAGE,
                    f"Parquet unreadable from here on ({_one_line(exc)}); rest of the file skipped",
                )
                return
            for record in batch.to_pylist():
                row += 1
                yield from _build({f: record[c] for f, c in found.items()}, given, f"row {row}", ids, [])


def _require_columns(columns: list, given: str, fields: FieldNames) -> dict[str, str]:
    """Article field -> the table's column; InputError when there is no id or text column."""
    found = fields.resolve(columns)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        have = ", ".join(map(str, columns)) or "none"
        looked = "; ".join(f"{c}: {fields.looked_for(c)}" for c in missing)
        raise InputError(
            f"{given} lacks required column(s) {', '.join(missing)} (columns: {have}; looked for {looked})"
        )
    named = [f for f in fields.named if f not in found]
    if named:
        raise InputError(
            f"{given} has no column {fields.looked_for(named[0])} (columns: {', '.join(map(str, columns))})"
        )
    return found


# --------------------------------------------------------------------------- #
# shared: one record -> Article + notes, or an ErrorRecord


class _DocIds:
    """Keeps ids unique within one input: the second X becomes X~2, then X~3.

    Both articles are kept because a repeated id is as likely two different
    articles as one article twice, and dropping either would lose data.
    """

    def __init__(self):
        self._first_at: dict[str, str] = {}
        self._next: dict[str, int] = {}

    def claim(self, doc_id: str, where: str) -> tuple[str, str | None]:
        first = self._first_at.get(doc_id)
        if first is None:
            self._first_at[doc_id] = where
            return doc_id, None
        k = self._next.get(doc_id, 2)
        while f"{doc_id}~{k}" in self._first_at:
            k += 1
        self._next[doc_id] = k + 1
        renamed = f"{doc_id}~{k}"
        self._first_at[renamed] = where
        return renamed, f"duplicate id {doc_id!r} (first at {first}); this one renamed {renamed!r}"


def _build(record: dict, given: str, where: str, ids: _DocIds, notes: list[str]):
    """Validate one article record; yield the Article and its non-fatal notes."""
    doc_id, problem = _as_id(record.get("id"))
    if problem:
        yield ErrorRecord(given, where, None, STAGE, problem)
        return
    text = record.get("text")
    if _is_missing(text):
        yield ErrorRecord(given, where, doc_id, STAGE, "missing text")
        return
    if isinstance(text, (bytes, bytearray)):  # a binary Parquet column
        text, encoding, problem = _decode(bytes(text))
        if text is None:
            yield ErrorRecord(given, where, doc_id, STAGE, problem)
            return
        if encoding:
            notes = [*notes, f"text: {problem}"]
    elif not isinstance(text, str):
        yield ErrorRecord(given, where, doc_id, STAGE, f"text is a {type(text).__name__}, not a string")
        return
    if not text.replace("\ufeff", "").strip():
        yield ErrorRecord(given, where, doc_id, STAGE, "empty or whitespace-only text")
        return
    if _control_share(text) > _BINARY_SHARE:
        yield ErrorRecord(given, where, doc_id, STAGE, "binary content (mostly non-printable), not text")
        return

    notes = list(notes)
    # One for one, so that offsets into the stored text still count the
    # characters of the text as read.
    doc_id, problem = _replace_surrogates(doc_id, "id")
    if problem:
        notes.append(problem)
    text, problem = _replace_surrogates(text, "text")
    if problem:
        notes.append(problem)
    published, date_problem = parse_published(record.get("published"))
    if date_problem:
        notes.append(date_problem if published else f"{date_problem}; published left empty")
    extra = {}
    for key in ("title", "outlet", "url"):
        extra[key], problem = _as_optional_text(record.get(key), key)
        if problem:
            notes.append(problem)
    final_id, duplicate = ids.claim(doc_id, where)
    if duplicate:
        notes.append(duplicate)

    yield Article(doc_id=final_id, text=text, published=published, input=given, where=where, **extra)
    for note in notes:
        yield ErrorRecord(given, where, final_id, STAGE, note, fatal_for_article=False)


def _as_id(value) -> tuple[str | None, str | None]:
    # Ids are data: kept as given (never stripped, never used as a path).
    if _is_missing(value):
        return None, "missing id"
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None, "id is not valid UTF-8"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, f"id is a {type(value).__name__}, not a string"
    value = str(value)
    if not value.strip():
        return None, "empty id"
    return value, None


def _replace_surrogates(value: str, name: str) -> tuple[str, str | None]:
    found = len(_SURROGATE.findall(value))
    if not found:
        return value, None
    return _SURROGATE.sub("\ufffd", value), (
        f"{name}: {found} lone surrogate code point(s) (not valid Unicode) replaced by U+FFFD"
    )


def _as_optional_text(value, name: str) -> tuple[str | None, str | None]:
    if _is_missing(value):
        return None, None
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None, f"{name} ignored: not valid UTF-8"
    if not isinstance(value, str):
        return None, f"{name} ignored: a {type(value).__name__}, not a string"
    value, problem = _replace_surrogates(value, name)
    return value.strip() or None, problem


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in ("NaTType", "NAType"):  # pandas, without importing it
        return True
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.datetime64) and bool(np.isnat(value))


# --------------------------------------------------------------------------- #
# bytes -> text


def _decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(text, fallback encoding or None, message).

    text None: the bytes are not text and the message says why.  A fallback
    encoding: the message says which and why, for a non-fatal ErrorRecord.
    """
    wide = _wide_bom(data[:4])
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            return None, None, f"starts with a {wide} byte-order mark but is not {wide} ({_bad_byte(exc)})"
        if _control_share(text) > _BINARY_SHARE:
            return None, None, "binary content (mostly non-printable), not text"
        return text, wide, f"not UTF-8: decoded as {wide} (byte-order mark)"
    if b"\x00" in data:
        return None, None, "binary content (NUL bytes), not text"
    try:
        # Plain 'utf-8', not 'utf-8-sig': a leading BOM stays in the text so
        # that the text is exactly the file.
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_legacy(data, exc)
    if _control_share(text) > _BINARY_SHARE:
        return None, None, "binary content (mostly non-printable), not text"
    return text, None, None


def _decode_legacy(data: bytes, exc: UnicodeDecodeError | None = None):
    """Bytes that are not UTF-8 -> (text, encoding, message) or (None, None, why).

    cp1252 goes first, before any detector: English news that is not UTF-8 is
    nearly always cp1252, and charset_normalizer, tried on cp1252 news
    articles, answered cp1250, cp852 and even cp932.  The detector is asked
    only when cp1252 cannot decode the bytes at all.
    """
    where = f" ({_bad_byte(exc)})" if exc else ""
    for encoding in _legacy_candidates(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if b"\x00" not in data and _control_share(text) <= _LEGACY_MAX_SHARE:
            return text, encoding, f"not valid UTF-8{where}; decoded as {encoding}"
    return None, None, f"not valid UTF-8{where} and does not look like text: binary content"


def _legacy_candidates(data: bytes) -> Iterator[str]:
    yield "cp1252"
    try:
        import charset_normalizer
    except ImportError:
        pass
    else:
        best = charset_normalizer.from_bytes(data).best()
        if best is not None and codecs.lookup(best.encoding).name not in ("utf-8", "cp1252"):
            yield best.encoding
    yield "latin-1"


def _wide_bom(head: bytes) -> str | None:
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return (len(text) - len(_CONTROL.sub("", text))) / len(text)


def _bad_byte(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start : exc.start + 1]
    return f"byte 0x{bad.hex()} at offset {exc.start}" if bad else str(exc.reason)


def _one_line(exc) -> str:
    return " ".join(str(exc).split())

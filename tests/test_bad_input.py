"""Dirty dumps: a corpus of bad input of every kind, mixed with good articles.

The corpus is built at run time in tmp_path, one input per form (.jsonl, .csv,
.parquet, a folder of .txt files), each with the same good articles (real
Wikinews/BBC texts from ../shared) interleaved with the bad ones.  Each form
goes through the command line once.  Then:

* every bad kind is in `errors` with the stage and the kind of message
  expected (or, for the tolerated kinds, is processed without an error row);
* every good article's claims equal those of a clean run of the good articles
  alone;
* every record of the input is accounted for: processed, or a fatal error row;
* nothing is written outside the output folder, no id reaches a shell;
* fatal problems (no input, unusable output) give one message and exit 2.

Each kind is one entry of KINDS, with what it is and what is expected.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SHARED

from pipeline.cli import main


@dataclass
class Kind:
    name: str
    form: str  # jsonl | csv | parquet | txt
    what: str  # the documentation of the kind
    doc_id: str | None  # the id the errors/articles rows carry
    stage: str | None = None  # expected errors row; None: processed, no errors row
    message: str = ""  # regex the message must match
    fatal: bool | None = None  # True: rejected; False: processed, with a note
    record: dict | bytes | Callable | None = None  # how to write it (per form)
    location: str | None = None  # regex for `location` when there is no doc_id
    processed_as: str | None = None  # the doc_id the article row has, when processed

    def __str__(self):
        return self.name


TEXT = "Officials said on Monday that about 1,100 soldiers were killed.\n\nThe ministry reported 300 wounded, it said."
CTRL = (
    "Police said \x00 on Monday that 40 people\x07 were hurt.\x1b[31m\n\nThe agency\x0b reported 12\x0c ships sank.\x7f"
)
BINARY = bytes(b for b in range(256) if b != 0x0A) * 3


def _symlink_outside(d: Path):
    outside = d.parent / "outside-secret.txt"
    outside.write_text("The secret says 99 agents.", encoding="utf-8")
    (d / "link_out.txt").symlink_to(outside)


def _fifo(d: Path):
    os.mkfifo(d / "pipe.txt")


KINDS = [
    # ---------------------------------------------------------------- .jsonl
    Kind(
        "jsonl_malformed",
        "jsonl",
        "a line that is not JSON (unquoted names)",
        None,
        "ingest",
        r"^malformed JSON: Expecting property name",
        True,
        b'{id: m1, text: "x"}',
        location=r"^line \d+$",
    ),
    Kind(
        "jsonl_not_an_object",
        "jsonl",
        "a JSON array instead of an object",
        None,
        "ingest",
        r"JSON list, not an object",
        True,
        b'["id", "text"]',
        location=r"^line \d+$",
    ),
    Kind(
        "jsonl_missing_id",
        "jsonl",
        "no id field",
        None,
        "ingest",
        r"^missing id$",
        True,
        {"text": TEXT},
        location=r"^line \d+$",
    ),
    Kind(
        "jsonl_blank_id",
        "jsonl",
        "an id of spaces",
        None,
        "ingest",
        r"^empty id$",
        True,
        {"id": "   ", "text": TEXT},
        location=r"^line \d+$",
    ),
    Kind(
        "jsonl_id_object",
        "jsonl",
        "an id that is an object",
        None,
        "ingest",
        r"^id is a dict",
        True,
        {"id": {"a": 1}, "text": TEXT},
        location=r"^line \d+$",
    ),
    Kind(
        "jsonl_missing_text",
        "jsonl",
        "no text field",
        "nt",
        "ingest",
        r"^missing text$",
        True,
        {"id": "nt", "title": "x"},
    ),
    Kind(
        "jsonl_empty_text",
        "jsonl",
        "text ''",
        "et",
        "ingest",
        r"^empty or whitespace-only text$",
        True,
        {"id": "et", "text": ""},
    ),
    Kind(
        "jsonl_whitespace_text",
        "jsonl",
        "text of Unicode spaces and line breaks",
        "wt",
        "ingest",
        r"^empty or whitespace-only text$",
        True,
        {"id": "wt", "text": "\u3000 \n\t\u00a0\r\n\ufeff"},
    ),
    Kind(
        "jsonl_text_not_string",
        "jsonl",
        "text is a number",
        "tn",
        "ingest",
        r"^text is a int",
        True,
        {"id": "tn", "text": 42},
    ),
    Kind(
        "jsonl_mostly_control",
        "jsonl",
        "text made of control characters",
        "mc",
        "ingest",
        r"binary content",
        True,
        {"id": "mc", "text": "\x01\x02\x03\x04 \x05\x06\x07\x08" * 20},
    ),
    Kind(
        "jsonl_binary_line",
        "jsonl",
        "a line of raw bytes (NUL included), no JSON",
        None,
        "ingest",
        r"not valid UTF-8.*binary content",
        True,
        BINARY,
        location=r"^line \d+$",
    ),
    Kind(
        "jsonl_cp1252_line",
        "jsonl",
        "a line in cp1252 (curly quotes), not UTF-8",
        "cp",
        "ingest",
        r"not valid UTF-8 \(byte 0x93.*decoded as cp1252",
        False,
        '{"id": "cp", "text": "Officials said \u201cabout 300\u201d people came."}'.encode("cp1252"),
        processed_as="cp",
    ),
    Kind(
        "jsonl_lone_surrogate",
        "jsonl",
        "a \\ud800 escape: no UTF-8 writer accepts it",
        "sg",
        "ingest",
        r"^text: 1 lone surrogate.*U\+FFFD",
        False,
        b'{"id": "sg", "text": "Officials said 300 \\ud800 people came."}',
        processed_as="sg",
    ),
    Kind(
        "jsonl_impossible_date",
        "jsonl",
        "published 2024-13-45",
        "bd",
        "ingest",
        r"^unparseable publication date '2024-13-45'.*published left empty",
        False,
        {"id": "bd", "text": TEXT, "published": "2024-13-45"},
        processed_as="bd",
    ),
    Kind(
        "jsonl_unparseable_date",
        "jsonl",
        "published 'last Tuesday'",
        "ud",
        "ingest",
        r"^unparseable publication date 'last Tuesday' \(not an ISO date",
        False,
        {"id": "ud", "text": TEXT, "published": "last Tuesday"},
        processed_as="ud",
    ),
    Kind(
        "jsonl_duplicate_id",
        "jsonl",
        "an id already used by a good article",
        "g0~2",
        "ingest",
        r"^duplicate id 'g0' \(first at line 1\); this one renamed 'g0~2'$",
        False,
        {"id": "g0", "text": TEXT},
        processed_as="g0~2",
    ),
    Kind(
        "jsonl_integer_id",
        "jsonl",
        "an id that is a number: kept as text",
        "12345",
        record={"id": 12345, "text": TEXT},
        processed_as="12345",
    ),
    Kind(
        "jsonl_control_chars",
        "jsonl",
        "NUL, BEL, ESC, VT, FF, DEL inside a real text: data, kept",
        "cc",
        record={"id": "cc", "text": CTRL},
        processed_as="cc",
    ),
    Kind(
        "jsonl_only_numbers",
        "jsonl",
        "a text of numbers only",
        "on",
        record={"id": "on", "text": "1 2 3 4 5 6 7 8 9 10 11 12"},
        processed_as="on",
    ),
    Kind(
        "jsonl_no_sentences",
        "jsonl",
        "punctuation and symbols, no sentence",
        "ns",
        record={"id": "ns", "text": "— — — * * * /// ... ¶ §"},
        processed_as="ns",
    ),
    Kind(
        "jsonl_path_id",
        "jsonl",
        "an id that looks like a path out of the output folder",
        "../../../escaped",
        record={"id": "../../../escaped", "text": TEXT},
        processed_as="../../../escaped",
    ),
    Kind(
        "jsonl_shell_id",
        "jsonl",
        "an id full of shell syntax",
        "$(touch PWNED); `touch PWNED2` | rm -rf ~",
        record={"id": "$(touch PWNED); `touch PWNED2` | rm -rf ~", "text": TEXT},
        processed_as="$(touch PWNED); `touch PWNED2` | rm -rf ~",
    ),
    Kind(
        "jsonl_word_without_spaces",
        "jsonl",
        "250,000 characters without whitespace, then a sentence",
        "wd",
        "chunk",
        r"^long text \(250,0\d\d chars\) processed in 3 chunks.*inside a word",
        False,
        {"id": "wd", "text": "x" * 250_000 + ".\n\nPolice said 7 people were hurt."},
        processed_as="wd",
    ),
    Kind(
        "jsonl_truncated_last_line",
        "jsonl",
        "the file ends in the middle of an object",
        None,
        "ingest",
        r"^malformed JSON: Unterminated string",
        True,
        b'{"id": "last", "text": "Officials sa',
        location=r"^line \d+$",
    ),
    # ---------------------------------------------------------------- .csv
    Kind(
        "csv_too_many_fields",
        "csv",
        "a row with more fields than the header",
        None,
        "ingest",
        r"^malformed CSV line skipped: expected 7 fields, saw 9",
        True,
        b"x1,t,2024-01-01,,,,,a,b",
        location=r"^line \d+$",
    ),
    Kind(
        "csv_too_few_fields",
        "csv",
        "a row with the id only",
        "few",
        "ingest",
        r"^(?:missing text|empty or whitespace-only text)$",
        True,
        b"few",
    ),
    Kind(
        "csv_empty_id",
        "csv",
        "an empty id cell",
        None,
        "ingest",
        r"^empty id$",
        True,
        {"id": "", "text": TEXT},
        location=r"^row \d+$",
    ),
    Kind(
        "csv_cp1252_cell",
        "csv",
        "one row in cp1252 inside a UTF-8 file",
        "c1",
        "ingest",
        r"^text: not valid UTF-8.*decoded as cp1252",
        False,
        'c1,"Officials said \u201cabout 300\u201d came.",,,,,'.encode("cp1252"),
        processed_as="c1",
    ),
    Kind(
        "csv_impossible_date",
        "csv",
        "published 2023-02-30",
        "c2",
        "ingest",
        r"^unparseable publication date '2023-02-30'",
        False,
        {"id": "c2", "text": TEXT, "published": "2023-02-30"},
        processed_as="c2",
    ),
    Kind(
        "csv_extra_columns",
        "csv",
        "a column the pipeline does not know (lang): not read, noted once for the file",
        None,
        "ingest",
        r"^field\(s\) 'lang' not read",
        False,
        record={"id": "c3", "text": TEXT, "lang": "en"},
        location=r"^header$",
        processed_as="c3",
    ),
    # ---------------------------------------------------------------- .parquet
    Kind(
        "parquet_null_text",
        "parquet",
        "text is null",
        "p1",
        "ingest",
        r"^missing text$",
        True,
        {"id": "p1", "text": None},
    ),
    Kind(
        "parquet_null_id",
        "parquet",
        "id is null",
        None,
        "ingest",
        r"^missing id$",
        True,
        {"id": None, "text": TEXT.encode()},
        location=r"^row \d+$",
    ),
    Kind(
        "parquet_binary_text",
        "parquet",
        "a binary text column holding random bytes",
        "p2",
        "ingest",
        r"binary content",
        True,
        {"id": "p2", "text": BINARY},
    ),
    Kind(
        "parquet_cp1252_text",
        "parquet",
        "a binary text column holding cp1252",
        "p3",
        "ingest",
        r"^text: not valid UTF-8.*decoded as cp1252",
        False,
        {"id": "p3", "text": "Officials said \u201cabout 300\u201d came.".encode("cp1252")},
        processed_as="p3",
    ),
    Kind(
        "parquet_impossible_date",
        "parquet",
        "published 2024-00-10",
        "p4",
        "ingest",
        r"^unparseable publication date '2024-00-10'",
        False,
        {"id": "p4", "text": TEXT.encode(), "published": "2024-00-10"},
        processed_as="p4",
    ),
    # ---------------------------------------------------------------- folder of .txt
    Kind(
        "txt_binary_file",
        "txt",
        "a PNG named .txt",
        "image",
        "ingest",
        r"binary content",
        True,
        lambda d: (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + BINARY),
    ),
    Kind(
        "txt_empty_file",
        "txt",
        "a file of 0 bytes",
        "empty",
        "ingest",
        r"^empty or whitespace-only text$",
        True,
        lambda d: (d / "empty.txt").write_bytes(b""),
    ),
    Kind(
        "txt_cp1252_file",
        "txt",
        "a file in cp1252",
        "legacy",
        "ingest",
        r"decoded as cp1252",
        False,
        lambda d: (d / "legacy.txt").write_bytes("Officials said \u201c300\u201d came.".encode("cp1252")),
        processed_as="legacy",
    ),
    Kind(
        "txt_utf16_file",
        "txt",
        "a file in UTF-16 with a BOM",
        "wide",
        "ingest",
        r"decoded as utf-16",
        False,
        lambda d: (d / "wide.txt").write_bytes(TEXT.encode("utf-16")),
        processed_as="wide",
    ),
    Kind(
        "txt_nested_folders",
        "txt",
        "a file two folders down: doc_id is the relative path",
        "sub/deeper/n1",
        record=lambda d: (
            (d / "sub" / "deeper").mkdir(parents=True),
            (d / "sub" / "deeper" / "n1.txt").write_text(TEXT, encoding="utf-8"),
        ),
        processed_as="sub/deeper/n1",
    ),
    Kind(
        "txt_manifest_names_missing_file",
        "txt",
        "manifest.csv names a file that is not there",
        "ghost",
        "ingest",
        r"manifest.csv names 'ghost' but there is no such .txt file",
        True,
        lambda d: None,
    ),  # the manifest row is written with the good ones
    Kind(
        "txt_manifest_bad_date",
        "txt",
        "manifest.csv gives 2024-13-45",
        "mdate",
        "ingest",
        r"^unparseable publication date '2024-13-45'",
        False,
        lambda d: (d / "mdate.txt").write_text(TEXT, encoding="utf-8"),
        processed_as="mdate",
    ),
    Kind(
        "txt_same_id_twice",
        "txt",
        "dup.txt and dup.TXT give the same doc_id",
        "dup~2",
        "ingest",
        r"^duplicate id 'dup'",
        False,
        lambda d: (
            (d / "dup.TXT").write_text(TEXT, encoding="utf-8"),
            (d / "dup.txt").write_text(TEXT, encoding="utf-8"),
        ),
        processed_as="dup~2",
    ),
    Kind(
        "txt_symlink_outside",
        "txt",
        "a link to a file outside the input folder",
        "link_out",
        "ingest",
        r"outside the input folder; not followed",
        True,
        _symlink_outside,
    ),
    Kind(
        "txt_broken_symlink",
        "txt",
        "a link to nothing",
        "broken",
        "ingest",
        r"^broken symbolic link$",
        True,
        lambda d: (d / "broken.txt").symlink_to(d / "nowhere.txt"),
    ),
    Kind(
        "txt_symlink_to_folder",
        "txt",
        "a link to a folder (cycles, double counting)",
        "loop",
        "ingest",
        r"symbolic link to a folder; not followed",
        True,
        lambda d: (d / "loop").symlink_to(d),
    ),
    Kind(
        "txt_symlink_inside",
        "txt",
        "a link to a file inside the folder: followed",
        "alias",
        record=lambda d: (d / "alias.txt").symlink_to(d / "sub" / "deeper" / "n1.txt"),
        processed_as="alias",
    ),
    Kind(
        "txt_fifo",
        "txt",
        "a named pipe called .txt: never opened",
        "pipe",
        "ingest",
        r"^not a regular file$",
        True,
        _fifo,
    ),
    Kind(
        "txt_name_not_utf8",
        "txt",
        "a file name in latin-1 bytes: the id shows the byte",
        "caf\\xe9",
        record=lambda d: Path(os.fsdecode(os.fsencode(d) + b"/caf\xe9.txt")).write_text(TEXT, encoding="utf-8"),
        processed_as="caf\\xe9",
    ),
]
FORMS = ("jsonl", "csv", "parquet", "txt")
KIND_IDS = [k.name for k in KINDS]


def good_articles() -> list[dict]:
    """Six real articles with metadata: the control group."""
    out = []
    for name in ("wikinews_2019_2020", "bbc_news_2004_2005"):
        path = SHARED / "corpus" / name / "articles.jsonl"
        if not path.exists() and not os.environ.get("CI"):
            pytest.skip(f"{path} missing")
        with open(path, encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                if 800 <= len(o["text"]) <= 3000:
                    out.append(o)
                if len(out) in (3, 6):
                    break
    return [
        {
            "id": f"g{i}",
            "text": o["text"],
            "published": "2019-06-0%d" % (i + 1),
            "title": o["title"],
            "outlet": "Wire",
            "url": f"https://example.org/{i}",
        }
        for i, o in enumerate(out)
    ]


def write_jsonl(path: Path, goods: list[dict], kinds: list[Kind]) -> None:
    last = [k for k in kinds if k.name == "jsonl_truncated_last_line"]
    kinds = [k for k in kinds if k not in last]
    lines = []
    for i, g in enumerate(goods):
        lines.append(json.dumps(g).encode())
        lines.extend(_jsonl(k) for k in kinds[i :: len(goods)])
    # A BOM at the file's start is framing, not part of g0's text; the truncated line comes last.
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n" + b"".join(k.record for k in last))


def _jsonl(k: Kind) -> bytes:
    return k.record if isinstance(k.record, bytes) else json.dumps(k.record).encode()


CSV_COLUMNS = ["id", "text", "published", "title", "outlet", "url", "lang"]


def write_csv(path: Path, goods: list[dict], kinds: list[Kind]) -> None:
    def row(d: dict) -> bytes:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([d.get(c, "") for c in CSV_COLUMNS])
        return buf.getvalue().encode()

    out = [",".join(CSV_COLUMNS).encode() + b"\n"]
    for i, g in enumerate(goods):
        out.append(row(g))
        for k in kinds[i :: len(goods)]:
            out.append(k.record + b"\n" if isinstance(k.record, bytes) else row(k.record))
    path.write_bytes(b"".join(out))


def write_parquet(path: Path, goods: list[dict], kinds: list[Kind]) -> None:
    rows = []
    for i, g in enumerate(goods):
        rows.append(g | {"text": g["text"].encode()})
        rows.extend(k.record for k in kinds[i :: len(goods)])
    columns = [
        ("id", pa.string()),
        ("text", pa.binary()),
        ("published", pa.string()),
        ("title", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
    ]
    table = pa.Table.from_pylist([{c: r.get(c) for c, _ in columns} for r in rows], schema=pa.schema(columns))
    pq.write_table(table, path)


def write_txt(folder: Path, goods: list[dict], kinds: list[Kind]) -> None:
    folder.mkdir()
    rows = [["doc_id", "published", "title", "outlet", "url"]]
    for g in goods:
        (folder / f"{g['id']}.txt").write_text(g["text"], encoding="utf-8")
        rows.append([g["id"], g["published"], g["title"], g["outlet"], g["url"]])
    rows += [["ghost", "2024-01-01", "", "", ""], ["mdate", "2024-13-45", "", "", ""]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    for k in kinds:
        k.record(folder)


WRITERS = {
    "jsonl": ("in.jsonl", write_jsonl),
    "csv": ("in.csv", write_csv),
    "parquet": ("in.parquet", write_parquet),
    "txt": ("in_txt", write_txt),
}


def run(inp: Path, out: Path, *extra: str) -> int:
    return main(["run", str(inp), "--out", str(out), "--progress", "off", *extra])


@pytest.fixture(scope="module")
def goods():
    return good_articles()


@pytest.fixture(scope="module")
def clean(tmp_path_factory, goods):
    """The good articles alone."""
    d = tmp_path_factory.mktemp("clean")
    write_jsonl(d / "in.jsonl", goods, [])
    assert run(d / "in.jsonl", d / "out") == 0
    return d / "out"


@pytest.fixture(scope="module")
def dirty(tmp_path_factory, goods):
    """Each form's corpus, run once; (base folder, {form: (input, output folder, exit code)})."""
    runs = {}
    base = tmp_path_factory.mktemp("dirty")
    for form in FORMS:
        d = base / form
        # Deep enough that ../../../escaped would still land inside base: easy to look for.
        work = d / "a" / "b" / "c"
        work.mkdir(parents=True)
        name, write = WRITERS[form]
        write(work / name, goods, [k for k in KINDS if k.form == form])
        runs[form] = (work / name, work / "out", run(work / name, work / "out"))
    return base, runs


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in ("articles", "claims", "errors")}


# --------------------------------------------------------------------------- the figures


def test_the_corpus_has_at_least_20_kinds_in_every_form():
    assert len(KINDS) >= 20 and len(set(KIND_IDS)) == len(KINDS)
    assert {k.form for k in KINDS} == set(FORMS)
    assert sum(k.fatal is True for k in KINDS) >= 10 and sum(k.fatal is False for k in KINDS) >= 10


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_each_kind_has_its_row_in_errors(dirty, kind):
    _, runs = dirty
    _, out, code = runs[kind.form]
    assert code == 0
    t = tables(out)
    errors = t["errors"]
    if kind.doc_id is not None:
        mine = errors[errors.doc_id == kind.doc_id]
    else:
        mine = errors[
            errors.doc_id.isna() & errors.location.str.match(kind.location) & errors.message.str.contains(kind.message)
        ]
    if kind.stage is None:
        assert mine.empty, mine.to_dict("records")
    else:
        hits = mine[(mine.stage == kind.stage) & mine.message.str.contains(kind.message)]
        assert len(hits) == 1, (kind.name, mine.to_dict("records"))
        assert bool(hits.fatal.iloc[0]) is kind.fatal
        assert hits["input"].iloc[0] == str(runs[kind.form][0])
    articles = set(t["articles"].doc_id)
    if kind.processed_as is not None:
        assert kind.processed_as in articles
        claims = t["claims"][t["claims"].doc_id == kind.processed_as]
        assert (claims.start < claims.end).all()
    elif kind.doc_id is not None:
        assert kind.doc_id not in articles


def test_processed_bad_articles_keep_their_text_and_offsets(dirty):
    """Control characters, a surrogate replaced one for one, cp1252: offsets index the text as stored."""
    _, runs = dirty
    claims = tables(runs["jsonl"][1])["claims"]
    cc = claims[claims.doc_id == "cc"]
    found = [(r.start, r.end) for r in cc.itertuples()]
    assert all(CTRL[s:e] == q for (s, e), q in zip(found, cc.quantity_text))
    assert {(CTRL.index("40"), CTRL.index("40") + 2), (CTRL.index("12"), CTRL.index("12") + 2)} <= set(found)
    sg = claims[claims.doc_id == "sg"].iloc[0]
    assert sg.quantity_text == "300" and "\ufffd" in sg.sentence
    wd = claims[claims.doc_id == "wd"].iloc[0]
    assert (wd.start, wd.quantity_text, wd.source) == (250_015, "7", "Police")


@pytest.mark.parametrize("form", FORMS)
def test_good_articles_come_out_as_in_a_clean_run(dirty, clean, goods, form):
    _, runs = dirty
    want = tables(clean)
    got = tables(runs[form][1])
    ids = [g["id"] for g in goods]
    key = ["doc_id", "start"]
    a = got["claims"][got["claims"].doc_id.isin(ids)].sort_values(key).reset_index(drop=True)
    b = want["claims"].sort_values(key).reset_index(drop=True)
    assert len(b) >= 20
    pd.testing.assert_frame_equal(a, b)
    arts = got["articles"].set_index("doc_id").loc[ids]
    clean_arts = want["articles"].set_index("doc_id").loc[ids]
    cols = ["title", "published", "outlet", "url", "n_chars", "n_claims", "text_hash"]
    pd.testing.assert_frame_equal(arts[cols], clean_arts[cols])
    assert not got["errors"].doc_id.isin(ids).any()


@pytest.mark.parametrize("form", FORMS)
def test_every_record_is_processed_or_rejected(dirty, goods, form):
    """Nothing is lost: the records written = articles + rejected ones (fatal errors rows)."""
    _, runs = dirty
    t = tables(runs[form][1])
    kinds = [k for k in KINDS if k.form == form]
    written = len(goods) + len(kinds) + (1 if form == "txt" else 0)  # dup.txt + dup.TXT
    fatal = t["errors"][t["errors"].fatal]
    assert len(t["articles"]) + len(fatal) == written
    assert t["articles"].doc_id.is_unique


def test_nothing_escapes_the_output_folder_or_reaches_a_shell(dirty):
    base, runs = dirty
    for form, (inp, out, _) in runs.items():
        # the current generation (pipeline/outdir.py), its pointer, and its tables at the documented paths
        made = sorted(p.name for p in out.iterdir() if not p.name.startswith(".gen-"))
        from pipeline.schema import TABLES

        assert made == sorted([".current", ".lock", "run.json"] + [f"{t}.parquet" for t in TABLES]), made
        assert [p.name for p in out.iterdir() if p.name.startswith(".gen-")] == [(out / ".current").read_text().strip()]
    everything = {p.name for p in base.rglob("*")} | {p.name for p in Path.cwd().iterdir()}
    assert not {"escaped", "PWNED", "PWNED2"} & everything


def test_strict_makes_errors_exit_1(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps({"id": "a", "text": TEXT})
        + "\n"
        + json.dumps({"id": "b", "text": TEXT, "published": "2024-13-45"})
        + "\n",
        encoding="utf-8",
    )
    assert run(inp, tmp_path / "o1") == 0
    assert run(inp, tmp_path / "o2", "--strict") == 1


# --------------------------------------------------------------------------- fatal: one message, exit 2


def _fatal_inputs(tmp: Path) -> dict[str, tuple[Path, Path, str]]:
    ok = tmp / "ok.jsonl"
    ok.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    (tmp / "no_cols.csv").write_text("doc,story\na,b\n", encoding="utf-8")
    (tmp / "bad.parquet").write_bytes(b"PAR1 this is not parquet")
    (tmp / "empty_dir").mkdir()
    (tmp / "a.json").write_text("{}", encoding="utf-8")
    (tmp / "a_file").write_text("x", encoding="utf-8")
    return {
        "missing input": (tmp / "nope.jsonl", tmp / "o", r"input not found"),
        "folder without .txt": (tmp / "empty_dir", tmp / "o", r"no \.txt files"),
        "unknown form": (tmp / "a.json", tmp / "o", r"unknown input form '\.json'"),
        "csv without id/text": (tmp / "no_cols.csv", tmp / "o", r"lacks required column\(s\) id, text"),
        "not parquet": (tmp / "bad.parquet", tmp / "o", r"cannot read .* as Parquet"),
        "output is a file": (ok, tmp / "a_file", r"cannot write to output folder"),
        "output under a file": (ok, tmp / "a_file" / "out", r"cannot write to output folder"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing input",
        "folder without .txt",
        "unknown form",
        "csv without id/text",
        "not parquet",
        "output is a file",
        "output under a file",
    ],
)
def test_fatal_problems_give_one_message_and_exit_2(tmp_path, capsys, case):
    inp, out, message = _fatal_inputs(tmp_path)[case]
    assert run(inp, out) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and re.search(message, lines[0]), err

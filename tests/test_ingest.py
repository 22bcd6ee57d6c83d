"""Tests for pipeline.ingest: every input form, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pytest

from pipeline.ingest import InputError, parse_published, read_input
from pipeline.records import Article, ErrorRecord

DATA = Path(__file__).parent / "data" / "ingest"


def split(items):
    items = list(items)
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ErrorRecord)])


def only_article(path):
    articles, errors = split(read_input(path))
    assert len(articles) == 1, (articles, errors)
    return articles[0], errors


def write_jsonl(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


def txt_dir(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    root = tmp_path / "in"
    root.mkdir(exist_ok=True)
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


# --------------------------------------------------------------------------- #
# folder of .txt files


def test_txt_dir_with_manifest_and_nested_folder():
    items = list(read_input(DATA / "txt_dir"))
    articles, errors = split(items)
    assert [a.doc_id for a in articles] == ["alpha", "beta", "delta", "nested/gamma"]
    alpha, beta, delta, gamma = articles

    assert alpha.title == "Council approves new budget"
    assert alpha.published == dt.date(2024, 12, 23)
    assert alpha.outlet == "Example Outlet"
    assert alpha.url == "https://example.org/alpha"
    assert alpha.where == "alpha.txt"
    assert alpha.input == str(DATA / "txt_dir")
    assert alpha.text == (DATA / "txt_dir" / "alpha.txt").read_text(encoding="utf-8")

    # manifest title wins over a first line that is not a title anyway
    assert beta.title == "Manifest Title"
    assert beta.published is None  # 2024-13-45 in the manifest
    # not in the manifest: nothing known, no error either
    assert (delta.published, delta.title, delta.outlet) == (None, None, None)

    assert gamma.where == "nested/gamma.txt"
    assert gamma.title == "Rainfall doubles in March"
    assert gamma.published == dt.date(2023, 1, 5)

    by_id = {e.doc_id: e for e in errors}
    assert set(by_id) == {"beta", "missing-one"}
    assert not by_id["beta"].fatal_for_article
    assert "unparseable publication date" in by_id["beta"].message
    assert by_id["missing-one"].fatal_for_article
    assert by_id["missing-one"].stage == "ingest"
    assert "manifest.csv" in by_id["missing-one"].where
    # the article comes before its non-fatal note
    assert items.index(beta) < items.index(by_id["beta"])


def test_txt_dir_order_is_sorted_and_recursive(tmp_path):
    root = txt_dir(tmp_path, {"b.txt": "Text b.", "a/z.txt": "Text z.", "a/b/c.txt": "Text c.", "c.txt": "Text c2."})
    articles, errors = split(read_input(root))
    assert [a.doc_id for a in articles] == ["a/b/c", "a/z", "b", "c"]
    assert [a.where for a in articles] == ["a/b/c.txt", "a/z.txt", "b.txt", "c.txt"]
    assert errors == []


def test_txt_dir_notes_other_files_and_ignores_hidden_ones(tmp_path):
    root = txt_dir(
        tmp_path,
        {"a.txt": "Text.", "notes.md": "x", "b.text": "x", "c.txt.bak": "x", ".hidden.txt": "x", ".git/x.txt": "x"},
    )
    articles, errors = split(read_input(root))
    assert [a.doc_id for a in articles] == ["a"]
    # issue 18: other extensions were skipped without a word
    assert sorted(e.where for e in errors) == ["b.text", "c.txt.bak", "notes.md"]
    assert all("not a .txt file, skipped" in e.message and e.stage == "ingest" for e in errors)


def test_txt_dir_of_other_files_only_is_still_no_input(tmp_path):
    from pipeline.ingest import InputError

    root = txt_dir(tmp_path, {"notes.md": "x"})
    with pytest.raises(InputError, match="no .txt files"):
        list(read_input(root))


def test_txt_text_is_kept_byte_for_byte(tmp_path):
    raw = "\ufeffHeadline here\r\n\r\n  Body\x0b with \x07 controls\u2028and a tail.  \r\n\n"
    root = txt_dir(tmp_path, {"a.txt": raw.encode("utf-8")})
    article, errors = only_article(root)
    assert article.text == raw  # BOM, CRLF, controls, trailing blanks all kept
    assert article.title == "Headline here"
    assert errors == []


@pytest.mark.parametrize(
    "text, title",
    [
        ("Markets rally on rate cut hopes\nBody.", "Markets rally on rate cut hopes"),
        ("Is inflation over?\nBody.", "Is inflation over?"),
        ("  Padded headline  \nBody.", "Padded headline"),
        ("The minister said on Monday that costs rose.\nBody.", None),
        ("Breaking!\nBody.", None),
        ("Key figures:\nBody.", None),
        ("\nBody after a blank first line.", None),
        ("   \nBody.", None),
        ("No newline after this line", None),
        ("x" * 199 + "\nBody.", "x" * 199),
        ("x" * 200 + "\nBody.", None),
    ],
)
def test_title_detection(tmp_path, text, title):
    root = txt_dir(tmp_path, {"a.txt": text})
    article, _ = only_article(root)
    assert article.title == title
    assert article.text == text


def test_manifest_title_overrides_a_detected_one(tmp_path):
    root = txt_dir(
        tmp_path,
        {
            "a.txt": "Detected headline\nBody.",
            "b.txt": "Detected headline\nBody.",
            "manifest.csv": "doc_id,published,title\na,,Manifest headline\nb,,\n",
        },
    )
    articles, _ = split(read_input(root))
    assert [a.title for a in articles] == ["Manifest headline", "Detected headline"]


def test_manifest_may_name_files_with_their_extension(tmp_path):
    root = txt_dir(tmp_path, {"a.txt": "Text.", "manifest.csv": "doc_id,published\na.txt,2020-02-29\n"})
    articles, errors = split(read_input(root))
    assert articles[0].published == dt.date(2020, 2, 29)
    assert errors == []


def test_manifest_without_doc_id_column_is_fatal(tmp_path):
    root = txt_dir(tmp_path, {"a.txt": "Text.", "manifest.csv": "id,published\na,2020-01-01\n"})
    with pytest.raises(InputError, match="doc_id"):
        read_input(root)


def test_manifest_repeated_and_empty_rows(tmp_path):
    root = txt_dir(
        tmp_path, {"a.txt": "Text.", "manifest.csv": "doc_id,published\na,2020-01-01\na,2021-01-01\n,2022-01-01\n"}
    )
    articles, errors = split(read_input(root))
    assert articles[0].published == dt.date(2020, 1, 1)  # the first row wins
    assert sorted(e.where for e in errors) == ["manifest.csv line 3", "manifest.csv line 4"]


def test_symlinked_file_inside_is_followed_outside_is_not(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Outside text.", encoding="utf-8")
    root = txt_dir(tmp_path, {"real/a.txt": "Inside text."})
    (root / "inside.txt").symlink_to(root / "real" / "a.txt")
    (root / "escape.txt").symlink_to(outside)
    (root / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "loop").symlink_to(root)
    articles, errors = split(read_input(root))
    assert sorted(a.doc_id for a in articles) == ["inside", "real/a"]
    assert all(a.text == "Inside text." for a in articles)
    by_where = {e.where: e for e in errors}
    assert set(by_where) == {"escape.txt", "broken.txt", "loop"}
    assert "outside" in by_where["escape.txt"].message
    assert by_where["escape.txt"].doc_id == "escape"
    assert all(e.fatal_for_article for e in errors)


def test_fifo_named_txt_is_not_opened(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    root = txt_dir(tmp_path, {"a.txt": "Text."})
    os.mkfifo(root / "pipe.txt")
    articles, errors = split(read_input(root))  # would hang if it opened the FIFO
    assert [a.doc_id for a in articles] == ["a"]
    assert [e.where for e in errors] == ["pipe.txt"]


@pytest.mark.parametrize(
    "content, why",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (bytes([1, 2, 3, 4, 5, 6, 14, 15, 16, 17]) * 20 + b"some words", "non-printable"),
    ],
)
def test_binary_file_is_an_error_not_an_article(tmp_path, content, why):
    root = txt_dir(tmp_path, {"a.txt": content, "b.txt": "Good text."})
    articles, errors = split(read_input(root))
    assert [a.doc_id for a in articles] == ["b"]
    assert len(errors) == 1 and errors[0].doc_id == "a" and errors[0].fatal_for_article
    assert why in errors[0].message


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", "\ufeff\n".encode("utf-8")])
def test_empty_or_blank_file_is_an_error(tmp_path, content):
    root = txt_dir(tmp_path, {"a.txt": content})
    articles, errors = split(read_input(root))
    assert articles == []
    assert [e.doc_id for e in errors] == ["a"]
    assert "empty" in errors[0].message


def test_cp1252_file_is_decoded_and_reported(tmp_path):
    text = "Caf\u00e9 prices rose \u201c20%\u201d \u2014 \u20ac5 a cup.\nMore.\n"
    root = txt_dir(tmp_path, {"a.txt": text.encode("cp1252")})
    article, errors = only_article(root)
    assert article.text == text
    assert len(errors) == 1
    assert not errors[0].fatal_for_article and errors[0].doc_id == "a"
    assert "cp1252" in errors[0].message


def test_bytes_cp1252_cannot_decode_fall_back_without_charset_normalizer(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)  # import now fails
    data = "Na\u00efve text with an odd byte here: ".encode("latin-1") + b"\x81 and more words.\n"
    root = txt_dir(tmp_path, {"a.txt": data})
    article, errors = only_article(root)
    assert article.text == data.decode("latin-1")
    assert "latin-1" in errors[0].message and not errors[0].fatal_for_article


def test_charset_normalizer_decides_when_cp1252_cannot(tmp_path):
    pytest.importorskip("charset_normalizer")
    # in cp1251 Ѓ is byte 0x81, which cp1252 leaves undefined
    text = "Ѓорѓе Петров рече дека цените пораснаа за 5 отсто во текот на минатата година.\n"
    root = txt_dir(tmp_path, {"a.txt": text.encode("cp1251")})
    article, errors = only_article(root)
    assert article.text == text
    assert "cp1251" in errors[0].message and not errors[0].fatal_for_article


def test_utf16_file_with_bom(tmp_path):
    text = "Headline\nBody 5%.\n"
    root = txt_dir(tmp_path, {"a.txt": text.encode("utf-16")})
    article, errors = only_article(root)
    assert article.text == text
    assert "utf-16" in errors[0].message and not errors[0].fatal_for_article


def test_duplicate_ids_in_txt_dir(tmp_path):
    root = txt_dir(tmp_path, {"a.txt": "One.", "a.TXT": "Two."})
    articles, errors = split(read_input(root))
    assert [a.doc_id for a in articles] == ["a", "a~2"]
    assert [e.doc_id for e in errors] == ["a~2"] and not errors[0].fatal_for_article


def test_empty_folder_is_fatal(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt files"):
        read_input(tmp_path / "empty")


# --------------------------------------------------------------------------- #
# .jsonl


def test_jsonl_fields_and_where(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "id": "n1",
                "text": "First text.",
                "published": "2024-12-23",
                "title": "T",
                "outlet": "O",
                "url": "https://example.org/1",
                "extra": [1, 2],
            },
            "",
            {"id": "n2", "text": "Second\r\ntext \x01 kept.", "published": None},
        ],
    )
    items = list(read_input(path))
    (note,) = [i for i in items if isinstance(i, ErrorRecord)]  # the field nothing reads
    assert (note.where, note.doc_id, note.fatal_for_article) == ("line 1", None, False)
    assert note.message.startswith("field(s) 'extra' not read")
    a, b = [i for i in items if isinstance(i, Article)]
    assert (a.doc_id, a.text, a.published, a.title, a.outlet, a.url, a.where, a.input) == (
        "n1",
        "First text.",
        dt.date(2024, 12, 23),
        "T",
        "O",
        "https://example.org/1",
        "line 1",
        str(path),
    )
    assert (b.doc_id, b.text, b.published, b.where) == ("n2", "Second\r\ntext \x01 kept.", None, "line 3")


def test_jsonl_raw_control_characters_inside_strings_are_kept(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": "x", "text": "tab\there\x0bvt"}\n')
    article, errors = only_article(path)
    assert article.text == "tab\there\x0bvt" and errors == []


def test_jsonl_bad_lines_are_errors_and_reading_goes_on(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            '{"id": "x", "text": ',  # 1 malformed
            '["a list"]',  # 2 not an object
            {"text": "no id"},  # 3
            {"id": "", "text": "empty id"},  # 4
            {"id": "  ", "text": "blank id"},  # 5
            {"id": "t1"},  # 6 no text
            {"id": "t2", "text": None},  # 7
            {"id": "t3", "text": 42},  # 8
            {"id": "t4", "text": ["a", "b"]},  # 9
            {"id": "t5", "text": ""},  # 10
            {"id": "t6", "text": " \n\t "},  # 11
            {"id": True, "text": "bool id"},  # 12
            {"id": "ok", "text": "Fine."},  # 13
        ],
    )
    articles, errors = split(read_input(path))
    assert [a.doc_id for a in articles] == ["ok"]
    assert [e.where for e in errors] == [f"line {n}" for n in range(1, 13)]
    assert all(e.fatal_for_article and e.stage == "ingest" for e in errors)
    messages = [e.message for e in errors]
    assert "malformed JSON" in messages[0]
    assert "not an object" in messages[1]
    assert "id" in messages[2] and "id" in messages[3] and "id" in messages[4]
    assert [e.doc_id for e in errors[5:11]] == ["t1", "t2", "t3", "t4", "t5", "t6"]
    assert "missing text" in messages[5] and "missing text" in messages[6]
    assert "not a string" in messages[7] and "not a string" in messages[8]
    assert "empty" in messages[9] and "empty" in messages[10]


def test_jsonl_integer_id_becomes_string(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 7, "text": "Seven."}])
    article, _ = only_article(path)
    assert article.doc_id == "7"


def test_jsonl_duplicate_ids_are_renamed(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "d", "text": "One."},
            {"id": "d", "text": "Two."},
            {"id": "e", "text": "Other."},
            {"id": "d", "text": "Three."},
            {"id": "d~4", "text": "Taken in advance."},
            {"id": "d", "text": "Four."},
        ],
    )
    articles, errors = split(read_input(path))
    assert [(a.doc_id, a.text) for a in articles] == [
        ("d", "One."),
        ("d~2", "Two."),
        ("e", "Other."),
        ("d~3", "Three."),
        ("d~4", "Taken in advance."),
        ("d~5", "Four."),
    ]
    assert [e.doc_id for e in errors] == ["d~2", "d~3", "d~5"]
    assert all(not e.fatal_for_article and "duplicate" in e.message for e in errors)
    assert "line 1" in errors[0].message


def test_jsonl_failed_article_does_not_take_its_id(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "d", "text": ""}, {"id": "d", "text": "Real."}])
    articles, _ = split(read_input(path))
    assert [a.doc_id for a in articles] == ["d"]


def test_jsonl_bad_date_keeps_the_article(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "a", "text": "Text.", "published": "2024-02-30"},
            {"id": "b", "text": "Text.", "published": "last Tuesday"},
        ],
    )
    items = list(read_input(path))
    assert [type(i) for i in items] == [Article, ErrorRecord, Article, ErrorRecord]
    assert items[0].published is None and items[2].published is None
    assert [e.doc_id for e in items[1::2]] == ["a", "b"]
    assert all(not e.fatal_for_article and "publication date" in e.message for e in items[1::2])


def test_jsonl_non_utf8_line_and_bom(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": "a", "text": "First."}\n'
        + '{"id": "b", "text": "Caf\u00e9 \u2013 ok."}\n'.encode("cp1252")
        + b'{"id": "c", "text": "Third."}\n'
    )
    articles, errors = split(read_input(path))
    assert [a.doc_id for a in articles] == ["a", "b", "c"]
    assert articles[0].text == "First."  # the file's BOM is not part of the first article
    assert articles[1].text == "Caf\u00e9 \u2013 ok."
    assert [(e.doc_id, e.where, e.fatal_for_article) for e in errors] == [("b", "line 2", False)]
    assert "cp1252" in errors[0].message


def test_jsonl_utf16_file(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes('{"id": "a", "text": "\u00c9t\u00e9."}\n{"id": "b", "text": "B."}\n'.encode("utf-16"))
    articles, errors = split(read_input(path))
    assert [(a.doc_id, a.text, a.where) for a in articles] == [("a", "\u00c9t\u00e9.", "line 1"), ("b", "B.", "line 2")]
    assert len(errors) == 1 and "utf-16" in errors[0].message and not errors[0].fatal_for_article


def test_jsonl_doc_ids_are_data_not_paths(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "../../etc/passwd", "text": "Text."}, {"id": " spaced ", "text": "Text."}]
    )
    articles, _ = split(read_input(path))
    assert [a.doc_id for a in articles] == ["../../etc/passwd", " spaced "]


def test_jsonl_is_streamed(tmp_path):
    # Lines appended after reading has started are still seen: the file is
    # read as it is consumed, not loaded up front.
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": f"a{i}", "text": "x" * 100} for i in range(2000)])
    stream = read_input(path)
    assert next(stream).doc_id == "a0"
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "late", "text": "Appended."}) + "\n")
    rest = [a.doc_id for a in stream]
    assert rest[-1] == "late" and len(rest) == 2000


# --------------------------------------------------------------------------- #
# .csv


def test_csv_columns_extra_ignored_values_kept(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "extra,id,text,published,title,outlet,url\n"
        'x,007,"Multi\nline, quoted ""text"".",2024-12-23,T,O,https://example.org\n'
        "y,008,NA,,,,\n",
        encoding="utf-8",
    )
    articles, errors = split(read_input(path))
    assert [(e.where, e.doc_id, e.fatal_for_article) for e in errors] == [("header", None, False)]
    assert errors[0].message.startswith("field(s) 'extra' not read")
    a, b = articles
    assert (a.doc_id, a.text, a.published, a.title, a.outlet, a.url, a.where) == (
        "007",
        'Multi\nline, quoted "text".',
        dt.date(2024, 12, 23),
        "T",
        "O",
        "https://example.org",
        "row 1",
    )
    assert (b.doc_id, b.text, b.published, b.title, b.where) == ("008", "NA", None, None, "row 2")


@pytest.mark.parametrize("header, missing", [("id,story", "text"), ("doc,text", "id"), ("title,url", "id, text")])
def test_csv_missing_required_columns_is_fatal(tmp_path, header, missing):
    path = tmp_path / "a.csv"
    path.write_text(header + "\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_input(path)
    assert f"column(s) {missing}" in str(info.value)
    assert "\n" not in str(info.value)


def test_csv_empty_file_is_fatal(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError):
        read_input(path)


def test_csv_bad_rows(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"id,text,published\n"
        b"a,Good.,2024-01-01\n"
        b",No id.,\n"
        b"c,,\n"
        b"d,Too,many,fields\n"
        + "e,Caf\u00e9 \u2013 cp1252.,2024-99-01\n".encode("cp1252")
        + b"a,Duplicate.,\n"
        + b"f,\x81\x01\x02\x03\x04\x05\x06\x8d\x8f,\n"
    )
    items = list(read_input(path))
    articles, errors = split(items)
    assert [(a.doc_id, a.text) for a in articles] == [
        ("a", "Good."),
        ("e", "Caf\u00e9 \u2013 cp1252."),
        ("a~2", "Duplicate."),
    ]
    fatal = [(e.where, e.doc_id) for e in errors if e.fatal_for_article]
    assert ("row 2", None) in fatal and ("row 3", "c") in fatal
    assert ("line 5", None) in fatal  # pandas' own line number for the skipped line
    assert ("row 6", "f") in fatal  # bytes that are text in no encoding
    assert "binary" in errors[-1].message
    notes = {e.message.split(":")[0]: e for e in errors if not e.fatal_for_article}
    assert {e.doc_id for e in notes.values()} == {"e", "a~2"}
    assert any("cp1252" in e.message for e in notes.values())
    assert any("publication date" in e.message for e in notes.values())
    assert articles[1].published is None


def test_csv_is_streamed(tmp_path):
    path = tmp_path / "a.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,text\n")
        for i in range(5000):
            f.write(f"a{i},{'x' * 200}\n")
    stream = read_input(path)
    assert next(stream).doc_id == "a0"
    with open(path, "a", encoding="utf-8") as f:
        f.write("late,Appended.\n")
    rest = [a.doc_id for a in stream]
    assert rest[-1] == "late" and len(rest) == 5000


# --------------------------------------------------------------------------- #
# .parquet


def write_parquet(path, columns: dict, **kwargs):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path, **kwargs)
    return path


def test_parquet_columns_and_types(tmp_path):
    import pyarrow as pa

    path = write_parquet(
        tmp_path / "a.parquet",
        {
            "id": pa.array([1, 2, 3], pa.int64()),
            "text": pa.array(["One.", "Two.", "Three."]),
            "published": pa.array([dt.date(2024, 12, 23), None, dt.date(2020, 2, 29)], pa.date32()),
            "title": pa.array(["T1", None, ""]),
            "ignored": pa.array([1.0, 2.0, 3.0]),
        },
    )
    articles, errors = split(read_input(path))
    assert [(e.where, e.message[:27]) for e in errors] == [("columns", "field(s) 'ignored' not read")]
    assert [(a.doc_id, a.text, a.published, a.title, a.where) for a in articles] == [
        ("1", "One.", dt.date(2024, 12, 23), "T1", "row 1"),
        ("2", "Two.", None, None, "row 2"),
        ("3", "Three.", dt.date(2020, 2, 29), None, "row 3"),
    ]


def test_parquet_timestamps_bad_rows_and_binary_text(tmp_path):
    import pyarrow as pa

    path = write_parquet(
        tmp_path / "a.parquet",
        {
            "id": pa.array(["a", "b", None, "d", "e"]),
            "text": pa.array([b"Plain.", "Caf\u00e9.".encode("cp1252"), b"x", None, b"\x00\x01bin"], pa.binary()),
            "published": pa.array([dt.datetime(2024, 12, 23, 23, 30)] * 5, pa.timestamp("ns", tz="UTC")),
        },
    )
    articles, errors = split(read_input(path))
    assert [(a.doc_id, a.text, a.published) for a in articles] == [
        ("a", "Plain.", dt.date(2024, 12, 23)),
        ("b", "Caf\u00e9.", dt.date(2024, 12, 23)),
    ]
    assert [(e.where, e.doc_id, e.fatal_for_article) for e in errors] == [
        ("row 2", "b", False),
        ("row 3", None, True),
        ("row 4", "d", True),
        ("row 5", "e", True),
    ]


def test_parquet_missing_required_columns_is_fatal(tmp_path):
    path = write_parquet(tmp_path / "a.parquet", {"id": ["a"], "story": ["x"]})
    with pytest.raises(InputError, match=r"column\(s\) text"):
        read_input(path)


def test_parquet_is_read_in_batches(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    path = write_parquet(
        tmp_path / "a.parquet", {"id": [f"a{i}" for i in range(1200)], "text": ["x"] * 1200}, row_group_size=300
    )

    def no_whole_reads(*args, **kwargs):
        raise AssertionError("read the whole file")

    monkeypatch.setattr(pq.ParquetFile, "read", no_whole_reads)
    monkeypatch.setattr(pq, "read_table", no_whole_reads)
    articles, errors = split(read_input(path))
    assert len(articles) == 1200 and errors == []


def test_not_a_parquet_file_is_fatal(tmp_path):
    path = tmp_path / "a.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="Parquet"):
        read_input(path)


# --------------------------------------------------------------------------- #
# fatal input problems


def test_missing_path_is_fatal_at_call_time(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_input(tmp_path / "nope.jsonl")


@pytest.mark.parametrize("name", ["a.json", "a.txt", "a"])
def test_unknown_form_is_fatal(tmp_path, name):
    (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown input form") as info:
        read_input(tmp_path / name)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_is_fatal(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "x"}])
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="cannot read"):
            read_input(path)
    finally:
        path.chmod(0o644)


# --------------------------------------------------------------------------- #
# parse_published


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-12-23", dt.date(2024, 12, 23)),
        (" 2024-12-23 ", dt.date(2024, 12, 23)),
        ("2024-12-23T07:00:00", dt.date(2024, 12, 23)),
        ("2024-12-23T07:00:00Z", dt.date(2024, 12, 23)),
        ("2024-12-23 23:30:00-05:00", dt.date(2024, 12, 23)),  # the date as written, not UTC
        ("2024-12-23T07:00:00.123456789+01:00", dt.date(2024, 12, 23)),
        ("2020-02-29", dt.date(2020, 2, 29)),
        (dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
        (dt.datetime(2024, 1, 2, 23, 59), dt.date(2024, 1, 2)),
        (dt.datetime(2024, 1, 2, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5))), dt.date(2024, 1, 2)),
    ],
)
def test_parse_published_accepts(value, expected):
    assert parse_published(value) == (expected, None)


def test_parse_published_pandas_numpy_pyarrow():
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    assert parse_published(pd.Timestamp("2024-12-23T10:00")) == (dt.date(2024, 12, 23), None)
    assert parse_published(np.datetime64("2024-12-23T10:00")) == (dt.date(2024, 12, 23), None)
    assert parse_published(pa.scalar(dt.date(2024, 12, 23))) == (dt.date(2024, 12, 23), None)
    assert parse_published(pa.scalar(dt.datetime(2024, 12, 23, 5), pa.timestamp("us"))) == (dt.date(2024, 12, 23), None)
    for missing in (pd.NaT, pd.NA, np.datetime64("NaT"), np.nan, pa.scalar(None, pa.date32())):
        assert parse_published(missing) == (None, None), missing


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_parse_published_missing(value):
    assert parse_published(value) == (None, None)


@pytest.mark.parametrize(
    "value",
    [
        "2024-13-45",
        "2023-02-29",
        "2024-12-23T25:00",
        "garbage",
        "yesterday",
        "2 days ago",
        "Monday",
        "March 2025",
        "2024-12",
        "2024",
        "20241223",
        "1703289600",
        "2024-W52-1",
        20241223,
        1703289600.0,
        True,
        ["2024-12-23"],
    ],
)
def test_parse_published_rejects(value):
    date, message = parse_published(value)
    assert date is None
    assert message.startswith("unparseable publication date")
    assert repr(value) in message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("March 11, 2025", dt.date(2025, 3, 11)),
        ("11 March 2025", dt.date(2025, 3, 11)),
        ("Dec 23, 2024", dt.date(2024, 12, 23)),
        ("23/12/2024", dt.date(2024, 12, 23)),
        ("Tue, 11 Mar 2025 23:30:00 -0500", dt.date(2025, 3, 11)),  # the date as written, not UTC
        ("12 mars 2025", dt.date(2025, 3, 12)),
    ],
)
def test_parse_published_reads_other_forms_with_a_note(value, expected):
    date, note = parse_published(value)
    assert date == expected
    assert note == f"publication date {value!r} is not ISO (YYYY-MM-DD): read as {expected.isoformat()}"


# --------------------------------------------------------------------------- #
# field names: the common ones, the named ones, and the ones nothing reads


def test_common_field_names_in_every_table_form(tmp_path):
    jsonl = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"doc_id": "j1", "body": "One.", "published_at": "2025-03-11T08:00:00Z"},
            {"article_id": "j2", "content": "Two.", "pubdate": "2025-03-12"},
            {"id": "j3", "text": "Three.", "publication_date": "2025-03-13", "date": "2025-03-14"},
        ],
    )
    articles, errors = split(read_input(jsonl))
    assert [(a.doc_id, a.text, a.published) for a in articles] == [
        ("j1", "One.", dt.date(2025, 3, 11)),
        ("j2", "Two.", dt.date(2025, 3, 12)),
        ("j3", "Three.", dt.date(2025, 3, 14)),
    ]  # `date` before `publication_date`
    assert [(e.where, e.message.split(" not read")[0]) for e in errors] == [("line 3", "field(s) 'publication_date'")]
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("article_id,content,date\nc1,One.,2025-03-11\n", encoding="utf-8")
    parquet = write_parquet(tmp_path / "a.parquet", {"doc_id": ["p1"], "body": ["One."], "pubdate": ["2025-03-11"]})
    for path in (csv_path, parquet):
        articles, errors = split(read_input(path))
        assert [(a.text, a.published) for a in articles] == [("One.", dt.date(2025, 3, 11))] and errors == []


def test_named_fields_win_and_must_exist(tmp_path):
    from pipeline.ingest import FieldNames

    names = FieldNames({"id": "guid", "text": "story", "published": "when"})
    path = tmp_path / "a.csv"
    path.write_text('guid,story,when,id\ng1,One.,"March 11, 2025",other\n', encoding="utf-8")
    articles, errors = split(read_input(path, names))
    assert [(a.doc_id, a.text, a.published) for a in articles] == [("g1", "One.", dt.date(2025, 3, 11))]
    assert [(e.where, e.doc_id, e.fatal_for_article) for e in errors] == [
        ("header", None, False),
        ("row 1", "g1", False),
    ]
    assert errors[0].message.startswith("field(s) 'id' not read")
    assert errors[1].message == "publication date 'March 11, 2025' is not ISO (YYYY-MM-DD): read as 2025-03-11"
    with pytest.raises(InputError, match=r"lacks required column\(s\) text .*looked for text: 'nope' \(--text-field\)"):
        read_input(path, FieldNames({"text": "nope"}))
    with pytest.raises(InputError, match=r"has no column 'nope' \(--date-field\)"):
        read_input(path, FieldNames({"text": "story", "published": "nope"}))
    with pytest.raises(ValueError):
        FieldNames({"body": "x"})


def test_an_unread_field_is_noted_once_per_input(tmp_path):
    rows = [{"id": f"a{i}", "text": "Text.", "author": "X", **({"tags": []} if i else {})} for i in range(5)]
    articles, errors = split(read_input(write_jsonl(tmp_path / "a.jsonl", rows)))
    assert len(articles) == 5
    assert [(e.where, e.doc_id, e.fatal_for_article) for e in errors] == [
        ("line 1", None, False),
        ("line 2", None, False),
    ]
    assert [e.message.split(" not read")[0] for e in errors] == ["field(s) 'author'", "field(s) 'tags'"]


def test_manifest_date_under_a_common_name(tmp_path):
    root = txt_dir(tmp_path, {"a.txt": "Alpha text.", "manifest.csv": 'doc_id,date,lang\na,"Mar 3, 2024",en\n'})
    articles, errors = split(read_input(root))
    assert [(a.doc_id, a.published) for a in articles] == [("a", dt.date(2024, 3, 3))]
    assert [(e.where, e.message.split(" not read")[0]) for e in errors] == [
        ("manifest.csv line 1", "field(s) 'lang'"),
        ("a.txt", "publication date 'Mar 3, 2024' is not ISO (YYYY-MM-DD): read as 2024-03-03"),
    ]

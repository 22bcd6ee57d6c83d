"""The Python API for notebooks: texts or a DataFrame in, the output tables as DataFrames out.

    from pipeline import extract, read_output
    tables = extract(["Officials said on Monday that 40 people were killed."], dates=["2025-03-11"])
    tables["claims"][["quantity_text", "unit", "source_canonical", "claim_date"]]
    tables = read_output("outputs")          # the tables of a run, with proper dtypes

`extract` is a run of the command line in this process (same rows, same `errors`, same
grouping); the Language is built once per process and model, so a second call is quick.
`read_output` reads one generation of the tables (the one OUT/.current names, see
docs/faults.md) and gives dates as datetime64, integers as nullable Int64, booleans as
nullable boolean and the columns of small vocabularies (`CATEGORIES`) as categoricals.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .schema import TABLES

# Columns of small, closed vocabularies: read as pandas categoricals (less memory, and
# value_counts/groupby show every level).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "articles": ("published_from",),
    "entities": ("label",),
    "quantities": ("qualifier", "unit", "change"),
    "dates": ("precision",),
    "attributions": ("source_type", "cue_kind"),
    "claims": ("qualifier", "unit", "change", "source_type", "cue_kind", "claim_date_precision"),
    "errors": ("stage",),
    "claim_groups": ("qualifier", "unit", "source_type"),
    "subjects": ("unit",),
}


def read_output(folder: str | os.PathLike, tables: Iterable[str] | None = None) -> dict:
    """The tables of an output folder as DataFrames with proper dtypes, all of one generation
    (pipeline/outdir.py); tables missing from it are left out.

    If a run replaces the generation while it is read (and removes the one before it), the
    reading starts again on the new one.
    """
    from .outdir import current_dir

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no output folder {folder}")
    for attempt in range(3):
        gen = current_dir(folder) or folder
        try:
            return {
                name: _read_table(gen / f"{name}.parquet", name)
                for name in tables or TABLES
                if (gen / f"{name}.parquet").exists()
            }
        except FileNotFoundError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _read_table(path: Path, name: str):
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    return _to_pandas(pq.read_table(path, read_dictionary=[c for c in CATEGORIES.get(name, ()) if c in names]))


def _to_pandas(table):
    import pandas as pd
    import pyarrow as pa

    nullable = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    # dates as datetime64 (not objects) so that .dt works; nulls are NaT
    return table.to_pandas(types_mapper=nullable.get, date_as_object=False)


def extract(
    data,
    dates=None,
    *,
    ids: Sequence | None = None,
    out: str | os.PathLike | None = None,
    model: str | None = None,
    id_field: str | None = None,
    text_field: str | None = None,
    date_field: str | None = None,
    groups: bool = True,
    options: Sequence[str] = (),
) -> dict:
    """Run the pipeline on `data` and return every table as a DataFrame (as `read_output`).

    `data` is a list of texts, or a DataFrame (or a list of dicts) with a text column and
    optionally id, published (or date, published_at ...), title, outlet, url: the fields a
    dump may have, also named by `id_field`, `text_field`, `date_field`. `dates` (one per
    text, or one for all) and `ids` override the data's. Without ids, articles are numbered
    from 0 (a DataFrame: its index). `out` keeps the tables in that folder (and a second call
    into it reuses unchanged articles); `options` are more `run` options ("--no-linker").
    Raises ValueError when the input or the model cannot be used at all.
    """
    from . import cli
    from .ingest import FieldNames, read_records

    fields = FieldNames({"id": id_field, "text": text_field, "published": date_field})
    records, given = _records(data, dates, ids, fields)
    with _folder(out) as folder:
        argv = ["run", given, "--out", str(folder), "--progress", "off", *options]
        argv += ["--model", model] if model else []
        argv += [] if groups else ["--no-groups"]
        args = cli._parser().parse_args(argv)
        args.keep_model = True  # a notebook calls again: build the Language once
        args.quiet = True
        try:
            cli.run(args, items=read_records(records, given, fields))
        except cli.FatalError as e:
            raise ValueError(str(e)) from None
        return read_output(folder)


def _records(data, dates, ids, fields) -> tuple[list[dict], str]:
    """The articles as dicts with the data's own field names, and what `input` calls them."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a DataFrame
        if "text" not in fields.resolve(data.columns):
            raise ValueError(
                f"the DataFrame lacks a text column (columns: {', '.join(map(str, data.columns))}; "
                f"looked for {fields.looked_for('text')})"
            )
        records = data.to_dict("records")
        numbers = [str(i) for i in data.index]
        given = "<DataFrame>"
    elif isinstance(data, str):
        raise TypeError("extract takes a list of texts or a DataFrame, not one string: extract([text])")
    else:
        records = [dict(r) if isinstance(r, dict) else {"text": r} for r in data]
        numbers = [str(i) for i in range(len(records))]
        given = "<texts>"
    if ids is None and not all("id" in fields.resolve(r) for r in records):
        ids = numbers
    for key, values in (("id", ids), ("published", dates)):
        if values is None:
            continue
        if isinstance(values, str) or not isinstance(values, Sequence):
            values = [values] * len(records)  # one date for all
        if len(values) != len(records):
            raise ValueError(f"{len(values)} {key}s for {len(records)} articles")
        for r, v in zip(records, values):
            # under the name the record gives the field, so that the value replaces it
            r[fields.resolve(r).get(key) or fields.named.get(key) or key] = v
    return records, given


@contextlib.contextmanager
def _folder(out):
    if out is not None:
        yield Path(out)
        return
    with tempfile.TemporaryDirectory(prefix="newsclaims-") as tmp:
        yield Path(tmp) / "out"

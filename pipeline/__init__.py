"""newsclaims: news article dumps -> tidy tables of who claimed what number when.

The flow is readers (`ingest`) -> one spaCy `Language` (`nlp`: the base model
plus the quantities, dates, attribution and claims components) -> writers
(`write`, with the schemas of `schema`).

For notebooks: `extract(texts_or_dataframe)` and `read_output(folder)` (pipeline/api.py)
give the tables as DataFrames.
"""

from ._version import __version__  # noqa: F401  (one place: pipeline/_version.py)

__all__ = ["extract", "read_output"]


def __getattr__(name):
    # imported on first use: `import pipeline` (every worker does) stays free of pandas and spaCy
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")

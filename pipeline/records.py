"""The two things a reader yields: an article to process, or an error to record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Article:
    doc_id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    input: str = ""  # the input path as given
    where: str = ""  # file name or "line N" inside the input


@dataclass
class ErrorRecord:
    input: str
    where: str
    doc_id: str | None
    stage: str  # ingest | nlp | write ...
    message: str
    fatal_for_article: bool = True  # False: the article was still processed (partly)

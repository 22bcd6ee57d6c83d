"""Canonical names of sources: one name per real-world source across mentions and articles.

Two things give a mention its canonical name: an acronym the article itself
defines ("Joint Chiefs of Staff (JCS)" makes "JCS" and the long form one source),
and the curated registry in `models/sources.json`, which users extend. The
registry also gives the source type; otherwise the type comes from the entity
label and a few head words (officials, experts -> unnamed).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .lexicons import file_stamp
from .resources import model_path


def normalise(name: str | None) -> str:
    """Lower-case key of a name: quotes folded, leading 'the' and trailing possessive removed."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name).lower().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"\s+", " ", s).strip(" \t\n\"'.,;:()[]")
    s = re.sub(r"^the ", "", s)
    return re.sub(r"('s|s'|')$", "", s).strip()


@dataclass(frozen=True)
class Entry:
    canonical: str
    type: str


class Registry:
    def __init__(self, entries: dict[str, Entry]):
        self.by_alias = entries

    @classmethod
    def load(cls, *paths: str) -> "Registry":
        """The registry of these files (models/sources.json when none), a later entry winning;
        memoised while the files are unchanged."""
        paths = tuple(str(p) for p in paths) or (str(model_path("sources.json")),)
        return cls._load(paths, tuple(file_stamp(p) for p in paths))

    @classmethod
    @lru_cache(maxsize=4)
    def _load(cls, paths: tuple[str, ...], stamps: tuple) -> "Registry":
        # `stamps` is read by the cache only: a file changed on disk makes a new key
        entries: dict[str, Entry] = {}
        for path in paths:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            for item in data["sources"]:
                e = Entry(item["canonical"], item["type"])
                for alias in [item["canonical"], *item.get("aliases", [])]:
                    entries[normalise(alias)] = e
        return cls(entries)

    def lookup(self, name: str) -> Entry | None:
        return self.by_alias.get(normalise(name))


ACRONYM_DEF = re.compile(
    r"((?:[A-Z][\w'’.-]*\s+)(?:(?:of|for|and|on|the|de|du|des)\s+|[A-Z][\w'’.-]*\s+){0,8}?)\(([A-Z][A-Za-z.&]{1,9})\)"
)


def acronyms_in(text: str) -> dict[str, str]:
    """Acronyms the text defines, mapped to their long form: 'Joint Chiefs of Staff (JCS)'."""
    found = {}
    for m in ACRONYM_DEF.finditer(text):
        long_form, acro = m.group(1).strip(), m.group(2)
        letters = [w[0].upper() for w in re.findall(r"[A-Za-z][\w'’.-]*", long_form) if w[0].isupper()]
        # the long form ends where its capitals spell the acronym
        want = acro.replace(".", "").upper()
        for k in range(len(letters)):
            if "".join(letters[k:]).startswith(want[: max(2, len(want) - 1)]):
                words = long_form.split()
                caps = [i for i, w in enumerate(words) if w[0].isupper()]
                if k < len(caps):
                    found[acro] = " ".join(words[caps[k] :])
                break
    return found


def source_type(name: str, label: str | None, unnamed_heads: set[str]) -> str:
    head = normalise(name).split(" ")[-1] if name else ""
    if head in unnamed_heads:
        return "unnamed"
    if label == "PERSON":
        return "person"
    if label in ("GPE", "NORP"):
        return "government"
    if label == "ORG":
        return "organisation"
    return "unnamed" if name and name[:1].islower() else "organisation"

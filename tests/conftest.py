import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import build

    return build()


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory):
    """The seeds processed once, through the command line, for every end-to-end test."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("seeds-out")
    assert main(["run", str(ROOT / "seeds"), "--out", str(out), "--progress", "off"]) == 0
    return out


def claims_of(nlp, text, published=None):
    from pipeline.process import make_doc
    from pipeline.records import Article

    doc = nlp(make_doc(nlp, Article("t", text, published=published)))
    return doc._.claims


# Articles written for the tests (not from any corpus): floods in a made-up country, no North Korea,
# and urls an attacker would plant (the report must not make links of them).
TINY_ARTICLES = [
    {
        "id": "flood-1",
        "published": "2025-03-04",
        "outlet": "Valdoria Daily",
        "title": "Floods kill dozens",
        "url": "javascript:alert(document.cookie)",
        "text": "Floods kill dozens\n\nThe health ministry said on Tuesday that 42 people were killed in the floods "
        "in Valdoria. Rescue workers said at least 60 people had died in the floods in Valdoria.",
    },
    {
        "id": "flood-2",
        "published": "2025-03-05",
        "outlet": "Coast Herald",
        "title": "Toll rises",
        "url": "  \x01JaVaScRiPt:alert(2)",
        "text": "Toll rises\n\nThe health ministry said on Wednesday that 57 people were killed in the floods in "
        "Valdoria.",
    },
    {
        "id": "flood-3",
        "published": "2025-03-06",
        "outlet": "Mountain Post",
        "title": "Red Cross count",
        "url": "data:text/html,<script>alert(3)</script>",
        "text": "Red Cross count\n\nThe Red Cross said about 80 people were killed in the floods in Valdoria, "
        "more than the health ministry's count.",
    },
    {
        "id": "flood-4",
        "published": "2025-03-07",
        "outlet": "Valdoria Daily",
        "title": "Ministry update",
        "url": "java\tscript:alert(4)",
        "text": "Ministry update\n\nThe health ministry said on Friday that 71 people were killed in the floods in "
        "Valdoria.",
    },
    {
        "id": "flood-5",
        "published": "2025-03-08",
        "outlet": "Coast Herald",
        "title": "Aid arrives",
        "url": "https://example.org/aid?a=1&b=2",
        "text": "Aid arrives\n\nThe United Nations said 12,000 people were displaced by the floods in Valdoria.",
    },
]


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """A small output from other texts than the seeds (and with hostile urls)."""
    import json

    from pipeline.cli import main

    src = tmp_path_factory.mktemp("tiny-in") / "tiny.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in TINY_ARTICLES), encoding="utf-8")
    out = tmp_path_factory.mktemp("tiny-out")
    assert main(["run", str(src), "--out", str(out), "--progress", "off"]) == 0
    return out

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

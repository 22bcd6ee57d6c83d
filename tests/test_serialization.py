"""`nlp.to_disk(path)` then `spacy.load(path)` gives the same pipeline: the saved folder carries
every component's lexicons and the linker's model, and loading reads them from there."""

import json

import pytest
import spacy
from conftest import ROOT, claims_of

from pipeline.ingest import read_input
from pipeline.lexicons import LexiconError
from pipeline.records import Article

SAVED = {
    "claim_quantities": ["quantities.json", "counts.json"],
    "claim_attribution": ["cues.json", "sources.json", "linker.json"],
    "claims": ["counts.json"],
}


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("saved") / "nlp"
    nlp.to_disk(path)
    return path


def test_the_saved_folder_holds_every_lexicon(saved):
    for component, files in SAVED.items():
        for name in files:
            assert (saved / component / name).read_bytes() == (ROOT / "models" / name).read_bytes(), (component, name)


def test_round_trip_gives_identical_claims_on_the_seeds(nlp, saved):
    loaded = spacy.load(saved)
    assert loaded.pipe_names == nlp.pipe_names
    articles = [a for a in read_input(ROOT / "seeds") if isinstance(a, Article)]
    assert len(articles) == 5
    n = 0
    for a in articles:
        before = claims_of(nlp, a.text, a.published)
        after = claims_of(loaded, a.text, a.published)
        assert after == before, a.doc_id
        n += len(before)
    assert n > 20


def test_loading_reads_the_lexicons_from_the_folder(nlp, saved, tmp_path):
    import shutil

    copy = tmp_path / "nlp"
    shutil.copytree(saved, copy)
    text = "Officials said 300 or so people attended."
    assert claims_of(nlp, text)[0]["qualifier"] == "approx"
    # a saved lexicon changed: the loaded pipeline follows it, not models/
    path = copy / "claim_quantities" / "quantities.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    del d["suffix_qualifiers"]["or so"]
    path.write_text(json.dumps(d), encoding="utf-8")
    assert claims_of(spacy.load(copy), text)[0]["qualifier"] == "exact"
    # and is checked as it is read
    path = copy / "claim_attribution" / "cues.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d["verbz"] = ["say"]
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"claim_attribution/cues.json: unknown key 'verbz'"):
        spacy.load(copy)


@pytest.mark.parametrize("name", ["paragraph_breaks", "claim_quantities", "claim_attribution", "claim_dates", "claims"])
def test_every_factory_declares_what_it_assigns(nlp, name):
    meta = nlp.get_pipe_meta(name)
    assert meta.assigns
    if name != "paragraph_breaks":
        assert meta.requires


def test_component_settings_are_keyword_only():
    import inspect

    from pipeline.attribution import AttributionComponent
    from pipeline.claims import ClaimsComponent
    from pipeline.dates import DatesComponent
    from pipeline.paragraphs import ParagraphBreaks
    from pipeline.quantities import QuantitiesComponent

    for cls in (ParagraphBreaks, QuantitiesComponent, AttributionComponent, DatesComponent, ClaimsComponent):
        params = list(inspect.signature(cls.__init__).parameters.values())[2:]  # after self, name
        assert params and all(p.kind is p.KEYWORD_ONLY for p in params), cls.__name__

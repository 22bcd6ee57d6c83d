"""notebooks/claims.ipynb runs top to bottom on any output folder, with papermill-style parameters."""

import json

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

pytestmark = pytest.mark.integration


def execute(params: dict):
    """Run the notebook as papermill does: a cell setting `params` right after the `parameters` cell."""
    nb = nbformat.read(ROOT / "notebooks" / "claims.ipynb", as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "one cell tagged `parameters`"
    nb.cells.insert(
        tagged[0] + 1,
        nbformat.v4.new_code_cell("# injected parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in params.items())),
    )
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    text = "\n".join(json.dumps(o.get("data", {}).get("text/plain", "")) + o.get("text", "") for o in outputs)
    figures = [
        o["data"]["application/vnd.plotly.v1+json"]
        for o in outputs
        if "application/vnd.plotly.v1+json" in o.get("data", {})
    ]
    return errors, text, figures


def test_claims_notebook_answers_who_claimed_how_many(seeds_run):
    errors, text, figures = execute({"OUT": str(seeds_run), "SUBJECT": "North Korea", "COUNTS": "casualties"})
    assert not errors, errors
    for source in (
        "National Intelligence Service (South Korea)",
        "Andrii Kovalenko",
        "Joint Chiefs of Staff (South Korea)",
    ):
        assert text.count(source) >= 2, source  # in the pandas answer and in the DuckDB one
    assert "1100.0" in text and "4000.0" in text and "figures from 200 to 4,000" in text
    assert "approximately 1,100" in text
    # the plot: one trace per dated source, the y axis names what is counted
    (fig,) = figures
    names = {t["name"] for t in fig["data"]}
    assert {"National Intelligence Service (South Korea)", "Andrii Kovalenko"} <= names
    assert "Joint Chiefs of Staff (South Korea)" not in names and "not on the plot (no date)" in text
    assert fig["layout"]["yaxis"]["title"]["text"] == "casualties"


def test_notebook_works_on_another_output_with_its_defaults(tiny_run):
    # no North Korea in these texts: the default is the most-claimed subject (the flood deaths)
    errors, text, figures = execute({"OUT": str(tiny_run)})
    assert not errors, errors
    assert "killed: Valdoria" in text and "figures from 60 to 80" in text
    (fig,) = figures
    assert len(fig["data"]) >= 3 and fig["layout"]["yaxis"]["title"]["text"] == "killed"


def test_notebook_says_clearly_when_nothing_matches(tiny_run):
    with pytest.raises(Exception, match="no subject in .* matches SUBJECT='North Korea'"):
        execute({"OUT": str(tiny_run), "SUBJECT": "North Korea"})

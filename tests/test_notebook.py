"""notebooks/claims.ipynb runs top to bottom on the seeds' tables and answers its question."""
import json

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.integration


def test_claims_notebook_answers_who_claimed_how_many(seeds_run, monkeypatch):
    nb = nbformat.read(ROOT / "notebooks" / "claims.ipynb", as_version=4)
    # the kernel inherits the environment: point it at the seeds' output
    monkeypatch.setenv("NEWSCLAIMS_OUT", str(seeds_run))
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(json.dumps(o.get("data", {}).get("text/plain", "")) + o.get("text", "") for o in outputs)
    for source in ("National Intelligence Service (South Korea)", "Volodymyr Zelensky", "Andrii Kovalenko",
                   "Joint Chiefs of Staff (South Korea)"):
        assert text.count(source) >= 2, source          # in the pandas answer and in the DuckDB one
    assert "1100.0" in text and "4000.0" in text and "figures from 200 to 4,000" in text
    assert "approximately 1,100" in text

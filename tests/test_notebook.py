"""notebooks/explore.ipynb runs top to bottom on a fresh run over the sample corpus, so it never rots."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


@pytest.mark.slow
@pytest.mark.model
def test_explore_notebook_executes(sample_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIPLO_TABLES", str(sample_output))  # the kernel inherits the environment
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "commit it without outputs"
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()  # raises on any failing cell
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    plots = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(plots) >= 2
    first_table = notebook.cells[1].outputs[0]["data"]["text/plain"]
    assert "commitments" in first_table and "documents          8" in first_table
    html = "\n".join(o["data"].get("text/html", "") for o in outputs if "data" in o)
    assert "xi-signed-article-2024-07.txt" in html  # the documents table
    assert "<th>firm</th>" in html and "<th>soft</th>" in html  # commitments by actor and strength

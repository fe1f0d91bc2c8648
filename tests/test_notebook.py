"""The notebook runs end to end on corpus/ (so it cannot rot) and shows its figure inline."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NB = Path(__file__).resolve().parent.parent / "notebooks" / "tour.ipynb"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NB, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NB.parent)}}).execute()
    return nb


def test_notebook_executes(executed):
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "GDP growth: outcome" in text


def test_notebook_shows_its_figure_inline(executed):
    plot = next(c for c in executed.cells if c.cell_type == "code" and "plot.barh" in c.source)
    assert any("image/png" in o.get("data", {}) for o in plot.outputs)
    assert "savefig" not in plot.source


def test_notebook_pairs_national_targets_with_outcomes_and_plots_them(executed):
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))
    assert "20 reports:" in text and "targets with their outcome" in text
    assert "GDP and price rows:" in text
    plot = next(c for c in executed.cells if c.cell_type == "code" and "plot_series(ax" in c.source)
    assert any("image/png" in o.get("data", {}) for o in plot.outputs)

"""Where the shipped model lives and what its files are called (shared by runtime and training)."""

from __future__ import annotations

from pathlib import Path

LABEL = "INDICATOR"
WEIGHTS = "numpy.npz"  # the exported weights extraction runs (``numpy_net``)
MODEL_DIR = Path(__file__).resolve().parent / "models" / "indicator"

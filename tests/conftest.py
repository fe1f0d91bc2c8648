"""Shared fixtures: the repo's corpus and a one-time extraction of it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "corpus" / "speeches"
GOLD = ROOT / "corpus" / "gold"


@pytest.fixture(scope="session")
def corpus_docs():
    from zhibiao import extract_file

    return {p.stem: extract_file(str(p)) for p in sorted(SPEECHES.glob("*.txt"))}

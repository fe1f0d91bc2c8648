"""Shared fixtures: the repo's corpus and a one-time extraction of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "corpus" / "speeches"
GOLD = ROOT / "corpus" / "gold"
# Debian's chromium, started as the machine's notes say (no network chatter, no sandbox as root)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch_chromium(playwright):
    """A headless Debian chromium for the browser tests."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def corpus_docs():
    from zhibiao import extract_file

    return {p.stem: extract_file(str(p)) for p in sorted(SPEECHES.glob("*.txt"))}


@pytest.fixture(autouse=True)
def _temp_files_in_the_tests_own_folder(tmp_path_factory, monkeypatch):
    """Spools of streamed documents (and any other temp file) land in a folder pytest removes,
    never in the machine's TMPDIR."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("tmp")))


def interrupt_after(n: int):
    """An ``on_done`` callback that stops a batch with KeyboardInterrupt once ``n`` documents
    are written, as a user's Ctrl-C would."""
    done: list = []

    def on_done(path) -> None:
        done.append(path)
        if len(done) == n:
            raise KeyboardInterrupt

    return on_done

"""What a run reads: files and folders walked in a stable order, each file once, standard
input held in a file, and whether an output path may be written."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from ..text.ingest import TEXT_SUFFIXES
from .pool import STDIN


def iter_inputs(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """Files to read, in a stable order; (path, reason) for skipped ones. Folders are walked
    recursively (each real folder once, hidden files left out) for .txt, .html, .htm."""
    for p in paths:
        if os.path.isdir(p):
            seen: set[str] = set()
            for root, dirs, files in os.walk(p, followlinks=False):
                real = os.path.realpath(root)
                if real in seen:
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs.sort()
                for f in sorted(files):
                    fp = os.path.join(root, f)
                    if f.startswith("."):
                        continue
                    yield fp, None if f.lower().endswith(TEXT_SUFFIXES) else "skipped"
        else:
            yield p, None


def unique_inputs(paths: list[str]) -> list[str]:
    """Each file once, in first-seen order, however it was spelled."""
    seen: dict[str, str] = {}
    for p in paths:
        seen.setdefault(p if p == STDIN else os.path.normpath(os.path.abspath(p)), p)
    return list(seen.values())


def spool_stdin(stdin: BinaryIO, max_bytes: int) -> str:
    """Standard input (at most ``max_bytes`` + 1 bytes: one more is refused as too large) in
    a temporary file; its path."""
    fd, path = tempfile.mkstemp(prefix="zhibiao-stdin-", suffix=".txt")
    with os.fdopen(fd, "wb") as fh:
        fh.write(stdin.read(max_bytes + 1))
    return path


def output_problem(output: str, inputs: list[str]) -> str | None:
    """Why ``output`` cannot be written to: an input file, a folder, a FIFO or a device."""
    try:
        st = os.stat(output)  # through a symlink
    except OSError:
        return None  # a new file
    if stat.S_ISDIR(st.st_mode):
        return f"-o {output} is a folder; give a file name"
    if not stat.S_ISREG(st.st_mode):
        return f"-o {output} is not a regular file (a FIFO, device or socket); give a file name"
    for p in inputs:
        try:
            if os.path.samefile(p, output):
                return f"-o {output} is one of the input files; it would be overwritten"
        except OSError:
            continue
    return None

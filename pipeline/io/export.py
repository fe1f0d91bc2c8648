"""Writing output: atomic JSON Lines, and the JSON Schema of a document."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable
from importlib import resources
from typing import IO, Any

SCHEMA_FILE = "schema.json"


def schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of one output document."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def validate(doc: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when ``doc`` breaks the contract."""
    import jsonschema

    jsonschema.validate(doc, schema(), cls=jsonschema.Draft202012Validator)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: str) -> int:
    """The mode a rewritten ``path`` gets: its own when it exists, else 0666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


class AtomicWriter:
    """Write to a temp file beside ``path``; rename over it only when complete.

    A symlink is written through (the link stays); the file keeps its mode, and a new one
    gets the umask's."""

    def __init__(self, path: str, append_from: str | None = None):
        self.path = os.path.realpath(path)
        d = os.path.dirname(self.path) or "."
        os.makedirs(d, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=".zhibiao-", suffix=".tmp", dir=d)
        os.fchmod(fd, file_mode(self.path))
        self.fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8")
        if append_from and os.path.exists(append_from):
            with open(append_from, encoding="utf-8") as src:
                for line in src:
                    if line.strip():
                        self.fh.write(line if line.endswith("\n") else line + "\n")

    def write(self, line: str) -> None:
        self.fh.write(line + "\n")

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def write_document(doc, out: IO[str]) -> None:
    """One document as one JSON line, claim by claim (never the whole line in memory: a
    figure-dense page gives a line a hundred times its size); the claims of a spooled
    (streamed) document come from its spool. The bytes are those of ``dumps(doc.to_dict())``."""
    spool, claims = getattr(doc, "spool", None), doc.claims
    doc.spool, doc.claims = None, []  # the shell without claims, in to_dict's field order
    try:
        shell = dumps(doc.to_dict())
    finally:
        doc.spool, doc.claims = spool, claims
    before, after = shell.split('"claims":[]', 1)
    out.write(before + '"claims":[')
    for i, c in enumerate(claims):
        out.write(("," if i else "") + dumps(c.to_dict()))
    if spool:
        with open(spool, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                out.write(("," if i or claims else "") + line.rstrip("\n"))
    out.write("]" + after + "\n")


def write_jsonl(path: str, docs: Iterable[dict[str, Any]]) -> int:
    n = 0
    with AtomicWriter(path) as w:
        for d in docs:
            w.write(dumps(d))
            n += 1
    return n

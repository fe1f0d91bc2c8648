"""Claim rows from a SQLite export (``zhibiao export --to sqlite``) or an extract JSONL
file: what ``query``, ``panel`` and ``serve`` read."""

from __future__ import annotations

import errno
import math
import os
import sqlite3
from typing import Any

from .tables import iter_rows


def connect_ro(path: str) -> sqlite3.Connection:
    """A read-only connection to an existing SQLite file (any name: ``report#1.db`` too)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(errno.ENOENT, "no such database", path)
    from pathlib import Path

    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)


SQLITE_MAGIC = b"SQLite format 3\0"


def is_sqlite(path: str) -> bool:
    """Whether ``path`` is a SQLite file, by its first bytes (``.DB``, ``.sqlite``, any name)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_export(con: sqlite3.Connection, source: str) -> None:
    """ValueError unless ``claims`` and ``documents`` are plain tables with the export's
    columns: a view (a recursive one never ends) or a table without ``text`` is refused."""
    kinds = dict(con.execute("SELECT name, type FROM sqlite_master WHERE name IN ('claims', 'documents')"))
    for name in ("claims", "documents"):
        if kinds.get(name) != "table":
            what = f"a {kinds[name]}" if name in kinds else "missing"
            raise ValueError(f"{source} is not a zhibiao SQLite export ('{name}' is {what}, not a table)")
    have = {r[1] for r in con.execute("PRAGMA table_info(documents)")}
    need = {"doc_id", "title", "text"} - have
    if need:
        raise ValueError(f"{source} is not a zhibiao SQLite export (documents lacks {', '.join(sorted(need))})")


def _db_rows(source: str) -> list[dict[str, Any]]:
    con = connect_ro(source)
    try:
        check_export(con, source)
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute("SELECT * FROM claims")]
        titles = {r[0]: r[1] for r in con.execute("SELECT doc_id, title FROM documents")}
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{source} is not a zhibiao SQLite export ({exc})") from None
    finally:
        con.close()
    for r in rows:
        r["title"] = titles.get(r["doc_id"])
    return rows


def load_rows(source: str) -> list[dict[str, Any]]:
    """Claim rows from a SQLite export or an extract JSONL file."""
    if is_sqlite(source) or source.lower().endswith((".db", ".sqlite", ".sqlite3")):
        rows = _db_rows(source)
    else:
        rows = list(iter_rows(source))
    return [r for r in rows if _finite(r)]


def _finite(r: dict[str, Any]) -> bool:
    """No number column holds an infinity or NaN (REAL 1e999 in a crafted file)."""
    return not any(isinstance(v, float) and not math.isfinite(v) for v in r.values())

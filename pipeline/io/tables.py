"""Flat tables from extract output: one row per claim, for pandas, CSV, Parquet and SQLite."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import math
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from ..text.ingest import IngestError, read_document
from .export import AtomicWriter, file_mode
from .textsafe import for_terminal

COLUMNS = ["doc_id", "claim_id", "indicator_name", "indicator_text", "canonical", "indicator_en",
           "value_amount", "value_max", "value_unit", "value_base", "base_unit", "value_masked",
           "growth_rate", "growth_max", "growth_unit", "growth_masked",
           "rank_position", "rank_by", "rank_scope", "rank_masked", "ranks",
           "kind", "period", "subject", "qualifier", "sentence", "start", "end",
           "span_start", "span_end", "method", "rule", "confidence",
           "value_qualifier", "growth_qualifier",
           "doc_date", "jurisdiction", "jurisdiction_level", "period_from", "period_to",
           "year", "horizon", "jurisdiction_code", "subject_code", "doc_title", "source_path"]


# SQLite types of the claim columns; everything else is TEXT
REAL_COLUMNS = frozenset({"value_amount", "value_max", "value_base", "growth_rate", "growth_max",
                          "confidence"})
INTEGER_COLUMNS = frozenset({"value_masked", "growth_masked", "rank_position", "rank_masked",
                             "start", "end", "span_start", "span_end", "year"})
# flags: 1, 0 or empty in every format (CSV, Parquet, SQLite alike), never True/False in one only
FLAG_COLUMNS = ("value_masked", "growth_masked", "rank_masked")
NUMERIC_COLUMNS = REAL_COLUMNS | INTEGER_COLUMNS


def column_type(name: str) -> str:
    return "REAL" if name in REAL_COLUMNS else "INTEGER" if name in INTEGER_COLUMNS else "TEXT"


def _not_jsonl(path: str, n: int) -> ValueError:
    return ValueError(f"{path}, line {n}: not an extract output (JSON Lines from 'zhibiao extract')")


def iter_documents(path: str) -> Iterator[dict[str, Any]]:
    """The documents of an extract output file; a clear ValueError on anything else."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError:
                raise _not_jsonl(path, n) from None
            if not isinstance(d, dict) or "doc_id" not in d or not isinstance(d.get("claims"), list):
                raise _not_jsonl(path, n)
            _check_shape(path, n, d)
            yield d


def _check_shape(path: str, n: int, d: dict[str, Any]) -> None:
    """ValueError (file, line, field) when a document's parts are not the objects the
    output format says: no ``'str' object has no attribute 'get'`` later on."""
    for k in ("source", "date", "jurisdiction"):
        if d.get(k) is not None and not isinstance(d[k], dict):
            raise ValueError(f"{path}, line {n}: '{k}' must be an object or null, not {type(d[k]).__name__}")
    for i, c in enumerate(d["claims"], 1):
        if not isinstance(c, dict):
            raise ValueError(f"{path}, line {n}: claim {i} is not an object")
        for k in ("value", "growth", "indicator", "sentence", "span"):
            if c.get(k) is not None and not isinstance(c[k], dict):
                raise ValueError(f"{path}, line {n}: claim {i}: '{k}' must be an object, "
                                 f"not {type(c[k]).__name__}")
        for k, v in {**(c.get("value") or {}), **(c.get("growth") or {})}.items():
            if isinstance(v, float) and not math.isfinite(v):
                raise ValueError(f"{path}, line {n}: claim {i}: '{k}' is not a finite number")


def _doc_date(d: dict[str, Any]) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: as much of the document's date as is known."""
    from ..context.dates import DocDate

    date = d.get("date") or {}
    return DocDate(date["year"], date.get("month"), date.get("day")).iso() if date.get("year") else None


def _year(rng: dict[str, Any]) -> int | None:
    """The calendar year of a period within one year (2025-01..2025-06 -> 2025), else None."""
    a, b = str(rng.get("from") or ""), str(rng.get("to") or "")
    return int(a[:4]) if a[:4].isdigit() and a[:4] == b[:4] else None


def _base_unit(unit: str | None, base: Any) -> str | None:
    """What ``value_base`` counts: 亿元 -> yuan, 万人 -> person, 亿斤 -> jin (rules/figures.yaml)."""
    if base is None or not unit:
        return None
    from ..grammar.numbers import grammar

    found = grammar().units.get(unit)
    return found[0] if found else None


def _flag(x: Any) -> int | None:
    return None if x is None else int(bool(x))


def _extras(c: dict[str, Any], doc: dict[str, Any], jur: dict[str, Any]) -> dict[str, Any]:
    """What joins a row to other data: year, place codes, the catalogue's English name, source."""
    from ..ruleset.catalogue import english

    v = c.get("value") or {}
    return {"indicator_en": english(c["indicator"]["canonical"]),
            "base_unit": _base_unit(v.get("unit"), v.get("base")),
            "year": _year(c.get("period_range") or {}), "horizon": c.get("horizon"),
            "jurisdiction_code": jur.get("code"), "subject_code": c.get("subject_code"),
            "doc_title": doc.get("title"), "source_path": (doc.get("source") or {}).get("path")}


def claim_row(doc_id: str, c: dict[str, Any], doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """One flat row; the first rank fills the rank columns, all ranks stay in ``ranks``; the
    document's date and jurisdiction ride along so that rows sort by year and place."""
    v, g, ranks = c.get("value") or {}, c.get("growth") or {}, c.get("ranks") or []
    doc = doc or {}
    jur, rng = doc.get("jurisdiction") or {}, c.get("period_range") or {}
    r0 = ranks[0] if ranks else {}
    row = {
        "doc_id": doc_id, "claim_id": c["id"],
        "indicator_name": c["indicator"]["name"], "indicator_text": c["indicator"]["text"],
        "canonical": c["indicator"]["canonical"],
        "value_amount": v.get("amount"), "value_max": v.get("max"), "value_unit": v.get("unit"),
        "value_base": v.get("base"), "value_masked": v.get("masked") if v else None,
        "growth_rate": g.get("rate"), "growth_max": g.get("max"), "growth_unit": g.get("unit"),
        "growth_masked": g.get("masked") if g else None,
        "rank_position": r0.get("position"), "rank_by": r0.get("by"), "rank_scope": r0.get("scope"),
        "rank_masked": r0.get("masked") if r0 else None,
        "ranks": json.dumps(ranks, ensure_ascii=False) if ranks else None,
        "kind": c["kind"], "period": c["period"], "subject": c["subject"],
        "qualifier": c.get("qualifier"),
        "sentence": c["sentence"]["text"], "start": c["sentence"]["start"], "end": c["sentence"]["end"],
        "span_start": c["span"]["start"], "span_end": c["span"]["end"],
        "method": c["method"], "rule": c["rule"], "confidence": c["confidence"],
        "value_qualifier": v.get("qualifier"), "growth_qualifier": g.get("qualifier"),
        "doc_date": _doc_date(doc), "jurisdiction": jur.get("name"), "jurisdiction_level": jur.get("level"),
        "period_from": rng.get("from"), "period_to": rng.get("to"),
        **_extras(c, doc, jur),
    }
    for k in FLAG_COLUMNS:
        row[k] = _flag(row[k])
    return row


def iter_rows(path: str) -> Iterator[dict[str, Any]]:
    for d in iter_documents(path):
        for c in d["claims"]:
            try:
                row = claim_row(d["doc_id"], c, d)
            except (KeyError, TypeError, AttributeError):
                raise ValueError(f"{path}: document {d['doc_id']}: a claim without the "
                                 "fields of the output format") from None
            yield row


def _rows_of(source: Any) -> list[dict[str, Any]]:
    """Rows of a file path, a Document, a document dict, or a list of either."""
    if isinstance(source, (str, os.PathLike)):
        return list(iter_rows(os.fspath(source)))
    docs = source if isinstance(source, (list, tuple)) else [source]
    rows = []
    for d in docs:
        d = d.to_dict() if hasattr(d, "to_dict") else d
        if not isinstance(d, dict) or "doc_id" not in d:
            raise TypeError("to_dataframe takes an output file's path, a Document, a document "
                            f"dict or a list of them, not {type(d).__name__}")
        rows += [claim_row(d["doc_id"], c, d) for c in d.get("claims") or []]
    return rows


def to_dataframe(source: Any):
    """The claims as a pandas DataFrame (one row per claim): of an extract output file, of a
    ``Document`` (``to_dataframe(extract_text("今年地区生产总值增长5%。"))``), or of a list."""
    import pandas as pd

    return pd.DataFrame(_rows_of(source), columns=COLUMNS)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(name: str, value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading ``'``
    (numbers stay numbers, -2.1 included; a string is text in any column: a crafted file may
    put one where a number belongs)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def check_destination(src: str, dest: str) -> None:
    """ValueError when ``dest`` is the source itself (through any link or spelling)."""
    try:
        same = os.path.samefile(src, dest)
    except OSError:
        same = os.path.realpath(src) == os.path.realpath(dest)
    if same:
        raise ValueError(f"-o {dest} is the export's own input; it would be overwritten (give another file)")


def _temp_beside(dest: str, suffix: str) -> str:
    """A new, empty temporary file beside ``dest``, created exclusively (never through a link:
    mkstemp opens with O_EXCL), unique to this export."""
    d = os.path.dirname(os.path.abspath(dest))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(dest)}.", suffix=suffix, dir=d)
    os.close(fd)
    return tmp


def export_csv(src: str, dest: str) -> int:
    import csv

    check_destination(src, dest)
    n = 0
    with AtomicWriter(dest) as w:
        # CRLF rows (RFC 4180): a CR inside a cell is then quoted, not read as a row end
        writer = csv.DictWriter(w.fh, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in iter_rows(src):
            writer.writerow({k: inert_cell(k, v) for k, v in row.items()})
            n += 1
    return n


def export_parquet(src: str, dest: str) -> int:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("Parquet needs pyarrow: pip install pyarrow") from exc
    check_destination(src, dest)
    df = to_dataframe(src)
    tmp = _temp_beside(dest, ".tmp")
    try:
        os.chmod(tmp, file_mode(os.path.realpath(dest)))
        df.to_parquet(tmp, index=False)
        os.replace(tmp, os.path.realpath(dest))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return len(df)


SCHEMA_SQL = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT, sha256 TEXT, encoding TEXT,
                        script TEXT, title TEXT, errors TEXT, text TEXT,
                        text_stored INTEGER NOT NULL, text_note TEXT){strict};
CREATE TABLE claims ({cols}){strict};
CREATE INDEX claims_indicator ON claims(indicator_name);
CREATE INDEX claims_canonical ON claims(canonical);
CREATE INDEX claims_doc ON claims(doc_id);
"""
# STRICT tables refuse a string in a number column (SQLite 3.37+; older ones keep the types)
STRICT = " STRICT" if sqlite3.sqlite_version_info >= (3, 37) else ""


def _candidates(path: str, src: str) -> list[str]:
    """Where a source path may be: as written if absolute, else beside the JSONL, then the cwd."""
    if os.path.isabs(path):
        return [path]
    return [os.path.join(os.path.dirname(os.path.abspath(src)), path), path]


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _doc_text(d: dict[str, Any], src: str) -> tuple[str | None, str | None]:
    """(text the offsets point into, None) from the very file the run read (same sha256);
    (None, why not) when no file at its path has the sha256 the output records."""
    s = d.get("source") or {}
    path, want = s.get("path"), s.get("sha256")
    if not path or not want:
        return None, "no source path and sha256 in the output"
    found = [p for p in _candidates(str(path), src) if os.path.isfile(p)]
    if not found:
        return None, f"source file not found: {path}"
    for p in found:
        if _sha256(p) == want:
            try:
                return read_document(p).text, None
            except IngestError as exc:
                return None, f"source file unreadable: {exc}"
    return None, f"sha256 differs from the run's: {path} is another file now"


def _warn(message: str) -> None:
    print(f"zhibiao: {for_terminal(message)}", file=sys.stderr)


def _insert_document(con: sqlite3.Connection, d: dict[str, Any], src: str, with_text: bool,
                     warn: Callable[[str], None]) -> int:
    s = d.get("source") or {}
    text, note = _doc_text(d, src) if with_text else (None, "export without text")
    if with_text and note:
        warn(f"{d['doc_id']}: text not stored ({note})")
    con.execute("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                (d["doc_id"], s.get("path"), s.get("sha256"), s.get("encoding"), s.get("script"),
                 d.get("title"), json.dumps(d["errors"], ensure_ascii=False) if d.get("errors") else None,
                 text, int(text is not None), note))
    try:
        rows = [claim_row(d["doc_id"], c, d) for c in d["claims"]]
    except (KeyError, TypeError, AttributeError):
        raise ValueError(f"{src}: document {d['doc_id']}: a claim without the fields of the "
                         "output format") from None
    for r in rows:
        for c in NUMERIC_COLUMNS:
            v = r[c]
            if isinstance(v, str) or isinstance(v, float) and not math.isfinite(v):
                raise ValueError(f"{src}: document {d['doc_id']}: claim {r['claim_id']}: {c} "
                                 f"is not a finite number ({str(v)[:40]!r})")
    try:
        con.executemany(f"INSERT INTO claims VALUES ({','.join('?' * len(COLUMNS))})",
                        [tuple(r[c] for c in COLUMNS) for r in rows])
    except sqlite3.Error as exc:
        raise ValueError(f"{src}: document {d['doc_id']}: a value does not fit its typed column ({exc})") from None
    return len(rows)


def export_sqlite(src: str, dest: str, with_text: bool = True,
                  warn: Callable[[str], None] = _warn) -> int:
    """A SQLite file with ``documents`` (with their text when the very file the run read is
    found: ``text_stored``, ``text_note``) and typed ``claims``; works in Datasette."""
    check_destination(src, dest)
    try:
        tmp = _temp_beside(dest, ".tmp")  # this export's own: two exports to one -o never share it
        con = sqlite3.connect(tmp)
    except (OSError, sqlite3.Error) as exc:
        raise OSError(errno.EACCES, f"cannot create a database there ({exc})", dest) from None
    os.chmod(tmp, file_mode(os.path.realpath(dest)))
    try:
        cols = ", ".join(f'"{c}" {column_type(c)}' for c in COLUMNS)
        con.executescript(SCHEMA_SQL.format(cols=cols, strict=STRICT))
        n = sum(_insert_document(con, d, src, with_text, warn) for d in iter_documents(src))
        con.commit()
    except BaseException:
        con.close()
        os.unlink(tmp)
        raise
    con.close()
    os.replace(tmp, os.path.realpath(dest))
    return n


EXPORTERS = {"csv": export_csv, "parquet": export_parquet, "sqlite": export_sqlite}
SUFFIX = {"csv": ".csv", "parquet": ".parquet", "sqlite": ".db"}

"""Flat tables from extract output: one row per claim, for pandas, CSV, Parquet and SQLite."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..text.ingest import IngestError, read_document
from .export import AtomicWriter

COLUMNS = ["doc_id", "claim_id", "indicator_name", "indicator_text", "canonical",
           "value_amount", "value_max", "value_unit", "value_base", "value_masked",
           "growth_rate", "growth_max", "growth_unit", "growth_masked",
           "rank_position", "rank_by", "rank_scope", "rank_masked", "ranks",
           "kind", "period", "subject", "qualifier", "sentence", "start", "end",
           "span_start", "span_end", "method", "rule", "confidence"]


def iter_documents(path: str) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def claim_row(doc_id: str, c: dict[str, Any]) -> dict[str, Any]:
    """One flat row; the first rank fills the rank columns, all ranks stay in ``ranks``."""
    v, g, ranks = c.get("value") or {}, c.get("growth") or {}, c.get("ranks") or []
    r0 = ranks[0] if ranks else {}
    return {
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
    }


def iter_rows(path: str) -> Iterator[dict[str, Any]]:
    for d in iter_documents(path):
        for c in d["claims"]:
            yield claim_row(d["doc_id"], c)


def to_dataframe(path: str):
    """The claims of an extract output file as a pandas DataFrame (one row per claim)."""
    import pandas as pd

    return pd.DataFrame(list(iter_rows(path)), columns=COLUMNS)


def export_csv(src: str, dest: str) -> int:
    import csv

    n = 0
    with AtomicWriter(dest) as w:
        writer = csv.DictWriter(w.fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in iter_rows(src):
            writer.writerow(row)
            n += 1
    return n


def export_parquet(src: str, dest: str) -> int:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("Parquet needs pyarrow: pip install 'zhibiao[parquet]'") from exc
    df = to_dataframe(src)
    tmp = dest + ".tmp"
    df.to_parquet(tmp, index=False)
    os.replace(tmp, dest)
    return len(df)


SCHEMA_SQL = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT, sha256 TEXT, encoding TEXT,
                        script TEXT, title TEXT, errors TEXT, text TEXT);
CREATE TABLE claims ({cols});
CREATE INDEX claims_indicator ON claims(indicator_name);
CREATE INDEX claims_canonical ON claims(canonical);
CREATE INDEX claims_doc ON claims(doc_id);
"""


def _doc_text(d: dict[str, Any]) -> str | None:
    """The document text the offsets point into (re-read from its source path)."""
    path = (d.get("source") or {}).get("path")
    if not path or not os.path.exists(path):
        return None
    try:
        return read_document(path).text
    except IngestError:
        return None


def export_sqlite(src: str, dest: str, with_text: bool = True) -> int:
    """A SQLite file with ``documents`` (with their text) and ``claims``; works in Datasette."""
    tmp = dest + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    con = sqlite3.connect(tmp)
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    con.executescript(SCHEMA_SQL.format(cols=cols))
    n = 0
    for d in iter_documents(src):
        s = d.get("source") or {}
        con.execute("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?)",
                    (d["doc_id"], s.get("path"), s.get("sha256"), s.get("encoding"), s.get("script"),
                     d.get("title"), json.dumps(d["errors"], ensure_ascii=False) if d["errors"] else None,
                     _doc_text(d) if with_text else None))
        rows = [claim_row(d["doc_id"], c) for c in d["claims"]]
        con.executemany(f"INSERT INTO claims VALUES ({','.join('?' * len(COLUMNS))})",
                        [tuple(r[c] for c in COLUMNS) for r in rows])
        n += len(rows)
    con.commit()
    con.close()
    os.replace(tmp, dest)
    return n


EXPORTERS = {"csv": export_csv, "parquet": export_parquet, "sqlite": export_sqlite}
SUFFIX = {"csv": ".csv", "parquet": ".parquet", "sqlite": ".db"}

"""Partitioned Parquet: the claim rows of results larger than memory, as a folder of parts.

``export_parquet_parts(out.jsonl, "claims/")`` reads the output document by document and
writes ``part-00000.parquet``, ``part-00001.parquet``… of at most ``rows_per_part`` rows each;
``bag_to_parquet`` has each Dask partition of documents write its own part. Every part has
the one schema below (a column that is empty in one part keeps its type), so the folder reads
as one table: ``pandas.read_parquet("claims/")``, DuckDB ``read_parquet('claims/*.parquet')``.
The folder is built beside its destination and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from .tables import COLUMNS, INTEGER_COLUMNS, REAL_COLUMNS, claim_row, iter_rows

ROWS_PER_PART = 1_000_000
ROW_GROUP = 65_536


def arrow_schema():
    """The claim table's Arrow schema: REAL columns float64, INTEGER int64, the rest string."""
    import pyarrow as pa

    def kind(c: str):
        return pa.float64() if c in REAL_COLUMNS else pa.int64() if c in INTEGER_COLUMNS else pa.string()
    return pa.schema([(c, kind(c)) for c in COLUMNS])


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_part(rows: Iterable[dict[str, Any]], path: str) -> int:
    """Write claim rows to one Parquet file, a row group at a time; how many rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema, n = arrow_schema(), 0
    with pq.ParquetWriter(path, schema) as w:
        for batch in _batches(rows, ROW_GROUP):
            w.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


@contextlib.contextmanager
def _building(dest: str) -> Iterator[str]:
    """A new folder beside ``dest`` to fill; renamed to ``dest`` when the block ends well
    (an earlier folder at ``dest`` is replaced), removed when it fails."""
    dest = os.path.abspath(dest)
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise ValueError(f"{dest} is a file; a partitioned export writes a folder")
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(dest)}.", suffix=".tmp", dir=parent)
    try:
        yield tmp
        old = None
        if os.path.exists(dest):
            old = tempfile.mkdtemp(prefix=f".{os.path.basename(dest)}.", suffix=".old", dir=parent)
            os.replace(dest, os.path.join(old, "x"))
        os.replace(tmp, dest)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _part_name(i: int) -> str:
    return f"part-{i:05d}.parquet"


def export_parquet_parts(src: str, dest: str, rows_per_part: int = ROWS_PER_PART) -> int:
    """The claims of the extract output ``src`` as a folder of Parquet parts at ``dest``,
    never more than a row group and one document in memory; how many rows."""
    if rows_per_part < 1:
        raise ValueError(f"rows per part must be at least 1, not {rows_per_part}")
    rows = iter_rows(src)
    total = 0
    with _building(dest) as tmp:
        i = 0
        while True:
            first = next(rows, None)
            if first is None:
                break
            chunk = (r for _, r in zip(range(rows_per_part - 1), rows, strict=False))
            total += write_part(_chain(first, chunk), os.path.join(tmp, _part_name(i)))
            i += 1
        if i == 0:  # no claims at all: one empty part keeps the schema
            write_part([], os.path.join(tmp, _part_name(0)))
    return total


def _chain(first: dict[str, Any], rest: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _rows_of_documents(docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for d in docs:
        for c in d.get("claims") or []:
            yield claim_row(d["doc_id"], c, d)


def _write_documents(docs: list[dict[str, Any]], path: str) -> int:
    return write_part(_rows_of_documents(docs), path)


def bag_to_parquet(docs, dest: str) -> int:
    """Each partition of a ``dask.bag`` of output documents (``run.cluster.extract_bag``)
    written by its worker as one part of the folder ``dest`` (which the workers must see);
    how many rows."""
    import dask

    with _building(dest) as tmp:
        parts = [dask.delayed(_write_documents)(p, os.path.join(tmp, _part_name(i)))
                 for i, p in enumerate(docs.to_delayed())]
        return sum(dask.compute(*parts))

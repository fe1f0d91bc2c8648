"""What an archive keeps beside its files: a CSV of path, date, jurisdiction, title.

    path,date,jurisdiction,title
    reports/2019/zj.txt,2019-01-28,浙江省,2019年浙江省政府工作报告

A row applies to the file with that path (relative to the CSV's folder, or to where the run
starts). Only where that path names no file here (an archive moved) does it apply by file
name, and then only to a name that exactly one input file has. Empty cells say nothing; two
rows for one path, a malformed CSV or a bad date are errors that name the line.
"""

from __future__ import annotations

import csv
import io
import os
import stat

from ..context.dates import DocDate, parse_given

FIELDS = ("date", "jurisdiction", "title")
MAX_META_BYTES = 64 * 1024 * 1024


class MetaError(ValueError):
    """The meta CSV cannot be used; the message names the file and row."""


def check_date(value: str) -> DocDate:
    """A date as ``--date`` and the meta CSV take it (``2026``, ``2026-03``, ``2026-03-05``);
    month or day 0 (``2026-00``) is no date. ValueError otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"date must be a string like '2026-03-05', not {type(value).__name__}")
    given = parse_given(value)
    parts = [int(x) for x in value.strip().replace("/", "-").replace(".", "-").split("-")[1:]]
    if any(x == 0 for x in parts):
        raise ValueError(f"not a date: {value!r} (month and day start at 1)")
    return given


def _read_csv(csv_path: str) -> list[dict[str, str]]:
    """The rows of a regular file (a FIFO or device is refused, never waited on)."""
    try:
        fd = os.open(csv_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise MetaError(f"{csv_path}: cannot read the meta CSV: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise MetaError(f"{csv_path}: the meta CSV is not a regular file (a FIFO, device or folder)")
        data = fh.read(MAX_META_BYTES + 1)
    if len(data) > MAX_META_BYTES:
        raise MetaError(f"{csv_path}: the meta CSV is over {MAX_META_BYTES} bytes")
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True)
        return list(reader)
    except UnicodeDecodeError as exc:
        raise MetaError(f"{csv_path}: the meta CSV is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise MetaError(f"{csv_path}:{reader.line_num}: malformed CSV ({exc}; an unclosed quote?)") from None


def _row_info(csv_path: str, n: int, row: dict[str, str]) -> dict[str, str]:
    info = {k: (row.get(k) or "").strip() for k in FIELDS if (row.get(k) or "").strip()}
    if "date" in info:
        try:
            check_date(info["date"])
        except ValueError as exc:
            raise MetaError(f"{csv_path}:{n}: {exc}") from exc
    return info


def _by_name(names: dict[str, list[tuple[str, dict[str, str]]]], inputs: list[str] | None,
             out: dict[str, dict[str, str]]) -> None:
    """File-name entries: a name one row has, whose path names no file here, and (when the
    inputs are known) that exactly one input file has and no row names by its path."""
    counts: dict[str, int] = {}
    for p in inputs or []:
        counts[os.path.basename(p)] = counts.get(os.path.basename(p), 0) + 1
    for name, rows in names.items():
        if len(rows) != 1 or os.path.exists(rows[0][0]):
            continue
        if inputs is not None:
            if counts.get(name) != 1:
                continue
            only = next(p for p in inputs if os.path.basename(p) == name)
            if os.path.normpath(os.path.abspath(only)) in out:
                continue
        out[name] = rows[0][1]


def load_meta(csv_path: str, inputs: list[str] | None = None) -> dict[str, dict[str, str]]:
    """Path (normalized) and file name -> {date, jurisdiction, title} of each row; ``inputs``
    (the files of the run) limit the file-name fallback to names exactly one of them has."""
    rows = _read_csv(csv_path)
    if rows and "path" not in rows[0]:
        raise MetaError(f"{csv_path}: the meta CSV needs a 'path' column (and date, jurisdiction, title)")
    base = os.path.dirname(os.path.abspath(csv_path))
    out: dict[str, dict[str, str]] = {}
    line_of: dict[str, int] = {}
    names: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for n, row in enumerate(rows, start=2):
        info = _row_info(csv_path, n, row)
        p = (row.get("path") or "").strip()
        if not p:
            continue
        full = os.path.normpath(os.path.join(base, p))
        if full in line_of:
            raise MetaError(f"{csv_path}:{n}: a second row for {p} (the first is line {line_of[full]})")
        line_of[full] = n
        out[full] = info
        here = os.path.normpath(os.path.abspath(p))  # relative to where we run
        if not os.path.exists(full):
            out.setdefault(here, info)
        names.setdefault(os.path.basename(p), []).append((full if os.path.exists(full) else here, info))
    _by_name(names, inputs, out)
    return out


def meta_for(meta: dict[str, dict[str, str]], path: str) -> dict[str, str]:
    """The row for ``path``: by its full path, else by its file name."""
    if not meta:
        return {}
    return meta.get(os.path.normpath(os.path.abspath(path))) or meta.get(os.path.basename(path)) or {}

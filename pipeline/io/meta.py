"""What an archive keeps beside its files: a CSV of path, date, jurisdiction, title.

    path,date,jurisdiction,title
    reports/2019/zj.txt,2019-01-28,浙江省,2019年浙江省政府工作报告

A row applies to the file with that path (as given, or relative to the CSV's folder), else
to the one file with that name. Empty cells say nothing.
"""

from __future__ import annotations

import csv
import os

from ..context.dates import parse_given

FIELDS = ("date", "jurisdiction", "title")


class MetaError(ValueError):
    """The meta CSV cannot be used; the message names the file and row."""


def load_meta(csv_path: str) -> dict[str, dict[str, str]]:
    """Path (normalized) and file name -> {date, jurisdiction, title} of each row."""
    try:
        with open(csv_path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MetaError(f"{csv_path}: cannot read the meta CSV: {exc}") from exc
    if rows and "path" not in rows[0]:
        raise MetaError(f"{csv_path}: the meta CSV needs a 'path' column (and date, jurisdiction, title)")
    base = os.path.dirname(os.path.abspath(csv_path))
    out: dict[str, dict[str, str]] = {}
    names: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        info = {k: (row.get(k) or "").strip() for k in FIELDS if (row.get(k) or "").strip()}
        if "date" in info:
            try:
                parse_given(info["date"])
            except ValueError as exc:
                raise MetaError(f"{csv_path}:{n}: {exc}") from exc
        p = (row.get("path") or "").strip()
        if p:
            out[os.path.normpath(os.path.join(base, p))] = info
            out.setdefault(os.path.normpath(os.path.abspath(p)), info)  # relative to where we run
            name = os.path.basename(p)
            names[name] = names.get(name, 0) + 1
            out[name] = info
    for name, n in names.items():
        if n > 1:  # two rows for files of one name: the name alone says nothing
            del out[name]
    return out


def meta_for(meta: dict[str, dict[str, str]], path: str) -> dict[str, str]:
    """The row for ``path``: by its full path, else by its file name."""
    if not meta:
        return {}
    return meta.get(os.path.normpath(os.path.abspath(path))) or meta.get(os.path.basename(path)) or {}

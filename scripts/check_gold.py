"""Check gold files against annotation-guideline.md's format, naming file and line.

    python scripts/check_gold.py GOLD_DIR DOCS_DIR

Every line must be a JSON object with the guideline's fields; ``sent`` must occur exactly once
in its document (character for character), be at least 8 characters long and hold a digit or
a mask where the claim has a figure. ``documents.json`` (optional, beside the gold) gives each
document's year, genre, jurisdiction and title.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KINDS = {"actual", "target", "forecast"}
TIERS = {"core", "optional"}
GENRES = {"work_report", "budget_report", "plan", "plan_report", "statistical_communique",
          "statistics_release", "speech", "news", "other"}
LEVELS = {"national", "province", "city", "county", "district", "township", None}
FIELDS = ("doc", "sent", "indicator", "value", "growth", "ranks", "subject", "period", "kind", "tier")
GROWTH_UNITS = {"%", "个百分点", "倍", "个千分点", "‰"}


def _field_problems(c: dict) -> list[str]:
    out = []
    if c["kind"] not in KINDS:
        out.append(f"kind {c['kind']!r} not one of {sorted(KINDS)}")
    if c["tier"] not in TIERS:
        out.append(f"tier {c['tier']!r} not one of {sorted(TIERS)}")
    if not c["value"] and not c["growth"] and not c["ranks"]:
        out.append("no value, growth or rank")
    if not isinstance(c["indicator"], str) or not c["indicator"]:
        out.append("indicator must be a non-empty string")
    return out


def _figure_problems(c: dict) -> list[str]:
    out = []
    v, g = c["value"], c["growth"]
    if v is not None and (not isinstance(v, dict) or "amount" not in v or "unit" not in v):
        out.append("value needs amount and unit")
    elif v is not None and v.get("masked") and v.get("amount") is not None:
        out.append("a masked value has amount null")
    if g is not None and (not isinstance(g, dict) or "rate" not in g or "unit" not in g):
        out.append("growth needs rate and unit")
    elif g is not None and g["unit"] not in GROWTH_UNITS:
        out.append(f"growth unit {g['unit']!r} not one of {sorted(GROWTH_UNITS)}")
    out += ["rank needs position" for r in c["ranks"] or [] if "position" not in r]
    return out


def _problems(c: dict, text: str) -> list[str]:
    missing = [f"missing field {k!r}" for k in FIELDS if k not in c]
    if missing:
        return missing
    sent = c["sent"]
    out = []
    if text.count(sent) != 1:
        out.append(f"sent occurs {text.count(sent)} times in the document (must be once): {sent!r}")
    if len(sent) < 8:
        out.append(f"sent shorter than 8 characters: {sent!r}")
    return out + _field_problems(c) + _figure_problems(c)


def _check_file(gf: Path, doc_path: Path) -> int:
    text = doc_path.read_text(encoding="utf-8-sig")
    bad = 0
    for i, line in enumerate(gf.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            c = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{gf}:{i}: not JSON: {exc}")
            bad += 1
            continue
        problems = _problems(c, text)
        if c.get("doc") != doc_path.name:
            problems.append(f"doc {c.get('doc')!r} is not {doc_path.name!r}")
        for p in problems:
            print(f"{gf}:{i}: {p}")
        bad += len(problems)
    return bad


def _check_documents(meta: Path) -> int:
    bad = 0
    for stem, d in json.loads(meta.read_text(encoding="utf-8")).items():
        y = d.get("year")
        for ok, what in ((d.get("genre") in GENRES, f"genre {d.get('genre')!r}"),
                         (d.get("level") in LEVELS, f"level {d.get('level')!r}"),
                         (y is None or (isinstance(y, int) and 1949 <= y <= 2030), f"year {y!r}")):
            if not ok:
                print(f"{meta}: {stem}: {what}")
                bad += 1
    return bad


def check(gold_dir: Path, docs_dir: Path) -> int:
    bad = 0
    for gf in sorted(gold_dir.glob("*.jsonl")):
        doc_path = docs_dir / (gf.stem + ".txt")
        if not doc_path.exists():
            print(f"{gf}: no document {doc_path}")
            bad += 1
            continue
        bad += _check_file(gf, doc_path)
    if (gold_dir / "documents.json").exists():
        bad += _check_documents(gold_dir / "documents.json")
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(check(Path(sys.argv[1]), Path(sys.argv[2])))

"""Score the annual targets of the national reports (corpus/national/targets.jsonl).

    python scripts/score_targets.py [--no-model] [-v]

A gold target is found when a claim of its document has a figure whose span covers the
gold figure's characters; it is right when that claim's kind is ``target``, and dated when
its ``period_range`` covers the target's year. Prints found / kind right / dated.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def covers(claim: dict, start: int, end: int, text: str) -> bool:
    s = claim["sentence"]
    if not (s["start"] <= start and end <= s["end"]):
        return False
    sent = unicodedata.normalize("NFKC", text[s["start"]:s["end"]])  # full-width digits as the
    if len(sent) != s["end"] - s["start"]:  # surfaces hold them; NFKC keeps their length
        sent = text[s["start"]:s["end"]]
    for f in (claim.get("value"), claim.get("growth")):
        if f and f.get("text"):
            at = sent.find(f["text"])
            while at >= 0:
                a = s["start"] + at
                if a < end and start < a + len(f["text"]):
                    return True
                at = sent.find(f["text"], at + 1)
    return False


def dated(claim: dict, year: int) -> bool:
    r = claim.get("period_range")
    return bool(r) and r["from"][:4] <= str(year) <= r["to"][:4]


def main() -> int:
    from zhibiao import extract_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("-v", action="store_true", help="list every miss")
    args = ap.parse_args()
    gold = [json.loads(x) for x in (ROOT / "corpus/national/targets.jsonl").read_text(encoding="utf-8").splitlines() if x]
    by_file = defaultdict(list)
    for g in gold:
        by_file[g["file"]].append(g)
    found = kind_ok = dated_ok = 0
    for name, targets in sorted(by_file.items()):
        path = ROOT / "corpus/national" / name
        doc = extract_file(str(path), use_model=False if args.no_model else None).to_dict()
        text = path.read_text(encoding="utf-8")
        for g in targets:
            hits = [c for c in doc["claims"] if covers(c, g["start"], g["end"], text)]
            if not hits:
                if args.v:
                    print(f"miss  {name} {g['figure']} {g['indicator']} | {g['sentence'][:60]}")
                continue
            found += 1
            c = hits[0]
            kind_ok += c["kind"] == "target"
            dated_ok += dated(c, g["year"])
            if args.v and (c["kind"] != "target" or not dated(c, g["year"])):
                print(f"wrong {name} {g['figure']} kind={c['kind']} range={c.get('period_range')} year={g['year']}"
                      f" | {g['sentence'][:60]}")
    n = len(gold)
    print(f"targets {n}: found {found} ({found / n:.3f}), kind target {kind_ok} ({kind_ok / n:.3f}), "
          f"year in period_range {dated_ok} ({dated_ok / n:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

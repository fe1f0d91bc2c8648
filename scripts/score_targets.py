"""Score announced annual targets: the national reports 1954-1988
(corpus/national/targets.jsonl) or the 27 provincial reports of 2026
(corpus/unlabeled/targets.jsonl, their main expected targets, with catalogue keys).

    python scripts/score_targets.py [--set national|provinces] [--no-model] [--min-confidence X] [-v]

A gold target is found when a figure of a claim stands on it; right when that claim's kind
is ``target``; dated when its ``period_range`` covers the target's year; for gold with
keys also keyed, measure and ``plain`` (the researcher's plain filter finds it, once)
(``zhibiao.dev.evaluate.score_targets``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from zhibiao import extract_file
    from zhibiao.dev.evaluate import score_targets

    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["national", "provinces"], default="national")
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("-v", action="store_true", help="list every miss and wrong target")
    ap.add_argument("--min-confidence", type=float, default=None, help="drop claims the scorer gives less")
    args = ap.parse_args()
    folder = ROOT / "corpus" / ("national" if args.set == "national" else "unlabeled")
    targets = [json.loads(x) for x in (folder / "targets.jsonl").read_text(encoding="utf-8").splitlines() if x]
    files = sorted({t["file"] for t in targets})
    outputs = {f: extract_file(str(folder / f), use_model=False if args.no_model else None,
                                 min_confidence=args.min_confidence).to_dict() for f in files}
    texts = {f: (folder / f).read_text(encoding="utf-8") for f in files}
    got = score_targets(targets, outputs, texts)
    if args.v:
        print("\n".join(got["wrong"]))
    print(f"targets {got['targets']}: found {got['found']:.3f}, kind target {got['kind_target']:.3f}, "
          f"year in period_range {got['dated']:.3f}")
    if "plain" in got:
        print(f"with a key {got['with_key']}: key {got['keyed']:.3f}, measure {got['measure']:.3f}, "
              f"plain filter {got['plain']:.3f} ({got['repeated']} of them also restated with the same figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How many matched core facts carry a catalogue key, and whether one gold name ever gets two.

    python scripts/score_catalogue.py corpus corpus/genres [--top 30]

Each folder holds ``gold/`` and the documents (``speeches/`` for corpus/, ``docs/`` for a genres
folder). Extracts each gold document (rules alone), matches predicted facts to gold core facts
as the scorer does, and prints the share of matched facts whose claim has ``canonical``, the gold
names that got two keys (there should be none), and the commonest gold names left without a key.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from zhibiao import extract_file
from zhibiao.dev.evaluate import Score, _matches, _pred_facts, facts_of_gold, load_gold


def _docs_dir(folder: Path) -> Path:
    return folder / "speeches" if (folder / "speeches").is_dir() else folder / "docs"


def score(folders: list[Path]) -> tuple[int, int, dict[str, set], collections.Counter]:
    matched = keyed = 0
    keys: dict[str, set] = collections.defaultdict(set)
    missing: collections.Counter = collections.Counter()
    for folder in folders:
        docs = _docs_dir(folder)
        for stem, rows in load_gold(str(folder / "gold")).items():
            path = docs / f"{stem}.txt"
            out = extract_file(str(path), use_model=False).to_dict()
            text = path.read_text(encoding="utf-8-sig")
            preds = _pred_facts(Score(), stem, text, out)
            used: set[int] = set()
            for g in facts_of_gold(stem, text, rows):
                hit = next((i for i, p in enumerate(preds) if i not in used and _matches(p, g)), None)
                if hit is None or not g.core:
                    continue
                used.add(hit)
                matched += 1
                key = preds[hit].claim["indicator"]["canonical"]
                keyed += key is not None
                keys[g.names[0]].add(key)
                if key is None:
                    missing[f"{g.names[0]} <- {preds[hit].claim['indicator']['name']}"] += 1
    return matched, keyed, keys, missing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    matched, keyed, keys, missing = score(a.folders)
    print(f"matched core facts {matched}, with a key {keyed} ({keyed / max(matched, 1):.3f})")
    two = {n: sorted(k for k in ks if k) for n, ks in keys.items() if len({k for k in ks if k}) > 1}
    print(f"gold names with two keys: {len(two)} {two}")
    for name, n in missing.most_common(a.top):
        print(f"{n:4}  {name}")


if __name__ == "__main__":
    main()

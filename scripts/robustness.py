"""The damage suite (CheckList-style robustness): each damage type applied to every gold
document of corpus/, gold projected, rules alone scored against it.

Usage: python scripts/robustness.py [--corpus corpus] [--only NAME ...] [--misses NAME]
Prints: damage type, documents, core facts, P, R, F1, F1 relative to undamaged, invented
numbers, and whether the type meets the goal (F1 >= 0.95 x undamaged). ``--misses NAME``
also lists that damage type's misses and false positives not present undamaged.
"""

from __future__ import annotations

import argparse

from zhibiao.dev.robustness import (
    DAMAGES,
    GOAL,
    Result,
    damage_by_name,
    invented_facts,
    load_corpus,
    run_suite,
    table,
)


def _key(f) -> tuple:
    return (f.doc, f.type, f.names[0], f.masked, f.number)


def new_errors(result: Result, base: Result) -> list[str]:
    """Misses and false positives of ``result`` that the undamaged run does not have."""
    old_miss = {_key(f) for f in base.score.misses}
    old_fp = {_key(f) for f in base.score.false_pos}
    out = []
    for tag, facts, old in (("miss", result.score.misses, old_miss), ("fp", result.score.false_pos, old_fp)):
        for f in facts:
            if _key(f) not in old:
                number = "M" if f.masked else f.number
                sent = f.sentence.replace("\n", "\\n")[:110]
                out.append(f"  {tag:4} [{f.doc[:3]}] {f.type} {f.names[0]} {number} {f.unit or ''} | {sent}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--only", nargs="*", choices=[d.name for d in DAMAGES])
    ap.add_argument("--misses", nargs="*", default=[], help="damage types whose new errors to list")
    a = ap.parse_args()
    results = run_suite(a.corpus, a.only)
    print(table(results))
    below = [r.name for r in results[1:] if r.figures["f1"] < GOAL * results[0].figures["f1"]]
    print(f"\nbelow {GOAL} x undamaged F1: {', '.join(below) or 'none'}")
    for r in results[1:]:
        if r.name in a.misses:
            errors = new_errors(r, results[0])
            print(f"\n== {r.name}: {len(errors)} errors not present undamaged")
            print("\n".join(errors))
            for f in invented_facts(damage_by_name(r.name), load_corpus(a.corpus)):
                print(f"  invented [{f.doc[:3]}] {f.type} {f.names[0]} {f.number} {f.unit or ''} | {f.sentence[:110]}")


if __name__ == "__main__":
    main()

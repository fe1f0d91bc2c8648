"""The learned half's cost, side by side: rules alone, + the claim scorer, + the model, and
both (the default), on the same texts in one process.

    python scripts/bench_model.py DIR [DIR...] [--runs 5]

The four set-ups alternate, each pass over every text, best of ``--runs``; CPU time is the
figure to read on a shared machine (wall time is printed beside it).
"""

from __future__ import annotations

import argparse
import time

from zhibiao.api import extract_text
from zhibiao.cli import iter_inputs
from zhibiao.linking.phrases import clear_memo
from zhibiao.scorer.fast import clear_memo as clear_scorer_memo
from zhibiao.text.ingest import read_document

SETUPS = {
    "rules alone": {"use_model": False, "scorer": "off"},
    "rules + scorer": {"use_model": False, "scorer": "on"},
    "rules + model": {"use_model": None, "scorer": "off"},
    "rules + model + scorer (default)": {"use_model": None, "scorer": "on"},
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args(argv)
    texts = [read_document(p).text for p, skip in iter_inputs(a.folders) if skip is None]
    for kw in SETUPS.values():  # warm: the model's weights, the scorer, the rules' caches
        for t in texts[:3]:
            extract_text(t, **kw)
    cpu = dict.fromkeys(SETUPS, float("inf"))
    wall = dict(cpu)
    for _ in range(a.runs):
        for name, kw in SETUPS.items():
            clear_memo()  # no pass reuses the phrase memo of the one before
            clear_scorer_memo()  # nor the scorer's weights by value
            c0, w0 = time.process_time(), time.perf_counter()
            for t in texts:
                extract_text(t, **kw)
            cpu[name] = min(cpu[name], time.process_time() - c0)
            wall[name] = min(wall[name], time.perf_counter() - w0)
    base_cpu, base_wall = cpu["rules alone"], wall["rules alone"]
    print(f"{len(texts)} documents, {sum(map(len, texts)):,} characters; best of {a.runs}")
    for name in SETUPS:
        print(f"{name:34s} cpu {cpu[name]:6.2f} s {100 * (cpu[name] / base_cpu - 1):+6.1f}%   "
              f"wall {wall[name]:6.2f} s {100 * (wall[name] / base_wall - 1):+6.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of the whole pipeline (one process, one core) beside jieba.lcut, rjieba and
OpenCC, all measured in the same run on the same texts, as chars/s and as ratios to
jieba.lcut; then the peak memory of a worker that extracts them all.

Usage: python scripts/bench.py [DIR...]   (default: corpus/unlabeled, the 27 provincial
work reports of 2026; folders that do not exist are skipped). Times are CPU seconds of this process (``time.process_time``), best of
three, so that other work on a shared machine weighs on each line alike; each pass starts
with cold memos (no pass reuses the phrases or periods of the one before). rjieba is a test
extra; without it its line says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from zhibiao.api import extract_text
from zhibiao.context import calendar
from zhibiao.linking.phrases import clear_memo
from zhibiao.ner import runtime as ner
from zhibiao.ner.runtime import model_available
from zhibiao.run.inputs import iter_inputs
from zhibiao.text.ingest import read_document
from zhibiao.text.segment import lexicon_jieba

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "corpus" / "unlabeled"

# a worker's peak memory: a fresh process that extracts every file, as a batch worker does
# (VmHWM: ru_maxrss would count the parent's memory, which a forked child holds until exec)
_WORKER = """
import resource, sys
from zhibiao import extract_file
for p in sys.argv[2:]:
    extract_file(p, use_model={model})
try:
    hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")][0].split()[1]
except OSError:
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(hwm)
"""


def load(folder: str) -> list[tuple[str, str]]:
    return [(p, read_document(p).text) for p, r in iter_inputs([folder]) if r is None]


def best_of(fn: Callable[[str], object], texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        clear_memo()  # no pass reuses the memo of the one before
        calendar._resolve.cache_clear()
        ner.recognizer.cache_clear()  # nor the model's embeddings of words seen before
        t0 = time.process_time()
        for t in texts:
            fn(t)
        best = min(best, time.process_time() - t0)
    return best


def _others(texts: list[str]) -> dict[str, float | None]:
    """rjieba (jieba-rs) cutting and OpenCC t2s converting the same texts, best of three."""
    out: dict[str, float | None] = {}
    try:
        import rjieba

        out["rjieba cut"] = best_of(lambda t: rjieba.cut(t, False), texts)
    except ImportError:
        out["rjieba cut"] = None
    import opencc

    out["OpenCC t2s"] = best_of(opencc.OpenCC("t2s").convert, texts)
    return out


def worker_rss(paths: list[str], model: bool) -> float:
    """Peak resident memory (MB) of a fresh process extracting ``paths``."""
    out = subprocess.run([sys.executable, "-c", _WORKER.format(model=model), "-", *paths],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def bench(folder: str) -> None:
    docs = load(folder)
    texts = [t for _, t in docs]
    chars = sum(map(len, texts))
    lcut = lexicon_jieba().lcut  # jieba itself (the pipeline's cuts go through a memo)
    t_jieba = best_of(lambda t: lcut(t, HMM=False), texts)
    t_rules = best_of(lambda t: extract_text(t, use_model=False), texts)
    t_model = best_of(lambda t: extract_text(t, use_model=True), texts) if model_available() else None
    others = _others(texts)
    print(f"{folder}: {len(docs)} documents, {chars:,} chars (CPU time, best of 3)")
    rows = {"zhibiao rules only": t_rules, "zhibiao + model": t_model,
            "jieba.lcut (HMM off)": t_jieba, **others}
    for name, t in rows.items():
        if not t:
            print(f"  {name:<21}:  not installed")
            continue
        print(f"  {name:<21}: {chars / t:12,.0f} chars/s  ({t:.2f} s)  {t_jieba / t:5.2f}x jieba.lcut")
    paths = [p for p, _ in docs]
    print(f"  peak RSS of a worker : rules only {worker_rss(paths, False):.0f} MB, "
          f"with the model {worker_rss(paths, True):.0f} MB")


def main() -> None:
    extract_text("预热：地区生产总值增长5%，新增孵化面积8万平方米。")  # load rules, OpenCC, jieba, model
    lexicon_jieba().lcut("预热", HMM=False)
    folders = sys.argv[1:] or [str(REPORTS)]
    for folder in folders:
        if not os.path.isdir(folder):
            print(f"{folder}: not present, skipped")
            continue
        bench(folder)


if __name__ == "__main__":
    main()

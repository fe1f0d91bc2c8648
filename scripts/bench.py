"""Throughput of the whole pipeline (one process) beside jieba.lcut, rjieba and OpenCC,
measured in the same run, with zhibiao's speed as a ratio of each.

Usage: python scripts/bench.py DIR [DIR...]   (folders that do not exist are skipped)
rjieba is a test extra; without it its line says so.
"""

from __future__ import annotations

import os
import sys
import time

from zhibiao.api import extract_text
from zhibiao.cli import iter_inputs
from zhibiao.linking.phrases import clear_memo
from zhibiao.ner import runtime as ner
from zhibiao.ner.runtime import model_available
from zhibiao.text.ingest import read_document
from zhibiao.text.segment import tokenizer


def load(folder: str) -> list[tuple[str, str]]:
    return [(p, read_document(p).text) for p, r in iter_inputs([folder]) if r is None]


def best_of(fn, texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        clear_memo()  # no pass reuses the memo of the one before
        ner.recognizer.cache_clear()  # nor the model's embeddings of words seen before
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return best


def _others(texts: list[str]) -> dict[str, float | None]:
    """rjieba (jieba-rs) cutting and OpenCC t2s converting the same texts, best of three."""
    out: dict[str, float | None] = {}
    try:
        import rjieba

        out["rjieba cut"] = best_of(rjieba.cut, texts)
    except ImportError:
        out["rjieba cut"] = None
    import opencc

    out["OpenCC t2s"] = best_of(opencc.OpenCC("t2s").convert, texts)
    return out


def main() -> None:
    extract_text("预热：地区生产总值增长5%，新增孵化面积8万平方米。")  # load rules, OpenCC, jieba, model
    cut = tokenizer()
    cut("预热")
    for folder in sys.argv[1:]:
        if not os.path.isdir(folder):
            print(f"{folder}: not present, skipped")
            continue
        docs = load(folder)
        texts = [t for _, t in docs]
        chars = sum(map(len, texts))
        t_plain = best_of(lambda t: extract_text(t, use_model=False, scorer="off"), texts)
        t_rules = best_of(lambda t: extract_text(t, use_model=False), texts)
        t_model = best_of(lambda t: extract_text(t, use_model=True), texts) if model_available() else None
        t_jieba = best_of(cut, texts)
        others = _others(texts)
        print(f"{folder}: {len(docs)} documents, {chars:,} chars")
        print(f"  rules, no scorer : {chars / t_plain:12,.0f} chars/s  ({t_plain:.2f} s)")
        print(f"  rules + scorer   : {chars / t_rules:12,.0f} chars/s  ({t_rules:.2f} s, "
              f"{t_rules / t_plain - 1:+.1%} time)")
        if t_model:
            print(f"  zhibiao, +model  : {chars / t_model:12,.0f} chars/s  ({t_model:.2f} s)")
        print(f"  jieba lcut alone : {chars / t_jieba:12,.0f} chars/s  ({t_jieba:.2f} s, HMM off, lexicon loaded)")
        for name, t in others.items():
            print(f"  {name:<17}: " + (f"{chars / t:12,.0f} chars/s  ({t:.2f} s)" if t else "   not installed"))
        ratios = {"jieba.lcut": t_jieba, **{k: v for k, v in others.items() if v}}
        print("  rules-only speed as a ratio of: " + ", ".join(f"{k} {t / t_rules:.2f}x" for k, t in ratios.items()))
        if t_model:
            print("  with the model, as a ratio of:  " + ", ".join(f"{k} {t / t_model:.2f}x" for k, t in ratios.items()))


if __name__ == "__main__":
    main()

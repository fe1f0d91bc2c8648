"""The figures of issue 2 on corpus/, measured with the evaluation of spec/evaluation.md."""

from __future__ import annotations

import pytest
from conftest import GOLD, SPEECHES
from zhibiao.evaluate import compatible, evaluate, norm_unit


@pytest.fixture(scope="module")
def scores(corpus_docs):
    outputs = {k: d.to_dict() for k, d in corpus_docs.items()}
    return evaluate(str(GOLD), outputs, str(SPEECHES))


def test_overall_floor(scores):
    f = scores[0].figures()
    assert f["f1"] >= 0.85
    for t in ("value", "growth", "rank"):
        assert f[f"recall_{t}"] >= 0.85, t
    assert f["kind_accuracy"] >= 0.90
    assert f["provenance"] == 1.0
    assert f["invented_numbers"] == 0


def test_news_item_yields_no_facts(scores):
    assert scores[1]["004_d9a830af0e99222f"].pred == 0


def test_every_document_scored(scores):
    assert set(scores[1]) == {p.stem for p in GOLD.glob("*.jsonl")}


def test_matching_rules():
    assert compatible("全区地区生产总值", ["地区生产总值"])
    assert compatible("生产总值", ["地区生产总值"])
    assert not compatible("总值", ["地区生产总值"])
    assert compatible("財政總收入", ["财政总收入"])
    assert norm_unit("百分点") == "个百分点" and norm_unit("％") == "%"

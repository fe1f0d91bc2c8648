"""The figures of issue 2 on corpus/, measured with the evaluation of spec/evaluation.md."""

from __future__ import annotations

import pytest
from conftest import GOLD, SPEECHES
from zhibiao.dev.evaluate import compatible, evaluate, norm_unit


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


def test_issue_13_floors_on_corpus(scores):
    f = scores[0].figures()
    assert f["period_accuracy"] >= 0.95
    assert f["kind_accuracy"] >= 0.98


def test_every_gold_document_has_its_year():
    import json

    years = json.loads((GOLD / "dates.json").read_text(encoding="utf-8"))
    assert set(years) == {p.stem for p in GOLD.glob("*.jsonl")}
    assert all(isinstance(y, int) and 1949 <= y <= 2100 for y in years.values())


def test_a_period_is_right_by_its_resolved_range_when_the_text_differs():
    from zhibiao.dev.evaluate import score_document

    text = "全年地区生产总值增长5%。"
    gold = [{"sent": text, "indicator": "地区生产总值", "growth": {"rate": 5, "unit": "%", "masked": False},
             "period": "2025年", "kind": "actual"}]
    claim = {"indicator": {"name": "地区生产总值"}, "value": None, "ranks": [], "kind": "actual",
             "growth": {"rate": 5, "unit": "%", "masked": False}, "confidence": 0.95,
             "sentence": {"start": 0, "end": len(text), "text": text}, "period": "全年",
             "period_range": {"from": "2025-01", "to": "2025-12"}}
    s = score_document("d", text, gold, {"claims": [claim]}, year=2026)
    assert s.period == [1, 1] and s.period_range == [1, 1]
    claim["period_range"] = {"from": "2026-01", "to": "2026-12"}
    s = score_document("d", text, gold, {"claims": [claim]}, year=2026)
    assert s.period == [0, 1]


def test_calibration_bins_count_predicted_facts_by_confidence(scores):
    f = scores[0].figures()
    bins = [v for k, v in f.items() if k.startswith("calibration_")]
    assert len(bins) == 5
    assert sum(int(b.split("/")[1].split()[0]) for b in bins) == f["predicted_facts"]

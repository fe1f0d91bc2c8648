"""Layout damage (issue 12, item 3): a line break inside a word or a figure, and page
furniture, read as if they were not there; headings stay apart; offsets stay exact."""

from __future__ import annotations

import pytest
from zhibiao import extract_text
from zhibiao.text.normalize import normalize


def _claims(text: str):
    return extract_text(text, use_model=False).claims


def _values(text: str) -> set[tuple[str, float, str]]:
    return {(c.indicator.name, c.value.amount, c.value.unit) for c in _claims(text) if c.value}


def _growths(text: str) -> set[tuple[str, float]]:
    return {(c.indicator.name, c.growth.rate) for c in _claims(text) if c.growth}


def test_a_break_inside_a_word_reads_as_one_word():
    text = "今年以来，全市经济稳中向好，全市固定资产投\n资增长8%，拉动作用明显。"
    assert ("固定资产投资", 8) in _growths(text)


def test_a_break_inside_a_traditional_word_with_ocr_spaces_reads_as_one_word():
    text = "今年以來，全市經濟穩中向好，全年完成地方財政\n收入 82.9 億元，增長5%。"
    assert ("地方财政收入", 82.9, "亿元") in _values(text)


@pytest.mark.parametrize("damaged, amount, unit", [
    ("全年城镇居民人均可支配收入增长6%，城镇调查失业率2.7\n5%。", 2.75, "%"),
    ("今年以来，全省科技创新投入持续增加，科技创新投入7\n232亿元。", 7232, "亿元"),
    ("全年完成全社会固定资产投资总额为26.47 3\n\n亿元。", 26.473, "亿元"),
])
def test_a_break_inside_a_figure_reads_as_one_figure(damaged, amount, unit):
    assert any(a == amount and u == unit for _, a, u in _values(damaged)), _values(damaged)


def test_a_short_heading_stays_apart_from_its_paragraph():
    ot, _ = normalize("一、2025年工作回顾\n过去一年，全市生产总值增长5%。")
    assert "回顾\n过去" in ot.text
    ot, _ = normalize("2025年工作回顾\n过去一年，全市生产总值增长5%。")
    assert "回顾\n过去" in ot.text


def test_a_sentence_end_keeps_its_line_break():
    ot, _ = normalize("全年地区生产总值增长5.2%，增速居全省第一。\n投资增长8%")
    assert "。\n投资" in ot.text


@pytest.mark.parametrize("furniture", ["第1页共21页", "第 3 页", "- 3 -", "仅展示600字,全文共8000字", "（共21页）"])
def test_page_furniture_is_dropped(furniture):
    text = f"全年一般公共预算收入增长6%。\n{furniture}\n二是工业生产稳中有进。"
    ot, _ = normalize(text)
    assert "页" not in ot.text and "3 -" not in ot.text and "展示" not in ot.text


def test_a_page_break_inside_a_sentence_joins_the_text_before_and_after():
    text = "今年以来，全市战略性新兴产业和高技术产业增加值\n第3页共4页\n分别增长7.5%和9%。"
    got = _growths(text)
    assert {("战略性新兴产业增加值", 7.5), ("高技术产业增加值", 9)} <= got, got


def test_claims_across_a_joined_break_slice_the_original_exactly():
    text = "序言。\n全市固定资产投\n资增长8%，科技创新投入7\n232亿元。\n第3页共4页\n完"
    for c in _claims(text):
        s = c.sentence
        assert text[s.start:s.end] == s.text
        assert text[c.span["start"]:c.span["end"]].replace("\n", "")

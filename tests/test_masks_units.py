"""Masks in every form, units the page lost, units kept as written, shared units of lists,
spoken comparisons and from-to ranks (issue 12, items 1, 2 and part of 4-5)."""

from __future__ import annotations

import pytest
from zhibiao.api import extract_text
from zhibiao.grammar.numbers import find_figures


def claims(text: str):
    return extract_text(text, use_model=False).claims


def numbers(text: str) -> list[tuple]:
    """(indicator, value amount or M, growth rate or M) of every claim."""
    out = []
    for c in claims(text):
        v = c.value and ("M" if c.value.masked else c.value.amount)
        g = c.growth and ("M" if c.growth.masked else c.growth.rate)
        out.append((c.indicator.name, v, g))
    return out


# ------------------------------------------------------------------ 1. masks

@pytest.mark.parametrize("mask", ["X", "x", "XX", "xx", "X.X", "x.x", "××", "××.××", "××.*", "*", "**",
                                  "□□", "□□.□", "○○", "○.○", "___", "＿＿"])
def test_every_mask_form_is_a_masked_growth_with_no_number(mask):
    text = f"全市规上工业增加值增长{mask}%。"
    (c,) = claims(text)
    assert c.growth.masked and c.growth.rate is None and c.growth.unit == "%"
    assert c.value is None
    assert text[c.span["start"]:c.span["end"]].startswith("规上工业增加值") or mask in c.growth.text


def test_a_masked_figure_offsets_point_at_the_mask():
    text = "全市生产总值××.××亿元，增长5%。"
    c = claims(text)[0]
    assert c.value.masked and c.value.amount is None and c.value.text == "××.××亿元"


def test_a_figure_left_blank_is_masked_in_a_list():
    text = "一般公共预算收入和税收收入分别完成 亿元、 亿元。"
    got = [(c.indicator.name, c.value.masked, c.value.amount, c.value.unit) for c in claims(text)]
    assert got == [("一般公共预算收入", True, None, "亿元"), ("税收收入", True, None, "亿元")]


def test_a_figure_left_blank_after_a_noun_is_masked_where_spaces_stood():
    got = numbers("全市地区生产总值 万亿元、增长5.4%。")
    assert got == [("地区生产总值", "M", 5.4)]


def test_a_space_between_words_is_no_blank_figure():
    assert numbers("全区工业 企业家座谈会召开。") == []


def test_a_mask_does_not_swallow_the_plain_figure_of_its_clause():
    got = numbers("规上工业增加值增长X.X%，高于全市0.6个百分点。")
    assert ("规上工业增加值", None, "M") in got and ("规上工业增加值", None, 0.6) in got


def test_a_mask_does_not_give_its_indicator_the_next_figure():
    got = numbers("计算机投资增长x%、电子设备投资增长15.5%。")
    assert got == [("计算机投资", None, "M"), ("电子设备投资", None, 15.5)]


@pytest.mark.parametrize("text", ["采用x86架构3个", "Box3个", "○台账管理", "□亩均论英雄改革",
                                  "详见www.gov.cn/a_b", "第x次会议"])
def test_false_masks_are_no_masked_figures(text):
    assert not any(f.masked for f in find_figures(text))


def test_a_bullet_circle_at_line_start_is_no_mask():
    assert all(not f.masked for f in find_figures("○台账管理制度"))


def test_a_masked_year_is_a_period_not_a_figure():
    (c,) = claims("20xx年全市生产总值增长x.x%。")
    assert c.growth.masked and c.value is None
    assert c.period == "20xx年"


def test_a_masked_rank_is_masked():
    (c,) = claims("全市生产总值增长5%，居全省第x位。")
    assert [(r.position, r.masked) for r in c.ranks] == [(None, True)]


# ------------------------------------------------------------------ 2. units

def test_a_growth_whose_percent_was_lost_is_a_percent_marked_inferred():
    got = [(c.indicator.name, c.growth.rate, c.growth.unit, c.growth.unit_inferred)
           for c in claims("地区生产总值比上年增长7.8，财政收入下降5.2。")]
    assert got == [("地区生产总值", 7.8, "%", True), ("财政收入", -5.2, "%", True)]


def test_a_growth_with_its_percent_is_not_inferred():
    (c,) = claims("地区生产总值比上年增长7.8%。")
    assert c.growth.unit_inferred is False


def test_a_unit_written_once_for_a_list_is_inferred_for_the_first_item():
    got = [(c.value.amount, c.value.unit, c.value.unit_inferred) for c in claims("地区生产总值分别完成12.3、45.6亿元。")]
    assert got == [(12.3, "亿元", True), (45.6, "亿元", False)]


def test_units_are_kept_as_written_never_rescaled():
    (c,) = claims("粮食总产量1.2万亿斤。")
    assert (c.value.amount, c.value.unit) == (1.2, "万亿斤")


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("电解铝产能120万吨/年。", 120, "万吨/年"),
    ("最低工资标准提高到2100元/月。", 2100, "元/月"),
    ("PM2.5平均浓度32微克/立方米。", 32, "微克/立方米"),
    ("天然气产量12.5亿方。", 12.5, "亿方"),
    ("全社会用电量30.2亿度。", 30.2, "亿度"),
    ("保障性住房开工1.2万套（间）。", 1.2, "万套（间）"),
    ("馆藏图书120万册。", 120, "万册"),
])
def test_compound_units_are_read_whole(text, amount, unit):
    (c,) = claims(text)
    assert (c.value.amount, c.value.unit) == (amount, unit)
    assert text[c.span["start"]:c.span["end"]].endswith(unit)


def test_unit_inferred_is_in_the_output():
    d = extract_text("地区生产总值增长7.8。", use_model=False).claims[0].to_dict()
    assert d["growth"]["unit_inferred"] is True


# ------------------------------------------------------------------ 3. spoken comparisons

def test_a_shared_percentage_point_makes_both_items_gaps_not_a_count():
    got = [(c.growth.rate, c.growth.unit) for c in claims("工业投资增长3%，比全省、全市分别低了2.3个和0.7个百分点。")
           if c.growth and c.growth.unit != "%"]
    assert got == [(-2.3, "个百分点"), (-0.7, "个百分点")]
    assert all(c.value is None for c in claims("工业投资增长3%，比全省、全市分别低了2.3个和0.7个百分点。"))


@pytest.mark.parametrize("text", ["工业投资增长3%，较全省低了0.5个百分点。", "工业投资增长3%，增速滞后全省0.5个百分点。",
                                  "工业投资增长3%，落后全市0.5个百分点。", "工业投资增长3%，增速低了0.5个百分点。"])
def test_a_gap_below_the_benchmark_is_negative(text):
    gaps = [c.growth.rate for c in claims(text) if c.growth and c.growth.unit == "个百分点"]
    assert gaps == [-0.5]


def test_a_gap_above_the_benchmark_is_positive():
    gaps = [c.growth.rate for c in claims("工业投资增长3%，比全省高了0.5个百分点。") if c.growth.unit == "个百分点"]
    assert gaps == [0.5]


# ------------------------------------------------------------------ 4. ranks

@pytest.mark.parametrize("text", ["工业增加值从全省第9位升至第4位。", "工业增加值从全省第9位上升到第4位。"])
def test_a_from_to_rank_is_two_ranks_of_the_same_indicator(text):
    (c,) = claims(text)
    assert c.indicator.name == "工业增加值"
    assert [r.position for r in c.ranks] == [9, 4]

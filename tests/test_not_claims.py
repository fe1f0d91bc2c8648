"""Not claims (issue 12, item 6; annotation guideline "Not claims"): thresholds that define
a class, the size of a league or group, participants, and counts of laws, proposals and
cases handled give no figure; the measures beside them keep theirs."""

from __future__ import annotations

import pytest
from zhibiao import extract_text


def _amounts(text: str) -> list:
    return [c.value.amount for c in extract_text(text, use_model=False).claims if c.value]


def test_the_size_of_a_league_is_no_value_and_the_rank_goes_to_the_measure():
    claims = extract_text("今年上半年，我县生产总值增速在全县12个乡镇中排第3。", use_model=False).claims
    assert not [c for c in claims if c.value]
    assert [(c.indicator.name, [r.position for r in c.ranks]) for c in claims] == [("生产总值", [3])]


def test_participating_firms_are_no_count_but_the_investment_stays():
    assert _amounts("共有9家参会企业签约，签约项目总投资50亿元。") == [50]
    assert _amounts("大会参加人员300人。") == []


@pytest.mark.parametrize("text", [
    "全年审议地方性法规7件，办理建议560件、提案1255件。",
    "办理全国人大代表建议9件、全国政协提案5件、省人大代表建议292件、省政协提案553件。",
    "提请省人大常委会审议地方性法规草案61件。",
])
def test_counts_of_laws_and_proposals_handled_are_no_claims(text):
    assert _amounts(text) == []


@pytest.mark.parametrize("text, amount", [
    ("新引进超亿元项目25个。", 25),
    ("新开工5000万元以上项目120个。", 120),
    ("引进世界500强企业12家。", 12),
])
def test_a_class_threshold_is_no_figure_the_count_of_the_class_is(text, amount):
    assert _amounts(text) == [amount]


def test_a_near_miss_keeps_its_figure():
    assert _amounts("全年1.2万户相对集中居住农户入住新居。") == [1.2]
    assert _amounts("全年受理群众来信2300件，增长5%。") == [2300]


def test_a_counted_noun_that_names_the_next_items_figure_drops_neither():
    def amounts(text):
        return [c.value.amount for c in extract_text(text, use_model=False).claims]
    assert amounts("净增涉税主体24.8万户、规上法人单位1302户。") == [24.8, 1302]
    assert amounts("其中预期性指标19项、约束性指标9项。") == []  # counts of indicators, by their own names
    assert 10 not in amounts("审计查出的10个方面20个问题已整改到位。")  # no list: 方面 still counts


def test_the_review_of_this_stops_rules_holds():
    def got(text):
        return [(c.indicator.name, c.value.amount if c.value else c.growth.rate, "growth" if c.growth else "value")
                for c in extract_text(text, use_model=False).claims]
    assert got("最终消费支出贡献了全省60%的增长。")[0][2] == "value"  # a share of growth, no growth rate
    assert got("地区生产总值保持6%以上增长。")[0][2] == "growth"
    assert [a for _, a, _ in got("全市1200户规上企业中有800户实现盈利。")] == [1200, 800]  # firms stay
    assert [a for _, a, _ in got("全年解决农村饮水安全问题32万人。")] == [32]  # people, no casework
    assert got("经过一千多个日日夜夜的奋战，大桥建成通车。") == []
    assert [n for n, _, _ in got("全年猪牛羊肉产量分别为120万吨、15万吨。")] == ["猪牛羊肉产量"] * 2

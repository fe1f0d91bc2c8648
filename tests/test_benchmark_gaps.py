"""Gaps to benchmarks keep their sign (issue 20 item 1): a gap below a benchmark is negative,
whether the benchmark is listed, bracketed or a decline, and a benchmark's own rate is its."""

from zhibiao import extract_text


def facts(text: str) -> list[tuple]:
    out = []
    for c in extract_text(text, use_model=False).claims:
        if c.growth is not None:
            out.append((c.indicator.name, c.growth.rate, c.growth.unit, c.subject))
    return out


def test_a_gap_below_listed_benchmarks_is_negative():
    got = facts("全县规上工业增加值增长3%，分别低于全省、全国平均水平1.2、2.5个百分点。")
    assert ("规上工业增加值", -1.2, "个百分点", None) in got
    assert ("规上工业增加值", -2.5, "个百分点", None) in got


def test_a_gap_after_a_bracketed_benchmark_takes_the_direction_word():
    got = facts("全县地区生产总值增长4.0%，比全省（5.1%）和全国（5.3%）分别低1.1、1.3个百分点。")
    assert [g[1] for g in got if g[2] == "个百分点"] == [-1.1, -1.3]
    got = facts("全县地区生产总值增长6.2%，比全省（5.1%）和全国（4.8%）分别高1.1、1.4个百分点。")
    assert [g[1] for g in got if g[2] == "个百分点"] == [1.1, 1.4]


def test_a_benchmark_decline_in_brackets_is_negative_and_a_smaller_decline_a_higher_rate():
    got = facts("全市地方一般公共预算收入完成121.36亿元，同比下降27.4%，比全省平均降幅（30.6%）低3.2个百分点。")
    assert ("地方一般公共预算收入", -30.6, "%", "全省") in got
    assert ("地方一般公共预算收入", 3.2, "个百分点", None) in got


def test_a_benchmark_rate_named_with_its_indicator_is_a_growth():
    got = facts("全省地方一般预算收入增长13.5%，比全国地方一般预算收入增幅（13.7%）低0.2个百分点。")
    assert any(rate == 13.7 and subject == "全国" for _, rate, _, subject in got)


def test_a_decline_narrower_than_a_bracketed_benchmarks_is_a_rise():
    got = facts("全市商品房销售面积下降8.2%，降幅较全省（12.5%）收窄4.3个百分点。")
    assert ("商品房销售面积", -12.5, "%", "全省") in got and ("商品房销售面积", 4.3, "个百分点", None) in got

"""Document-level context on real report structure: sections, paragraphs, speaker level."""

from zhibiao import extract_text


def kinds(text: str) -> list[str]:
    return [c.kind for c in extract_text(text).claims]


def test_plan_section_makes_targets_review_section_actuals():
    review = "一、2025年工作回顾\n新增电力装机1800万千瓦，其中非化石能源装机1000万千瓦。\n"
    plan = "三、2026年重点工作\n新增电力装机1800万千瓦，其中非化石能源装机1000万千瓦。\n"
    assert kinds(review) == ["actual", "actual"]
    assert kinds(review + plan) == ["actual", "actual", "target", "target"]


def test_goal_list_carries_through_its_paragraph():
    text = "主要预期目标是：地区生产总值增长5%左右；城镇调查失业率5.5%左右；居民消费价格涨幅2%左右。"
    doc = extract_text(text)
    assert [c.kind for c in doc.claims] == ["target"] * 3
    assert [c.indicator.canonical for c in doc.claims] == ["gdp", "unemployment_surveyed", "cpi"]


def test_a_year_end_estimate_is_a_forecast_and_a_preliminary_count_an_outcome():
    # the guideline: 预计完成 is a forecast; 初步统计 an outcome
    assert kinds("初步统计，全年预计完成生产总值120亿元，同比增长6%。") == ["forecast"]
    assert kinds("预计上半年，我市地区生产总值同比增长5%左右。") == ["forecast"]
    assert kinds("初步统计，全年完成生产总值120亿元，同比增长6%。") == ["actual"]


def test_subjects_follow_the_speakers_level():
    doc = extract_text("我区工业增加值增幅5.7%，低于全省6.1%、全市8.8%的平均水平。")
    assert [(c.subject, c.growth.rate) for c in doc.claims] == [(None, 5.7), ("全省", 6.1), ("全市", 8.8)]
    doc = extract_text("上半年中央、省、市、区GDP分别实现增长5.5%、3.6%、3.3%、3.4%。我区经济平稳。")
    assert [c.subject for c in doc.claims] == ["中央", "全省", "全市", None]


def test_period_from_section_heading():
    doc = extract_text("（二）上半年经济运行特点。\n固定资产投资增长23.6%，其中房地产投资增长36%。")
    assert [c.period for c in doc.claims] == ["上半年", "上半年"]
    assert [c.indicator.name for c in doc.claims] == ["固定资产投资", "房地产投资"]


def test_fenbie_list_goes_back_over_the_indicators_just_named():
    doc = extract_text("全年接待游客1200万人次，实现旅游总收入98亿元，分别增长15%和18%。", use_model=False)
    assert [(c.indicator.name, c.value.amount, c.growth.rate) for c in doc.claims] == [
        ("接待游客", 1200, 15), ("旅游总收入", 98, 18)]


def test_goal_progress_is_an_outcome_of_the_sentence_period():
    doc = extract_text("1—6月，全县规上工业总产值完成98.7亿元，完成全年目标的52.3%。", use_model=False)
    assert [(c.value.amount, c.kind, c.period) for c in doc.claims] == [
        (98.7, "actual", "1—6月"), (52.3, "actual", "1—6月")]


def test_listed_names_share_a_rank_or_split_a_fenbie_list():
    doc = extract_text("高标准农田建成面积、农作物耕种收综合机械化率居全国首位。", use_model=False)
    assert [(c.indicator.name, c.ranks[0].position, c.ranks[0].scope) for c in doc.claims] == [
        ("高标准农田建成面积", 1, "全国"), ("农作物耕种收综合机械化率", 1, "全国")]
    doc = extract_text("单位地区生产总值能耗、主要污染物排放强度分别约为全国平均的70%、60%。", use_model=False)
    assert [(c.indicator.name, c.value.amount) for c in doc.claims] == [
        ("单位地区生产总值能耗", 70), ("主要污染物排放强度", 60)]


def test_years_inside_a_name_are_its_period():
    doc = extract_text("力争非常规天然气产量2030年达到300亿立方米，新增可再生能源装机1亿千瓦。", use_model=False)
    assert [(c.indicator.name, c.value.amount, c.value.unit, c.kind) for c in doc.claims] == [
        ("非常规天然气产量", 300, "亿立方米", "target"), ("新增可再生能源装机", 1, "亿千瓦", "target")]
    assert doc.claims[0].period == "2030年"


def test_gap_to_a_benchmark_is_signed_and_the_rank_stays_with_the_indicator():
    doc = extract_text("一季度，全市GDP增速为4.5%，比全省平均水平低0.8个百分点，排全省第9位。", use_model=False)
    assert [(c.growth.rate, c.growth.unit, [r.position for r in c.ranks]) for c in doc.claims] == [
        (4.5, "%", [9]), (-0.8, "个百分点", [])]


def test_a_paragraph_opening_with_the_past_year_sets_the_period():
    doc = extract_text("刚刚过去的2025年，是“十四五”收官之年。\n这一年，我们迎难而上。\n地区生产总值增长4%。",
                       use_model=False)
    assert [(c.indicator.name, c.period) for c in doc.claims] == [("地区生产总值", "2025年")]

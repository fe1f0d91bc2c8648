"""The indicator catalogue: a key by head and modifiers, different measures held apart."""

import pytest
from zhibiao import extract_text
from zhibiao.ruleset.catalogue import by_key, canonical_of, entries

UNIT_CLASSES = {"amount", "rate", "share", "count", "index", "price_change"}


def test_the_catalogue_holds_at_least_200_indicators_each_complete():
    es = entries()
    assert len(es) >= 200
    assert len({e.key for e in es}) == len(es)
    for e in es:
        assert e.zh and e.en and e.unit in UNIT_CLASSES and e.names, e.key


def test_no_name_belongs_to_two_keys():
    seen: dict[str, str] = {}
    for e in entries():
        for n in e.names:
            assert seen.setdefault(n, e.key) == e.key, (n, seen[n], e.key)


def test_todays_keys_stay_and_unemployment_splits():
    for key in ("gdp", "cpi", "new_jobs", "grain_output", "general_budget_revenue", "retail_sales", "fdi"):
        assert key in by_key()
    assert "unemployment" not in by_key()
    assert canonical_of("城镇登记失业率") == "unemployment_registered"
    assert canonical_of("城镇调查失业率") == "unemployment_surveyed"


@pytest.mark.parametrize("one, other", [
    ("粮食产量", "粮食播种面积"),
    ("城镇登记失业率", "城镇调查失业率"),
    ("地区生产总值", "人均地区生产总值"),
    ("规模以上工业增加值", "工业增加值"),
    ("一般公共预算收入", "一般公共预算支出"),
    ("进出口总额", "出口总额"),
    ("固定资产投资", "民间投资"),
    ("城镇居民人均可支配收入", "农村居民人均可支配收入"),
    ("常住人口城镇化率", "户籍人口城镇化率"),
    ("居民消费价格指数", "商品零售价格指数"),
    ("发明专利授权量", "发明专利拥有量"),
    ("利润总额", "利税总额"),
    ("研发经费投入强度", "研发经费支出"),
    ("单位地区生产总值能耗", "单位工业增加值能耗"),
    ("常住人口", "户籍人口"),
])
def test_pairs_of_different_measures_get_different_keys(one, other):
    assert canonical_of(one) and canonical_of(other)
    assert canonical_of(one) != canonical_of(other)


@pytest.mark.parametrize("name", ["海洋生产总值", "数字经济", "民营经济", "包括地区生产总值", "地区生产总值按",
                                  "提出国内生产总值", "城乡居民收入", "失业率"])
def test_a_name_that_only_contains_a_catalogue_name_gets_no_key(name):
    assert canonical_of(name) is None


@pytest.mark.parametrize("name, key", [
    ("全省地区生产总值", "gdp"), ("江苏省地区生产总值", "gdp"), ("安徽前三季度全省生产总值", "gdp"),
    ("经济增长", "gdp"), ("经济增速", "gdp"), ("经济增长速度", "gdp"), ("地区生产总值增速", "gdp"),
    ("零售物价", "retail_price_index"), ("商品零售价格", "retail_price_index"),
    ("1-9月规上工业增加值增速", "industry_va_above_scale"),
])
def test_scope_words_before_and_growth_words_after_keep_the_key(name, key):
    assert canonical_of(name) == key


def test_a_growth_target_written_as_economic_growth_is_gdp():
    doc = extract_text("2026年主要预期目标是：经济增长5%左右。", use_model=False, date="2026-01-20")
    assert [(c.indicator.canonical, c.growth.rate) for c in doc.claims] == [("gdp", 5.0)]


def test_the_indicators_command_prints_the_catalogue_with_english_names(capsys):
    import json

    from zhibiao.cli import main

    assert main(["indicators", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    gdp = next(r for r in rows if r["key"] == "gdp")
    assert gdp["en"].startswith("Gross domestic product") and "地区生产总值" in gdp["names"]
    assert main(["indicators"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "key,zh,en,unit,names" and len(lines) == len(rows) + 1


def test_the_name_test_takes_off_verbs_and_connectives_or_leaves_no_name():
    from zhibiao.linking.names import clean_name

    assert clean_name("地区生产总值按") == "地区生产总值"
    assert clean_name("城镇新增就业不少于") == "城镇新增就业"
    assert clean_name("提出国内生产总值") == "国内生产总值"
    assert clean_name("千分点") is None and clean_name("按年均汇率折算") is None
    assert clean_name("省重点项目完成投资") == "省重点项目完成投资"  # a name as the source writes it


def test_a_target_written_with_an_arrangement_verb_keeps_its_clean_name_and_key():
    doc = extract_text("今年经济社会发展主要预期目标是：地区生产总值按增长5%安排。", use_model=False,
                       date="2026-01-20")
    assert [(c.indicator.name, c.indicator.canonical, c.kind) for c in doc.claims] == [
        ("地区生产总值", "gdp", "target")]


@pytest.mark.parametrize("one, other", [
    ("税收收入", "税收收入预算完成率"),
    ("税收收入预算完成率", "税收收入年初预算"),
    ("第一产业增加值", "第一产业增加值占GDP比重"),
    ("人均地区生产总值", "人均地区生产总值增加量"),
    ("工业增加值", "工业增加值对经济增长的贡献率"),
    ("税务部门收入", "财政部门收入"),
    ("一般公共预算收入", "一般公共预算总收入"),
])
def test_a_derived_measure_is_held_apart_from_its_indicator(one, other):
    assert canonical_of(one) and canonical_of(other)
    assert canonical_of(one) != canonical_of(other)


def test_a_derived_key_is_the_indicator_key_and_the_measure_with_an_english_name_and_unit_class():
    assert canonical_of("全区税收收入预算完成率") == "tax_revenue.completion"
    entry = by_key()["tax_revenue.completion"]
    assert entry.en == "Tax revenue: share of the budget or plan completed" and entry.unit == "share"
    assert by_key()["gdp_per_capita.change"].unit == "amount"


def test_a_derived_share_the_catalogue_already_names_takes_that_key():
    assert canonical_of("第一产业增加值占GDP比重") == canonical_of("第一产业比重") == "primary_share"
    assert canonical_of("工业投资占固定资产投资总额的比重") == "industrial_investment_share"
    assert canonical_of("海洋生产总值占GDP比重") is None  # its indicator is not in the catalogue


def test_a_bare_product_name_is_its_output_only_with_a_unit_of_weight():
    assert canonical_of("稻谷", "万吨") == "rice_output" and canonical_of("粮食", "万斤") == "grain_output"
    assert canonical_of("稻谷") is None and canonical_of("稻谷", "万亩") is None
    doc = extract_text("全年粮食总产量52万吨，增长2.1%；其中，稻谷38.6万吨，油料4.2万吨。", use_model=False)
    assert [(c.indicator.name, c.indicator.canonical) for c in doc.claims] == [
        ("粮食总产量", "grain_output"), ("稻谷", "rice_output"), ("油料", "oilseed_output")]


def test_fiscal_revenue_is_the_nations_in_a_national_report_or_after_quanguo_and_local_elsewhere():
    national = ("中华人民共和国国务院总理 政府工作报告\n各位代表：\n"
                "这两年中，社会商品零售总额增长百分之十六，财政收入增长百分之四十四点四。")
    keys = {c.indicator.name: c.indicator.canonical for c in extract_text(national, use_model=False).claims}
    assert keys["财政收入"] == "national_fiscal_revenue"
    county = "今年以来，全县财政收入完成3.2亿元，全国财政收入增长5.1%。"
    got = [(c.indicator.canonical, c.subject) for c in extract_text(county, use_model=False).claims]
    assert got == [("local_fiscal_revenue", None), ("national_fiscal_revenue", "全国")]


def test_a_bare_head_takes_the_name_its_sentence_gave_before():
    doc = extract_text("第一产业增加值26.4亿元，占GDP比重5.8%，增加值增长4.6%。", use_model=False)
    assert [(c.indicator.name, c.indicator.canonical) for c in doc.claims] == [
        ("第一产业增加值", "primary_va"), ("第一产业增加值占GDP比重", "primary_share"),
        ("第一产业增加值", "primary_va")]


@pytest.mark.parametrize("goal", [
    "地区生产总值增长5%左右，在实际工作中努力争取更好结果；", "全省生产总值增长5.5%左右；", "经济增长5%以上；",
    "GDP增长5%左右，一般公共预算收入增长3%；", "生产总值增长5%—5.5%；", "地区生产总值增速保持在5%左右；",
    "经济增速与全国同步、力争更高，地区生产总值增长5%左右；",
])
def test_a_provinces_gdp_growth_target_comes_out_once_by_the_plain_filter_however_it_is_phrased(goal):
    text = "二、2026年工作安排\n今年经济社会发展的主要预期目标是：" + goal + "居民消费价格涨幅2%左右。"
    doc = extract_text(text, use_model=False, date="2026-01-20")
    hits = [c for c in doc.claims if c.indicator.canonical == "gdp" and c.kind == "target" and c.growth
            and c.period_range == {"from": "2026-01", "to": "2026-12"} and c.horizon is None]
    assert len(hits) == 1 and hits[0].growth.rate in (5.0, 5.5)


def test_an_extractor_with_other_rules_leaves_the_shipped_catalogue_to_callers_after_it():
    from zhibiao import Extractor
    from zhibiao.ruleset.catalogue import english

    ablated = Extractor(use_model=False, disabled_rules=frozenset({"indicators.measures"}))
    assert [c.indicator.canonical for c in ablated("全区税收收入预算完成率为98%。").claims] == [None]
    assert canonical_of("税收收入预算完成率") == "tax_revenue.completion"
    assert english("tax_revenue.completion") == "Tax revenue: share of the budget or plan completed"

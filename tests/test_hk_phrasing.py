"""Hong Kong papers' phrasing of mainland figures (issue 20, news of figures): 按年增長 is a
year-on-year growth of the name before it, 首季 the first quarter."""

from zhibiao import extract_text


def test_a_year_on_year_growth_said_the_hong_kong_way_names_the_measure():
    doc = extract_text("首季全社會固定資產投資2,268億元，按年增長百分之二十一點三。", use_model=False)
    (c,) = doc.claims
    assert (c.indicator.name, c.value.amount, c.growth.rate, c.growth.basis) == ("全社会固定资产投资", 2268, 21.3, "yoy")
    assert c.period == "首季"


def test_a_big_rise_is_a_growth_verb():
    doc = extract_text("首季四川進出口總額45.3億美元，按年大增百分之五十四點一。", use_model=False)
    assert [(c.indicator.name, c.growth.rate) for c in doc.claims] == [("四川进出口总额", 54.1)]


def test_a_taiwan_page_reads_mixed_scales_and_year_on_year_growth():
    doc = extract_text("上半年廈門城鎮居民人均可支配收入2萬1362元，年增8.9%；規模以上工業增加值年增9.7%。",
                       use_model=False)
    got = [(c.indicator.name, c.value.amount if c.value else None, c.growth.rate) for c in doc.claims]
    assert got == [("厦门城镇居民人均可支配收入", 21362, 8.9), ("规模以上工业增加值", None, 9.7)]


def test_a_conversion_into_another_currency_in_brackets_is_the_same_indicator():
    doc = extract_text("廈門地區生產總值1502.6億元人民幣（約新台幣7303億元），年增8.4%。", use_model=False)
    assert {c.indicator.name for c in doc.claims} == {"厦门地区生产总值"}


def test_a_figures_text_is_as_the_source_writes_it():
    text = "家庭每月收入中位數為2萬1362元，年增3.5%。"
    (c,) = extract_text(text, use_model=False).claims
    assert c.value.text == "2萬1362元" and c.value.text in text


def test_renminbi_said_after_a_yuan_amount_leaves_the_yuan_unit():
    (c,) = extract_text("首季海南實現地區生產總值1364.15億元人民幣。", use_model=False).claims
    assert (c.value.amount, c.value.unit, c.value.text) == (1364.15, "亿元", "1364.15億元人民幣")

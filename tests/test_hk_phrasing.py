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

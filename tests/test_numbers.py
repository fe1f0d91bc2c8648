"""The number grammar on its own."""

from pathlib import Path

import pytest
from zhibiao.grammar.numbers import find_figures, parse_chinese, parse_number

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text,value", [
    ("一千二百万", 12_000_000), ("八十二点九", 82.9), ("十五", 15), ("三万五千", 35_000),
    ("两千", 2000), ("一亿二千万", 120_000_000), ("二〇二三", 2023), ("零点五", 0.5),
])
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == pytest.approx(value)


@pytest.mark.parametrize("text,value", [
    ("1,234.5", 1234.5), ("1/3", 1 / 3), ("百分之八", 8), ("3千", 3000), ("42", 42),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_not_a_number():
    assert parse_chinese("增长") is None
    assert parse_number("") is None


def test_base_units():
    f = find_figures("完成财政总收入131.2亿元")[0]
    assert f.base == pytest.approx(131.2e8)
    assert find_figures("新增就业5万人")[0].base == pytest.approx(50000)
    assert find_figures("增长9.1%")[0].base is None


def test_masked_never_has_amount():
    for text in ("生产总值X亿元", "增长*%", "总值42***亿元", "入驻企业X余家", "通过率□%"):
        figs = find_figures(text)
        assert figs and all(f.masked and f.amount is None for f in figs), text


def test_huge_number_is_not_a_figure():
    assert find_figures("投资" + "9" * 400 + "亿元") == []
    assert parse_number("9" * 400) is None
    assert find_figures("投资" + "9" * 30 + "元") == []  # more than 15 digits: no statistic (issue 14)
    f = find_figures("投资" + "9" * 15 + "元")[0]
    assert f.amount == float("9" * 15)


def test_a_numeral_with_yi_is_closed_by_the_wan_of_its_unit_in_the_1958_report():
    from zhibiao import extract_file

    doc = extract_file(str(ROOT / "corpus/national/gwr_1958.txt"), use_model=False)
    got = {c.value.text: (c.value.amount, c.value.unit, c.value.base) for c in doc.claims if c.value}
    assert got["一百四十五亿七千七百万元"] == (1457700, "万元", 14_577_000_000)
    assert got["六百四十三亿七千万元"] == (6437000, "万元", 64_370_000_000)


def test_an_arabic_number_of_fifteen_significant_digits_is_read_and_of_sixteen_is_not():
    assert parse_number("1,234,567,890.12345") == pytest.approx(1234567890.12345)  # 15 digits
    assert parse_number("000123456789012345") == pytest.approx(123456789012345)  # leading zeros do not count
    assert parse_number("1234567890.123456") is None  # 16 digits, a point between them
    assert parse_number("1,234,567,890,123,456") is None

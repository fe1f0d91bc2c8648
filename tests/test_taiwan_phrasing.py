"""Pages machine-converted to traditional script with Taiwan phrasing (OpenCC s2twp) read
with mainland terms; simplified pages are never rewritten."""

from __future__ import annotations

from zhibiao import extract_text
from zhibiao.text.normalize import normalize


def test_a_traditional_page_whose_only_taiwan_phrase_is_zhuanan_reads_projects():
    doc = extract_text("省市縣重點專案完成投資2.8萬億元，3920個新投產專案增加產值5100多億元，支援專案4200餘個。",
                       use_model=False)
    assert [c.indicator.name for c in doc.claims][:1] == ["省市县重点项目完成投资"]
    assert all("专案" not in c.indicator.name for c in doc.claims)


def test_a_single_tell_tale_said_once_rewrites_nothing():
    doc = extract_text("一級方程式賽車中國大獎賽接待觀眾20萬人次，對口支援資金12億元，新建乙烯裝置產能100萬噸。",
                       use_model=False)
    assert [c.indicator.name for c in doc.claims] == ["一级方程式赛车中国大奖赛接待观众", "对口支援资金", "新建乙烯装置产能"]


def test_a_simplified_page_keeps_its_own_words():
    ot, script = normalize("加快发展资讯服务业，软体产业增长10%。")
    assert script == "simplified" and ot.text == "加快发展资讯服务业，软体产业增长10%。"

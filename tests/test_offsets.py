"""The offset invariant, as a property: whatever damage is inserted into real sentences,
every claim's sentence and span slice the original text exactly."""

from __future__ import annotations

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zhibiao import extract_text
from zhibiao.text.normalize import normalize
from zhibiao.text.offsets import OffsetText

REAL = [
    "上半年实现地区生产总值42亿元，增长9.1%，绝对值列省内17强第7，增幅第1。",
    "城镇居民人均可支配收入和农村居民人均纯收入分别达到23310和14363元，分别增长10.5%和11.4%。",
    "固定资产投资增长23.6%，其中房地产投资增长36%。",
    "消费下滑明显，实现社会消费品零售总额139.9亿元，增长12.1%，增速较一季度回落12.9个百分点。",
    "1—7月，固定资产投资增长*%、居全省第**位，一般公共预算收入大幅下降**%。",
    "全区财政一般预算收入完成X亿元，同比增长X%。",
    "城镇登记失业率控制在4%以内。",
]
T2T = opencc.OpenCC("s2t")
PINYIN = ["(qū)", "(zhì)", "(fā)", "(yè)"]
FULL = str.maketrans("0123456789%", "０１２３４５６７８９％")


@st.composite
def damaged(draw):
    base = draw(st.sampled_from(REAL))
    if draw(st.booleans()):
        base = T2T.convert(base)
    chars = list(base)
    out = []
    for ch in chars:
        r = draw(st.integers(0, 20))
        if r == 0:
            out.append(" ")
        elif r == 1 and "\u4e00" <= ch <= "\u9fff":
            out.append(ch + draw(st.sampled_from(PINYIN)))
            continue
        elif r == 2:
            ch = ch.translate(FULL)
        out.append(ch)
    return "".join(out) + draw(st.sampled_from(["", "\n", "\r\n", "\n小编整理，仅供参考\n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_claim_offsets_slice_the_original(text):
    doc = extract_text(text)
    assert not doc.errors
    for c in doc.claims:
        s = c.sentence
        assert text[s.start:s.end] == s.text
        assert 0 <= c.span["start"] < c.span["end"] <= len(text)
        assert s.start <= c.span["start"] and c.span["end"] <= s.end


@settings(max_examples=300, deadline=None)
@given(damaged())
def test_mapped_slice_cleans_to_the_working_slice(text):
    ot, _ = normalize(text)
    n = len(ot.text)
    for a in range(0, n, 3):
        b = min(n, a + 5)
        o0, o1 = ot.original_span(a, b)
        again, _ = normalize(text[o0:o1])
        assert ot.text[a:b].strip("\n") in again.text


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_never_breaks_offsets(text):
    doc = extract_text(text)
    for c in doc.claims:
        assert text[c.sentence.start:c.sentence.end] == c.sentence.text


def test_edit_maps_replacements_to_their_whole_span():
    ot = OffsetText("网际网路金融").sub(__import__("regex").compile("网际网路"), "互联网")
    assert ot.text == "互联网金融"
    assert ot.original_span(0, 3) == (0, 4)
    assert ot.original_span(3, 5) == (4, 6)

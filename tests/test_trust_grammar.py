"""Issue 14, items 6, 7, 11, 12: no wrong figures and no blow-ups in ingest, normalize
and the number grammar, found by a hostile tester."""

from __future__ import annotations

import json

import pytest
from conftest import SPEECHES
from zhibiao import extract_file, extract_text
from zhibiao.run.stream import extract_stream
from zhibiao.text.ingest import decode

SPEECH = "上半年，全区实现地区生产总值四百二十亿元，同比增长百分之五。城乡居民收入稳步提高，发展质量明显改善。\n"


def claims_of(text: str) -> list[dict]:
    doc = extract_text(text, use_model=False)
    assert not doc.errors
    out = [c.to_dict() for c in doc.claims]
    for c in out:  # every offset exact, whatever was dropped in between
        assert text[c["sentence"]["start"]:c["sentence"]["end"]] == c["sentence"]["text"]
    return out


# item 6: encodings


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_few_nul_bytes_is_decoded_as_utf16(enc):
    data = (SPEECH * 20).encode(enc)
    assert data.count(b"\x00") < len(data) // 8  # Chinese in UTF-16: few NUL bytes
    text, got = decode(data)
    assert text == SPEECH * 20 and got.startswith("utf-16")


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_real_speech_in_utf16_without_bom_gives_its_claims(tmp_path, enc):
    src = sorted(SPEECHES.glob("*.txt"))[0]
    text = src.read_text(encoding="utf-8")
    (tmp_path / "s.txt").write_bytes(text.encode(enc))
    doc = extract_file(str(tmp_path / "s.txt"), use_model=False)
    ref = extract_file(str(src), use_model=False)
    assert doc.source["encoding"].startswith("utf-16") and not doc.errors
    assert [c.to_dict()["value"] for c in doc.claims] == [c.to_dict()["value"] for c in ref.claims]
    assert len(doc.claims) > 0


def test_gbk_text_behind_a_utf8_bom_is_streamed_as_gbk(tmp_path):
    body = "".join(f"第{i}段：全年实现地区生产总值{i}亿元，增长5%。\n" for i in range(1, 401))
    path = tmp_path / "big.txt"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("gbk"))
    whole = extract_file(str(path), use_model=False)
    assert whole.source["encoding"] == "gb18030" and len(whole.claims) == 400
    streamed = extract_file(str(path), use_model=False, stream_bytes=1000)
    got = list(streamed.iter_claims())
    assert streamed.source["encoding"] == "gb18030" and len(got) == 400
    assert [c["value"]["amount"] for c in got] == [float(i) for i in range(1, 401)]


def test_streamed_utf8_with_bom_still_skips_the_bom(tmp_path):
    body = "".join(f"第{i}段：全年实现地区生产总值{i}亿元，增长5%。\n" for i in range(1, 201))
    path = tmp_path / "big.txt"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    streamed = extract_file(str(path), use_model=False, stream_bytes=1000)
    got = list(streamed.iter_claims())
    assert streamed.source["encoding"] == "utf-8" and len(got) == 200
    assert all(body[c["sentence"]["start"]:c["sentence"]["end"]] == c["sentence"]["text"] for c in got)
    assert extract_stream  # the streamed path is the one under test


# item 7: wrong figures


@pytest.mark.parametrize("mark", ["\u2060", "\u200b", "\u200e", "\u200f", "\ufeff", "\u00ad", "\u0301"])
def test_invisible_characters_inside_a_number_are_dropped_not_cut(mark):
    text = f"全区实现地区生产总值4{mark}2亿元。"
    (c,) = claims_of(text)
    assert c["value"]["amount"] == 42.0 and c["value"]["unit"] == "亿元"
    assert text[c["span"]["start"]:c["span"]["end"]].endswith(f"4{mark}2亿元")


def test_two_digit_groups_apart_are_not_one_number():
    assert all(c["value"] is None or c["value"]["amount"] != 4042.0
               for c in claims_of("全区地区生产总值 40 42亿元。"))
    assert [c["value"]["amount"] for c in claims_of("全区地区生产总值 4 2 亿 元。")] == [42.0]
    assert [c["value"]["amount"] for c in claims_of("全区地区生产总值 1 234亿元。")] == [1234.0]


def test_ocr_spaces_around_a_figure_still_give_it():
    (c,) = claims_of("全区地区生产总值 131.2 亿元。")
    assert c["value"]["amount"] == 131.2


def test_fullwidth_comma_between_fullwidth_digits_is_a_thousands_separator():
    (c,) = claims_of("全区地区生产总值１，２３４亿元。")
    assert c["value"]["amount"] == 1234.0 and c["value"]["base"] == 1234e8


def test_chinese_comma_after_ascii_digits_still_ends_a_clause():
    got = [c["value"]["amount"] for c in claims_of("新开工项目15个，234个项目已竣工。") if c["value"]]
    assert got == [15.0, 234.0]
    got = [(c["growth"] or {}).get("rate") for c in claims_of("投资比上年增长15，234个项目已竣工。")]
    assert 15234.0 not in got  # a rate whose % was lost, then a clause


@pytest.mark.parametrize("minus", ["-", "－", "−"])
def test_minus_sign_before_a_growth_rate_makes_it_negative(minus):
    text = f"全区地区生产总值增长{minus}2.1%。"
    (c,) = claims_of(text)

    def text_at(c):
        return text[c["span"]["start"]:c["span"]["end"]]
    assert c["growth"]["rate"] == -2.1 and c["growth"]["text"] == "-2.1%"
    assert text_at(c) == f"地区生产总值增长{minus}2.1%"


def test_range_of_negative_growth_is_one_growth():
    (c,) = claims_of("全区地区生产总值增长-5%~-3%。")
    assert c["value"] is None
    assert c["growth"]["rate"] == -5.0 and c["growth"]["max"] == -3.0


def test_a_dash_between_figures_is_still_a_range():
    (c,) = claims_of("全区地区生产总值增长5%-8%。")
    assert (c["growth"]["rate"], c["growth"]["max"]) == (5.0, 8.0)


def test_a_400_digit_number_in_a_list_is_no_figure_and_json_stays_valid():
    doc = extract_text("全区工业增加值和服务业增加值分别增长" + "9" * 400 + "和5%。", use_model=False)
    out = json.dumps(doc.to_dict(), allow_nan=False)  # raises on Infinity
    for c in json.loads(out)["claims"]:
        for part in (c["value"], c["growth"]):
            assert part is None or part.get("rate", part.get("amount")) in (None, 5.0)


@pytest.mark.parametrize("digits", ["1" * 16, "1" * 20, "1" * 30])
def test_more_than_15_significant_digits_is_no_figure(digits):
    assert claims_of(f"全区地区生产总值{digits}亿元。") == []


def test_fifteen_digits_are_still_a_figure():
    (c,) = claims_of("全区一般公共预算收入123456789012345元。")
    assert c["value"]["amount"] == 123456789012345.0


@pytest.mark.parametrize("pos", ["1" * 30, "10001"])
def test_an_absurd_rank_is_no_figure(pos):
    doc = extract_text(f"全区地区生产总值居全国第{pos}位。", use_model=False)
    assert all(not c.ranks for c in doc.claims)
    json.dumps(doc.to_dict(), allow_nan=False)


def test_ranks_up_to_ten_thousand_stay():
    doc = extract_text("全区地区生产总值居全国第10000位。", use_model=False)
    assert [r.position for c in doc.claims for r in c.ranks] == [10000]


def test_ascii_digits_grouped_in_thousands_by_a_fullwidth_comma_read_whole():
    assert [c["value"]["amount"] for c in claims_of("地区生产总值1，234亿元。")] == [1234.0]  # not 234
    assert [c["value"]["amount"] for c in claims_of("完成投资12，345，678万元。")] == [12345678.0]
    assert [c["value"]["amount"] for c in claims_of("新增企业12家，234家企业获评。")] == [12.0, 234.0]

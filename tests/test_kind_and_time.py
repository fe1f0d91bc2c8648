"""Goal or result, and for when: kind, period and the document's date read from the text,
by genre (issue 17). Each case is a passage of the kind the genres' pages hold."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from zhibiao import extract_file, extract_text
from zhibiao.run.stream import discard_spool

ROOT = Path(__file__).resolve().parents[1]


def kinds(text: str, **kw) -> list[tuple[str, str]]:
    return [(c.indicator.name, c.kind) for c in extract_text(text, use_model=False, **kw).claims]


def test_a_city_report_reviewing_last_year_reports_outcomes_and_sets_goals_for_this_one():
    text = ("2025年某市政府工作报告\n各位代表：\n一、2024年工作回顾\n全年地区生产总值增长5.8%，一般公共预算收入增长3.1%。\n"
            "二、2025年主要目标\n地区生产总值增长6%左右，一般公共预算收入增长4%。\n")
    doc = extract_text(text, use_model=False)
    assert doc.genre == "work_report" and doc.date.year == 2025
    assert [(c.kind, c.period_range["from"][:4]) for c in doc.claims] == \
        [("actual", "2024"), ("actual", "2024"), ("target", "2025"), ("target", "2025")]


def test_a_budgets_arrangements_are_targets_and_its_year_end_estimates_forecasts():
    text = ("关于2023年预算执行情况和2024年预算草案的报告\n各位代表：\n"
            "2023年一般公共预算收入预计完成98亿元，为调整预算的101.2%。\n"
            "2024年一般公共预算收入安排102亿元，增长4%。\n")
    doc = extract_text(text, use_model=False, min_confidence=0)  # kinds of every claim, the scorer's doubts aside
    assert doc.genre == "budget_report" and doc.date.year == 2024
    got = [(c.value.amount if c.value else None, c.growth.rate if c.growth else None, c.kind) for c in doc.claims]
    assert got == [(98.0, None, "forecast"), (101.2, None, "forecast"), (102.0, 4.0, "target")]


def test_a_plans_horizon_figures_are_targets_and_its_review_of_the_last_plan_outcomes():
    text = ("某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n第一章 发展基础\n"
            "“十三五”时期，地区生产总值年均增长7.2%。\n第二章 主要目标\n到2025年，地区生产总值达到1000亿元。\n")
    doc = extract_text(text, use_model=False)
    assert doc.genre == "plan" and doc.date.year == 2021  # its 2035 is a horizon, never its date
    review, goal = doc.claims
    assert (review.kind, review.horizon, review.period_range) == \
        ("actual", "average", {"from": "2016-01", "to": "2020-12"})
    assert goal.kind == "target" and goal.period_range == {"from": "2025-01", "to": "2025-12"}


def test_forecast_opening_a_list_governs_the_whole_list():
    text = "同志们：\n预计，全年地区生产总值增长6%；一般公共预算收入增长5%；固定资产投资增长8%。\n"
    assert [k for _, k in kinds(text)] == ["forecast"] * 3


def test_a_communiques_full_year_figures_are_outcomes_of_its_own_year():
    text = "2022年某县国民经济和社会发展统计公报\n一、综合\n初步核算，全年地区生产总值150亿元，比上年增长5.1%。\n"
    doc = extract_text(text, use_model=False)
    assert doc.genre == "statistical_communique" and doc.date.year == 2023
    assert {(c.kind, c.period_range["from"]) for c in doc.claims} == {("actual", "2022-01")}


def test_a_release_titled_by_months_gives_its_figures_that_period():
    text = "2016年1-6月全市经济运行简况\n全市规模以上工业增加值同比增长1.7%。\n"
    doc = extract_text(text, use_model=False)
    assert doc.genre == "statistics_release"
    assert [(c.period, c.kind) for c in doc.claims] == [("2016年1-6月", "actual")]


def test_a_pasted_review_without_headings_is_outcomes_and_a_goal_gap_is_actual():
    text = "回顾2025年，全市地区生产总值增长6.3%，高于预期目标0.3个百分点。\n"
    assert [k for _, k in kinds(text)] == ["actual", "actual"]


def test_a_restated_outcome_in_a_plan_section_is_actual():
    text = ("2021年政府工作报告\n各位代表：\n二、2021年主要预期目标\n"
            "去年国内生产总值增长2.3%。今年国内生产总值增长6%以上。\n")
    assert [k for _, k in kinds(text)] == ["actual", "target"]


def test_a_full_year_in_a_sentence_that_names_its_year_is_that_years_not_the_sections():
    text = ("2010年某镇人民代表大会召开\n一、2009年工作回顾\n全年实现工农业总产值3.1亿元。\n"
            "今年，该镇工作的总体要求是争创五个优秀，全年实现工农业总产值3.36亿元，增长14%。\n")
    doc = extract_text(text, use_model=False, date="2010-03-01")
    assert [(c.period, c.period_range["from"]) for c in doc.claims] == [("全年", "2009-01"), ("全年", "2010-01")]


def test_a_multi_year_average_is_never_one_years_figure():
    doc = extract_text("2026年政府工作报告\n各位代表：\n今年地区生产总值增长5%左右，“十五五”时期年均增长5%。\n",
                       use_model=False)
    one, avg = doc.claims
    assert one.horizon is None and one.period_range == {"from": "2026-01", "to": "2026-12"}
    assert avg.horizon == "average" and avg.period_range == {"from": "2026-01", "to": "2030-12"}


def test_a_chinese_numeral_year_in_the_title_dates_the_report():
    doc = extract_text("二〇二五年政府工作报告\n各位代表：\n2024年全省地区生产总值增长5%。\n", use_model=False)
    assert (doc.date.year, doc.date.source) == (2025, "title")


def test_a_guessed_year_never_lets_the_calendar_decide():
    # no title, no dateline: the year is the latest the text names, too weak to make 全年 a goal
    doc = extract_text("同志们：2024年，全县上下齐心协力。全年地区生产总值增长5%。\n", use_model=False)
    assert not doc.date.strong and [c.kind for c in doc.claims] == ["actual"]


def test_a_given_month_zero_is_no_date():
    from zhibiao.context.dates import parse_given

    with pytest.raises(ValueError):
        parse_given("2026-00")


@pytest.mark.parametrize("period", ["十九五时期", "2025年13月", "到10000年", "20250年"])
def test_impossible_periods_resolve_to_nothing(period):
    from zhibiao.context.calendar import resolve

    assert resolve(period, 2026) is None


def test_a_long_document_streamed_in_chunks_has_the_kinds_and_periods_of_the_whole(tmp_path, monkeypatch):
    import zhibiao.run.files as files

    section = ("一、2025年工作回顾\n" + "".join(f"全年地区生产总值增长{i % 7 + 1}.{i % 9}%。\n" for i in range(40))
               + "二、2026年主要目标\n" + "".join(f"今年固定资产投资增长{i % 5 + 2}%左右。\n" for i in range(40))
               + "预计，全年外贸出口增长3%；\n" + "".join(f"实际利用外资增长{i % 4 + 1}%；\n" for i in range(30))
               + "社会消费品零售总额增长5%。\n")
    text = "2026年某省政府工作报告\n——2026年1月20日在某省人民代表大会上\n各位代表：\n" + section * 4
    big = tmp_path / "big.txt"
    big.write_text(text, encoding="utf-8")
    whole = extract_file(str(big), use_model=False).to_dict()
    monkeypatch.setattr(files, "extract_stream", functools.partial(files.extract_stream, chunk_bytes=2500))
    streamed = extract_file(str(big), use_model=False, stream_bytes=1000)
    parts = streamed.to_dict()
    discard_spool(streamed)
    assert parts["source"]["streamed"] and len(whole["claims"]) == len(parts["claims"]) > 400
    assert parts["genre"] == whole["genre"] == "work_report"

    def keys(doc: dict) -> list:
        return [(c["span"]["start"], c["kind"], c["period"], json.dumps(c["period_range"]), c["horizon"])
                for c in doc["claims"]]
    assert keys(parts) == keys(whole)
    assert {c["kind"] for c in whole["claims"]} == {"actual", "target", "forecast"}


def test_genre_and_year_on_the_annotated_pages():
    """The working pages of corpus/genres: the genre read for at least 5 in 6 of them and the
    year for every page whose gold names one, but for one (a news page that only implies it)."""
    folder = ROOT / "corpus" / "genres"
    gold = json.loads((folder / "gold" / "documents.json").read_text(encoding="utf-8"))
    genre_ok = year_ok = years = 0
    for stem, want in gold.items():
        doc = extract_file(str(folder / "docs" / f"{stem}.txt"), use_model=False)
        genre_ok += doc.genre == want["genre"]
        if want["year"] is not None:
            years += 1
            year_ok += bool(doc.date) and doc.date.year == want["year"]
    assert genre_ok >= len(gold) * 5 // 6
    assert year_ok >= years - 1


def test_a_period_said_after_from_belongs_to_the_from_figure_not_to_the_figure_after_the_to_verb():
    """由今年预计的3%提高到4%: 今年 is the 3%'s; the 4% is the year the sentence set before."""
    from zhibiao import extract_text

    doc = extract_text("1982年的计划，要求工农业总产值的增长速度由今年预计的3%提高到4%。", use_model=False)
    got = {c.value.amount if c.value else c.growth.rate: c.period for c in doc.claims}
    assert got == {3.0: "今年", 4.0: "1982年"}
    assert doc.claims[0].indicator.name == "工农业总产值"  # 要求 is no part of the name
    same = extract_text("城镇调查失业率从上半年的5.5%降到5.3%。", use_model=False)
    assert [c.period for c in same.claims] == ["上半年", None]


def test_a_level_and_the_average_growth_over_the_span_before_it_are_two_claims():
    doc = extract_text("2008年政府工作报告\n过去五年，国内生产总值从2002年的12万亿元增加到2007年的24.66万亿元，"
                       "年均增长10.6%。", use_model=False)
    got = [(c.value.amount if c.value else None, c.growth.rate if c.growth else None, c.horizon) for c in doc.claims]
    assert got == [(12.0, None, None), (24.66, None, None), (None, 10.6, "average")]


def test_the_year_of_a_from_figure_or_of_a_record_sets_no_period_for_the_paragraph():
    doc = extract_text("2026年政府工作报告\n一、2025年工作回顾\n常住人口城镇化率从2020年的53.2%提升到2025年的57.7%，"
                       "新增五星级饭店16家。粮食总产量创2006年以来新高。新设3所本科层次职业学校。", use_model=False)
    periods = {c.indicator.name: c.period for c in doc.claims}
    assert periods["新增五星级饭店"] != "2020年" and periods["本科层次职业学校"] == "2025年"


def test_a_span_of_years_said_with_both_ends_is_one_period():
    doc = extract_text("2026年政府工作报告\n2020年到2025年，工业投资占固定资产投资比重从17.9%提升到35.5%。", use_model=False)
    assert {(c.period, c.period_range["from"], c.period_range["to"]) for c in doc.claims} == \
        {("2020年到2025年", "2020-01", "2025-12")}


def test_a_work_reports_plan_section_whose_heading_names_no_year_speaks_of_the_reports_year():
    doc = extract_text("2026年内蒙古自治区政府工作报告\n——2026年2月4日在内蒙古自治区第十四届人民代表大会第五次会议上\n"
                       "三、全力抓好七项重点工作\n（一）新开工高速公路和国省干线1500公里，新改建农村公路5000公里。",
                       use_model=False)
    assert [(c.kind, c.period, c.period_range["from"]) for c in doc.claims] == [("target", "2026年", "2026-01")] * 2


def test_a_year_end_said_after_last_year_is_the_reviewed_years_december():
    doc = extract_text("2023年国务院政府工作报告\n过去一年，城镇新增就业1206万人，年末城镇调查失业率降到5.5%。", use_model=False)
    assert [(c.period, c.period_range["from"]) for c in doc.claims] == [("过去一年", "2022-01"), ("年末", "2022-12")]


def test_an_estimate_deep_in_the_first_sentence_governs_that_sentence_not_its_paragraph():
    doc = extract_text("关于2023年预算执行情况和2024年预算草案的报告\n一、2023年预算执行情况\n"
                       "2023年市本级一般公共预算收入预计完成45.2亿元，完成预算的98.7%。全市地方政府债务限额为856.7亿元。",
                       use_model=False)
    assert [c.kind for c in doc.claims] == ["forecast", "forecast", "actual"]
    opened = extract_text("预计全年地区生产总值增长5%。固定资产投资增长8%。", use_model=False)
    assert [c.kind for c in opened.claims] == ["forecast", "forecast"]


def test_a_year_end_said_for_another_indicator_is_no_period_of_a_growth_after_it():
    doc = extract_text("2023年国务院政府工作报告\n过去一年，城镇新增就业1206万人，年末城镇调查失业率降到5.5%，"
                       "居民消费价格上涨2%。", use_model=False)
    assert [c.period for c in doc.claims] == ["过去一年", "年末", "过去一年"]
    stock = extract_text("2023年统计公报\n年末全市户籍人口86.33万人，比上年末增加0.64万人。", use_model=False)
    assert [c.period for c in stock.claims] == ["年末", "年末"]


def test_an_average_growth_in_a_review_of_five_years_is_the_spans_not_the_year_said():
    text = ("“十五”时期经济社会发展取得显著成就。\n"
            "2005年，全旗地区生产总值达到18.21亿元，是“九五”期末的2.69倍，按可比价年均增长17.2%。")
    got = {c.value.amount if c.value else c.growth.rate: c.period
           for c in extract_text(text, use_model=False).claims}
    assert got[18.21] == "2005年" and got[17.2] == "十五时期"


def test_a_sentence_opening_with_qizhong_details_the_period_of_the_sentence_before():
    text = ("2024年4月全县经济运行情况\n今年全县经济运行总体平稳，1-4月份，全县固定资产投资完成41亿元。"
            "其中城镇固定资产投资完成32.1亿元，农村投资完成8.9亿元。")
    got = {c.indicator.name: c.period for c in extract_text(text, use_model=False).claims}
    assert got["城镇固定资产投资"] == got["农村投资"] == "1-4月份"  # not the paragraph's 今年
    # the sentence before ends on the level a change reached, whose year the detail keeps
    text = "全县常住人口城镇化率从2020年的53.2%提升到2025年的57.7%。其中，户籍人口城镇化率达到45%。"
    got = {(c.value.amount, c.period) for c in extract_text(text, use_model=False).claims}
    assert (45.0, "2025年") in got


def test_the_next_five_years_are_goals_in_a_speech_that_looks_back_first():
    text = ("2026年1月15日在全市经济工作会议上的讲话\n过去五年，全市地区生产总值年均增长6%。\n"
            "未来五年，全市城镇新增就业累计达到50万人，全市地区生产总值年均增长5.5%以上。")
    got = [(c.period, c.kind) for c in extract_text(text, use_model=False).claims]
    assert got == [("过去五年", "actual"), ("未来五年", "target"), ("未来五年", "target")]


def test_the_year_a_multiple_is_of_is_no_period_of_the_figure():
    from zhibiao import extract_text

    doc = extract_text("1954年国务院政府工作报告\n一九五四年预计原煤八千一百九十九万吨，等于一九四九年的二点六倍。\n",
                       use_model=False)
    assert {c.period for c in doc.claims} == {"一九五四年"}


def test_one_months_figure_inside_a_quarters_paragraph_does_not_become_the_period():
    from zhibiao import extract_text

    doc = extract_text("一季度经济运行分析\n一季度，全市经济运行总体平稳。规上工业增加值增长8.6%；3月份当月增长9.3%。"
                       "固定资产投资增长7.2%。\n", use_model=False)
    assert {c.indicator.name: c.period for c in doc.claims}["固定资产投资"] == "一季度"


def test_a_plan_outlines_chapters_switch_from_review_to_goals_and_its_goals_span_the_plan():
    from zhibiao import extract_text

    doc = extract_text("甘肃省国民经济和社会发展第十二个五年规划纲要\n第一章　发展基础和环境\n第一节　“十一五”时期发展成就\n"
                       "——经济实力明显增强。2010年全省生产总值达到4120.8亿元，年均增长11.2%。\n\n第二章　指导思想和主要目标\n"
                       "第三节　主要目标\n——经济保持平稳较快发展。生产总值年均增长12%以上，到2015年达到7500亿元左右。\n",
                       use_model=False)
    got = {(c.growth.rate if c.growth else c.value.amount): (c.kind, c.period) for c in doc.claims}
    assert got[11.2] == ("actual", "十一五时期") and got[12] == ("target", "十二五时期")

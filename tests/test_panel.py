"""The panel: targets of one year's report against the outcomes the next year's report states.

The documents in tests/panel_docs are short work-report excerpts written for these tests:
安徽省 2024, 2025 and 2026 (targets, then the review of the year before) and national 2019
and 2020 (a range target, ceilings, two unemployment rates). Their gold is in the asserts.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from zhibiao import extract_file, panel
from zhibiao.io.export import write_jsonl
from zhibiao.io.tables import claim_row, export_sqlite
from zhibiao.panel import base_year, build, figures, implausible, is_from_figure, judge, name_fits, reading

DOCS = Path(__file__).resolve().parent / "panel_docs"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> str:
    p = tmp_path_factory.mktemp("panel") / "out.jsonl"
    write_jsonl(str(p), (extract_file(str(f), use_model=False).to_dict() for f in sorted(DOCS.glob("*.txt"))))
    return str(p)


@pytest.fixture(scope="module")
def df(out):
    return panel(out)


def cell(df, place: str, year: int, key: str) -> dict:
    rows = df[(df.jurisdiction == place) & (df.year == year) & (df.canonical == key)]
    assert len(rows) == 1, rows
    return rows.iloc[0].to_dict()


def test_a_target_is_paired_with_the_outcome_of_the_next_years_review(df):
    r = cell(df, "安徽省", 2024, "gdp")
    assert (r["target"], r["target_qualifier"], r["target_claim"]) == (6.0, "左右", "anhui_2024:5")
    assert (r["actual"], r["actual_doc"]) == (5.8, "anhui_2025")
    assert r["met"] == "yes" and r["gap"] == pytest.approx(-0.2)
    jobs = cell(df, "安徽省", 2024, "new_jobs")
    assert (jobs["target"], jobs["actual"], jobs["unit"], jobs["met"]) == (60.0, 64.7, "万人", "yes")


def test_five_percent_or_so_against_4_8_is_met_half_a_point_below_is_the_limit(df):
    r = cell(df, "安徽省", 2025, "gdp")
    assert (r["target"], r["actual"], r["met"]) == (5.0, 4.8, "yes")
    assert judge(5.0, None, "左右", 4.5, False, "%") and not judge(5.0, None, "左右", 4.4, False, "%")
    assert judge(5.0, None, "左右", 6.8, False, "%")  # above a growth target is never a miss


def test_a_missing_outcome_is_left_empty(df):
    r = cell(df, "安徽省", 2024, "general_budget_revenue")
    assert r["target"] == 5.0 and pd.isna(r["actual"]) and pd.isna(r["met"]) and pd.isna(r["gap"])
    last = cell(df, "安徽省", 2026, "gdp")  # no 2027 report
    assert last["target_qualifier"] == "以上" and pd.isna(last["actual"]) and pd.isna(last["met"])


def test_ceilings_prices_and_unemployment(df):
    cpi = cell(df, "安徽省", 2024, "cpi")  # 涨幅3%左右 against 上涨0.4%
    assert (cpi["target"], cpi["actual"], cpi["met"]) == (3.0, 0.4, "yes")
    unemp = cell(df, "安徽省", 2024, "unemployment_surveyed")  # 5.5%以内 against 5.6%
    assert (unemp["target"], unemp["actual"], unemp["met"]) == (5.5, 5.6, "no")
    assert not judge(3.0, None, "左右", 3.6, True, "%") and judge(3.0, None, "左右", 3.5, True, "%")


def test_at_least_misses_below_the_floor(df):
    r = cell(df, "安徽省", 2025, "new_jobs")  # 60万人以上 against 58.2万人
    assert (r["met"], r["gap"]) == ("no", pytest.approx(-1.8))


def test_a_range_target_keeps_both_bounds_and_is_met_from_its_lower_bound(df):
    r = cell(df, "中华人民共和国", 2019, "gdp")  # 6%－6.5% against 6.1%
    assert (r["target"], r["target_max"], r["actual"], r["met"]) == (6.0, 6.5, 6.1, "yes")
    assert reading(None, True, False) == "range"
    assert not judge(6.0, 6.5, None, 5.9, False, "%") and not judge(2.0, 3.0, None, 3.1, True, "%")


def test_two_unemployment_rates_under_one_key_stay_two_series(df):
    surveyed = cell(df, "中华人民共和国", 2019, "unemployment_surveyed")
    registered = cell(df, "中华人民共和国", 2019, "unemployment_registered")
    assert (surveyed["target"], surveyed["actual"], surveyed["met"]) == (5.5, 5.3, "yes")
    assert (registered["target"], registered["target_qualifier"]) == (4.5, "以内")
    assert pd.isna(registered["actual"])  # 2020's review names only the surveyed rate


def test_one_value_per_cell_the_next_years_review_before_a_later_restatement(df):
    r = cell(df, "安徽省", 2024, "gdp")  # 5.8 (2025's review) and 5.9 (2026, 经核实)
    assert r["actual_claim"] == "anhui_2025:1"
    assert "anhui_2026:5" in r["note"] and "next year's report" in r["note"]
    assert not df.duplicated(["jurisdiction", "year", "canonical", "measure"]).any()


def test_a_gap_against_the_nation_and_a_multi_year_average_are_no_outcome(df, out):
    # 高于全国0.8个百分点 is in points, 年均增长5.9% spans 2021-2025: neither fills a cell
    assert not (df.actual == 0.8).any() and not ((df.year == 2025) & (df.actual == 5.9)).any()
    row = {"canonical": "gdp", "kind": "target", "period_from": "2021-01", "period_to": "2025-12",
           "growth_rate": 6.0, "growth_unit": "%", "doc_id": "x", "claim_id": "x:1"}
    assert figures(row) == []
    one_year = {**row, "period_from": "2026-01", "period_to": "2026-12"}
    assert len(figures(one_year)) == 1
    assert figures({**one_year, "horizon": "average"}) == []
    assert figures({**one_year, "subject": "全国"}) == []


def test_filters_and_sqlite_input_agree_with_the_jsonl(out, df, tmp_path):
    db = str(tmp_path / "claims.db")
    export_sqlite(out, db)
    from_db = panel(db)
    cols = ["jurisdiction", "year", "canonical", "measure", "target", "actual", "met"]
    pd.testing.assert_frame_equal(from_db[cols], df[cols])
    con = sqlite3.connect(db)  # the export carries horizon, so a .db input can leave 年均 out too
    assert con.execute("SELECT horizon FROM claims WHERE claim_id = 'anhui_2026:4'").fetchone() == ("average",)
    con.close()
    provinces = panel(out, level="province", canonical=["gdp", "unemployment"])
    assert set(provinces.jurisdiction) == {"安徽省"}
    assert set(provinces.canonical) == {"gdp", "unemployment_surveyed"}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhibiao.cli", *args], capture_output=True, text=True)


def test_cli_writes_csv_with_bom_and_parquet(out, df, tmp_path):
    csv = tmp_path / "panel.csv"
    res = _cli("panel", out, "-o", str(csv), "--canonical", "gdp")
    assert res.returncode == 0, res.stderr
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    back = pd.read_csv(csv, encoding="utf-8-sig")
    assert set(back.canonical) == {"gdp"} and len(back) == (df.canonical == "gdp").sum()
    assert back[back.year == 2024].iloc[0].met == "yes"
    pq = tmp_path / "panel.parquet"
    assert _cli("panel", out, "-o", str(pq)).returncode == 0
    assert len(pd.read_parquet(pq)) == len(df)


def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "notes.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    dest = tmp_path / "panel.csv"
    res = _cli("panel", str(bad), "-o", str(dest))
    assert res.returncode == 2 and not dest.exists()
    assert res.stderr.startswith("zhibiao: error: ") and len(res.stderr.strip().splitlines()) == 1
    res = _cli("panel", str(tmp_path / "missing.jsonl"))
    assert res.returncode == 2 and "missing.jsonl" in res.stderr
    res = _cli("panel", str(tmp_path))
    assert res.returncode == 2 and "is a folder" in res.stderr
    res = _cli("panel", str(bad), "-o", str(tmp_path / "panel.xlsx"))
    assert res.returncode == 2 and ".csv or .parquet" in res.stderr


def test_cli_without_output_prints_csv(out):
    res = _cli("panel", out, "--canonical", "cpi", "--level", "national")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("jurisdiction,") and any(",2019,cpi," in x for x in lines)
    assert json.dumps("中华人民共和国", ensure_ascii=False).strip('"') in res.stdout


def test_growth_from_a_named_earlier_year_and_a_target_with_no_year_are_not_annual():
    national = DOCS.parent.parent / "corpus" / "national"
    rows = []
    for year in (1982, 1983):
        doc = extract_file(str(national / f"gwr_{year}.txt"), use_model=False).to_dict()
        rows += [claim_row(doc["doc_id"], c, doc) for c in doc["claims"]]
    # 一九八二年全国工农业总产值达到八千二百九十一亿元，比一九七八年增长百分之三十二点六
    output = next(r for r in rows if r["growth_rate"] == 32.6 and r["value_amount"] == 8291)
    assert base_year(output) == 1978
    assert [f.measure for f in figures(output)] == ["value"]  # 8291亿元 stays, 32.6% goes
    # 在这个期间(第六个五年计划)，我国工农业总产值计划增长百分之二十一点七: with no period, no year
    plan = next(r for r in rows if r["growth_rate"] == 21.7 and r["kind"] == "target")
    assert figures({**plan, "period_from": None, "period_to": None}) == []
    assert not name_fits("agriculture_va", "工农业总产值")  # contains 农业总产值, is not it
    assert base_year({"sentence": "国民收入比上年增长百分之七点四"}) is None


def test_an_outcome_far_from_its_target_is_left_out_and_said_so():
    # 1957: 工业总产值 "增加三百三十三亿元" (an increase over 1952) read as a target level,
    # and the level 704亿元 stated in 1959: not the same measure, so not a pair
    base = {"canonical": "industrial_output", "jurisdiction": "中华人民共和国", "value_unit": "亿元",
            "period_from": "1957-01", "period_to": "1957-12"}
    rows = [{**base, "kind": "target", "value_amount": 333.0, "doc_id": "gwr_1957", "claim_id": "gwr_1957:55",
             "doc_date": "1957"},
            {**base, "kind": "actual", "value_amount": 704.0, "doc_id": "gwr_1959", "claim_id": "gwr_1959:12",
             "doc_date": "1959"}]
    (row,) = build(f for r in rows for f in figures(r))
    assert row["target"] == 333.0 and row["actual"] is None and row["met"] is None
    assert "left out 704 in gwr_1959:12" in row["note"]
    assert implausible(10.0, 21.7, "growth") is None  # the 1994 price target and its outcome still pair
    assert implausible(104.1, 21.0, "growth") and implausible(60.0, 64.7, "value") is None


def test_the_start_of_a_change_is_never_the_years_outcome(df):
    # 2013's review: 居民消费价格涨幅从5.4%回落到2.6% (5.4 was 2011's; 2012's outcome is 2.6)
    cpi = cell(df, "中华人民共和国", 2012, "cpi")
    assert (cpi["target"], cpi["actual"], cpi["met"]) == (4.0, 2.6, "yes")  # the level a 涨幅 reaches
    row = {"sentence": "发电量由三千亿度增加到四千零七十三亿度", "start": 0, "span_start": 0, "span_end": 8}
    assert is_from_figure(row)  # 由三千亿度: the 1980 figure in a 1986 review of 1985
    assert not is_from_figure({**row, "sentence": "发电量三千亿度，比上年增长5%", "span_end": 7})
    gdp = cell(df, "中华人民共和国", 2012, "gdp")  # 增长7.5% (no qualifier: at least) against 7.8%
    assert (gdp["target"], gdp["actual"], gdp["met"]) == (7.5, 7.8, "yes") and pd.isna(gdp["target_qualifier"])
    registered = cell(df, "中华人民共和国", 2012, "unemployment_registered")  # 4.6%以内 against 4.1%
    assert (registered["target"], registered["actual"], registered["met"]) == (4.6, 4.1, "yes")


def test_a_narrower_indicator_and_a_goal_for_a_year_already_over_fill_no_cell():
    assert name_fits("industrial_output", "工业总产值") and not name_fits("industrial_output", "轻工业总产值")
    assert name_fits("gdp", "全省生产总值") and name_fits("cpi", "全国居民消费价格涨幅")
    # the 1980 report's 全年工业总产值计划比上年增长6％ dated 1979 by its period: a goal for a year
    # already over when the report speaks is misdated or a restatement, never the year's target
    base = {"canonical": "industrial_output", "indicator_name": "工业总产值", "jurisdiction": "中华人民共和国",
            "growth_unit": "%", "period_from": "1979-01", "period_to": "1979-12"}
    rows = [{**base, "kind": "target", "growth_rate": 6.0, "doc_id": "gwr_1980", "claim_id": "gwr_1980:79",
             "doc_date": "1980"},
            {**base, "kind": "actual", "growth_rate": 8.5, "doc_id": "gwr_1980", "claim_id": "gwr_1980:43",
             "doc_date": "1980"}]
    assert [f.kind for r in rows for f in figures(r)] == ["target", "actual"]
    assert build(f for r in rows for f in figures(r)) == []  # no target left: no series to show


def panel_of(tmp_path, **docs: str):
    """The panel of short reports written for a test (file stem -> text), in that order."""
    for stem, text in docs.items():
        (tmp_path / f"{stem}.txt").write_text(text, encoding="utf-8")
    p = tmp_path / ("-".join(docs) + ".jsonl")
    write_jsonl(str(p), (extract_file(str(tmp_path / f"{s}.txt"), use_model=False).to_dict() for s in docs))
    return panel(str(p))


def test_a_level_said_at_the_years_end_is_the_years_outcome_but_a_december_growth_is_not(tmp_path):
    got = panel_of(tmp_path, a="2012年国务院政府工作报告\n今年主要预期目标是：城镇调查失业率6%以内，居民消费价格涨幅4%左右。\n",
                   b="2013年国务院政府工作报告\n过去一年，国内生产总值增长7.8%。年末城镇调查失业率降到5.5%。"
                     "12月份居民消费价格上涨2.5%。\n")
    jobless = got[got["canonical"] == "unemployment_surveyed"].iloc[0]
    assert (jobless["year"], jobless["target"], jobless["actual"], jobless["met"]) == (2012, 6.0, 5.5, "yes")
    cpi = got[got["canonical"] == "cpi"].iloc[0]
    assert pd.isna(cpi["actual"])  # one month's rise is not the year's


def test_a_whole_years_figure_comes_before_a_year_end_level_and_a_year_not_over_has_none(tmp_path):
    row = panel_of(tmp_path, a="2022年国务院政府工作报告\n今年主要预期目标是：城镇调查失业率5.5%以内。\n",
                   b="2023年国务院政府工作报告\n过去一年，年末城镇调查失业率降到5.5%。全年城镇调查失业率平均为5.6%。\n"
                   ).set_index("year").loc[2022]
    assert (row["target"], row["actual"], row["met"]) == (5.5, 5.6, "no")
    got = panel_of(tmp_path, c="2023年国务院政府工作报告\n过去一年，城镇新增就业1206万人，年末城镇调查失业率降到5.5%。\n"
                               "今年主要预期目标是：城镇调查失业率5.5%左右。\n")
    assert not ((got["year"] == 2023) & got["actual"].notna()).any()  # 2023 is not over when 2023's report speaks

"""Exports join by place and indicator: year, division codes, English names, base units, flags."""

import csv
import sqlite3

import pandas as pd
import pytest
from zhibiao.api import Extractor
from zhibiao.io.tables import export_csv, export_parquet, export_sqlite
from zhibiao.run.batch import run_batch
from zhibiao.serve.query import load_rows, search

REPORT = ("2026年安徽省政府工作报告\n各位代表：\n"
          "2025年，全省地区生产总值增长5.5%，粮食产量835.6亿斤，一般公共预算收入3918亿元。"
          "2026年主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%左右。\n")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("exp")
    (d / "anhui.txt").write_text(REPORT, encoding="utf-8")
    jsonl = d / "out.jsonl"
    run_batch([str(d / "anhui.txt")], str(jsonl), extractor=Extractor(use_model=False))
    return d, jsonl


def test_rows_carry_year_codes_title_source_english_name_and_base_unit(out):
    d, jsonl = out
    rows = load_rows(str(jsonl))
    gdp = [r for r in rows if r["canonical"] == "gdp"]
    assert {r["year"] for r in gdp} == {2025, 2026}
    r = gdp[0]
    assert (r["jurisdiction"], r["jurisdiction_code"]) == ("安徽省", "340000")
    assert r["doc_title"] == "2026年安徽省政府工作报告" and r["source_path"].endswith("anhui.txt")
    assert r["indicator_en"].startswith("Gross domestic product")
    grain = next(r for r in rows if r["canonical"] == "grain_output")
    assert (grain["value_unit"], grain["value_base"], grain["base_unit"]) == ("亿斤", 835.6e8, "jin")
    revenue = next(r for r in rows if r["canonical"] == "general_budget_revenue")
    assert revenue["base_unit"] == "yuan"
    assert "horizon" in r


def test_flags_are_the_same_in_csv_parquet_and_sqlite(out):
    d, jsonl = out
    export_csv(str(jsonl), str(d / "c.csv"))
    export_parquet(str(jsonl), str(d / "c.parquet"))
    export_sqlite(str(jsonl), str(d / "c.db"))
    with open(d / "c.csv", encoding="utf-8", newline="") as fh:
        from_csv = [r["value_masked"] for r in csv.DictReader(fh)]
    from_parquet = [None if pd.isna(x) else int(x) for x in pd.read_parquet(d / "c.parquet")["value_masked"]]
    con = sqlite3.connect(d / "c.db")
    from_sqlite = [x for (x,) in con.execute("SELECT value_masked FROM claims")]
    con.close()
    assert from_sqlite == from_parquet
    assert from_csv == ["" if x is None else str(x) for x in from_sqlite]
    assert set(from_sqlite) <= {0, 1, None} and 0 in from_sqlite


def test_query_finds_a_place_by_its_short_name(out):
    d, jsonl = out
    rows = load_rows(str(jsonl))
    by_short = search(rows, "一般公共预算收入", subject="安徽")
    assert by_short and by_short == search(rows, "一般公共预算收入", subject="安徽省")
    assert search(rows, "地区生产总值", doc="安徽") == search(rows, "地区生产总值", doc="anhui")
    assert search(rows, "地区生产总值", doc="安徽")
    assert not search(rows, "一般公共预算收入", subject="江苏")


def _population(d):
    path = d / "population.csv"
    path.write_text("code,population\n340000,61210000\n320000,85260000\n", encoding="utf-8")
    return path


def test_the_readmes_pandas_join_by_division_code_and_canonical_key(out):
    from zhibiao.io.tables import to_dataframe

    d, jsonl = out
    claims = to_dataframe(str(jsonl))
    gdp_targets = claims[(claims.canonical == "gdp") & (claims.kind == "target")
                         & (claims.year == 2026) & claims.horizon.isna()]
    population = pd.read_csv(_population(d), dtype={"code": str})
    joined = gdp_targets.merge(population, left_on="jurisdiction_code", right_on="code")[
        ["jurisdiction", "year", "indicator_en", "growth_rate", "population"]]
    assert joined.values.tolist() == [["安徽省", 2026, "Gross domestic product (GDP)", 5.0, 61210000]]


def test_the_readmes_duckdb_join_on_a_parquet_export(out):
    import duckdb

    d, jsonl = out
    export_parquet(str(jsonl), str(d / "claims.parquet"))
    sql = (f"SELECT c.jurisdiction, c.year, c.indicator_en, c.growth_rate, p.population "
           f"FROM '{d / 'claims.parquet'}' c "
           f"JOIN read_csv('{_population(d)}', types = {{'code': 'VARCHAR'}}) p ON c.jurisdiction_code = p.code "
           "WHERE c.canonical = 'gdp' AND c.kind = 'target' AND c.horizon IS NULL "
           "ORDER BY c.jurisdiction_code, c.year")
    assert duckdb.sql(sql).fetchall() == [("安徽省", 2026, "Gross domestic product (GDP)", 5.0, 61210000)]

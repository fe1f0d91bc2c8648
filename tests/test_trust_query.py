"""`zhibiao query` a journalist can quote: figures as written, cut results said, nothing raw on a terminal."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from zhibiao import extract_text
from zhibiao.serve.query import figure_text, load_rows, render, search

SAMPLE = ("2023年全市生产总值增长5%—5.5%，城镇登记失业率控制在4%以内。全市单位GDP能耗下降18%。"
          "全市生产总值增长7.2%。")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def zhibiao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhibiao.cli", *args], capture_output=True,
                          text=True, timeout=120)


def write_jsonl(path, *docs: dict) -> str:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return str(path)


@pytest.fixture
def sample(tmp_path) -> str:
    # the rules' own fixed confidences (scorer off): the query's filter is tested on known values
    return write_jsonl(tmp_path / "s.jsonl", extract_text(SAMPLE, doc_id="s2023", scorer="off").to_dict())


def by_name(rows, name):
    return [r for r in rows if r["indicator_name"] == name]


def test_growth_range_is_shown_as_a_range_not_its_lower_end(sample):
    r = by_name(load_rows(sample), "生产总值")[0]
    assert r["growth_max"] == 5.5
    assert "5–5.5%" in figure_text(r) and "+5" not in figure_text(r)


def test_qualifier_stays_with_its_number(sample):
    r = by_name(load_rows(sample), "城镇登记失业率")[0]
    assert "4%以内" in figure_text(r)


def test_a_fall_is_shown_negative(sample):
    r = by_name(load_rows(sample), "单位GDP能耗")[0]
    assert "-18%" in figure_text(r)


def test_prefix_qualifier_goes_before_the_number():
    r = {"value_amount": 2.0, "value_unit": "万人", "value_qualifier": "近", "qualifier": "近"}
    assert figure_text(r) == "近2 万人"


def test_query_says_when_the_limit_cut_the_results(sample):
    r = zhibiao("query", sample, "--limit", "1")
    assert r.returncode == 0, r.stderr
    assert "showing 1 of 4 claims" in r.stdout and "--limit" in r.stdout
    full = zhibiao("query", sample)
    assert "showing" not in full.stdout and "4 claims" in full.stdout


def test_exact_and_canonical_keep_other_indicators_out(sample):
    rows = load_rows(sample)
    loose = {r["indicator_name"] for r in search(rows, "GDP")}
    assert "单位GDP能耗" in loose  # a substring match: the reason --exact exists
    exact = {r["indicator_name"] for r in search(rows, "GDP", exact=True)}
    assert exact == {"生产总值"}
    assert {r["canonical"] for r in search(rows, canonical="gdp")} == {"gdp"}
    r = zhibiao("query", sample, "--canonical", "energy_intensity")
    assert "单位GDP能耗" in r.stdout and "生产总值" not in r.stdout.replace("单位GDP能耗", "")


def test_min_confidence_drops_weaker_claims(sample):
    rows = load_rows(sample)
    rows[0]["confidence"] = 0.5
    kept = search(rows, min_confidence=0.9)
    assert len(kept) == len(rows) - 1 and all(r["confidence"] >= 0.9 for r in kept)
    r = zhibiao("query", sample, "--min-confidence", "0.99")
    assert "no matching claims" in r.stdout
    bad = zhibiao("query", sample, "--min-confidence", "7")
    assert bad.returncode == 2 and "min-confidence" in bad.stderr


def hostile_doc() -> dict:
    d = extract_text(SAMPLE, doc_id="evil\x1b]0;owned\x07").to_dict()
    c = d["claims"][0]
    c["indicator"]["name"] = "生产总值\x1b[2J\x9b31m"
    c["sentence"]["text"] = "\x1b[31m红\x1b[0m" + c["sentence"]["text"] + "\r\x08\x08"
    return d


def test_query_prints_no_terminal_escape_sequences(tmp_path):
    src = write_jsonl(tmp_path / "h.jsonl", hostile_doc())
    for args in ([], ["--json"]):
        r = zhibiao("query", src, "生产总值", *args)
        assert r.returncode == 0, r.stderr
        assert "生产总值" in r.stdout
        assert not CONTROL.search(r.stdout.replace("\n", "")), repr(r.stdout[:300])
    # --json stays valid JSON with the text kept (escaped, not lost)
    line = zhibiao("query", src, "生产总值", "--json").stdout.splitlines()[0]
    assert json.loads(line)["indicator_name"] == "生产总值\x1b[2J\x9b31m"


def test_render_marks_the_evidence_in_plain_text(sample):
    out = render(search(load_rows(sample), "失业率"))
    assert "【" in out and "4%以内" in out


def test_exports_carry_the_document_date_jurisdiction_and_period_range(tmp_path):
    from zhibiao import extract_text
    from zhibiao.io.tables import iter_rows
    from zhibiao.serve.query import search

    doc = extract_text("2026年吉林省政府工作报告\n各位代表：\n今年地区生产总值增长5%左右。\n2025年粮食产量增长3%。",
                       doc_id="jl")
    out = tmp_path / "o.jsonl"
    out.write_text(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    rows = list(iter_rows(str(out)))
    gdp = next(r for r in rows if r["indicator_name"] == "地区生产总值")
    assert (gdp["doc_date"], gdp["jurisdiction"], gdp["jurisdiction_level"]) == ("2026", "吉林省", "province")
    assert (gdp["period_from"], gdp["period_to"], gdp["kind"]) == ("2026-01", "2026-12", "target")
    assert [r["indicator_name"] for r in search(rows, year="2025")] == ["粮食产量"]

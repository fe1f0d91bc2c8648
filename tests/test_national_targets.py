"""The research task of issue 13 on the older national reports (corpus/national): their
announced annual targets come out as targets, dated with the plan's year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from zhibiao import extract_file
from zhibiao.dev.evaluate import score_targets

FOLDER = Path(__file__).resolve().parents[1] / "corpus" / "national"


@pytest.fixture(scope="module")
def scored():
    targets = [json.loads(x) for x in (FOLDER / "targets.jsonl").read_text(encoding="utf-8").splitlines() if x]
    files = sorted({t["file"] for t in targets})
    # every claim the rules make (min_confidence=0): "found" asks whether the rules read the
    # figure, whatever its name; the scorer drops some of these claims, most of them misnamed
    outputs = {f: extract_file(str(FOLDER / f), use_model=False, min_confidence=0).to_dict() for f in files}
    texts = {f: (FOLDER / f).read_text(encoding="utf-8") for f in files}
    return score_targets(targets, outputs, texts)


def test_annual_targets_are_found_and_come_out_as_targets_of_their_year(scored):
    assert scored["targets"] >= 150
    assert scored["found"] >= 0.91
    assert scored["kind_target"] >= 0.85
    assert scored["dated"] >= 0.87


def test_a_national_report_speaks_from_its_own_year():
    doc = extract_file(str(FOLDER / "gwr_1985.txt"), use_model=False)
    assert doc.date.year == 1985


def test_the_base_of_a_comparison_is_last_years_outcome_and_the_growth_the_plans():
    from zhibiao import extract_text

    doc = extract_text("1959年国务院政府工作报告\n一九五九年的工农业总产值将比一九五八年的二千零五十亿元增长百分之四十，"
                       "达到二千八百七十亿元。\n计划规定，一九五九年的铁路货物运输量将达到五亿二千万吨，比一九五八年的三亿八千万吨"
                       "增长百分之三十六。\n", use_model=False)
    got = [(c.value.amount if c.value else None, c.growth.rate if c.growth else None, c.kind, c.period) for c in doc.claims]
    assert (2050, None, "actual", "一九五八年") in got and (None, 40, "target", "一九五九年") in got
    assert (52000, 36, "target", "一九五九年") in got and (38000, None, "actual", "一九五八年") in got

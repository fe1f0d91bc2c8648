"""The research task on the 27 provincial reports of 2026 (corpus/unlabeled): each main
expected target comes out by the plain filter a researcher writes (catalogue key, value or
growth, kind target, the year 2026, no horizon, no other subject), and no other claim of the
report passing that filter says another figure. Gold: corpus/unlabeled/targets.jsonl, read by
hand from the reports' 主要预期目标 paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from zhibiao import extract_file, extract_text
from zhibiao.dev.evaluate import score_targets

FOLDER = Path(__file__).resolve().parents[1] / "corpus" / "unlabeled"


@pytest.fixture(scope="module")
def scored():
    targets = [json.loads(x) for x in (FOLDER / "targets.jsonl").read_text(encoding="utf-8").splitlines() if x]
    files = sorted({t["file"] for t in targets})
    outputs = {f: extract_file(str(FOLDER / f), use_model=False).to_dict() for f in files}
    texts = {f: (FOLDER / f).read_text(encoding="utf-8") for f in files}
    return score_targets(targets, outputs, texts)


def test_the_provinces_main_targets_come_out_by_the_plain_filter(scored):
    assert scored["targets"] >= 170 and scored["with_key"] >= 170
    assert scored["found"] >= 0.98 and scored["kind_target"] >= 0.98 and scored["dated"] >= 0.98
    assert scored["keyed"] >= 0.97 and scored["measure"] >= 0.98
    assert scored["plain"] >= 0.95, scored["wrong"]


def _claims(text: str) -> list[tuple]:
    doc = extract_text("2026年政府工作报告\n" + text, use_model=False)
    return [(c.indicator.name, (c.value or c.growth).amount if c.value else c.growth.rate, c.kind, c.horizon)
            for c in doc.claims]


def test_a_rate_held_at_a_goal_after_a_count_is_a_target_of_its_own():
    got = _claims("今年主要预期目标是：城镇新增就业47万人以上、城镇调查失业率控制在5.5%以内。")
    assert ("城镇调查失业率", 5.5, "target", None) in got


def test_a_count_of_units_whose_rate_passes_a_threshold_is_still_no_claim():
    got = _claims("去年全市6个镇街增幅在20%以上。")
    assert not any(g[1] == 20 for g in got)


def test_a_years_mean_concentration_is_a_level_of_the_year_not_an_average_over_years():
    got = _claims("今年主要预期目标是：细颗粒物年均浓度控制在29微克/立方米左右。")
    assert got == [("细颗粒物年均浓度", 29.0, "target", None)]


def test_the_three_industries_written_short_take_their_figures_in_order():
    got = _claims("今年主要预期目标是：一二三产增加值分别增长3.5%、6%、5%左右。")
    assert [g[0] for g in got] == ["第一产业增加值", "第二产业增加值", "第三产业增加值"]

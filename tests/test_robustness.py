"""The damage suite (pipeline/dev/robustness.py): CI floors per damage type, and the
projection of gold onto the damaged text.

Floors are today's F1 minus 0.02, rounded down (rules alone, corpus/): they hold today's
level. The goal of the issue is F1 >= 0.95 x undamaged F1 on every damage type
(``make robustness`` prints which types meet it). Invented numbers on the mask types
should be 0 (a mask must never become a number): the ceilings hold today's counts and
the ``goal`` tests, expected to fail for now, turn into failures (XPASS) once a type
reaches 0, so that its ceiling is lowered to 0.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from zhibiao.dev.robustness import (
    DAMAGES,
    GOAL,
    MASK_STYLES,
    SEED,
    Edit,
    Plan,
    bracket_benchmarks,
    damage_doc,
    drop_percent,
    load_corpus,
    located_rows,
    map_span,
    mask_with,
    project,
    run_damage,
    tables,
    undamaged_result,
)

CORPUS = str(Path(__file__).resolve().parent.parent / "corpus")
MASKS = [f"mask_{s}" for s in MASK_STYLES]

FLOORS = {
    "undamaged": 0.96,  # measured 0.983
    "mask_X": 0.96,  # measured 0.982
    "mask_x": 0.96,  # measured 0.982
    "mask_XX": 0.96,  # measured 0.982
    "mask_X.X": 0.96,  # measured 0.982
    "mask_××.××": 0.96,  # measured 0.982
    "mask_□": 0.96,  # measured 0.982
    "mask_○": 0.96,  # measured 0.982
    "mask____": 0.96,  # measured 0.982
    "mask_blank": 0.95,  # measured 0.977
    "drop_percent": 0.95,  # measured 0.978
    "line_breaks": 0.95,  # measured 0.971
    "page_furniture": 0.96,  # measured 0.983
    "ocr_spaces": 0.96,  # measured 0.983
    "traditional_tw": 0.93,  # measured 0.952
    "pinyin_gloss": 0.96,  # measured 0.983
    "tables": 0.96,  # measured 0.984 (50 table cells added, all read)
    "bracket_benchmarks": 0.96,  # measured 0.980 (40 benchmark and gap facts added)
}
ADDS_FACTS = {"tables", "bracket_benchmarks"}  # damage types that add gold rows of their own

# invented numbers today (goal 0): lower a ceiling when a fix lands
INVENTED_CEILING = {  # every claim kept (no --min-confidence): two claims wrong undamaged too
    "mask_X": 2, "mask_x": 2, "mask_XX": 2, "mask_X.X": 2, "mask_××.××": 2,
    "mask_□": 2, "mask_○": 2, "mask____": 2, "mask_blank": 2,
}


@pytest.fixture(scope="module")
def results():
    corpus = load_corpus(CORPUS)
    out = {d.name: run_damage(d, corpus) for d in DAMAGES}
    out["undamaged"] = undamaged_result(CORPUS)
    return out


def test_every_damage_type_has_a_floor():
    assert set(FLOORS) == {"undamaged", *(d.name for d in DAMAGES)}
    assert set(INVENTED_CEILING) == set(MASKS)


@pytest.mark.parametrize("name", list(FLOORS))
def test_f1_floor(results, name):
    f = results[name].figures
    assert f["f1"] >= FLOORS[name], f"{name}: F1 {f['f1']:.3f} below its floor {FLOORS[name]}"
    assert f["provenance"] == 1.0
    base = results["undamaged"].figures["gold_core_facts"]
    assert results[name].documents == 20
    assert f["gold_core_facts"] > base if name in ADDS_FACTS else f["gold_core_facts"] == base


@pytest.mark.parametrize("name", [d.name for d in DAMAGES])
def test_every_damage_keeps_the_goal_share_of_undamaged_f1(results, name):
    """The issue's goal: F1 on every damage type >= GOAL (0.95) x the undamaged F1."""
    ratio = results[name].figures["f1"] / results["undamaged"].figures["f1"]
    assert ratio >= GOAL, f"{name}: {ratio:.3f} of undamaged F1"


@pytest.mark.parametrize("name", MASKS)
def test_mask_invented_ceiling(results, name):
    assert results[name].figures["invented_numbers"] <= INVENTED_CEILING[name]


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(
    INVENTED_CEILING[n] > 0, reason="masks still read as numbers (see INVENTED_CEILING)", strict=True))
    for n in MASKS])
def test_mask_invented_goal(results, name):
    assert results[name].figures["invented_numbers"] == 0


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.name)
def test_projected_gold_locates(damage):
    """Every projected ``sent`` is found in the damaged text, first at the place its
    undamaged span maps to; the damage is deterministic."""
    for doc in load_corpus(CORPUS):
        plan = damage.transform(doc.text, doc.rows, random.Random(f"{SEED}:{damage.name}:{doc.doc_id}"))
        text, rows = project(doc.text, doc.rows, plan)
        assert len(rows) == len(doc.rows) + len(plan.added)
        for r in plan.added:
            assert text.count(r["sent"]) == 1, (damage.name, doc.doc_id, r["sent"])
        for (a, old), new in zip(located_rows(doc.text, doc.rows), rows, strict=False):
            at = map_span(plan.edits, a, a + len(old["sent"]))[0]
            assert text.find(new["sent"]) == at >= 0, (damage.name, doc.doc_id, old["sent"])
        assert damage_doc(damage, doc) == damage_doc(damage, doc)


def test_transforms_are_documented():
    for d in DAMAGES:
        assert d.transform.__doc__ and any("\u4e00" <= ch <= "\u9fff" for ch in d.example), d.name


def test_mask_projects_gold():
    text = "上半年实现地区生产总值42亿元，增长9.1%，总量居全省第3位。"
    rows = [{"sent": "实现地区生产总值42亿元，增长9.1%", "indicator": "地区生产总值",
             "value": {"amount": 42, "unit": "亿元", "masked": False},
             "growth": {"rate": 9.1, "unit": "%", "masked": False}, "ranks": []}]
    damaged, (row,) = project(text, rows, mask_with("X.X")(text, rows, random.Random(0)))
    assert damaged == "上半年实现地区生产总值X.X亿元，增长9.1%，总量居全省第3位。"
    assert row["sent"] == "实现地区生产总值X.X亿元，增长9.1%"
    assert row["value"] == {"amount": None, "unit": "亿元", "masked": True, "max": None}
    assert row["growth"] == rows[0]["growth"]


def test_drop_percent_and_spans():
    text = "地区生产总值增长5%，占比31.8%，目标增长5%—5.5%。"
    damaged, _ = project(text, [], drop_percent(text, [], random.Random(0)))
    assert damaged == "地区生产总值增长5，占比31.8%，目标增长5%—5.5%。"
    # an insertion at a span's edge falls outside it, one inside falls inside
    edits = [Edit(2, 2, "X"), Edit(4, 4, "\n"), Edit(6, 6, "Y")]
    assert map_span(edits, 2, 6) == (3, 8)
    assert project("abcdefgh", [{"sent": "cdef"}], Plan(edits))[1][0]["sent"] == "cd\nef"


def test_tables_lay_out_the_figures_the_text_gives():
    text = "全区地区生产总值42亿元，增长9.1%。财政收入13亿元，增长5%。"
    rows = [{"sent": "全区地区生产总值42亿元，增长9.1%", "indicator": "地区生产总值",
             "value": {"amount": 42, "unit": "亿元", "masked": False}, "growth": {"rate": 9.1, "unit": "%", "masked": False}},
            {"sent": "财政收入13亿元，增长5%", "indicator": "财政收入",
             "value": {"amount": 13, "unit": "亿元", "masked": False}, "growth": {"rate": 5, "unit": "%", "masked": False}}]
    plan = tables(text, rows, _AlwaysKeep())
    damaged, projected = project(text, rows, plan)
    assert damaged.endswith("单位：亿元\n指标|数值|比上年增长（%）|\n地区生产总值|42|9.1|\n财政收入|13|5|\n")
    assert [(r["indicator"], r["value"], r["growth"] and r["growth"]["rate"]) for r in projected[2:]] == [
        ("地区生产总值", {"amount": 42, "unit": "亿元", "masked": False}, None), ("地区生产总值", None, 9.1),
        ("财政收入", {"amount": 13, "unit": "亿元", "masked": False}, None), ("财政收入", None, 5)]


def test_bracket_benchmarks_quote_a_lower_rate_and_the_gap():
    text = "全区地区生产总值增长9.1%，财政收入增长5%。"
    rows = [{"sent": "全区地区生产总值增长9.1%", "indicator": "地区生产总值", "value": None,
             "growth": {"rate": 9.1, "unit": "%", "masked": False}}]
    damaged, projected = project(text, rows, bracket_benchmarks(text, rows, _AlwaysKeep()))
    gap = projected[2]["growth"]["rate"]
    bench = projected[1]["growth"]["rate"]
    assert round(bench + gap, 6) == 9.1 and projected[1]["subject"] == "全国" and projected[2]["subject"] is None
    assert f"增长9.1%，比全国（{bench:g}%）高{gap:g}个百分点，财政收入" in damaged


class _AlwaysKeep(random.Random):
    """A generator whose draws keep every candidate (random() is never below a share)."""

    def random(self) -> float:
        return 0.99

"""Every rule in rules/*.yaml runs its own positive examples and near-miss negatives."""

from __future__ import annotations

import pytest
from zhibiao import extract_text
from zhibiao.api import _ranks as api_ranks
from zhibiao.grammar.figures import analyse
from zhibiao.grammar.numbers import find_figures
from zhibiao.linking.linker import SentenceLinker
from zhibiao.ruleset.load import load_rules
from zhibiao.text.normalize import (
    drop_boilerplate,
    reverse_taiwan,
    star_brackets,
    strip_footnotes,
    strip_pinyin,
)
from zhibiao.text.offsets import OffsetText

NORM = load_rules("normalize")
FIG = load_rules("figures")
CUES = load_rules("cues")
LEX = load_rules("indicators")
EXCL = load_rules("exclusions")


def _cases(section: dict, key: str) -> list:
    return section.get(key) or []


STEPS = {
    "boilerplate": drop_boilerplate,
    "pinyin_gloss": strip_pinyin,
    "footnote_marks": strip_footnotes,
    "star_brackets": star_brackets,
    "taiwan_phrases": reverse_taiwan,
}


@pytest.mark.parametrize("step,case", [(k, c) for k in STEPS for c in
                                       _cases(NORM[k], "examples") + _cases(NORM[k], "negatives")])
def test_normalize_rule(step, case):
    assert STEPS[step](OffsetText(case["input"])).text == case["output"]


@pytest.mark.parametrize("case", FIG["examples"], ids=lambda c: c["text"])
def test_figure_examples(case):
    figs = find_figures(case["text"])
    assert len(figs) == 1, figs
    f = figs[0]
    assert f.unit == case["unit"]
    assert f.masked == case.get("masked", False)
    if not f.masked:
        assert f.amount == pytest.approx(case["amount"])
    assert f.max == (pytest.approx(case["max"]) if "max" in case else None)
    assert f.qualifier == case.get("qualifier")


@pytest.mark.parametrize("text", FIG["negatives"])
def test_figure_negatives(text):
    assert find_figures(text) == []


def _figs(text: str, type_: str):
    return [f for f in analyse(text).figs if f.type == type_]


@pytest.mark.parametrize("case", CUES["growth"]["examples"] + CUES["growth"]["negatives"],
                         ids=lambda c: c["text"])
def test_growth_cues(case):
    figs = [f for f in analyse(case["text"]).figs if f.type != "rank"]
    assert len(figs) == 1
    assert figs[0].type == case["type"]
    assert figs[0].number == pytest.approx(case["number"])


@pytest.mark.parametrize("case", CUES["comparison"]["examples"], ids=lambda c: c["text"])
def test_comparison(case):
    comp = [f for f in analyse(case["text"]).figs if f.comparison]
    assert [f.subject for f in comp] == [case["subject"]]
    assert comp[0].number == pytest.approx(case["number"])


@pytest.mark.parametrize("case", CUES["rank"]["examples"], ids=lambda c: c["text"])
def test_rank_examples(case):
    ranks = [rk for f in _figs(case["text"], "rank") for rk in api_ranks(f)]  # as the output holds them
    assert [r.position for r in ranks] == case["positions"]
    assert [r.by for r in ranks] == case["by"]


@pytest.mark.parametrize("text", CUES["rank"]["negatives"])
def test_rank_negatives(text):
    assert _figs(text, "rank") == []


@pytest.mark.parametrize("case", CUES["kind"]["examples"], ids=lambda c: c["text"])
def test_kind_examples(case):
    doc = extract_text(case["text"] + "。")
    assert doc.claims, case
    assert {c.kind for c in doc.claims} == {case["kind"]}


@pytest.mark.parametrize("case", CUES["period"]["examples"], ids=lambda c: c["text"])
def test_period_examples(case):
    doc = extract_text(case["text"] + "。")
    assert doc.claims and doc.claims[0].period == case["period"]


@pytest.mark.parametrize("text", CUES["period"]["negatives"])
def test_period_negatives(text):
    assert analyse(text).periods == []


@pytest.mark.parametrize("case", CUES["subject"]["examples"], ids=lambda c: c["text"])
def test_subject_examples(case):
    figs = [f for f in analyse(case["text"]).figs]
    assert [f.subject for f in figs] == case["subjects"]


@pytest.mark.parametrize("case", CUES["indicator_phrase"]["examples"], ids=lambda c: c["text"])
def test_indicator_phrase_examples(case):
    parts = analyse(case["text"])
    drafts = SentenceLinker(parts, "区").run()
    if "indicators" in case:  # a list: every name, in order
        assert [d.ind.name for d in drafts] == case["indicators"]
    else:
        assert drafts and drafts[-1].ind.name == case["indicator"]


@pytest.mark.parametrize("case", LEX["examples"], ids=lambda c: c["text"])
def test_lexicon_examples(case):
    doc = extract_text(case["text"] + "。")
    assert doc.claims[0].indicator.name == case["name"]
    assert doc.claims[0].indicator.canonical == case["canonical"]


def test_lexicon_names_unique():
    seen: dict[str, str] = {}
    for e in LEX["indicators"]:
        for n in e["names"]:
            assert n not in seen, f"{n} in {seen.get(n)} and {e['key']}"
            seen[n] = e["key"]


@pytest.mark.parametrize("text", EXCL["counted_nouns"]["negatives"] + EXCL["chinese_count_numerals"]["negatives"]
                         + EXCL["threshold_attributes"]["negatives"] + EXCL["denominators"]["negatives"]
                         + EXCL["rate_attributes"]["negatives"])
def test_exclusions(text):
    assert extract_text(text + "。").claims == []


@pytest.mark.parametrize("case", EXCL["threshold_attributes"]["examples"] + EXCL["rate_attributes"]["examples"])
def test_threshold_examples_stay_claims(case):
    assert [c.value.amount if c.value else c.growth.rate for c in extract_text(case["text"]).claims] == [case["amount"]]

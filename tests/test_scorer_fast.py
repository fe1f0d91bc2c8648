"""The scorer's fast path (``scorer.fast``) gives exactly the score of the reference feature
list (``features_of``, what ``zhibiao train-scorer`` learns from) on real text: the same
float, on first sight of every value and from its tables, and the same claims kept."""

from __future__ import annotations

import pytest
from conftest import ROOT, SPEECHES
from zhibiao import extract_file, extract_text, stages
from zhibiao.scorer import fast
from zhibiao.scorer import model as scorer
from zhibiao.scorer.features import FAMILIES, FeatureInput, features_of, name_pairs

pytestmark = pytest.mark.skipif(scorer.load() is None, reason="no shipped scorer")
GENRES = ROOT / "corpus" / "genres" / "docs"


def _inputs(monkeypatch, paths) -> list[tuple[FeatureInput, float]]:
    """Each claim's FeatureInput as extraction builds it, with the confidence it was given."""
    seen: list[tuple[FeatureInput, object]] = []

    def record(genre, parts, draft, claim):
        x = real(genre, parts, draft, claim)
        seen.append((x, claim))
        return x

    real = stages.input_of
    monkeypatch.setattr(stages, "input_of", record)
    for p in paths:
        extract_file(str(p))
    return [(x, claim.confidence) for x, claim in seen]


@pytest.fixture(scope="module")
def real_claims():
    mp = pytest.MonkeyPatch()
    try:
        paths = sorted(SPEECHES.glob("*.txt")) + sorted(GENRES.glob("*.txt"))
        return _inputs(mp, paths)
    finally:
        mp.undo()


def test_the_fast_path_gives_the_reference_score_to_the_last_bit_on_speeches_and_genre_pages(real_claims):
    m = scorer.load()
    cold, warm = fast.FastScorer(m), fast.fast_scorer(m)  # every value new to the one, mostly known to the other
    assert len(real_claims) > 1500
    for x, confidence in real_claims:
        feats = features_of(x)
        want = m.raw(feats)
        assert cold.raw(x) == want and warm.raw(x) == want, feats
        assert confidence == round(m.probability(feats), 3)


def test_full_tables_start_again_and_still_weigh_every_claim_right(real_claims, monkeypatch):
    monkeypatch.setattr(fast, "MEMO", 5)
    m = scorer.load()
    small = fast.FastScorer(m)
    for x, _ in real_claims[:800]:
        assert small.raw(x) == m.raw(features_of(x))
    assert max(len(t) for t in small.tables if isinstance(t, fast._Memo)) <= 5


def test_a_value_the_model_never_saw_weighs_nothing_and_a_known_one_its_weight():
    m = scorer.load()
    x = FeatureInput("地区生产总值", "地区生产总值", "gdp", "value", "亿元", "link.lexicon", "value.unit",
                     "kind.section", "rule", "全市实现", "，增长", "work_report", 40, 3, 131.2)
    assert fast.fast_scorer(m).raw(x) == m.raw(features_of(x))
    odd = FeatureInput("龘龘龘", "龘龘龘", None, "value", "龘", None, None, None, "rule", "龘龘龘龘", "龘龘",
                       None, 7, 1, None)
    assert fast.fast_scorer(m).raw(odd) == m.raw(features_of(odd))
    assert "ng:龘龘" not in m.weights and fast.fast_scorer(m).probability(odd) == m.probability(features_of(odd))


def test_every_weight_of_the_shipped_model_belongs_to_a_family_the_features_still_make():
    families = {f.name for f in FAMILIES}
    assert {k.split(":", 1)[0] for k in scorer.load().weights} <= families


def test_features_come_one_a_family_in_order_with_the_name_pairs_after_digit_name():
    x = FeatureInput("规模以上工业增加值", "规模以上工业增加值", None, "growth", "%", "link.phrase", "growth.verb",
                     "kind.past", "rule", "全市", "。", "work_report", 30, 2, 8.1)
    got = [f.split(":", 1)[0] for f in features_of(x)]
    pairs = name_pairs(x.name)
    assert pairs == ["规模", "模以", "以上", "上工", "工业", "业增", "增加", "加值"]
    at = [f.name for f in FAMILIES].index("ng")
    assert got == [f.name for f in FAMILIES[:at]] + ["ng"] * len(pairs) + [f.name for f in FAMILIES[at + 1:]]


TEXT = ("全市地区生产总值完成131.2亿元，增长9.1%。全年共办理各类案件1520件。"
        "全区单项投资在1000万元以上的重点工业项目32个。规模以上工业增加值增长8.1%，高于全省平均水平2.1个百分点。")


@pytest.mark.parametrize("floor", [0.0, 0.5, 0.9])
def test_claims_scored_in_batches_of_one_or_of_many_come_out_the_same(floor, monkeypatch):
    whole = extract_text(TEXT, min_confidence=floor).to_dict()
    monkeypatch.setattr(stages, "SCORE_BATCH", 1)
    assert extract_text(TEXT, min_confidence=floor).to_dict() == whole


def test_a_floor_drops_the_claims_under_it_and_numbers_the_rest_in_order():
    every = extract_text(TEXT, min_confidence=0.0).claims
    floor = sorted(c.confidence for c in every)[len(every) // 2]
    kept = extract_text(TEXT, min_confidence=floor).claims
    assert 0 < len(kept) < len(every)
    assert [c.span for c in kept] == [c.span for c in every if c.confidence >= floor]
    assert [c.id for c in kept] == [f"doc:{i}" for i in range(1, len(kept) + 1)]


def test_other_rules_in_force_drop_the_fast_path_built_under_the_rules_before(real_claims):
    from zhibiao.api import Extractor

    Extractor(use_model=False)(TEXT)
    before = fast.fast_scorer(scorer.load())
    ablated = Extractor(use_model=False, disabled_rules=frozenset({"link.lexicon"}))(TEXT)
    m = scorer.load()
    assert fast.fast_scorer(m) is not before  # its name marks read the count verbs of the rules before
    assert ablated.claims and all(0.0 <= c.confidence <= 1.0 for c in ablated.claims)
    x, _ = real_claims[0]
    assert fast.fast_scorer(m).raw(x) == m.raw(features_of(x))

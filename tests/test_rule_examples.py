"""Every examples/negatives block of every rule in rules/*.yaml, run by the rule's id."""

from __future__ import annotations

import pytest
from zhibiao.dev.rule_cases import RUNNERS, cases, check, runner
from zhibiao.linking.strategies import STRATEGIES
from zhibiao.ruleset.load import RuleError, load_rule_file, load_rules

CASES = list(cases())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}:{c.kind}:{c.text[:24]}")
def test_rule_case_holds(case):
    assert check(case) is None, check(case)


def test_every_rule_with_examples_has_a_runner():
    for rule in {c.rule for c in CASES}:
        runner(rule)  # raises KeyError for a rule id no runner knows
    with pytest.raises(KeyError, match="no runner"):
        runner("growth.verbb")


def test_every_runner_has_cases():
    assert set(RUNNERS) <= {c.rule for c in CASES}


def test_linking_yaml_lists_every_strategy_in_the_order_the_linker_tries_them():
    listed = [s["id"] for s in load_rules("linking")["strategies"]]
    tried = [s.name for s in STRATEGIES]
    assert listed[:len(tried)] == tried
    assert set(listed) - set(tried) <= {"link.shared_figure", "link.pairs", "link.entity", "link.list_as_written",
                                             "link.model", "link.carried"}


def test_a_misspelled_examples_key_is_rejected_with_file_and_line(tmp_path):
    bad = tmp_path / "linking.yaml"
    bad.write_text("version: 1\nstrategies:\n  - id: link.phrase\n    examples:\n"
                   "      - {text: 建成海外仓58个, indicator: 建成海外仓}\n    exampels: []\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"linking.yaml:\d+: .*exampels"):
        load_rule_file(bad, "linking")


def test_fragments_are_expanded_into_patterns_by_reference(tmp_path):
    (tmp_path / "vocabulary.yaml").write_text(
        "version: 1\nfragments:\n  digit: '[一二三]'\n  ordinal: '第{digit}'\n", encoding="utf-8")
    cues = tmp_path / "exclusions.yaml"
    cues.write_text("version: 1\ncounted_nouns: {id: x, window: 3, nouns: []}\n"
                    "threshold_attributes: {id: t, qualifiers: [], before: '{ordinal}$', unit_kinds: [],"
                    " noun_after: 'a', not_noun: 'b'}\nrate_attributes: {id: r, patterns: []}\n", encoding="utf-8")
    data = load_rule_file(cues, "exclusions")
    assert data["threshold_attributes"]["before"] == "(?:第(?:[一二三]))$"


def test_an_unknown_fragment_or_a_broken_pattern_under_any_key_fails_at_load_with_file_and_line(tmp_path):
    (tmp_path / "vocabulary.yaml").write_text("version: 1\nfragments:\n  digit: '[一二三]'\n", encoding="utf-8")
    base = ("version: 1\ncounted_nouns: {id: x, window: 3, nouns: []}\n"
            "threshold_attributes:\n  id: t\n  qualifiers: []\n  before: 'a'\n  unit_kinds: []\n"
            "  noun_after: '%s'\n  not_noun: 'b'\nrate_attributes: {id: r, patterns: []}\n")
    for bad, reason in (("{digits}", "unknown fragment"), ("(unclosed", "bad pattern")):
        f = tmp_path / "exclusions.yaml"
        f.write_text(base % bad, encoding="utf-8")
        with pytest.raises(RuleError, match=rf"exclusions.yaml:8: .*{reason}"):
            load_rule_file(f, "exclusions")

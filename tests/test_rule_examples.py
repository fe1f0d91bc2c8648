"""Every examples/negatives block of every rule in rules/*.yaml, run by the rule's id."""

from __future__ import annotations

import pytest
from zhibiao.linking.strategies import STRATEGIES
from zhibiao.ruleset.examples import RUNNERS, cases, check, runner
from zhibiao.ruleset.load import RuleError, load_rule_file, load_rules

CASES = list(cases())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}:{c.kind}:{c.text[:24]}")
def test_rule_case_holds(case):
    assert check(case) is None, check(case)


def test_every_rule_with_examples_has_a_runner():
    for rule in {c.rule for c in CASES}:
        assert runner(rule) is not None


def test_every_runner_has_cases():
    assert set(RUNNERS) <= {c.rule for c in CASES}


def test_linking_yaml_lists_every_strategy_in_the_order_the_linker_tries_them():
    listed = [s["id"] for s in load_rules("linking")["strategies"]]
    tried = [s.name for s in STRATEGIES]
    assert listed[:len(tried)] == tried
    assert set(listed) - set(tried) <= {"link.shared_figure", "link.urban_rural"}


def test_a_misspelled_examples_key_is_rejected_with_file_and_line(tmp_path):
    bad = tmp_path / "linking.yaml"
    bad.write_text("version: 1\nstrategies:\n  - id: link.phrase\n    examples:\n"
                   "      - {text: 建成海外仓58个, indicator: 建成海外仓}\n    exampels: []\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"linking.yaml:\d+: .*exampels"):
        load_rule_file(bad, "linking")

"""The rule files as data: what holds across a whole file (the examples of each rule are
run by tests/test_rule_examples.py)."""

from __future__ import annotations

from zhibiao.ruleset.load import load_rules

LEX = load_rules("indicators")


def test_lexicon_names_unique():
    seen: dict[str, str] = {}
    for e in LEX["indicators"]:
        for n in e["names"]:
            assert n not in seen, f"{n} in {seen.get(n)} and {e['key']}"
            seen[n] = e["key"]

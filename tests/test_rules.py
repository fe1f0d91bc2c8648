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


def test_numeral_values_match_their_fragments():
    """figures.yaml ``numerals`` gives a value to exactly the characters of the fragments."""
    from zhibiao.ruleset.load import fragment

    n = load_rules("figures")["numerals"]
    for key, name in (("digits", "cn_digit_all"), ("multipliers", "cn_multiplier"), ("scales", "cn_scale")):
        assert set(n[key]) == set(fragment(name).strip("[]")), key
    assert set(fragment("cn_fraction_digit").strip("[]")) <= set(n["digits"])

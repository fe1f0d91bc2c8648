"""The patterns and word pairs of rules/linking.yaml the linker and its strategies read."""

from __future__ import annotations

import functools

import regex

from ..ruleset.load import fragment, load_rules, pattern


@functools.cache  # dropped with the module's other tables when the rules in force change
def linking(name: str) -> regex.Pattern:
    """A pattern of rules/linking.yaml ``patterns``."""
    return pattern("linking", "patterns", name)


@functools.lru_cache(maxsize=1)
def own_rate_pattern() -> regex.Pattern:
    """A rate word, then (within the clause) a comparison cue of rules/cues.yaml or a
    comparison marker (比, 较): 增幅高于全国, 增速比全省平均水平高."""
    comp = "|".join(load_rules("cues")["comparison"]["cues"] + [fragment("compare_marker")])
    return regex.compile(rf"(?P<rate>{fragment('rate_word')})(?=[^，,；;。]{{0,12}}?(?:{comp}))")


def counterparts(parts: list[str]) -> list[str]:
    """一般公共预算收入和支出 -> 一般公共预算收入, 一般公共预算支出: a second name that is the
    first's counterpart word alone takes the first's modifier (rules/linking.yaml counterparts)."""
    if len(parts) != 2:
        return parts
    a, b = parts
    word = load_rules("linking").get("counterparts", {})
    own = next((w for w in word if a.endswith(w) and len(a) > len(w) + 1), None)
    if own and word[own] == b:
        return [a, a[: -len(own)] + b]
    return parts

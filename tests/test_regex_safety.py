"""Every compiled pattern of the pipeline against adversarial input, under a regex timeout.

The regex module stops a match that runs past ``timeout`` with TimeoutError, so a pattern
with catastrophic backtracking fails here instead of hanging a batch. (The per-document
``--timeout`` is the second line of defence.)
"""

from __future__ import annotations

import dataclasses

import regex
from zhibiao.context import kind as api
from zhibiao.grammar import figures as extract
from zhibiao.grammar import numbers
from zhibiao.linking import linker as link
from zhibiao.linking import patterns as link_patterns
from zhibiao.linking import phrases
from zhibiao.ruleset.load import RULE_FILES, load_rules
from zhibiao.ruleset.schema import SCHEMAS, pattern_paths
from zhibiao.text import normalize

ADVERSARIAL = [
    "1" * 20000, "1." * 10000, "1,000" * 4000, "第" * 10000, "第1" * 8000, "增长" * 10000 + "x",
    "*" * 20000 + "亿", "X" * 20000, "一二三四五六七八九十百千万亿点" * 1500, "（" * 10000,
    "“" * 10000 + "。", "、" * 20000, "全省" * 10000, "(qū)" * 5000, "***一" * 5000,
    "1—" * 10000 + "月", "百分之" * 7000, "以上" * 10000, "增长1%、" * 4000,
]


def patterns() -> list[regex.Pattern]:
    g = numbers.grammar()
    found: list[regex.Pattern] = [g.pattern, g.scale_mid_unit, link_patterns.own_rate_pattern(),
                                    phrases.figure_in_name()]
    # the grammar's patterns the standard re runs (numbers.plain), read here by regex for its timeout
    found += [regex.compile(p.pattern) for p in (g.bare_scale, g.blank, g.lost)]
    for obj in (extract.cues(), api.kind_cues()):
        found += [v for v in (getattr(obj, f.name) for f in dataclasses.fields(obj)) if isinstance(v, regex.Pattern)]
    found += [v for v in normalize._compiled().values() if isinstance(v, regex.Pattern)]
    for mod in (extract, link, link_patterns, phrases, normalize, numbers, api):
        found += [v for v in vars(mod).values() if isinstance(v, regex.Pattern)]
    for name in RULE_FILES:  # every pattern of every rule file, as the loader expanded it
        found += [regex.compile(pat) for _, pat in pattern_paths(SCHEMAS[name], load_rules(name))]
    return found


def test_patterns_finish_quickly_on_adversarial_text():
    pats = patterns()
    assert len(pats) > 40
    for p in pats:
        for s in ADVERSARIAL:
            for _ in p.finditer(s, timeout=2.0):
                pass

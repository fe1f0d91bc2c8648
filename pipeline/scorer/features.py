"""What the scorer sees of a claim: binary features, each a short string.

    >>> sorted(f for f in features_of(FeatureInput("地区生产总值", "地区生产总值", "gdp", "value",
    ...     "亿元", "link.lexicon", "value.unit", "kind.section", "rule", "全市实现", "，增长",
    ...     "work_report", 40, 3, 131.2)) if f.startswith(("unit:", "strat:", "name_aspect:")))
    ['name_aspect:False', 'strat:link.lexicon', 'unit:亿元']
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass

import regex


@dataclass(slots=True)  # not frozen: a frozen class's 28 fields are each set through object.__setattr__
class FeatureInput:
    """A claim as the scorer reads it. ``before``/``after``: a few characters of the sentence
    before its first figure and after its last; ``nfigs``: figures in the sentence."""

    raw_name: str
    name: str
    canonical: str | None
    types: str  # value, growth, rank joined by + (value+growth)
    unit: str | None
    strategy: str | None
    fig_rule: str | None
    kind_rule: str | None
    method: str
    before: str
    after: str
    genre: str | None
    sent_len: int
    nfigs: int
    number: float | None
    kind: str = ""
    masked: bool = False
    qualifier: str | None = None
    side: bool = False
    has_period: bool = False
    subject: bool = False
    comparison: bool = False
    name_before: str = ""  # characters before the name
    gap: int = 0  # characters between the name and the first figure
    unit_kind: str = ""
    between: str = ""  # the sentence between the name and its first figure (up to BETWEEN characters)
    after_more: str = ""  # AFTER characters after the last figure
    after_name: str = ""  # a name read after its figure (10个镇街负增长): the characters after the name


# What false claims look like, by form rather than by word (issue 22): a count of a class
# (四大千亿级产业, 三个行政区), a list of names, a benchmark (全国, 1985年, 期间) in the name or
# between it and the figure, a comparison there (高于, 相当于), an aspect or adverb of a deed
# in the name (已办结, 先后组织), a figure that is a class's threshold (1000万元以上的项目, 20户以上
# 自然村), a count of a set (35个行业大类中), a verb that counts what follows (突出抓好)
_CLASS_COUNT = re.compile(r"[一二三四五六七八九十两几多]+[个大项类家条批次轮]")
_BENCHMARK = re.compile(r"全国|全省|全市|全区|全县|平均|期间|同期|\d{4}年|[一二〇零]{4}年")
_COMPARE = re.compile(r"高于|低于|高出|低出|快于|慢于|超过|相当于|是|为|比|较")
_ASPECT = re.compile(r"了|已|将|先后|共|曾|尚|正在|继续|累计")
_BOUND = re.compile(r"及以上|以上|以下|以内")
_NOUN_NEXT = regex.compile(r"的?\p{Han}")  # the others are plain: the standard re is faster
_DIGIT = re.compile(r"\d")
BETWEEN = 16
AFTER = 8


def _threshold(x: FeatureInput) -> bool:
    """A bound figure that a noun follows: the threshold of a class (1000万元以上的项目, 20户以上
    自然村), not a figure of its own (产量50万吨以上，)."""
    m = _BOUND.match(x.after_more)
    if m is None and x.qualifier not in ("以上", "以下", "以内"):
        return False
    return bool(_NOUN_NEXT.match(x.after_more, m.end() if m else 0))


def _form(x: FeatureInput, count_verbs: tuple[str, ...]) -> list[str]:
    """Features of the claim's form (see the note above): each generalizes over sentences."""
    n, between = x.name, x.between
    return [
        f"count_verb_name:{n.endswith(tuple(count_verbs))}", f"class_count:{bool(_CLASS_COUNT.search(n))}",
        f"name_list:{any(ch in n for ch in '、和及与')}", f"name_bench:{bool(_BENCHMARK.search(n))}",
        f"bw_bench:{bool(_BENCHMARK.search(between))}", f"bw_cmp:{bool(_COMPARE.search(between))}",
        f"name_aspect:{bool(_ASPECT.search(n))}", f"threshold:{_threshold(x)}",
        f"name_after:{bool(x.after_name)}", f"after_name:{x.after_name[:1]}",
        f"set_of:{'中' in x.after_name or '中' in x.after_more[:6]}",
        f"bwlen:{min(len(between), 9)}", f"bw1:{between[:1]}",
    ]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    """The first edge at or above ``n`` (edges ascending), else "more"."""
    i = bisect.bisect_left(edges, n)
    return str(edges[i]) if i < len(edges) else "more"


def _magnitude(x: float | None, unit: str | None) -> str:
    """The figure's order of magnitude; a count of ten or less (第一批, 3个) apart, never a rate."""
    if x is None:
        return "none"
    if x == int(x) and 0 < x <= 10 and unit not in ("%", "个百分点", "百分点", "倍", "rank"):
        return "small_int"
    return str(int(math.floor(math.log10(abs(x))))) if x else "zero"


def features_of(x: FeatureInput) -> list[str]:
    """The claim's features: each a name the model has a weight for (or none)."""
    b, a = x.before, x.after
    out = [
        f"unit:{x.unit}", f"types:{x.types}", f"strat:{x.strategy}", f"figrule:{x.fig_rule}",
        f"kindrule:{x.kind_rule}", f"kind:{x.kind}", f"method:{x.method}", f"genre:{x.genre}",
        f"canon:{x.canonical or '-'}", f"incat:{bool(x.canonical)}",
        f"b1:{b[-1:]}", f"b2:{b[-2:]}", f"b3:{b[-3:]}", f"a1:{a[:1]}", f"a2:{a[:2]}",
        f"n0:{x.name[:1]}", f"n1:{x.name[-1:]}", f"n2:{x.name[-2:]}",
        f"namelen:{_bucket(len(x.name), (2, 3, 4, 6, 9, 14))}",
        f"cut:{x.name != x.raw_name}",
        f"sentlen:{_bucket(x.sent_len, (20, 40, 80, 160, 320))}",
        f"nfigs:{_bucket(x.nfigs, (1, 2, 3, 5, 8))}",
        f"mag:{_magnitude(x.number, x.unit)}", f"masked:{x.masked}", f"qual:{x.qualifier}",
        f"side:{x.side}", f"period:{x.has_period}", f"subject:{x.subject}", f"cmp:{x.comparison}",
        f"strat_unit:{x.strategy}|{x.unit}", f"genre_strat:{x.genre}|{x.strategy}",
        f"genre_unit:{x.genre}|{x.unit}", f"incat_unit:{bool(x.canonical)}|{x.unit}",
        f"genre_kind:{x.genre}|{x.kind}", f"nb1:{x.name_before[-1:]}", f"nb2:{x.name_before[-2:]}",
        f"gap:{_bucket(x.gap, (0, 1, 2, 4, 8, 16))}", f"ukind:{x.unit_kind}", f"kind_unit:{x.kind}|{x.unit}",
        f"strat_b1:{x.strategy}|{b[-1:]}", f"digit_name:{_DIGIT.search(x.name) is not None}",
    ]
    out += [f"ng:{x.name[i:i + 2]}" for i in range(len(x.name) - 1)]
    return out + _form(x, _count_verbs())


@functools.cache
def _count_verbs() -> tuple[str, ...]:
    from ..linking.phrases import phrase_rules

    return tuple(phrase_rules()["count_verbs"])


CONTEXT = 4  # characters of the sentence read before the first figure and after the last


def input_of(genre: str | None, parts, draft, claim) -> FeatureInput:
    """The scorer's view of ``claim``, made from ``draft`` (a ``linking.drafts.Draft``) in the
    sentence ``parts`` (``grammar.figures.SentenceParts``) of a document of ``genre``."""
    figs = sorted(draft.figs, key=lambda f: f.start)
    first, last = figs[0], max(figs, key=lambda f: f.end)
    text = parts.text
    lead = draft.value or draft.growth or first
    rule = claim.rule or ""
    return FeatureInput(
        raw_name=draft.ind.name, name=claim.indicator.name, canonical=claim.indicator.canonical,
        types="+".join(f.type for f in draft.figs), unit=lead.unit if lead.type != "rank" else "rank",
        strategy=draft.ind.strategy, fig_rule=draft.rules[0] if draft.rules else None,
        kind_rule=rule.rsplit("+", 1)[-1] if rule else None, method=draft.method,
        before=text[max(0, first.start - CONTEXT):first.start], after=text[last.end:last.end + CONTEXT],
        genre=genre, sent_len=len(text), nfigs=len(parts.figs), number=lead.number, kind=claim.kind,
        masked=lead.masked, qualifier=lead.qualifier, side=draft.side, has_period=claim.period is not None,
        subject=claim.subject is not None, comparison=any(f.comparison for f in figs),
        name_before=text[max(0, draft.ind.start - CONTEXT):draft.ind.start],
        gap=max(0, first.start - draft.ind.end), unit_kind=lead.unit_kind,
        between=text[draft.ind.end:first.start][:BETWEEN], after_more=text[last.end:last.end + AFTER],
        after_name=text[draft.ind.end:draft.ind.end + 3] if draft.ind.start >= last.end else "")

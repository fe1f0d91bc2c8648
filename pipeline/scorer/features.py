"""What the scorer sees of a claim: binary features, each a short string ``family:label``.

``input_of`` reads a claim (``FeatureInput``); ``sources_of`` takes from it the values the
families read (``FAMILIES``, in the order the model sums their weights); ``features_of`` makes
the strings that training learns from. Extraction weighs the same features without the
strings (``fast``).

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
from collections.abc import Callable
from dataclasses import dataclass
from operator import add, attrgetter, itemgetter
from typing import NamedTuple

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


def _threshold(after_more: str, qualifier: str | None) -> bool:
    """A bound figure that a noun follows: the threshold of a class (1000万元以上的项目, 20户以上
    自然村), not a figure of its own (产量50万吨以上，)."""
    m = _BOUND.match(after_more)
    if m is None and qualifier not in ("以上", "以下", "以内"):
        return False
    return bool(_NOUN_NEXT.match(after_more, m.end() if m else 0))


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


def name_pairs(name: str) -> list[str]:
    """The name's character pairs, repeats kept: 地区生产总值 -> 地区, 区生, 生产, 产总, 总值."""
    return list(map(add, name, name[1:]))


class Family(NamedTuple):
    """Features ``name:label``: the label of the claim's source ``source`` (a position in
    ``sources_of``), formatted as an f-string formats it; ``many``: a list of labels."""

    name: str
    source: int
    label: Callable
    many: bool = False


def _at(i: int) -> Callable:
    return itemgetter(i)


def as_is(v):
    """The label of a source that is its own label (b3: the three characters before the figure)."""
    return v


def _pair(i: int, j: int) -> Callable[[tuple], str]:
    return lambda v: f"{v[i]}|{v[j]}"


def _edges(*edges: int) -> Callable[[int], str]:
    """The label of a count: its bucket among ``edges``."""
    def label(n: int) -> str:
        return _bucket(n, edges)
    return label


# The sources of a claim's features (``sources_of``), by position: each a value that a run
# of families reads. Where a label is the source itself (b1: the character before the figure),
# the source is that label.
(RULE, CANON, B1, B2, B3, A1, A2, N0, N1, N2, NAME_LEN, SENT, NFIGS, MAG, FLAGS, PAIRS, NB1, NB2, GAP, UKIND,
 KIND_UNIT, STRAT_B1, NAME, BW_ASPECT, TAIL) = range(25)

# The features, one definition for training (``features_of``) and extraction (``fast``), in
# the order of the sum. Equal sources must get equal labels: the fast path keeps the weights
# of a run of families by the value of their source.
FAMILIES: tuple[Family, ...] = (
    *(Family(n, RULE, _at(i)) for i, n in enumerate(
        ("unit", "types", "strat", "figrule", "kindrule", "kind", "method", "genre"))),
    Family("canon", CANON, lambda c: c or "-"), Family("incat", CANON, bool),
    Family("b1", B1, as_is), Family("b2", B2, as_is), Family("b3", B3, as_is),
    Family("a1", A1, as_is), Family("a2", A2, as_is),
    Family("n0", N0, as_is), Family("n1", N1, as_is), Family("n2", N2, as_is),
    Family("namelen", NAME_LEN, lambda v: _bucket(v[0], (2, 3, 4, 6, 9, 14))), Family("cut", NAME_LEN, _at(1)),
    Family("sentlen", SENT, _edges(20, 40, 80, 160, 320)), Family("nfigs", NFIGS, _edges(1, 2, 3, 5, 8)),
    Family("mag", MAG, as_is),
    *(Family(n, FLAGS, _at(i)) for i, n in enumerate(("masked", "qual", "side", "period", "subject", "cmp"))),
    Family("strat_unit", PAIRS, _pair(0, 1)), Family("genre_strat", PAIRS, _pair(2, 0)),
    Family("genre_unit", PAIRS, _pair(2, 1)), Family("incat_unit", PAIRS, _pair(3, 1)),
    Family("genre_kind", PAIRS, _pair(2, 4)),
    Family("nb1", NB1, as_is), Family("nb2", NB2, as_is),
    Family("gap", GAP, _edges(0, 1, 2, 4, 8, 16)), Family("ukind", UKIND, as_is),
    Family("kind_unit", KIND_UNIT, _pair(0, 1)), Family("strat_b1", STRAT_B1, _pair(0, 1)),
    Family("digit_name", NAME, lambda n: _DIGIT.search(n) is not None),
    Family("ng", NAME, name_pairs, many=True),
    # the claim's form (see the note above): each generalizes over sentences
    Family("count_verb_name", NAME, lambda n: n.endswith(_count_verbs())),
    Family("class_count", NAME, lambda n: bool(_CLASS_COUNT.search(n))),
    Family("name_list", NAME, lambda n: "、" in n or "和" in n or "及" in n or "与" in n),
    Family("name_bench", NAME, lambda n: bool(_BENCHMARK.search(n))),
    Family("bw_bench", BW_ASPECT, lambda v: bool(_BENCHMARK.search(v[0]))),
    Family("bw_cmp", BW_ASPECT, lambda v: bool(_COMPARE.search(v[0]))), Family("name_aspect", BW_ASPECT, _at(1)),
    *(Family(n, TAIL, _at(i)) for i, n in enumerate(
        ("threshold", "name_after", "after_name", "set_of", "bwlen", "bw1"))),
)


def sources_of(x: FeatureInput) -> tuple:
    """What the families read of ``x``, by position (RULE, CANON…)."""
    b, a, n, s, u, g, k, nb, between, after_name = (x.before, x.after, x.name, x.strategy, x.unit, x.genre, x.kind,
                                                   x.name_before, x.between, x.after_name)
    b1 = b[-1:]
    return (
        (u, x.types, s, x.fig_rule, x.kind_rule, k, x.method, g), x.canonical, b1, b[-2:], b[-3:], a[:1], a[:2],
        n[:1], n[-1:], n[-2:], (len(n), n != x.raw_name), x.sent_len, x.nfigs, _magnitude(x.number, u),
        (x.masked, x.qualifier, x.side, x.has_period, x.subject, x.comparison), (s, u, g, bool(x.canonical), k),
        nb[-1:], nb[-2:], x.gap, x.unit_kind, (k, u), (s, b1), n, (between, bool(_ASPECT.search(n))),
        (_threshold(x.after_more, x.qualifier), bool(after_name), after_name[:1],
         "中" in after_name or "中" in x.after_more[:6], min(len(between), 9), between[:1]),
    )


def labels_of(family: Family, value) -> list[str]:
    """The features of ``family`` for the value of its source."""
    v = family.label(value)
    return [f"{family.name}:{w}" for w in v] if family.many else [f"{family.name}:{v}"]


def features_of(x: FeatureInput) -> list[str]:
    """The claim's features: each a name the model has a weight for (or none)."""
    src = sources_of(x)
    return [f for fam in FAMILIES for f in labels_of(fam, src[fam.source])]


@functools.cache
def _count_verbs() -> tuple[str, ...]:
    from ..linking.phrases import phrase_rules

    return tuple(phrase_rules()["count_verbs"])


CONTEXT = 4  # characters of the sentence read before the first figure and after the last
_START, _END = attrgetter("start"), attrgetter("end")


def input_of(genre: str | None, parts, draft, claim) -> FeatureInput:
    """The scorer's view of ``claim``, made from ``draft`` (a ``linking.drafts.Draft``) in the
    sentence ``parts`` (``grammar.figures.SentenceParts``) of a document of ``genre``."""
    figs = draft.figs
    if len(figs) == 1:
        first = last = figs[0]
        types, comparison = first.type, first.comparison
    else:
        types = "+".join(f.type for f in figs)
        figs = sorted(figs, key=_START)
        first, last = figs[0], max(figs, key=_END)
        comparison = any(f.comparison for f in figs)
    text = parts.text
    lead = draft.value or draft.growth or first
    rule = claim.rule or ""
    return FeatureInput(
        raw_name=draft.ind.name, name=claim.indicator.name, canonical=claim.indicator.canonical,
        types=types, unit=lead.unit if lead.type != "rank" else "rank",
        strategy=draft.ind.strategy, fig_rule=draft.rules[0] if draft.rules else None,
        kind_rule=rule.rsplit("+", 1)[-1] if rule else None, method=draft.method,
        before=text[max(0, first.start - CONTEXT):first.start], after=text[last.end:last.end + CONTEXT],
        genre=genre, sent_len=len(text), nfigs=len(parts.figs), number=lead.number, kind=claim.kind,
        masked=lead.masked, qualifier=lead.qualifier, side=draft.side, has_period=claim.period is not None,
        subject=claim.subject is not None, comparison=comparison,
        name_before=text[max(0, draft.ind.start - CONTEXT):draft.ind.start],
        gap=max(0, first.start - draft.ind.end), unit_kind=lead.unit_kind,
        between=text[draft.ind.end:first.start][:BETWEEN], after_more=text[last.end:last.end + AFTER],
        after_name=text[draft.ind.end:draft.ind.end + 3] if draft.ind.start >= last.end else "")

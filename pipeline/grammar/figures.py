"""Find the pieces of claims in one sentence: figures, ranks, indicator names, periods.

Everything here works on the working (simplified, cleaned) text of one sentence;
offsets are local to that sentence. ``link`` assembles the pieces into claims.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from ..ruleset import catalogue
from ..ruleset.load import NEVER, load_rules, pattern
from ..text.fast import Names
from ..text.gate import may_match
from ..text.rx import HOLD
from .numbers import Figure, find_figures, list_mark, may_hold_number, parse_number

CLAUSE = re.compile(r"[，；：。！？（）,;:]")  # re: the clause marks of every sentence found 1.5x faster
_DIGIT_AFTER = regex.compile(r"\d")
_CLAUSE_BACK = regex.compile(CLAUSE.pattern, regex.REVERSE)  # the last clause mark before a position


@functools.cache  # dropped with the module's other tables when the rules in force change
def _role(name: str) -> regex.Pattern:
    """A pattern of ``roles`` in rules/cues.yaml (compiled once)."""
    return pattern("cues", "roles", name)


@functools.cache
def _words(name: str) -> tuple[str, ...]:
    """A word list of ``roles`` in rules/cues.yaml."""
    return tuple(load_rules("cues")["roles"][name])


@dataclass(slots=True)
class Fig:
    """A figure with its role in the sentence."""

    type: str  # value | growth | rank
    start: int
    end: int
    number: float | None
    unit: str | None
    masked: bool
    qualifier: str | None
    text: str
    max: float | None = None
    base: float | None = None
    unit_kind: str = ""
    comparison: bool = False
    subject: str | None = None
    by: str | None = None
    scope: str | None = None
    rule: str = ""
    group: int = 0
    cue_start: int | None = None  # where the growth verb or rank cue begins
    basis: str | None = None  # yoy (同比) or mom (环比)
    inherit: bool = False  # a gap to a benchmark (低于全省2个百分点): same indicator as before
    unit_inferred: bool = False  # the unit the page lost, or the one a list writes once


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    name: str
    canonical: str | None


@dataclass(slots=True)
class SentenceParts:
    text: str
    figs: list[Fig] = field(default_factory=list)
    periods: list[tuple[int, int, str]] = field(default_factory=list)
    clause_starts: list[int] = field(default_factory=list)
    model_spans: list = field(default_factory=list)  # ner.ModelSpan, added by the model stage
    _mentions: list[Mention] | None = field(default=None, repr=False)
    _lexicon: Cues | None = field(default=None, repr=False, compare=False)  # of the rules that read it

    @property
    def mentions(self) -> list[Mention]:
        """The lexicon names in the sentence, found when first asked for (only the linker and
        the model read them, and only in sentences with figures)."""
        if self._mentions is None:
            self._mentions = _mentions(self.text, self._lexicon or cues())
        return self._mentions

    def clause_start(self, pos: int) -> int:
        """Where the clause holding ``pos`` starts (0 before any clause mark)."""
        i = bisect_right(self.clause_starts, pos)
        return self.clause_starts[i - 1] if i else 0

    def clause_end(self, pos: int) -> int:
        """Where the clause holding ``pos`` ends (at its mark; the text's end for the last)."""
        i = bisect_right(self.clause_starts, pos)
        return self.clause_starts[i] - 1 if i < len(self.clause_starts) else len(self.text)


@dataclass(frozen=True, slots=True)
class Cues:
    lexicon: Names
    canon: dict
    growth_multi: regex.Pattern
    growth_single: regex.Pattern
    negative: frozenset
    not_before: regex.Pattern
    to_level: regex.Pattern
    comparison: regex.Pattern
    comp_negative: frozenset
    rank: regex.Pattern
    rank_cue: regex.Pattern
    by_cue: regex.Pattern
    by_growth: frozenset
    scope: regex.Pattern
    period: regex.Pattern
    counted: regex.Pattern
    count_window: int
    threshold_qualifiers: frozenset
    threshold_kinds: frozenset
    threshold_before: regex.Pattern
    denominator: regex.Pattern
    quoted_label: regex.Pattern
    noun_after: regex.Pattern
    not_noun: regex.Pattern
    jurisdiction: regex.Pattern
    jur_map: dict
    rate_attributes: list[tuple[regex.Pattern, regex.Pattern]]
    duration: regex.Pattern  # 连续4年: a run of years, no figure of a claim
    league: regex.Pattern  # 全国…: a rank cue only right before the ordinal


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    c = load_rules("cues")
    lex = catalogue.lexicon_names()
    ex = load_rules("exclusions")["counted_nouns"]
    th = load_rules("exclusions")["threshold_attributes"]
    canon = {n: catalogue.canonical_of(n) for n in lex}
    names = list(canon)
    g = c["growth"]
    multi = [w for w in g["positive"] + g["negative"] if len(w) > 1]
    single = [w for w in g["positive"] + g["negative"] if len(w) == 1]
    comp = c["comparison"]
    rk = c["rank"]
    jur = c["subject"]["jurisdictions"]
    roles = c["roles"]
    return Cues(
        lexicon=Names(names),
        canon=canon,
        growth_multi=regex.compile("|".join(sorted(multi, key=len, reverse=True))),
        growth_single=regex.compile("(?:" + "|".join(single or [NEVER]) + ")" + roles["growth_single_tail"]),
        negative=frozenset(g["negative"]),
        not_before=regex.compile(g["not_before"]),
        to_level=regex.compile(g["to_level"]),
        comparison=regex.compile("(?:" + "|".join(comp["cues"]) + ")" + roles["comparison_tail"]),
        comp_negative=frozenset(comp["negative"]),
        rank=regex.compile(rk["pattern"]),
        rank_cue=regex.compile(rk["cues"] + "".join(f"|{w}$" for w in rk.get("leagues", []))),
        league=regex.compile("|".join(rk.get("leagues", [])) or "(?!)"),
        by_cue=regex.compile("|".join(rk["by_growth"] + rk["by_value"])),
        by_growth=frozenset(rk["by_growth"]),
        scope=regex.compile(rk["scope"]),
        period=regex.compile(c["period"]["pattern"]),
        counted=regex.compile("|".join(ex["nouns"])),
        count_window=int(ex["window"]),
        threshold_qualifiers=frozenset(th["qualifiers"]),
        threshold_kinds=frozenset(th["unit_kinds"]),
        threshold_before=regex.compile(th["before"]),
        denominator=regex.compile(load_rules("exclusions")["denominators"]["before"]),
        quoted_label=regex.compile(load_rules("exclusions").get("quoted_labels", {"pattern": "(?!)"})["pattern"]),
        rate_attributes=[(regex.compile(r["before"] or "(?:)$"), regex.compile(r["after"]))
                         for r in load_rules("exclusions")["rate_attributes"]["patterns"]],
        noun_after=regex.compile(th["noun_after"]),
        not_noun=regex.compile(th["not_noun"]),
        jurisdiction=regex.compile(roles["jurisdiction_before"]),
        jur_map=jur,
        duration=regex.compile(c["indicator_phrase"]["duration_tail"].rstrip("$")),
    )


def _classify(text: str, f: Figure, lo: int, cz: Cues, clause_lo: int) -> Fig:
    """Value or growth, with sign, comparison and subject, from the words before it
    (``lo``: after the figure before; ``clause_lo``: the clause's start)."""
    window = text[lo:f.start]
    fig = Fig("value", f.start, f.end, f.amount, f.unit, f.masked, f.qualifier, f.text,
              f.max, f.base, f.unit_kind, rule="value.unit", unit_inferred=f.unit_inferred)
    bracket = bool(lo) and text[lo - 1] in "）)"  # 比全省（5.1%）低1.1个百分点: the gap after a benchmark's rate
    if f.unit_kind != "rate" or _benchmark_gap(text[lo - 1:f.start] if bracket else window, fig,
                                               bracket and "降幅" in comma_clause(text[:lo])):
        return fig
    multiple = _multiple().search(window) if fig.unit == "倍" else None
    if multiple:  # 是“九五”期末的2.69倍: the name stands before 是 (or was named before)
        fig.cue_start = lo + multiple.start()
        _as_growth(fig, window, False)
        return fig
    cue = _growth_cue(window, lo, fig, cz, text[clause_lo:lo], comma_clause(text[max(0, lo - 40):lo]))
    if cue is None:
        return fig
    if not cue[0] and fig.unit == "%" and _growth_rule("growth_after").match(text, f.end) \
            and _growth_rule("growth_after_verb").search(text, lo, f.start):
        cue = (True, False)  # 保持6%以上增长: the growth said after the rate
    comp = cz.comparison.search(window)
    if comp and _bound(comp, window, text, fig):
        comp = None
    is_growth, negative = _comparison(comp, lo, fig, cz, *cue)
    if not fig.subject and not fig.inherit:
        _subject(text, window, fig, cz, comp)
    if is_growth:
        _as_growth(fig, window, negative)
    return fig


def _benchmark_gap(window: str, fig: Fig, decline: bool = False) -> bool:
    """比全省平均水平低0.8个百分点: the gap to a benchmark, a growth of the indicator before
    (``decline``: the benchmark is a fall, 比全省平均降幅（30.6%）低3.2个百分点 is +3.2)."""
    gap = _role("bi_gap").search(window) if fig.unit in _words("point_units") else None
    if not gap:
        return False
    fig.type, fig.rule, fig.inherit = "growth", "growth.comparison", True
    # a decline lower than the benchmark's is a higher rate (比全省平均降幅（30.6%）低3.2个百分点: +3.2)
    if (gap.group("dir") in _words("gap_negative")) != (decline or "降幅" in gap.group(0)) and fig.number is not None:
        fig.number = -fig.number
    return True


def _growth_cue(window: str, lo: int, fig: Fig, cz: Cues, earlier: str, before: str = "") -> tuple[bool, bool] | None:
    """(is growth, is negative) from the growth verb before the figure; None for a level
    reached (增长到…), which stays a value. ``earlier``: the clause before the window (a
    from-figure: 涨幅从5.4%回落到2.6%); ``before``: the text back to its comma (降幅较全省（12.5%）)."""
    cue_m = None
    for m in cz.growth_multi.finditer(window, None, None, False, HOLD):
        if not cz.not_before.match(window, m.end(), None, HOLD):
            cue_m = m
    single = cz.growth_single.search(window, None, None, HOLD)
    if single and (cue_m is None or single.start() >= cue_m.end()):
        fig.cue_start = lo + single.start()
        if single.group(0)[-1] in "到至":  # 降到6.1%: a level reached
            return _level_reached(earlier + window[:single.start()])
        return True, single.group(0)[0] in cz.negative
    if cue_m is not None and len(window) - cue_m.end() <= 12:
        if cz.to_level.search(window[cue_m.end():]):
            fig.cue_start = lo + cue_m.start()
            return _level_reached(earlier + window[:cue_m.end()])  # 增速为4.5%: the cue a rate word
        fig.cue_start = lo + cue_m.start()
        return True, _decline_change(before + window[:cue_m.end()], cue_m.group(0) in cz.negative)
    if fig.unit == "%" and _growth_rule("rate_from").search(earlier + window):
        return True, False  # 增长率从7.2%下降至6.8%: the rate the change starts from
    return fig.unit in _words("point_units"), False


def _level_reached(before: str) -> tuple[bool, bool] | None:
    """A level reached (提高到60%) stays a value (None); the level a rate word reaches
    (涨幅回落到2.6%) is a growth of that rate, positive whatever the verb."""
    return (True, False) if _growth_rule("rate_level").search(before) else None


@functools.cache
def _growth_rule(key: str) -> regex.Pattern:
    """A pattern of rules/cues.yaml ``growth`` (growth_after, rate_from, rate_level…), compiled once."""
    return regex.compile(load_rules("cues")["growth"].get(key, "(?!)"))


def comma_clause(earlier: str) -> str:
    """The end of ``earlier`` after its last comma, full stop or semicolon, brackets included
    (降幅较全省（12.5%）)."""
    return earlier[max(earlier.rfind("，"), earlier.rfind("。"), earlier.rfind("；")) + 1:]


def _decline_change(window: str, negative: bool) -> bool:
    """降幅收窄1.3个百分点 is a rise (+1.3), 降幅扩大2.5个百分点 a fall (-2.5)."""
    m = _decline_change_pattern().search(window)
    return negative if m is None else bool(m.group("widen"))


@functools.lru_cache(maxsize=1)
def _multiple() -> regex.Pattern:
    return regex.compile(load_rules("cues")["growth"].get("multiple", "(?!)"))


@functools.lru_cache(maxsize=1)
def _decline_change_pattern() -> regex.Pattern:
    return regex.compile(load_rules("cues")["growth"].get("decline_change", "(?!)"))


def _bound(comp: regex.Match, window: str, text: str, fig: Fig) -> bool:
    """失业率低于4.6%，…: a comparison word right before a figure that ends its clause is the
    figure's bound (qualifier 以下), not a benchmark of another subject (低于全省7.8%的平均水平)."""
    c = load_rules("cues")["comparison"]
    bounds, word = c.get("bounds", {}), comp.group(0)
    if comp.end() != len(window) or word not in bounds or fig.qualifier or fig.unit in _words("point_units"):
        return False
    if (text[fig.end:fig.end + 1] or "。") not in "，,。；;、":
        return False
    clause = regex.split(r"[，,；;。：:]", window[:comp.start()])[-1]  # it must name what is bounded
    if len(regex.findall(r"\p{Han}", clause)) < 2 or regex.search(c.get("bound_not_after", "(?!)"), clause):
        return False
    fig.qualifier = bounds[word]
    return True


def _comparison(comp: regex.Match | None, lo: int, fig: Fig, cz: Cues, is_growth: bool,
                negative: bool) -> tuple[bool, bool]:
    """A comparison cue (高于全省…): points become a gap, a rate a comparison with a subject."""
    if not comp:
        return is_growth, negative
    comp_neg = any(comp.group(0).startswith(w) for w in cz.comp_negative)
    if fig.unit in _words("point_units"):
        fig.inherit = True
        return True, comp_neg
    fig.comparison = True
    fig.subject = cz.jur_map.get(comp.group("jur")) if comp.group("jur") else None
    fig.cue_start = lo + comp.start()
    return is_growth or fig.type == "growth", negative


def _subject(text: str, window: str, fig: Fig, cz: Cues, comp: regex.Match | None) -> None:
    """全国…, or …的全省平均: the jurisdiction the figure belongs to (none for gaps after listed
    benchmarks: 分别高于全国、全省3.5和1.9个百分点)."""
    if _role("benchmark_list").search(window):
        return
    j = cz.jurisdiction.search(window)
    if j:
        fig.subject = cz.jur_map.get(j.group(0))
        return
    a = _role("average_after").match(text, fig.end)
    if a:
        fig.subject = cz.jur_map.get(a.group("jur"))
        fig.comparison = fig.comparison or bool(comp)


def _as_growth(fig: Fig, window: str, negative: bool) -> None:
    basis = load_rules("cues")["roles"]["basis"]
    fig.basis = next((b for w, b in basis.items() if w in window), None)
    fig.type = "growth"
    fig.rule = "growth.comparison" if fig.comparison else "growth.verb"
    if negative and fig.number is not None:
        fig.number = -fig.number
        if fig.max is not None:
            fig.max = -fig.max


def _excluded(text: str, f: Figure, cz: Cues, counts_before: bool = False) -> bool:
    """A count of policy items, teams or documents (8个督查组, 33条措施), or the threshold
    of a count (6个镇街增幅在20%以上)."""
    if f.unit_kind == "rate" and counts_before and _role("threshold").search(text[max(0, f.start - 3):f.start]):
        return True
    if cz.denominator.search(text, max(0, f.start - 2), f.start, HOLD):
        return True  # 每10万人口: the base of a rate
    if _quoted_label(text, f, cz):
        return True  # “30条”, “3个95%”: a policy's or a goal's name
    if f.unit_kind == "rate" and any(b.search(text, max(0, f.start - 2), f.start, HOLD) and a.match(text, f.end, None, HOLD)
                                     for b, a in cz.rate_attributes):
        return True  # 排名前1%的学科, 15%所得税: a class or a tax, not a level
    if f.unit_kind in cz.threshold_kinds and cz.noun_after.match(text, f.end, None, HOLD) \
            and not cz.not_noun.match(text, f.end, None, HOLD) and (f.qualifier in cz.threshold_qualifiers or
                                                         cz.threshold_before.search(text, max(0, f.start - 2), f.start, HOLD)):
        return True  # 10亿元以上项目, 过三千亿元城市: the threshold of a class of things
    if f.unit_kind != "count":
        return False
    if _count_context(text, f):
        return True  # 全县12个乡镇中排第3, 9家参会企业, 办理建议560件: no measure of the area
    after = _clause_after(text, f.end, cz.count_window)
    noun = cz.counted.search(after, None, None, HOLD)
    if noun and not _names_next(text, f, after, noun, cz):
        return True
    rest = text[f.end:f.end + 80]
    stop = CLAUSE.search(rest)
    rest = rest[: stop.start()] if stop else rest
    m = _role("list_end").search(rest)  # 27条、金融支持民营经济发展12条等政策举措: the list's noun
    return bool(m and rest.startswith("、") and cz.counted.match(rest, m.end()))


def _clause_after(text: str, at: int, n: int) -> str:
    """At most ``n`` characters from ``at`` to the clause's end; a short bracket inside a name
    (11个县（市、区）通过…) ends no clause."""
    after = text[at:at + n]
    i = 0
    while (stop := CLAUSE.search(after, i)) is not None:
        inner = pattern("linking", "patterns", "name_bracket").match(text, at + stop.start()) \
            if after[stop.start()] == "（" else None
        if inner is None:
            return after[:stop.start()]
        i = inner.end() - at
    return after


def _names_next(text: str, f: Figure, after: str, noun: regex.Match, cz: Cues) -> bool:
    """The counted noun after the figure names the next item's own figure, not this one's
    (净增涉税主体24.8万户、规上法人单位1302户), and this one's name is no counted noun (预期性指标
    19项、约束性指标9项 count indicators)."""
    return bool(_DIGIT_AFTER.match(after, noun.end())) and "、" in after[:noun.start()] \
        and not cz.counted.search(text, max(0, f.start - 8), f.start)


def _quoted_label(text: str, f: Figure, cz: Cues) -> bool:
    """The figure lies in a quote that holds nothing but figures (“30条”, “两个10亿元”)."""
    q = text.rfind("“", max(0, f.start - 12), f.start + 1)
    m = cz.quoted_label.match(text, q) if q >= 0 else None
    return bool(m and m.end() >= f.end)


@functools.cache
def _count_contexts() -> list[tuple[regex.Pattern, regex.Pattern, regex.Pattern]]:
    rules = load_rules("exclusions").get("count_contexts", {"patterns": []})
    return [(regex.compile(p["before"]), regex.compile(p["after"]), regex.compile(p.get("figure", ".*")))
            for p in rules["patterns"]]


def clause_start_within(text: str, pos: int, reach: int = 40) -> int:
    """Where the clause of ``pos`` starts, looking back ``reach`` characters at most: after
    the last clause mark before ``pos`` (one search backwards, not a step per character)."""
    lo = max(0, pos - reach)
    mark = _CLAUSE_BACK.search(text, lo, pos)
    return mark.end() if mark else lo


def _count_context(text: str, f: Figure) -> bool:
    """The count's clause (up to it) and what follows it match a rule of
    ``exclude.count_context``: a league's size, participants, laws or proposals handled."""
    cs = clause_start_within(text, f.start)
    return any(a.match(text, f.end, None, HOLD) and b.search(text, cs, f.start, HOLD)
               and fig.fullmatch(f.text, None, None, HOLD)
               for b, a, fig in _count_contexts())  # what follows first: one anchored match, most fail


def _count_label(text: str, f: Fig, nxt: Fig | None) -> bool:
    """17个重点传统制造业增加值增长5.3%: the count names the members of what grew;
    102项重大工程的285个项目: the first count names the class the second one counts in."""
    if f.type != "value" or f.unit_kind != "count" or nxt is None:
        return False
    if nxt.type == "growth":
        return bool(_role("count_label").fullmatch(text, f.end, nxt.start))
    return nxt.unit_kind == "count" and bool(_role("of_count").fullmatch(text, f.end, nxt.start))


_DIGIT = regex.compile(r"\d")
_YEAR_DIGITS = regex.compile(r"\d{4}|[〇○零一二三四五六七八九]{4}")
HAN = regex.compile(r"\p{Han}")  # one Han character (link uses it too)


def _ranks(text: str, cz: Cues, parts: SentenceParts) -> list[Fig]:
    out: list[Fig] = []
    if not may_match(cz.rank, text):
        return out  # no 第, 位 or 首: no rank
    for m in cz.rank.finditer(text):
        cs = parts.clause_start(m.start())
        before = text[cs:m.start()]
        cue = cz.rank_cue.search(before)
        if cue and cue.end() == len(before) and cz.league.fullmatch(cue.group(0)):
            # a bare league (深远海养殖规模全国第一) needs its own name right before it, no
            # figure in between (not 80多种产品产能全国第一, 49家…、数量全国第一)
            own = cz.duration.sub("", before[before.rfind("、") + 1:cue.start()])
            if _DIGIT.search(own) or len(HAN.findall(own)) < 4:
                cue = None
        if not cue and not (out and out[-1].end >= m.start() - 2):
            continue
        if m.group("bare") and not _role("league_verb").search(before) \
                and not (out and text[out[-1].end:m.start()] in _words("rank_list_marks")):
            continue
        if m.group("first"):
            pos, masked, tok = 1, False, m.group("first")
        else:
            tok = m.group("pos") or m.group("bare")
            masked = bool(_RANK_MASK.search(tok))
            num = None if masked else parse_number(tok)
            if not masked and (num is None or num != int(num) or not 0 < num <= MAX_RANK):
                continue
            pos = None if masked else int(num)
        out.append(Fig("rank", m.start(), m.end(), pos, None, masked, None, m.group(0),
                       rule="rank.ordinal"))
    return out


_RANK_MASK = regex.compile(r"[*Xx×□○_＿]")
MAX_RANK = 10_000  # 第30位数位: no league has it (and no integer column holds it)
BOTH = "value+growth"  # a rank held by value and by growth at once; api makes it two ranks


def _rank_context(text: str, r: Fig, lo: int, cz: Cues) -> None:
    window = text[lo:r.start]
    by = None
    last = None
    for m in cz.by_cue.finditer(window):
        kind = "growth" if m.group(0) in cz.by_growth else "value"
        if last is not None and last[1] != kind and list_mark().fullmatch(window, last[0].end(), m.start()):
            by = BOTH  # 总量和增速均居全国第5位: one position in two leagues
        else:
            by = kind
        last = (m, kind)
    r.by = by
    scope = None
    strong = load_rules("cues")["roles"]["scope_strong"]
    for m in cz.scope.finditer(text[: r.start]):
        if scope is None or strong in m.group(0) or strong not in scope:
            scope = m.group(0)
    r.scope = scope


def clause_starts(text: str) -> list[int]:
    """Where the clauses of ``text`` start: after each clause mark, but a short bracket inside a
    name (新增高速（一级）公路2600公里) marks no clause."""
    marks = [m.end() for m in CLAUSE.finditer(text)]
    if "（" in text:
        inside = set()
        for m in pattern("linking", "patterns", "name_bracket").finditer(text):
            if not _after_lexicon_name(text, m.start()):
                inside.update((m.start() + 1, m.end()))
        marks = [i for i in marks if i not in inside]
    return [0] + marks


def _after_lexicon_name(text: str, at: int) -> bool:
    """A lexicon name ends right at ``at`` (城镇居民人均可支配收入（扣除价格因素）: a note follows a
    whole name)."""
    canon = cues().canon
    return any(text[at - k:at] in canon for k in range(2, min(at, 16) + 1))


def analyse(text: str, gaps: frozenset[int] = frozenset(), gate: bool = True) -> SentenceParts:
    """All claim pieces of one sentence's working text (``gaps``: where the original had
    spaces that cleaning removed, see numbers.sentence_gaps). ``gate``: a sentence with no
    digit, Chinese numeral or mask (numbers.may_hold_number) is not searched for numbers
    or ranks, which all need one; only for figures left blank (分别完成 亿元)."""
    cz = cues()
    parts = SentenceParts(text)
    parts.clause_starts = clause_starts(text)
    numbers = not gate or may_hold_number(text)
    raw = _kept_figures(text, cz, parts, gaps, numbers)
    if numbers:
        raw += _bare_list_items(text, {f.start: f for f in raw})
        raw.sort(key=lambda f: f.start)
    figs = _classified(text, raw, cz, parts)
    allf = sorted(figs + _ranks(text, cz, parts), key=lambda x: x.start) if numbers else figs
    prev_end = 0
    for r in allf:
        if r.type == "rank":
            _rank_context(text, r, prev_end, cz)
        prev_end = r.end
    _list_roles(text, allf)
    _list_groups(text, allf)
    parts.figs = allf
    parts._lexicon = cz
    parts.periods = _periods(text, cz)
    return parts


def _mentions(text: str, cz: Cues) -> list[Mention]:
    canon = cz.canon
    return [Mention(a, b, name, canon[name]) for a, b, name in cz.lexicon.scan(text)]


@functools.cache
def _threshold_counts() -> frozenset[str]:
    """The units of the counts whose rate after them may be a threshold (12个县区增速保持在8%以上)."""
    return frozenset(load_rules("cues")["roles"].get("threshold_counts", []))


def _kept_figures(text: str, cz: Cues, parts: SentenceParts, gaps: frozenset[int],
                  numbers: bool = True) -> list[Figure]:
    """The figures of the sentence that are not counts of policy items or thresholds."""
    found = find_figures(text, gaps, numbers)
    raw = []
    for f in found:
        cs = parts.clause_start(f.start)
        counts_before = any(g.unit in _threshold_counts() and cs <= g.start < f.start for g in found)
        if not _excluded(text, f, cz, counts_before):
            raw.append(f)
    return raw


def _bare_list_items(text: str, starts: dict[int, Figure]) -> list[Figure]:
    """23310和14363元: a bare number in a list takes the unit of the figure after it (also of a
    figure left blank: 15.7和 个百分点), read from the last item back, so that a longer list
    passes the unit on (20.9、36.2、54个百分点)."""
    out = []
    starts = dict(starts)
    for m in reversed(list(_role("bare_list_item").finditer(text, None, None, False, HOLD))):
        nxt = None
        for k in range(m.end() + 1, m.end() + 3):
            nxt = starts.get(k)
            if nxt:
                break
        amount = parse_number(m.group(1))  # None for 400 digits: no Infinity in the output
        if nxt and m.start("blank") >= 0:  # 下降15.7和 个百分点: the item after is a blank
            nxt = nxt if nxt.masked and nxt.text.startswith(nxt.unit) and nxt.start == m.end() + 1 else None
        if nxt and (not nxt.masked or m.start("blank") >= 0) and nxt.unit and amount is not None:
            out.append(Figure(m.start(), m.end(), amount, nxt.unit, nxt.unit_kind, False, None,
                              m.group(1), None, False, None, unit_inferred=True))
            starts[m.start()] = out[-1]
    return out[::-1]


def _classified(text: str, raw: list[Figure], cz: Cues, parts: SentenceParts) -> list[Fig]:
    """Each figure (the first of overlapping ones) as a value or growth; counts that only
    label what follows them dropped."""
    figs: list[Fig] = []
    prev_end = 0
    for f in raw:
        if figs and f.start < figs[-1].end:
            continue
        clause_lo = parts.clause_start(f.start)
        lo = max(prev_end, clause_lo)
        figs.append(_classify(text, f, lo, cz, clause_lo))
        prev_end = f.end
    return [f for i, f in enumerate(figs) if not _count_label(text, f, figs[i + 1] if i + 1 < len(figs) else None)]


def _list_roles(text: str, allf: list[Fig]) -> None:
    """5.5%、3.6%、3.3%: a list item with no verb of its own takes the role and sign of the
    item before it (分别增长10.5%和11.4%)."""
    for a, b in zip(allf, allf[1:], strict=False):
        if a.type != "rank" and b.type != "rank" and b.cue_start is None \
                and a.unit_kind == b.unit_kind and _role("list_sep").match(text[a.end:b.start]) \
                and text[a.end:b.start] != "，":
            b.type, b.rule = a.type, a.rule
            b.comparison = b.comparison or a.comparison
            if a.type == "growth" and a.number is not None and a.number < 0 and b.number \
                    and not a.text.lstrip().startswith(("-", "－")):  # 分别增长-12.4%、18.2%: a sign written is its own
                b.number = -abs(b.number)
                if b.max is not None:
                    b.max = -abs(b.max)


def _list_groups(text: str, allf: list[Fig]) -> None:
    """Number the lists (5.5%、3.6%、3.3% or 12位、13位); a rank in a list takes its league."""
    group = 0
    for i, f in enumerate(allf):
        if i and allf[i - 1].type == f.type and _role("list_sep").match(text[allf[i - 1].end:f.start]) \
                and text[allf[i - 1].end:f.start] != "，":
            f.group = group
            if f.type == "rank" and f.by is None:
                f.by = allf[i - 1].by
        else:
            group += 1
            f.group = group


def _periods(text: str, cz: Cues) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    if not may_match(cz.period, text):
        return out  # no 年, 月, 季… that every period word holds: most sentences
    for m in cz.period.finditer(text, None, None, False, HOLD):
        if m.start() and text[m.start() - 1] in _words("compared_before"):
            continue
        if _role("compared").search(text, max(0, m.start() - 20), m.start(), HOLD):
            continue  # 较“十五”、“十一五”期间: the base of a comparison, not the period
        if _role("goal_after").match(text, m.end(), None, HOLD) and not _YEAR_DIGITS.search(m.group(0)):
            continue  # 完成全年目标的52%: 全年 qualifies the goal, not the figure (1980年计划… is the plan's year)
        if _role("price_base_after").match(text, m.end(), None, HOLD):
            continue  # 按一九五七年不变价格计算: the base of the prices
        if _role("multiple_base_after").match(text, m.end()):
            continue  # 等于一九四九年的二点六倍: the base of a multiple
        if m.group(0) == "年初" and _role("decided_after").match(text, m.end()):
            continue  # 年初确定的56个重点项目: the decision's date
        out.append((m.start(), m.end(), m.group(0).replace("“", "").replace("”", "")))
    return out

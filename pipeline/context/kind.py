"""Kind of a claim: an outcome (actual), a goal (target) or an estimate (forecast).

Words first, each cue with its scope, then the list a lead opens, the section, the genre,
and the calendar last (rules/cues.yaml ``kind`` lists the order). The answer names the rule
that decided it:

    >>> from zhibiao.grammar.figures import analyse
    >>> claim_kind(analyse("力争地区生产总值增长6%"), 9, KindContext())
    ('target', 'kind.goal')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..grammar.figures import SentenceParts
from ..ruleset.load import load_rules, pattern
from ..text import gate
from ..text.rx import HOLD

_BY_YEAR = regex.compile(r"到((?:\d{4}|[〇○零一二三四五六七八九]{4})年)")


@dataclass(frozen=True)
class KindCues:
    forecast: regex.Pattern
    goal_compare: regex.Pattern
    target: regex.Pattern
    target_near: regex.Pattern
    modal: regex.Pattern
    done: regex.Pattern
    completion: regex.Pattern
    budget_figure: regex.Pattern
    lead: regex.Pattern
    lead_in_review: regex.Pattern
    forecast_lead: regex.Pattern
    local_period: regex.Pattern
    carried_local: regex.Pattern
    plan_heading: regex.Pattern
    review_heading: regex.Pattern
    review_opening: regex.Pattern
    plan_opening: regex.Pattern
    lead_reach: int
    period_lead: regex.Pattern
    event: regex.Pattern
    month_mark: regex.Pattern
    past_period: regex.Pattern
    actual_genres: frozenset[str]
    target_genres: frozenset[str]
    done_in_review: regex.Pattern
    strive: regex.Pattern
    base_before: regex.Pattern
    base_after: regex.Pattern


@functools.lru_cache(maxsize=1)
def kind_cues() -> KindCues:
    k = load_rules("cues")["kind"]
    period = load_rules("cues")["period"]

    def p(name: str) -> regex.Pattern:
        return pattern("cues", "kind", name)

    return KindCues(
        regex.compile("|".join(k["forecast"])), p("goal_compare"), p("target"), p("target_near"), p("modal"),
        p("done"), p("completion"), regex.compile(k["budget_figure"]), p("lead"), p("lead_in_review"), p("forecast_lead"),
        pattern("cues", "period", "local_only"), pattern("cues", "period", "carried_local"), p("plan_heading"), p("review_heading"), p("review_opening"), p("plan_opening"),
        int(k.get("lead_reach", 12)), regex.compile(period.get("context_lead", "(?!)") + "$"),
        pattern("cues", "period", "event"), pattern("cues", "calendar", "months"),
        p("past_period"), frozenset(k["actual_genres"]), frozenset(k["target_genres"]),
        regex.compile(k.get("done_in_review", "(?!)")), regex.compile(k.get("strive", "(?!)")),
        regex.compile(k.get("base_before", "(?!)")), regex.compile(k.get("base_after", "(?!)")),
    )


@dataclass(frozen=True)
class KindContext:
    """What the sentence inherits and what the calendar says of the figure's period.

    ``lead``: the kind a lead before it in its list or paragraph sets; ``section``: review or
    plan; ``past``: the period is over when the document speaks (去年, 2025年 in 2026);
    ``future``: a whole year not over then, on a strong date (None when the date is weak)."""

    lead: str | None = None
    section: str | None = None
    genre: str | None = None
    past: bool = False
    said_past: bool = False  # the sentence itself names a period that is over (去年, 2024年)
    future: bool | None = None
    ahead: bool = False  # the period begins in a year after the document's (1981年 in a 1980 report)
    year: int | None = None  # the year the document speaks in (到1933年 in a 1955 report is no goal)


@functools.cache  # dropped with the module's other tables when the rules in force change
def _continues() -> regex.Pattern:
    return pattern("cues", "kind", "continues")


def _subject_clause_start(parts: SentenceParts, cs: int) -> int:
    """Where the clause that holds the subject of the clause at ``cs`` starts: a clause that
    opens with a verb (…将比一九五八年增长百分之四十，达到二千八百七十亿元) goes on with the one
    before it, whose 将/要/目标 reach it too."""
    opens = _continues()
    while cs > 0 and opens.match(parts.text, cs, None, HOLD):
        before = parts.clause_start(cs - 1)
        if before >= cs:
            break
        cs = before
    return cs


def _finds(p: regex.Pattern, s: str, a: int, b: int) -> list[regex.Match]:
    """``p``'s matches in ``s[a:b]``; none searched for where the characters every match
    holds are missing (most cue words are absent from most clauses)."""
    g = gate.gate_of(p)
    if g is not None and g.search(s, a, b) is None:
        return []
    return list(p.finditer(s, a, b, False, HOLD))


def _found(p: regex.Pattern, s: str, a: int, b: int) -> bool:
    """``p`` matches in ``s[a:b]`` (searched only where it can)."""
    g = gate.gate_of(p)
    return (g is None or g.search(s, a, b) is not None) and p.search(s, a, b, HOLD) is not None


def _goal_share(parts: SentenceParts, pos: int) -> bool:
    """The figure at ``pos`` compares with a goal (高于预期目标, 完成年度计划的96.4%); said without
    的 (占年度计划23%) only a share in %, not an amount (完成年度目标120亿元)."""
    kc = kind_cues()
    s, cs, ce = parts.text, parts.clause_start(pos), parts.clause_end(pos)
    ms = _finds(kc.goal_compare, s, cs, min(ce, pos + 1))
    if not ms:
        return False
    if ms[-1].groupdict().get("bare") is None:
        return True
    f = next((g for g in parts.figs if g.start == pos), None)
    return f is not None and f.unit == "%"


_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")


def _past_goal(cue: str, year: int | None) -> bool:
    """到1933年, 到一九三五年 said in a report of 1955 or 1957: a year gone by, no goal's."""
    m = _BY_YEAR.search(cue) if year else None
    return bool(m) and int(m.group(1)[:4].translate(_YEAR_DIGITS)) < year


def _words(parts: SentenceParts, pos: int, review: bool, year: int | None = None) -> tuple[str, str] | None:
    """The kind the words of the sentence give the figure at ``pos``: the nearest cue before
    it that reaches it, else a goal word after it in its clause. In a review, goal words
    reach no further than their clause (努力扩大有效投资，… reports what was done)."""
    kc = kind_cues()
    s = parts.text
    cs, ce = parts.clause_start(pos), parts.clause_end(pos)
    reach = cs if review else 0
    if _found(kc.budget_figure, s, cs, pos):
        return "target", "kind.budget"
    if _goal_share(parts, pos) and not _found(kc.strive, s, cs, pos):
        # an estimate's share of its goal is estimated too; 力争完成年度计划的100% is a goal
        return ("forecast", "kind.forecast") if _found(kc.forecast, s, 0, pos) else ("actual", "kind.goal_compare")
    cues: list[tuple[int, str, str]] = []
    cues += [(m.start(), "forecast", "kind.forecast") for m in _finds(kc.forecast, s, 0, pos)]
    cues += [(m.start(), "target", "kind.goal") for m in _finds(kc.target, s, reach, pos)
             if not (review and kc.done_in_review.fullmatch(m.group(0))) and not _past_goal(m.group(0), year)]
    cues += [(m.start(), "target", "kind.lead") for m in _finds(kc.lead_in_review, s, reach, pos)]
    ms = _subject_clause_start(parts, cs)
    cues += [(m.start(), "target", "kind.goal") for m in _finds(kc.target_near, s, ms, pos)]
    cues += [(m.start(), "target", "kind.modal") for m in _finds(kc.modal, s, ms, pos)]
    cues += [(m.start(), "actual", "kind.done") for m in _finds(kc.done, s, reach, pos)]
    if cues:
        _, kind, rule = max(cues, key=lambda c: c[0])
        if rule == "kind.modal" and any(c[1] == "forecast" for c in cues):
            return "forecast", "kind.forecast"  # 预计销售收入将达到88亿元: 将 of an estimate
        return kind, rule
    bar = s.find("|", pos, ce)  # a table's cell ends at its bar: the 属性 column (预期性) is no word of it
    if _found(kc.target_near, s, pos, bar if bar >= 0 else ce):
        return "target", "kind.goal"
    return None


def _base(parts: SentenceParts, pos: int) -> str | None:
    """The kind of the figure at ``pos`` when a change starts from it (从一百三十五万吨增加到…):
    an outcome, or the estimate it is said to be (由今年预计的44%提高到45%); else None."""
    kc = kind_cues()
    f = next((g for g in parts.figs if g.start == pos), None)
    before = kc.base_before.search(parts.text, parts.clause_start(pos), pos, HOLD) if f is not None else None
    if before is None or kc.base_after.match(parts.text, f.end, None, HOLD) is None:
        return None
    return "forecast" if before.group("estimate") else "actual"


def claim_kind(parts: SentenceParts, pos: int, ctx: KindContext) -> tuple[str, str]:
    """(kind, the rule that decided it) for the figure at ``pos`` of a sentence."""
    base = _base(parts, pos)
    if base:
        return base, "kind.base"
    return _words(parts, pos, ctx.section == "review", ctx.year) or _by_context(parts, pos, ctx)


def _by_context(parts: SentenceParts, pos: int, ctx: KindContext) -> tuple[str, str]:
    """The kind when no word of the sentence says it: the calendar, the lead, the section, the
    genre."""
    kc = kind_cues()
    if ctx.said_past:
        return "actual", "kind.past_period"
    if ctx.lead:
        return ctx.lead, "kind.lead"
    if ctx.past:
        return "actual", "kind.past_period"
    if ctx.ahead:
        return "target", "kind.calendar"
    if ctx.section:
        return ("actual" if ctx.section == "review" else "target"), "kind.section"
    ce = parts.clause_end(pos)
    if kc.modal.search(parts.text, pos, parts.clause_end(ce + 1) if ce < len(parts.text) else ce):
        return "target", "kind.modal"
    if ctx.genre in kc.actual_genres:
        return "actual", "kind.genre"
    if ctx.genre in kc.target_genres and ctx.future is not False:
        return "target", "kind.genre"
    if kc.completion.search(parts.text):
        return "actual", "kind.completion"
    if ctx.future:
        return "target", "kind.calendar"
    return "actual", "kind.default"

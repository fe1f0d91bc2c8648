"""The period of a claim: in its sentence, else the one its paragraph or section sets.

    >>> from zhibiao.grammar.figures import analyse
    >>> claim_period(analyse("上半年地区生产总值增长5%"), 8, None)
    '上半年'
"""

from __future__ import annotations

from ..grammar.figures import SentenceParts
from ..ruleset.load import load_rules, pattern

Period = tuple[int, int, str]  # start, end, text in the sentence


def merge_periods(periods: list[Period]) -> list[Period]:
    """Adjacent period words are one period: 2025年 + 上半年 -> 2025年上半年."""
    out: list[Period] = []
    for p in periods:
        if out and out[-1][1] == p[0]:
            out[-1] = (out[-1][0], p[1], out[-1][2] + p[2])
        else:
            out.append(p)
    return out


def _of_the_from_figure(parts: SentenceParts, p: Period, pos: int) -> bool:
    """由今年预计的44%提高到45%: the period said after 由/从 is the from-figure's, not that of
    the figure after the to-verb at ``pos``."""
    roles = load_rules("cues")["roles"]
    text = parts.text
    if text[max(0, p[0] - 1):p[0]] not in roles["from_words"]:
        return False
    to = pattern("cues", "roles", "to_level")
    return any(p[1] <= f.start and f.end <= pos and to.search(text, f.end, pos) for f in parts.figs)


def claim_period(parts: SentenceParts, pos: int, ctx: str | None) -> str | None:
    """The last period before ``pos`` (not one a from-figure before it owns), else the first
    after it in its clause, else ``ctx``."""
    periods = merge_periods(parts.periods)
    left = [p for p in periods if p[1] <= pos and not _of_the_from_figure(parts, p, pos)]
    if left:
        return left[-1][2]
    ce = parts.clause_end(pos)
    right = [p for p in periods if pos <= p[0] < ce]
    if right:
        return right[0][2]
    return ctx


def other_point(parts: SentenceParts, pos: int, name: str, before: tuple[str, ...]) -> str | None:
    """年末城镇调查失业率降到5.5%，居民消费价格上涨2%: when the period the figure at ``pos`` takes is a
    point of the year said in an earlier clause for another indicator (``before``: the names of
    the sentence's claims so far), the period said before that point, if any; None when it
    keeps its period (年末户籍人口…，比上年末增加0.64万人: the same indicator)."""
    point = pattern("cues", "period", "point_of_year")
    cs = parts.clause_start(pos)
    periods = [p for p in merge_periods(parts.periods) if p[1] <= pos and not _of_the_from_figure(parts, p, pos)]
    if not periods or periods[-1][0] >= cs or not point.fullmatch(periods[-1][2]) or not before:
        return None
    prev = before[-1]
    if name.startswith(prev) or prev.startswith(name):
        return None
    return periods[-2][2] if len(periods) > 1 else ""


def _names_a_year(words: str) -> bool:
    """2025年, 今年, 去年: a year (cues.yaml calendar.deictic, linking.yaml period_inside)."""
    return words in load_rules("cues")["calendar"]["deictic"] or \
        pattern("linking", "patterns", "period_inside").fullmatch(words) is not None or \
        pattern("cues", "calendar", "one_past_year").fullmatch(words) is not None


def year_said_before(parts: SentenceParts, pos: int) -> str | None:
    """The last year the sentence says before ``pos`` (今年，…全年实现…: the 全年 is 今年's),
    for a period of no year of its own to resolve in; None when it says none."""
    years = [p[2] for p in merge_periods(parts.periods) if p[1] <= pos and _names_a_year(p[2])]
    return years[-1] if years else None

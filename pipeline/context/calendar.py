"""A period as calendar months, resolved against the document's year, as Duckling resolves
a time against its reference time. The vocabulary is rules/cues.yaml ``calendar``.

    >>> resolve("上半年", 2026)
    ('2026-01', '2026-06')
    >>> resolve("十四五时期", 2026)
    ('2021-01', '2025-12')
"""

from __future__ import annotations

import functools

from ..grammar.numbers import parse_chinese
from ..ruleset.load import load_rules, pattern

THIRD_PLAN = 1966  # the third five-year plan began in 1966 (after 1963-65); the first in 1953
LAST_PLAN = 16  # 十六五 (2031-2035) is the furthest a text may plan for; 十九五 is no plan
YEARS = (1949, 2100)  # a year outside these is a misreading (到10000年, 20250年)


@functools.cache
def _cal() -> dict:
    return load_rules("cues")["calendar"]


def _cn_number(s: str) -> int | None:
    """2025, 二〇二五, 十四, 两: the number grammar's own reading (grammar.numbers)."""
    if s.isdigit():
        return int(s)
    n = parse_chinese(s.replace("○", "〇"))
    return int(n) if n is not None else None


def _explicit_year(text: str) -> int | None:
    y = pattern("linking", "patterns", "period_inside").search(text)
    if not y:
        return None
    return _cn_number(y.group(0).rstrip("年底末度"))


def _plan(text: str) -> tuple[int, int] | None:
    m = pattern("cues", "calendar", "plan").search(text)
    if not m:
        return None
    first_nine = m.group("nth") or m.group("short")
    n = 10 if m.group("tenth") else _cn_number(first_nine) or 0 if first_nine else 10 + (_cn_number(m.group("n")) or 0)
    if n > LAST_PLAN:
        return None
    start = THIRD_PLAN + 5 * (n - 3) if n >= 3 else 1953 + 5 * (n - 1)
    if pattern("cues", "calendar", "plan_end").search(text.rstrip("”\"")):
        return start + 4, start + 4
    return start, start + 4


def _year_of(text: str, doc_year: int | None, ref_year: int | None) -> int | None:
    """An explicit year; else 今年/去年… from the document's year; else (全年, 上半年, 6月底)
    the year the section or paragraph speaks of."""
    year = _explicit_year(text)
    if year is not None:
        return year
    rel = _cal()["deictic"]
    word = next((w for w in sorted(rel, key=len, reverse=True) if w in text), None)
    if word:
        return doc_year + rel[word] if doc_year is not None else None
    if not _in_a_year(text):
        return None  # 前三年, 20xx年: no year to be had
    return ref_year if ref_year is not None else doc_year


def _in_a_year(text: str) -> bool:
    """A span of a year (全年, 上半年, 年底) or a month range (1—7月, 6月底)."""
    return any(w in text for w in _cal()["spans"]) or bool(pattern("cues", "calendar", "months").search(text))


def _months(text: str) -> tuple[int, int] | None:
    spans = _cal()["spans"]
    word = next((w for w in sorted(spans, key=len, reverse=True) if w in text), None)
    if word:
        return tuple(spans[word])
    m = pattern("cues", "calendar", "months").search(text)
    if m:
        a = _month(m.group("from"))
        b = _month(m.group("to")) if m.group("to") else a
        if a is not None and b is not None and 1 <= a <= b <= 12:
            return a, b
        return None  # 2025年13月: no month of a calendar
    return 1, 12


def _month(s: str) -> int | None:
    """7, 元 (the first month), 十一: a month's number."""
    if s == "元":
        return 1
    return _cn_number(s)


def _fmt(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def resolve(period: str | None, doc_year: int | None, ref_year: int | None = None,
            year_ahead: bool = False) -> tuple[str, str] | None:
    """(from, to) as ``YYYY-MM`` for a period text, or None when it cannot be resolved;
    ``ref_year``: the year the section speaks of (全年 in a review of 2025 is 2025);
    ``year_ahead``: the document speaks as its year begins (a work report of January 2026),
    so the years ahead (未来五年) start with its own year: 2026-2030, where a speech of
    December 2015 looks to 2016-2020.
    Memoised: a report resolves 上半年 or 全年 against its year again and again."""
    if not period:
        return None
    return _resolve(period, doc_year, ref_year, year_ahead)


@functools.lru_cache(maxsize=4096)
def _resolve(period: str, doc_year: int | None, ref_year: int | None,
             year_ahead: bool = False) -> tuple[str, str] | None:
    if pattern("cues", "calendar", "plan").search(period) and _plan(period) is None:
        return None  # 十九五: no plan
    plan = _plan(period)
    if plan:
        return _fmt(plan[0], 1), _fmt(plan[1], 12)
    span = pattern("cues", "calendar", "year_span").search(period)
    if span:  # 2020年到2025年
        a, b = int(span.group("a")), int(span.group("b"))
        return (_fmt(a, 1), _fmt(b, 12)) if a <= b else None
    past = pattern("cues", "calendar", "past_years").search(period)
    if past:
        n = _cn_number(past.group("n") or past.group("n2"))
        return (_fmt(doc_year - n, 1), _fmt(doc_year - 1, 12)) if doc_year and n else None
    ahead = pattern("cues", "calendar", "next_years").search(period)
    if ahead:
        n = _cn_number(ahead.group("n"))
        first = doc_year + (0 if year_ahead else 1) if doc_year else None
        return (_fmt(first, 1), _fmt(first + n - 1, 12)) if first and n else None
    year = _year_of(period, doc_year, ref_year)
    months = _months(period)
    if year is None or months is None or not YEARS[0] <= year <= YEARS[1]:
        return None
    return _fmt(year, months[0]), _fmt(year, months[1])

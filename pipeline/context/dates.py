"""The document's title and date: the date 今年 and 去年 refer to.

The date is read from evidence, each source with its strength (rules/document.yaml
``date``): a date the caller gives (``--date``, a ``--meta`` CSV), a dateline near the top
(——2026年1月27日在…), the title read by genre (关于2023年预算执行情况和2024年预算草案的报告
speaks in 2024, a 2022 communiqué in 2023, a plan's 2035 is its horizon), a published line
(发布时间:2023-03-03), the year a report reviews plus one, the file name, the latest year the
text names. The strongest wins; only a strong date lets the calendar decide a figure's kind.

    >>> document_date(["2026年吉林省政府工作报告", "各位代表："], "", None).year
    2026
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import re
from dataclasses import dataclass, field

import regex

from ..ruleset.load import load_rules, pattern

HEAD_LINES = 60  # the lines where a published line or a dateline is looked for


@dataclass(frozen=True)
class DocDate:
    year: int | None
    month: int | None = None
    day: int | None = None
    source: str = "text"
    strength: int = field(default=0, compare=False)  # how far the evidence is trusted (rules/document.yaml)

    def to_dict(self) -> dict:
        return {"year": self.year, "month": self.month, "day": self.day, "source": self.source}

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: as much as is known."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        return out

    @property
    def strong(self) -> bool:
        """Evidence a figure's kind may rest on (a dateline, a title, a given date…), not the
        latest year the text happens to name."""
        return self.strength >= STRONG


_CITED = regex.compile(r"《([^》]{4,60}(?:报告|公报|纲要|规划)[^》]{0,6})》")  # a report a news item cites
STRONG = 3  # a date at least this strong lets the calendar decide a kind (context.kind)
# the strength of each source (rules/document.yaml ``date``): the strongest wins
GIVEN, DATELINE, TITLE, PUBLISHED, REPOSTED, REVIEW, FILENAME, MENTIONED = 5, 4, 4, 4, 2, 3, 2, 1
REPOSTED_GENRES = ("work_report", "speech")  # reposted on sharing sites years after they were given


@functools.cache  # dropped with the module's other tables when the rules in force change
def _rule(name: str):
    return pattern("document", "date", name)


@functools.cache
def _title_rules() -> dict:
    return load_rules("document")["title"]


def title_of(lines: list[str]) -> str | None:
    """The first line that names the document (报告, 讲话…), else the first line that is not
    site furniture; both among the first lines, above the salutation (各位代表：) and at most
    ``max_chars`` long."""
    r = _title_rules()
    skip = pattern("document", "title", "skip")
    cands = [s.strip() for s in lines[: r["lines"]]]
    body = pattern("document", "title", "body_start")
    opens = next((i for i, s in enumerate(cands) if body.match(s)), None)
    cands = cands[:opens]  # a heading below 各位代表 is the body's, not the document's
    cands = [s for s in cands if s and len(s) <= r["max_chars"] and not skip.search(s)]
    cue = pattern("document", "title", "cue")
    named = next((s for s in cands if cue.search(s)), None)
    title = (named or (cands[0] if cands else "")).strip(" |\u3000")  # a table row's pipes
    return title or None


def parse_given(value: str) -> DocDate:
    """``2026``, ``2026-03``, ``2026-03-05`` (``--date`` or a meta CSV); ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*", value or "")
    if not m:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = (int(g) if g else None for g in m.groups())
    try:
        datetime.date(y, 1 if mo is None else mo, 1 if d is None else d)  # month 0 is no month
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None
    if not 1900 <= y <= 2100:
        raise ValueError(f"not a date: {value!r}")
    return DocDate(y, mo, d, "given", GIVEN)


def _full(m: regex.Match, source: str, strength: int, y: str = "year", mo: str = "month",
          d: str = "day") -> DocDate | None:
    """The date of a match with year, month and day groups; None for an impossible one
    (2025年13月)."""
    year, month, day = int(m.group(y)), int(m.group(mo)), int(m.group(d))
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return DocDate(year, month, day, source, strength)


def _first_line(lines: list[str], name: str, source: str, strength: int) -> DocDate | None:
    for line in lines:
        m = _rule(name).search(line)
        if m:
            return _full(m, source, strength)
    return None


def _stamp(lines: list[str], strength: int) -> DocDate | None:
    """A line that is a time stamp (2024-10-28 10:34:28 某某网, 18.11.2015 14:44)."""
    for line in lines:
        m = _rule("stamp").search(line)
        if m:
            return _full(m, "published", strength) if m.group("year") else \
                _full(m, "published", strength, "year2", "month2", "day2")
    return None


def year_number(s: str) -> int | None:
    """2025 or 二〇二五 as an integer; None outside 1940-2049."""
    if not s.isdigit():
        s = "".join(str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else
                    "0" if c in "○零" else c for c in s)
    y = int(s) if s.isdigit() else None
    return y if y is not None and 1940 <= y <= 2049 else None


def _title_date(title: str | None, lines: list[str], genre: str | None) -> DocDate | None:
    """The title read by genre: a report on 2023 and 2024 speaks in 2024; a 2022 communiqué or
    final account in 2023; a plan in its first year (its 2035 is a horizon)."""
    for text in ([title] if title else []) + lines[:3]:
        m = _rule("two_years").search(text)
        if m:
            return DocDate(int(m.group("year")), source="title", strength=TITLE)
    own = _own_title_date(title, genre) if title else None
    if own or not lines:
        return own
    cited = next((m.group(1) for ln in lines[:3] for m in _CITED.finditer(ln)), None)
    found = _own_title_date(cited, None) if cited else None  # 《关于…2009年决算(草案)的报告》提交…
    return DocDate(found.year, source="text", strength=REVIEW) if found else None


def _own_title_date(title: str, genre: str | None) -> DocDate | None:
    m = _rule("title_year").search(title)
    if m and year_number(m.group("year")):
        year = year_number(m.group("year"))
        after = genre == "statistical_communique" or bool(_rule("year_after").search(title))
        return DocDate(year + after, source="title", strength=TITLE)
    m = _rule("title_plan").search(title) if genre in ("plan", None) else None
    if m:
        n = 10 if m.group("tenth") else 10 + "一二三四五六".index(m.group("n")) + 1
        return DocDate(1966 + 5 * (n - 3), source="title", strength=TITLE)
    return None


def _from_review(text: str) -> DocDate | None:
    """A report speaks from the year after the one it reviews (刚刚过去的1984年, 2008年工作回顾)."""
    m = _rule("review_year").search(text)
    if not m or (not m.group("year2") and not _rule("report").search(text[:3000])):
        return None
    return DocDate(int(m.group("year") or m.group("year2")) + 1, source="text", strength=REVIEW)


def _opening_year(lines: list[str], text: str) -> DocDate | None:
    """A communiqué without a dated title speaks the year after its own: the first year its
    opening names (2010年，在区委…), else the latest it names."""
    for line in lines[:3]:
        m = _rule("mentioned_year").search(line)
        if m:
            return DocDate(int(m.group("year")) + 1, source="text", strength=REVIEW)
    years = [int(m.group("year")) for m in _rule("mentioned_year").finditer(text)]
    # a communiqué reports a finished year: its latest year plus one beats a file name's year,
    # which names either
    return DocDate(max(years) + 1, source="text", strength=FILENAME) if years else None


def speaks_at(date: DocDate | None, text: str) -> str | None:
    """``YYYY-MM`` the document speaks at: its date's month, else January for a work report
    (given at the start of its year), else unknown."""
    if date is None or date.year is None:
        return None
    if date.month:
        return f"{date.year:04d}-{date.month:02d}"
    return f"{date.year:04d}-01" if _rule("report").search(text[:3000]) else None


def _candidates(lines: list[str], text: str, path: str | None, title: str | None, page_date: str | None,
                genre: str | None) -> list[DocDate | None]:
    """Every reading of the date, in order of preference on equal strength."""
    head = lines[:HEAD_LINES]
    published = PUBLISHED if genre not in REPOSTED_GENRES else REPOSTED
    page = None
    if page_date:
        with contextlib.suppress(ValueError):
            d = parse_given(page_date)
            page = DocDate(d.year, d.month, d.day, "published", published)
    out = [_first_line(head, "dateline", "text", DATELINE), _title_date(title, head, genre),
           _first_line(head, "published", "published", published), _stamp(head, published), page,
           _from_review(text)]
    if genre == "statistical_communique":
        out.append(_opening_year(head, text))
    if path:
        m = _rule("filename_year").search(os.path.basename(path))
        out.append(DocDate(int(m.group("year")), source="filename", strength=FILENAME) if m else None)
    years = [int(m.group("year")) for m in _rule("mentioned_year").finditer(text)]
    out.append(DocDate(max(years), source="text", strength=MENTIONED) if years else None)
    return out


def document_date(lines: list[str], text: str, path: str | None, title: str | None = None,
                  page_date: str | None = None, genre: str | None = None) -> DocDate | None:
    """The date ``text`` speaks from: the strongest reading (see the module doc); a reading of
    the same year with month and day (a dateline, a published line) adds them."""
    found = [d for d in _candidates(lines, text, path, title, page_date, genre) if d and d.year]
    if not found:
        return None
    best = max(found, key=lambda d: d.strength)  # max keeps the first of equal strength
    if best.month is None:
        full = next((d for d in found if d.year == best.year and d.month and d.strength >= REPOSTED), None)
        if full:  # a dated line that agrees with the year: the day it was given or published
            return DocDate(best.year, full.month, full.day, full.source, best.strength)
    return best

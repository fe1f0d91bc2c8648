"""The document's title and date: the date 今年 and 去年 refer to.

The sources, in order: a date the caller gives (``--date``, a ``--meta`` CSV), the title
(2026年政府工作报告), a published line (发布时间:2023-03-03), a dateline near the top
(——2026年1月27日在…), the year a work report reviews plus one, the file name. The rules are
in ``rules/document.yaml``.

    >>> document_date(["2026年吉林省政府工作报告", "各位代表："], "", None).year
    2026
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from dataclasses import asdict, dataclass

from ..ruleset.load import load_rules, pattern

HEAD_LINES = 60  # the lines where a published line or a dateline is looked for


@dataclass(frozen=True)
class DocDate:
    year: int | None
    month: int | None = None
    day: int | None = None
    source: str = "text"

    def to_dict(self) -> dict:
        return asdict(self)

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: as much as is known."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        return out


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
    return named or (cands[0] if cands else None)


def parse_given(value: str) -> DocDate:
    """``2026``, ``2026-03``, ``2026-03-05`` (``--date`` or a meta CSV); ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*", value or "")
    if not m:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = (int(g) if g else None for g in m.groups())
    try:
        datetime.date(y, mo or 1, d or 1)
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None
    if not 1900 <= y <= 2100:
        raise ValueError(f"not a date: {value!r}")
    return DocDate(y, mo, d, "given")


def _full(m: re.Match, source: str) -> DocDate:
    mo, d = int(m.group("month")), int(m.group("day"))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return DocDate(int(m.group("year")), mo, d, source)
    return DocDate(int(m.group("year")), None, None, source)


def _from_head(head: list[str]) -> DocDate | None:
    for line in head:  # the day it was given before the day a site published it
        m = _rule("dateline").search(line)
        if m:
            return _full(m, "text")
    for line in head:
        m = _rule("published").search(line)
        if m:
            return _full(m, "published")
    return None


def _from_review(text: str) -> DocDate | None:
    """A work report speaks from the year after the one it reviews (刚刚过去的1984年)."""
    if not _rule("report").search(text[:3000]):
        return None
    m = _rule("review_year").search(text)
    if not m:
        return None
    return DocDate(int(m.group("year") or m.group("year2")) + 1, source="text")


def speaks_at(date: DocDate | None, text: str) -> str | None:
    """``YYYY-MM`` the document speaks at: its date's month, else January for a work report
    (given at the start of its year), else unknown."""
    if date is None or date.year is None:
        return None
    if date.month:
        return f"{date.year:04d}-{date.month:02d}"
    return f"{date.year:04d}-01" if _rule("report").search(text[:3000]) else None


def document_date(lines: list[str], text: str, path: str | None, title: str | None = None,
                  page_date: str | None = None) -> DocDate | None:
    """The date ``text`` speaks from, by the first source that has one (see the module doc);
    ``page_date``: an HTML page's published-date meta tag, a published line of its own."""
    head = _from_head(lines[:HEAD_LINES])
    if head is None and page_date:
        try:
            d = parse_given(page_date)
            head = DocDate(d.year, d.month, d.day, "published")
        except ValueError:
            pass
    m = _rule("title_year").search(title) if title else None
    if m:
        year = int(m.group("year"))  # a full date of the same year near the top adds the day
        return head if head and head.year == year else DocDate(year, source="title")
    found = head or _from_review(text)
    if found:
        return found
    if path:
        m = _rule("filename_year").search(os.path.basename(path))
        if m:
            return DocDate(int(m.group("year")), source="filename")
    years = [int(m.group("year")) for m in _rule("mentioned_year").finditer(text)]
    return DocDate(max(years), source="text") if years else None

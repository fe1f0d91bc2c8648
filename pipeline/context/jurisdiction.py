"""Whose speech or report: the jurisdiction's name, level and whether the page masked it.

    >>> jurisdiction_of(["2026年吉林省政府工作报告"], "", None, None).name
    '吉林省'
"""

from __future__ import annotations

import functools
import os
from dataclasses import asdict, dataclass

import regex

from ..ruleset.load import load_rules, pattern


@dataclass(frozen=True)
class Jurisdiction:
    name: str | None
    level: str | None
    masked: bool
    source: str

    def to_dict(self) -> dict:
        return asdict(self)


@functools.cache
def _rules() -> dict:
    return load_rules("document")["jurisdiction"]


def level_of(name: str) -> str | None:
    """province, city, county, district or township, by the name's last word."""
    r = _rules()
    if name in r["municipalities"]:
        return "province"
    for word in sorted(r["levels"], key=len, reverse=True):
        if name.endswith(word):
            return r["levels"][word]
    return None


def _named(lines: list[str], source: str) -> Jurisdiction | None:
    masked = pattern("document", "jurisdiction", "masked")
    for line in lines:
        m = pattern("document", "jurisdiction", "named").search(line)
        if m:
            name = m.group("name")
            hidden = bool(masked.search(name))
            return Jurisdiction(None if hidden else name, level_of(name), hidden, source)
    return None


def jurisdiction_of(lines: list[str], text: str, path: str | None, speaker_level: str | None,
                    title: str | None = None) -> Jurisdiction | None:
    """From the title or the first lines (吉林省政府工作报告), a national report's marks, the file
    name (上海市.txt), else the speaker's own level (我区 -> district) with no name."""
    found = _named([title] if title else [], "title") or _named(lines[:3], "text")
    if found:
        return found
    if pattern("document", "jurisdiction", "national").search(text):
        return Jurisdiction("中华人民共和国", "national", False, "text")
    if path:
        stem = os.path.splitext(os.path.basename(path))[0]
        if level_of(stem) and len(stem) <= 12 and regex.fullmatch(r"\p{Han}+", stem):
            return Jurisdiction(stem, level_of(stem), False, "filename")
    level = _rules()["speaker_levels"].get(speaker_level or "")
    if level:
        hidden = bool(pattern("document", "jurisdiction", "masked").search(" ".join(lines[:3])))
        return Jurisdiction(None, level, hidden, "text")
    return None

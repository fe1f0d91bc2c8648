"""Whose speech or report: a real division (name, code, level, province), or a masked one.

Names come from the division table (``ruleset.divisions``), never from a sentence's fragment:
a dateline's 日在陕西省 is 陕西省, 县委全委会暨全县 is no name.

    >>> j = jurisdiction_of(["2026年吉林省政府工作报告"], "", None, None)
    >>> j.name, j.code, j.level
    ('吉林省', '220000', 'province')
"""

from __future__ import annotations

import functools
import os
from dataclasses import asdict, dataclass

import regex

from ..ruleset import divisions
from ..ruleset.load import load_rules, pattern


@dataclass(frozen=True)
class Jurisdiction:
    name: str | None
    level: str | None
    masked: bool
    source: str
    code: str | None = None
    parent: str | None = None

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


def of_division(d: divisions.Division, source: str) -> Jurisdiction:
    return Jurisdiction(d.name, d.level, False, source, d.code, d.parent)


def resolve(name: str, source: str) -> Jurisdiction:
    """A name as given (meta CSV, a file name): the division it names (安徽 -> 安徽省, 340000),
    else the name as given with no code."""
    d = divisions.find(name) or divisions.ending(name)
    return of_division(d, source) if d else Jurisdiction(name, level_of(name), False, source)


def _named(lines: list[str], source: str) -> Jurisdiction | None:
    masked = pattern("document", "jurisdiction", "masked")
    for line in lines:
        for m in pattern("document", "jurisdiction", "named").finditer(line):
            name = m.group("name")
            if masked.search(name):
                return Jurisdiction(None, level_of(name), True, source)
            d = divisions.ending(name)
            if d:
                return of_division(d, source)
    return None


def _scanned(lines: list[str], title: str | None, speaker_level: str | None) -> Jurisdiction | None:
    """The division the head of the page names most, by weight: in the title (3) or a line
    (1), a full name (1) or a short one (0.5), after a dateline's 日在 or before an institution
    or a report word (+2: 兴隆台区第十五届, 山东省统计局); of the speaker's own level, +1 (全区 and
    兴隆台区). A name only compared with (与保康县比) never reaches 2."""
    r = _rules()
    after, before = pattern("document", "jurisdiction", "place_cue"), regex.compile(r["place_before"])
    score: dict[divisions.Division, float] = {}
    for line, weight in [(title or "", 3.0)] + [(ln, 1.0) for ln in lines[:8]]:
        for start, end, d in divisions.scan(line):
            cued = bool(after.match(line, end) or before.search(line[:start]))
            s = weight * (1.0 if line[start:end] == d.name else 0.5) + (2.0 if cued else 0.0)
            s += 1.0 if s >= 2.0 and speaker_level and d.name.endswith(speaker_level) else 0.0
            score[d] = score.get(d, 0.0) + s
    if not score:
        return None
    best = max(score, key=lambda d: (score[d], d.level != "province"))
    return of_division(best, "text") if score[best] >= 2.0 else None


def jurisdiction_of(lines: list[str], text: str, path: str | None, speaker_level: str | None,
                    title: str | None = None) -> Jurisdiction | None:
    """From the title or the first lines (吉林省政府工作报告; ——2025年1月8日在桐城市第十九届…), a
    national report's marks, the division the page's head names most, the file name (上海市.txt),
    else the speaker's own level (我区 -> district) with no name."""
    found = _named([title] if title else [], "title") or _named(lines[:3], "text")
    if found:
        return found
    national = pattern("document", "jurisdiction", "national")
    if national.search("\n".join(lines[:5])):
        return _national()
    found = _scanned(lines, title, speaker_level)
    if found:
        return found
    if national.search(text):
        return _national()
    if path:
        stem = os.path.splitext(os.path.basename(path))[0]
        d = divisions.find(stem) if regex.fullmatch(r"\p{Han}{2,12}", stem) else None
        if d:
            return of_division(d, "filename")
    level = _rules()["speaker_levels"].get(speaker_level or "")
    if level:
        hidden = bool(pattern("document", "jurisdiction", "masked").search(" ".join(lines[:3])))
        return Jurisdiction(None, level, hidden, "text")
    return None


def _national() -> Jurisdiction:
    d = divisions.national()
    return Jurisdiction(d.name, d.level, False, "text", d.code, None)


def _ancestors(code: str) -> list[divisions.Division]:
    """The division of ``code``, then its city, then its province (those the table has)."""
    found = [divisions.by_code(c) for c in dict.fromkeys((code, code[:4] + "00", code[:2] + "0000"))]
    return [d for d in found if d]


def subject_code(subject: str | None, jur: Jurisdiction | None) -> str | None:
    """The division a claim's subject stands for: 全省 in a 桐城市 speech is 安徽省 (340000),
    全市 there is 桐城市 itself, 全国 the nation, a place named (合肥, 霍邱县) its own code."""
    if not subject:
        return None
    words = _rules()["subject_words"]
    if subject in words["national"]:
        return divisions.NATIONAL_CODE
    own = regex.fullmatch(words["own"], subject)
    if own:
        if not (jur and jur.code) or jur.level == "national":
            return None
        word = own.group("level")
        return next((d.code for d in _ancestors(jur.code) if d.name.endswith(word)), None)
    province = jur.code[:2] + "0000" if jur and jur.code and jur.level != "national" else None
    d = divisions.find(subject, province)
    return d.code if d else None

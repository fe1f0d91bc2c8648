"""The indicator catalogue (``rules/indicators.yaml``): keys, names, English names, unit classes.

A final indicator name gets its key by head and modifiers, never by substring: the name is a
catalogue name, or one with scope words before it (全省, 1-9月, a division: 江苏省) and growth
words after it (增速, 增长).

    >>> canonical_of("全省地区生产总值"), canonical_of("海洋生产总值"), canonical_of("粮食播种面积")
    ('gdp', None, 'grain_area')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import divisions
from .load import load_rules


@dataclass(frozen=True)
class Entry:
    key: str
    zh: str
    en: str
    unit: str  # amount, rate, share, count, index, price_change
    names: tuple[str, ...]


@functools.cache
def entries() -> tuple[Entry, ...]:
    return tuple(Entry(e["key"], e["zh"], e["en"], e["unit"], tuple(e["names"]))
                 for e in load_rules("indicators")["indicators"])


@functools.cache
def by_key() -> dict[str, Entry]:
    return {e.key: e for e in entries()}


@functools.cache
def _names() -> dict[str, str]:
    return {n: e.key for e in entries() for n in e.names}


def lexicon_names() -> list[str]:
    """The names the figure grammar spots in a sentence (the reading lexicon)."""
    return list(load_rules("indicators")["lexicon"])


@functools.cache
def _matching() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    m = load_rules("indicators")["matching"]
    return (regex.compile(f"(?:{m['before']})"), regex.compile(f"(?:{m['after']})"),
            regex.compile(m["skip_inside"]))


def _bare(name: str) -> str | None:
    """``name`` without growth words after it, when what is left is a catalogue name."""
    names = _names()
    if name in names:
        return name
    after = _matching()[1]
    for i in range(len(name) - 1, 0, -1):
        if name[:i] in names and after.fullmatch(name[i:]):
            return name[:i]
    return None


def _scope(prefix: str) -> bool:
    """全省, 我市, 1-9月, 江苏省, 合肥, one after another (安徽前三季度全省): words that say where
    or when, not what."""
    before = _matching()[0]
    i = 0
    while i < len(prefix):
        m = before.match(prefix, i)
        found = divisions.scan(prefix[i:i + 12])
        if m and m.end() > i:
            i = m.end()
        elif found and found[0][0] == 0:
            i += found[0][1]
        else:
            return False
    return True


@functools.lru_cache(maxsize=65536)
def canonical_of(name: str | None) -> str | None:
    """The catalogue key of a final indicator name, or None (海洋生产总值 is not gdp)."""
    if not name:
        return None
    name = _matching()[2].sub("", name.replace(" ", ""))
    names = _names()
    for i in range(len(name)):
        head = _bare(name[i:])
        if head and _scope(name[:i]):
            return names[head]
    return None


def unit_class(key: str | None) -> str | None:
    e = by_key().get(key or "")
    return e.unit if e else None


def english(key: str | None) -> str | None:
    e = by_key().get(key or "")
    return e.en if e else None

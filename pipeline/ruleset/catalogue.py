"""The indicator catalogue (``rules/indicators.yaml``): keys, names, English names, unit classes.

A final indicator name gets its key by head and modifiers, never by substring: the name is a
catalogue name, or one with scope words before it (全省, 1-9月, a division: 江苏省) and growth
words after it (增速, 增长). A derived measure of a catalogue indicator (税收收入预算完成率,
第一产业增加值占GDP比重) gets the indicator's key, a dot and the measure, or the entry that
declares it (``derived``: primary_va.share is primary_share). A bare product name (稻谷) is its
output only when the figure's unit is a physical quantity (万吨).

    >>> canonical_of("全省地区生产总值"), canonical_of("海洋生产总值"), canonical_of("粮食播种面积")
    ('gdp', None, 'grain_area')
    >>> canonical_of("税收收入预算完成率"), canonical_of("稻谷", "万吨"), canonical_of("稻谷")
    ('tax_revenue.completion', 'rice_output', None)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import divisions
from .load import RuleSource, active_rules, load_rules


@dataclass(frozen=True)
class Entry:
    key: str
    zh: str
    en: str
    unit: str  # amount, rate, share, count, index, price_change
    names: tuple[str, ...]
    bare: tuple[str, ...] = ()  # product names that are the output only with a physical unit
    derived: tuple[str, ...] = ()  # derived keys this entry stands for (primary_va.share)
    of: str = ""  # the whole a derived share of it is of (GDP), when the name says one


@dataclass(frozen=True)
class Measure:
    key: str
    zh: str
    en: str
    unit: str
    after: regex.Pattern  # what follows the indicator's name: 预算完成率, 占GDP比重


@functools.lru_cache(maxsize=1)
def _tables_for(source: RuleSource) -> RuleSource:
    """Called with the rules in force before a table is read: when an Extractor with other
    rules built this module's tables, they are dropped and built again from ``source`` (so
    an export after an ablated run reads the shipped catalogue)."""
    for f in (_entries, measures, _by_key, _derived, _bare_names, _names, _matching, _physical, _canonical):
        f.cache_clear()
    return source


def entries() -> tuple[Entry, ...]:
    """The catalogue's indicators (rules/indicators.yaml ``indicators``)."""
    _tables_for(active_rules())
    return _entries()


@functools.cache
def _entries() -> tuple[Entry, ...]:
    return tuple(Entry(e["key"], e["zh"], e["en"], e["unit"], tuple(e["names"]),
                       tuple(e.get("bare", ())), tuple(e.get("derived", ())), e.get("of", ""))
                 for e in load_rules("indicators")["indicators"])


@functools.cache
def measures() -> tuple[Measure, ...]:
    """The derived measures, in the order they are tried (rules/indicators.yaml ``measures``)."""
    return tuple(Measure(m["key"], m["zh"], m["en"], m["unit"], regex.compile(f"(?:{m['after']})$"))
                 for m in load_rules("indicators")["measures"]["list"])


def by_key() -> dict[str, Entry]:
    """Each key, derived keys included (tax_revenue.completion: 税收收入 + 预算完成率)."""
    _tables_for(active_rules())
    return _by_key()


@functools.cache
def _by_key() -> dict[str, Entry]:
    keys = {e.key: e for e in _entries()}
    for e in _entries():
        for m in measures():
            key = f"{e.key}.{m.key}"
            keys.setdefault(key, Entry(key, e.zh + m.zh, f"{e.en}: {m.en}", m.unit, ()))
    return keys


@functools.cache
def _derived() -> dict[str, tuple[str, regex.Pattern | None]]:
    return {d: (e.key, regex.compile(f"(?:{e.of})") if e.of else None) for e in _entries() for d in e.derived}


@functools.cache
def _bare_names() -> dict[str, str]:
    return {n: e.key for e in _entries() for n in e.bare}


@functools.cache
def _names() -> dict[str, str]:
    return {n: e.key for e in _entries() for n in e.names}


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


def _scoped(name: str, names: dict[str, str] | None = None) -> str | None:
    """The key of ``name``: a catalogue name with growth words after it, or one of ``names``
    as it stands, with only scope words before it."""
    for i in range(len(name)):
        rest = name[i:]
        head = _bare(rest) if names is None else rest if rest in names else None
        if head and _scope(name[:i]):
            return (names or _names())[head]
    return None


def _measured(name: str) -> str | None:
    """The key of a derived measure: 税收收入预算完成率 -> tax_revenue.completion."""
    for m in measures():
        hit = m.after.search(name)
        if hit and hit.start() > 0:
            base = _scoped(name[:hit.start()])
            if base:
                return _derived_key(f"{base}.{m.key}", hit)
    return None


def _derived_key(key: str, hit: regex.Match) -> str:
    """The entry that stands for ``key`` (primary_va.share: primary_share), when the share
    names no whole or the entry's own (占GDP比重); else ``key`` (税收收入占GDP比重 is
    tax_revenue.share, not tax_share, a share of budget revenue)."""
    entry, of = _derived().get(key, (None, None))
    whole = hit.groupdict().get("of")
    if entry is None or whole and (of is None or not of.fullmatch(whole)):
        return key
    return entry


def canonical_of(name: str | None, unit: str | None = None, national: bool = False) -> str | None:
    """The catalogue key of a final indicator name, or None (海洋生产总值 is not gdp); ``unit``,
    the figure's unit as written, lets a bare product name (稻谷 with 万吨) be its output.
    ``national``: the figure is the nation's (a national report's own, or 全国's), so a name
    the catalogue gives the nation its own entry for is that entry (财政收入: national_fiscal_revenue).

        >>> canonical_of("财政收入"), canonical_of("财政收入", national=True)
        ('local_fiscal_revenue', 'national_fiscal_revenue')
    """
    _tables_for(active_rules())
    if national and name:
        key = _canonical(NATION + name, unit)
        if key:
            return key
    return _canonical(name, unit)


NATION = "全国"  # the catalogue's word for the nation's own figure (全国财政收入)


@functools.lru_cache(maxsize=65536)
def _canonical(name: str | None, unit: str | None) -> str | None:
    if not name:
        return None
    name = name.replace(" ", "")
    for form in dict.fromkeys((name, _matching()[2].sub("", name))):  # as written, then read past 完成
        key = _scoped(form) or _measured(form)
        if key:
            return key
    if unit and _physical().search(unit):
        return _scoped(name, _bare_names())
    return None


@functools.cache
def _physical() -> regex.Pattern:
    return regex.compile(load_rules("indicators")["measures"]["physical_unit"])


def unit_class(key: str | None) -> str | None:
    e = by_key().get(key or "")
    return e.unit if e else None


def english(key: str | None) -> str | None:
    e = by_key().get(key or "")
    return e.en if e else None

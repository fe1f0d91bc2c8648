"""The number grammar: Arabic and Chinese numerals, scales, units, masks, ranges."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import math
import operator
import re
import warnings
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

import regex

from ..ruleset.load import fragment, load_rules, pattern
from ..text.rx import HOLD

ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ARABIC_RE = regex.compile(ARABIC)


@functools.cache
def numerals() -> dict:
    """The Chinese numerals of rules/figures.yaml (``numerals``): digits, multipliers, scales…"""
    return load_rules("figures")["numerals"]


@functools.cache
def _mult() -> dict[str, int]:
    """The multipliers that may follow a number (3千, 1.2万): 十百千 and the smallest scale."""
    scales = numerals()["scales"]
    small = min(scales, key=scales.get)
    return {**numerals()["multipliers"], small: scales[small]}


@functools.cache
def _cn_has_digit() -> regex.Pattern:
    return regex.compile(fragment("cn_digit_all"))


def _scale_words() -> list[str]:
    """万亿, 万, 亿: the scale words (figures.yaml ``scaled_units``), longest first."""
    return sorted(load_rules("figures")["scaled_units"], key=len, reverse=True)


def parse_chinese(s: str) -> float | None:
    """一千二百万 -> 12000000, 八十二点九 -> 82.9, 十五 -> 15; None if not a numeral."""
    if not s:
        return None
    n = numerals()
    digits, small, scales = n["digits"], n["multipliers"], n["scales"]
    frac = ""
    if n["point"] in s:
        s, frac = s.split(n["point"], 1)
        if not all(c in digits for c in frac):
            return None
    total = section = number = 0
    prev_digit = False
    for ch in s:
        if ch in digits:
            number = number * 10 + digits[ch] if prev_digit else digits[ch]
            prev_digit = True
            continue
        prev_digit = False
        if ch in small:
            section += (number or 1) * small[ch]
        elif ch in scales:
            total = _scaled(total, section + number, scales, ch)
            section = 0
        else:
            return None
        number = 0
    value = float(total + section + number)
    if frac:
        value += float("0." + "".join(str(digits[c]) for c in frac))
    return value


def _scaled(total: int, section: int, scales: dict[str, int], ch: str) -> int:
    """The total after scale ``ch``: 万 scales its section (一千二百万), the largest scale
    everything before it (三万五千亿)."""
    if scales[ch] < max(scales.values()):
        return total + section * scales[ch]
    return (total + section) * scales[ch]


@functools.lru_cache(maxsize=8192)
def parse_number(s: str) -> float | None:
    """Parse an Arabic (with separators), Chinese, or fraction numeral; None if not finite.
    Memoised: four numbers in five of a report are said before (5%, 2025, 10亿)."""
    v = _parse_number(s)
    return v if v is None or math.isfinite(v) and abs(v) < MAX_FIGURE else None


MAX_FIGURE = 1e16  # 16 digits and more: no statistic (and more than a float holds exactly)
MAX_DIGITS = 15


def _parse_number(s: str) -> float | None:
    s = s.strip()
    if not s:
        return None
    if "/" in s:
        a, _, b = s.partition("/")
        na, nb = parse_number(a), parse_number(b)
        return na / nb if na is not None and nb else None
    pct = numerals()["percent_of"]
    if s.startswith(pct):
        return parse_number(s[len(pct):])
    if _ARABIC_RE.fullmatch(s):
        return _arabic(s)
    if s[-1] in _mult() and _ARABIC_RE.fullmatch(s, 0, len(s) - 1):
        v = _arabic(s[:-1])
        return None if v is None else v * _mult()[s[-1]]
    return parse_chinese(s)


def _arabic(s: str) -> float | None:
    """1,234.5 -> 1234.5; None for more than 15 significant digits (a figure no statistic has)."""
    digits = s.replace(",", "").replace(".", "").lstrip("0")  # s is ARABIC: digits, commas, a point
    if len(digits) > MAX_DIGITS:
        return None
    return float(s.replace(",", ""))


@dataclass(slots=True)
class Figure:
    """A number (or masked number) with its unit, found in working text."""

    start: int
    end: int
    amount: float | None
    unit: str
    unit_kind: str
    masked: bool
    qualifier: str | None
    text: str
    max: float | None = None
    chinese: bool = False
    base: float | None = None
    unit_inferred: bool = False  # the page lost the unit (比上年增长7.8) or a list shares it


@dataclass(frozen=True, slots=True)
class Grammar:
    pattern: regex.Pattern
    units: dict
    not_followed: dict
    qualifiers: dict
    scale_mid_unit: regex.Pattern  # 3万余场次: 余 between the scale and the unit
    bare_scale: regex.Pattern | re.Pattern  # 突破万亿元: a scale word after a verb of reaching, as a number
    not_mask: regex.Pattern  # a ○ bullet opening a line, a ○ zero among Chinese digits
    blank: regex.Pattern | re.Pattern  # 分别完成亿元: a unit where the digits were left blank
    blank_at: regex.Pattern  # 生产总值 万亿元: a unit where spaces stood for the digits
    lost: regex.Pattern | re.Pattern  # 比上年增长7.8: a growth whose % the page lost
    lost_unit: str
    percent_of: str  # 百分之五: a percentage written as words
    not_after: regex.Pattern  # what a number may not follow (figures.yaml numerals.not_after)


def with_scaled_units(units: dict, scales: list[str]) -> dict:
    """The units plus every scale prefix (万, 亿) on every count or measure unit that has none:
    29.5万公里, 1.2亿人次. A unit the rules list themselves keeps its own entry."""
    out = dict(units)
    factors = {s: units[s][1] for s in scales}
    cn = numerals()
    for u, (dim, factor, kind) in units.items():
        if kind not in ("count", "measure") or u[0] in cn["scales"] or u[0] in cn["multipliers"]:
            continue
        for s, f in factors.items():
            out.setdefault(s + u, [dim, factor * f, kind])
    small, big = sorted(cn["scales"], key=cn["scales"].get)
    for u, (dim, factor, kind) in units.items():  # 亿千瓦时 -> 万亿千瓦时
        if kind in ("count", "measure") and u[0] == big and small + big in factors:
            out.setdefault(small + u, [dim, factor * float(cn["scales"][small]), kind])
    return out


def word_alternation(words: Iterable[str]) -> str:
    """A pattern of ``words`` that matches as their alternation longest first does, written
    as a tree of shared beginnings (万(?:亿(?:元|吨)|元)?…): at each position the engines
    test one character per level instead of every word (the units: some 250 words, a third faster
    in the number pattern that reads every sentence). A word that ends where longer ones go
    on is tried after them (the ``?`` is greedy), as longest first tries it.

    >>> word_alternation(["万元", "万", "亿元"])
    '(?:万(?:元)?|亿元)'
    """
    tree: dict = {}
    for w in sorted(set(words)):
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branch(tree) or "(?!)"


def _branch(node: dict) -> str:
    kids = [regex.escape(ch) + _branch(node[ch]) for ch in node if ch]
    if not kids:
        return ""
    if len(kids) == 1 and "" not in node:
        return kids[0]
    return f"(?:{'|'.join(kids)})" + ("?" if "" in node else "")


@functools.lru_cache(maxsize=1)
def grammar() -> Grammar:
    r = load_rules("figures")
    units = with_scaled_units(r["units"], r.get("scaled_units", []))
    unit_alt = word_alternation(units)
    q = r["qualifiers"]
    pre = "|".join(sorted(q["before"], key=len, reverse=True))
    mid = "|".join(q["between"])
    post = "|".join(sorted(q["after"], key=len, reverse=True))
    cn = r["numerals"]
    chinese = fragment("cn_numeral")
    num = (rf"(?:{r['masks']}|{regex.escape(cn['percent_of'])}(?:{ARABIC}|{chinese})|(?<![\d.])(?:{ARABIC})(?:/\d+)?"
           rf"|{chinese})")
    dash = r"[—\-~～]|" + "|".join(cn["range_words"])
    money = "|".join(regex.escape(u) for u in cn["money_units"])
    small, big = sorted(cn["scales"], key=cn["scales"].get)
    mult, scale = fragment("cn_multiplier"), fragment("cn_scale")
    sign = r"-(?=\d)"  # 增长-2.1%: a minus sign, not the dash of a range (5%-8%, 2021-2025)
    cu = r["compound_units"]
    # a per-word ends the unit: nothing Han follows it but a verb or qualifier that starts
    # the next words (8.22万元/人增长到…, 2100元/月以上); 万吨/年产能 is no unit per year
    after = cu.get("per_followed_by", "(?!)")
    per = (rf"/(?:{'|'.join(sorted(cu['per'], key=len, reverse=True))})(?:(?![\p{{Han}}/])|(?={after}))"
           rf"|{cu['alternative']}")
    pat = (rf"(?P<pre>{pre})?(?P<sign>(?<![A-Za-z\d.%]){sign})?(?P<num>{num})"
           rf"(?:(?P<unit1>%|{unit_alt})?(?P<dash>{dash})(?P<sign2>{sign})?(?P<num2>{num}))?"
           rf"(?P<mult>{mult}(?=(?:{mid})?{scale})|{small}(?=(?:{mid}){big}(?!{money})))?(?P<mid>{mid})?"
           rf"(?P<unit>{unit_alt})?(?P<per>{per})?(?P<post>{post})?")
    not_followed = {u: regex.compile(p) for u, p in r.get("unit_not_followed_by", {}).items()}
    for u in units:  # 万人 stops where 人 stops (10万人口 is no count of persons)
        base = u[1:]
        if u[0] in cn["scales"] and u not in not_followed and base in not_followed:
            not_followed[u] = not_followed[base]
    bases = sorted({u[1:] for u in units if u[0] in cn["scales"] and u[1:] in units}, key=len, reverse=True)
    scale_mid = regex.compile(rf"(?P<mid>{mid})(?P<unit>{'|'.join(regex.escape(b) for b in bases)})")
    bare = plain(rf"(?P<pre>{'|'.join(r.get('bare_scale_after', []) or ['(?!)'])})"
                 rf"(?P<mult>{mult})?(?P<scale>{'|'.join(_scale_words())})(?P<unit>{_bare_units(units, money)})"
                 rf"(?=[，。；、,;）)]|台阶|$)")  # 跨上万亿元台阶
    not_blank = "|".join(regex.escape(u) for u in r["blank_masks"].get("not_units", [])) or "(?!)"
    blank = plain(rf"(?P<pre>{r['blank_masks']['after']})[ \u3000]*(?!(?:{not_blank})(?=[，。；、）,;]|$))"
                  rf"(?P<unit>{unit_alt})(?=[，。；、）,;]|$)")
    blank_at = regex.compile(rf"(?P<unit>{unit_alt})(?P<post>{post})?(?=[，。；、）,;]|{fragment('list_mark')}|$)")
    lost = plain(rf"(?P<pre>{r['lost_units']['after']})(?P<num>{ARABIC})(?P<post>{post})?(?=[，。；）,;]|$)")
    return Grammar(regex.compile(pat), units, not_followed, q, scale_mid, bare,
                   regex.compile(r["mask_forms"]["not_mask"]), blank, blank_at, lost, r["lost_units"]["unit"],
                   cn["percent_of"], pattern("figures", "numerals", "not_after"))


def plain(p: str) -> regex.Pattern | re.Pattern:
    """``p`` compiled by the standard ``re`` where it can be (words, classes, groups: the same
    matches, and an alternation of words that starts a pattern scanned twice as fast: the
    blank scan reads every sentence), else by ``regex`` (``\\p{Han}``, variable lookbehind,
    and what ``re`` warns it may read otherwise one day, as ``[[``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return re.compile(p)
        except (re.error, Warning):
            return regex.compile(p)


_MASK_RE = regex.compile(r"[Xx×□○■●*_＿]")


@functools.lru_cache(maxsize=1)
def _number_chars() -> regex.Pattern:
    """A character every number, mask and rank needs one of: a digit, a Chinese numeral, a
    mask, or 首位 (居全国首位)."""
    n = numerals()
    cn = "".join(sorted({*n["digits"], *n["multipliers"], *n["scales"], *_RANK_DIGITS}))
    return regex.compile(rf"[\d{regex.escape(cn)}{regex.escape(MASK_CHARS)}]|首位")


MASK_CHARS = "Xx×□○■●*_＿"  # every mask form of rules/figures.yaml (masks, rank masks) is made of these
_RANK_DIGITS = "一二三四五六七八九十"


def may_hold_number(text: str) -> bool:
    """``text`` holds a character a number, a mask or a rank is made of (digits, 一…亿, X, *,
    首位): else the number grammar finds nothing in it but figures left blank."""
    return _number_chars().search(text, None, None, HOLD) is not None


def find_figures(text: str, gaps: frozenset[int] = frozenset(), numbers: bool = True) -> list[Figure]:
    """All figures with a unit in ``text`` (working text of one sentence); ``gaps`` are the
    offsets before which the original had spaces that cleaning removed. ``numbers=False``:
    the text holds no digit, numeral or mask (``may_hold_number``), so only figures left
    blank are looked for."""
    g = grammar()
    out = [f for m in g.pattern.finditer(text, None, None, False, HOLD)
           if (f := _figure(text, m, g)) is not None and not _split_by_space(text, m, gaps)] if numbers else []
    out.extend(_blanks(text, g, [(f.start, f.end) for f in out], gaps))
    if numbers:
        out.extend(_bare_scales(text, g, [(f.start, f.end) for f in out], gaps))
        out.extend(_lost_units(text, g, [(f.start, f.end) for f in out]))
    out.sort(key=lambda f: f.start)
    return _per_before(text, _join_scales(text, _spoken_scales(text, _list_units(text, out, g.units), g.units),
                                          g.units))


def _spoken_scales(text: str, figs: list[Figure], units: dict) -> list[Figure]:
    """到位资金才3个多亿, 争取资金5个亿元: spoken, 个 before a scale counts that scale (3 亿元,
    多: a count of 亿 in a speech is of yuan, the 元 unsaid; 5 亿元)."""
    spoken = _spoken_pattern()
    out = []
    for f in figs:
        m = spoken.match(text, f.end) if f.unit == "个" and not f.masked and f.amount is not None else None
        if m:
            said = m.group("unit") or ""
            unit = m.group("scale") + (said or ("元" if m.group("scale") == "亿" else ""))  # 13个亿 is money: 13 亿元
            if unit in units:
                factor = units[unit][1]
                f = dataclasses.replace(f, end=m.end(), unit=unit, unit_kind=units[unit][2], text=text[f.start:m.end()],
                                        qualifier=f.qualifier or ("多" if m.group("mid") else None),
                                        base=float(f"{f.amount * factor:.12g}"), unit_inferred=not said)
        out.append(f)
    return out


@functools.cache
def _spoken_pattern() -> regex.Pattern:
    return regex.compile(load_rules("figures").get("spoken_scale", "(?!)"))


def _join_scales(text: str, figs: list[Figure], units: dict) -> list[Figure]:
    """3亿5000万元 is one figure, 35000 万元 (as 六百二十八亿一千万元 is): a bare 亿 right before
    a figure in a unit of 万."""
    out: list[Figure] = []
    for f in figs:
        prev = out[-1] if out else None
        if prev and prev.unit == "亿" and prev.end == f.start and f.unit.startswith("万") and f.unit != "万" \
                and prev.amount is not None and f.amount is not None and not f.chinese and not prev.chinese:
            amount = float(f"{prev.amount * 10000 + f.amount:.12g}")
            factor = units[f.unit][1]
            out[-1] = dataclasses.replace(f, start=prev.start, amount=amount, text=text[prev.start:f.end],
                                          qualifier=prev.qualifier or f.qualifier,
                                          base=float(f"{amount * factor:.12g}") if f.base is not None else None)
            continue
        if prev and _wan_then_units(prev, f, units):  # 2萬1362元 (Taiwan and Hong Kong papers): 21362 元
            amount = float(f"{prev.amount * 10000 + f.amount:.12g}")
            out[-1] = dataclasses.replace(f, start=prev.start, amount=amount, text=text[prev.start:f.end],
                                          qualifier=prev.qualifier or f.qualifier,
                                          base=float(f"{amount * units[f.unit][1]:.12g}") if f.base is not None else None)
            continue
        out.append(f)
    return out


def _wan_then_units(prev: Figure, f: Figure, units: dict) -> bool:
    """A bare 万 right before a figure of fewer than 10000 in a unit without a scale (2万1362元)."""
    return prev.unit == "万" and prev.end == f.start and f.unit in units and f.unit[:1] not in "万亿" \
        and prev.amount is not None and f.amount is not None and 0 <= f.amount < 10000 \
        and not f.chinese and not prev.chinese and "." not in (f.text or "")


def _per_before(text: str, figs: list[Figure]) -> list[Figure]:
    """每月815元 is 815 元/月 (the per-word said before the figure joins its unit), and so is
    the next figure of its list in the same unit (每月815元和615元)."""
    per_re = _per_pattern()
    out: list[Figure] = []
    for f in figs:
        m = per_re.search(text, max(0, f.start - 5), f.start) if f.unit_kind != "rate" and "/" not in f.unit else None
        prev = out[-1] if out else None
        if m:
            per = "/".join(p for p in (m.group("who"), m.group("per")) if p)
            f = dataclasses.replace(f, start=m.start(), unit=f"{f.unit}/{per}", base=None, text=text[m.start():f.end])
        elif prev and "/" in prev.unit and prev.unit.split("/")[0] == f.unit and text[prev.end:f.start] in ("和", "、", "及"):
            f = dataclasses.replace(f, unit=prev.unit, base=None, unit_inferred=True)
        out.append(f)
    return out


@functools.cache
def _per_pattern() -> regex.Pattern:
    return regex.compile(load_rules("figures")["compound_units"].get("per_before", "(?!)"))


def _split_by_space(text: str, m: regex.Match, gaps: frozenset[int]) -> bool:
    """The page had a space between two digit groups of the number, neither a letter-spaced
    digit (4 2 亿元) nor a thousands group (1 234): 地区生产总值 40 42亿元 is no number to trust."""
    a, b = m.start("num"), m.end("num")
    for gap in gaps:
        if not (a < gap < b and text[gap - 1].isdecimal() and text[gap].isdecimal()):
            continue
        left = len(text[a:gap]) - len(text[a:gap].rstrip("0123456789"))
        right = len(text[gap:b]) - len(text[gap:b].lstrip("0123456789"))
        if left >= 2 and right >= 2 and right != 3:
            return True
    return False


_HUNDREDS = re.compile("[百千]")  # a count of a hundred or more (四百四十项)


def _large(numtxt: str, unit: str, approx: bool = False) -> bool:
    """A count in Chinese numerals is a figure only when it is large: 八千八百二十七万头,
    一亿五千万头, 七百多万人, 四百四十项 (not 三个, 五项, 两家, 二十个: enumerations and labels)."""
    if numtxt in ("一", "一万", "一亿") and unit.endswith("个") and not approx:
        return False  # 一万个放心不下: a stock phrase, no count (一万多个 is one)
    return any(s in numtxt or unit.startswith(s) for s in numerals()["scales"]) or _HUNDREDS.search(numtxt) is not None


def _figure(text: str, m: regex.Match, g: Grammar) -> Figure | None:
    """The figure of one match of the number pattern, or None if it is not one."""
    numtxt = m.group("num")
    if not numtxt:
        return None
    pct_form = numtxt.startswith(g.percent_of)
    unit = "%" if pct_form else m.group("unit")
    if not unit or not m.group("pre") and g.not_after.search(text, max(0, m.start("num") - 1), m.start("num"), HOLD):
        return None
    start = m.start()  # the qualifier or the sign before the number, if any
    end = (m.end("num2") if m.group("num2") else m.end("num")) if pct_form else m.end("unit")
    nf, every = g.not_followed.get(unit), g.not_followed.get("*")
    nxt = end + len(text[end:end + 3]) - len(text[end:end + 3].lstrip(" \u3000"))  # 1 个 月: past spaces
    if nf and nf.match(text, nxt, nxt + 4, HOLD) or every and every.match(text, nxt, nxt + 4, HOLD):
        return None
    masked = bool(_MASK_RE.search(numtxt, None, None, HOLD)) and not pct_form
    if masked and g.not_mask.match(text, m.start("num"), None, HOLD):
        return None
    chinese = not masked and not numtxt[:1].isdecimal() and not pct_form
    if chinese and not _cn_has_digit().search(numtxt, None, None, HOLD):
        return None
    unit, end, mid_q = _scale_mid_unit(text, m, g, unit, end)
    _dim, factor, kind = g.units[unit]
    if m.group("per") and not mid_q and not pct_form:  # 万吨/年, 万套（间）: the unit read whole
        unit, end = unit + m.group("per"), m.end("per")
    if chinese and kind == "count" and not _large(numtxt, unit, bool(m.group("mid") or mid_q)) or m.group("num2") and m.group("unit1") and not _same_unit(m.group("unit1"), unit):
        return None
    amounts = _amounts(m, numtxt, masked, pct_form)
    if amounts is None:
        return None
    amount, mx = amounts
    if chinese and amount is not None:
        amount = _closed_by_unit(numtxt, unit, amount)
    qual, end = _qualifier(m, g, mid_q, end)
    if amount is not None and not math.isfinite(amount * factor):
        return None  # 400 digits: a figure no statistic has, and one JSON cannot carry
    base = float(f"{amount * factor:.12g}") if amount is not None and kind in ("money", "count", "measure") \
        and not (m.group("per") or "").startswith("/") else None  # 元/月 is no sum of yuan
    return Figure(start, end, amount, unit, kind, masked, qual, text[start:end], mx, chinese, base)


def _closed_by_unit(numtxt: str, unit: str, amount: float) -> float:
    """六百四十三亿七千万元: the unit's 万 closes the numeral (643亿7千万 is 6437000 万元, not
    64300007000 万元); the amount stays in the unit as written."""
    scale = next((w for w in _scale_words() if unit.startswith(w)), None)
    if scale is None:
        return amount
    size, scales = parse_chinese("一" + scale) or 0, numerals()["scales"]
    if not any(scales.get(ch, 0) > size for ch in numtxt):
        return amount
    whole = parse_chinese(numtxt + scale)
    return whole / size if whole is not None and size else amount


def _scale_mid_unit(text: str, m: regex.Match, g: Grammar, unit: str,
                    end: int) -> tuple[str, int, str | None]:
    """3万余场次, 1万多元: 万场次 / 万元 with 余 / 多 between the scale and the unit."""
    if unit in numerals()["scales"] and not m.group("mid") and m.group("unit"):
        sm = g.scale_mid_unit.match(text, m.end("unit"))
        if sm and unit + sm.group("unit") in g.units:
            return unit + sm.group("unit"), sm.end(), sm.group("mid")
    return unit, end, None


def _same_unit(first: str, unit: str) -> bool:
    """The unit said after a range's first number is the range's: 5%到6%, or its scale alone
    (700万到800万吨)."""
    return first == unit or first in numerals()["scales"] and unit.startswith(first)


def _amounts(m: regex.Match, numtxt: str, masked: bool, pct_form: bool = False) -> tuple[float | None, float | None] | None:
    """The amount and the range's upper end (scaled by 十/百/千), or None if not numbers.
    A range said with 到/至 needs a unit or scale after its first number (5%到6%, 百分之二到三,
    二百八十万到三百万千瓦): 从1到3 is none."""
    amount = None if masked else parse_number(numtxt)
    if not masked and amount is None:
        return None
    mx = None
    if m.group("num2") and not _MASK_RE.search(m.group("num2")):
        mx = parse_number(m.group("num2"))
        if mx is None:
            return None
        scaled = numtxt[-1:] in numerals()["scales"] and m.group("num2")[-1:] in numerals()["scales"]
        if m.group("dash") in numerals()["range_words"] and not (m.group("unit1") or pct_form or scaled):
            return None  # 从1到3 without units is not a range of figures
    if m.group("sign") and amount is not None:
        amount = -amount
    if m.group("sign2") and mx is not None:
        mx = -mx
    mult = m.group("mult")
    if mult and amount is not None:
        amount *= _mult()[mult]
        if mx is not None:
            mx *= _mult()[mult]
    return amount, mx


def _qualifier(m: regex.Match, g: Grammar, mid_q: str | None, end: int) -> tuple[str | None, int]:
    """The qualifier (约, 余, 以上…) and the figure's end after a qualifier that follows it."""
    qual = None
    if m.group("pre"):
        qual = g.qualifiers["before"][m.group("pre")]
    if m.group("mid") or mid_q:
        qual = g.qualifiers["between"][m.group("mid") or mid_q]
    post = m.group("post") if not mid_q else None
    if post:
        qual, end = g.qualifiers["after"][post], m.end("post")
    return qual, end


def _bare_units(units: dict, money: str) -> str:
    """The units a bare scale counts: money (突破万亿元) and every count or measure a scale
    word makes a unit of (突破万列, 突破千万标箱)."""
    scaled = {u[1:] for u in units if u[:1] in "万亿" and u[1:] in units and units[u[1:]][2] in ("count", "measure")}
    return "|".join([money, *(regex.escape(u) for u in sorted(scaled, key=len, reverse=True))])


def _bare_scales(text: str, g: Grammar, taken: list[tuple[int, int]],
                 gaps: frozenset[int] = frozenset()) -> list[Figure]:
    """突破万亿元, 超千亿元: a scale word standing for 1 of it, where no figure stands (not
    where a space stood before it: 迈上 万亿元台阶 is a figure left blank)."""
    out = []
    for m in g.bare_scale.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken) or m.end("pre") in gaps:
            continue
        mult, scale, unit = m.group("mult"), m.group("scale"), m.group("unit")
        if scale + unit not in g.units:
            continue
        amount = float(_mult()[mult]) if mult else 1.0
        _dim, factor, kind = g.units[scale + unit]
        out.append(Figure(m.start(), m.end(), amount, scale + unit, kind, False,
                          g.qualifiers["before"].get(m.group("pre")), text[m.start():m.end()], None, True,
                          float(f"{amount * factor:.12g}")))
    return out


def _overlaps(a: int, b: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in taken)


def _blanks(text: str, g: Grammar, taken: list[tuple[int, int]], gaps: frozenset[int]) -> list[Figure]:
    """分别完成 亿元、 亿元: a figure left blank, a masked figure of its unit. Where the original
    had spaces before the unit (``gaps``), after any word; else after a verb or list mark;
    ending its clause or list item; not a one-character count (达人, 有 个镇街: no figure)."""
    found = list(g.blank.finditer(text))
    found += [m for i in sorted(gaps) if (m := g.blank_at.match(text, i)) and not pattern("figures", "numerals", "number_before").search(text, max(0, i - 1), i)]
    out: list[Figure] = []
    for m in found:
        unit = m.group("unit")
        kind = g.units[unit][2]
        nf = g.not_followed.get(unit)
        if kind == "scale" or len(unit) < 2 and kind == "count" or nf and nf.match(text, m.end("unit")) \
                or _overlaps(m.start("unit"), m.end(), taken + [(f.start, f.end) for f in out]):
            continue
        post = m.groupdict().get("post")
        qual = g.qualifiers["after"][post] if post else None
        out.append(Figure(m.start("unit"), m.end(), None, unit, kind, True, qual, text[m.start("unit"):m.end()]))
    return out


_SPACE = regex.compile(r"[ \t\u3000\u00a0]")


def sentence_gaps(original: str, starts, ends, spans: list[tuple[int, int]]) -> list[frozenset[int]]:
    """For each working span ``[a, b)`` of ``spans`` (the sentences), the offsets from ``a``
    before which cleaning removed spaces of the original: where a figure left blank stood
    (分别完成 亿元). The offset map's jumps are found once for the whole text, compared in C."""
    jumps = [j for j in _jumps(starts, ends) if _SPACE.search(original, ends[j - 1], starts[j])]
    out = []
    for a, b in spans:
        lo, hi = bisect.bisect_left(jumps, a + 1), bisect.bisect_left(jumps, b)
        out.append(frozenset(j - a for j in jumps[lo:hi]) if lo < hi else frozenset())
    return out


def _jumps(starts, ends) -> list[int]:
    """The positions j where the offset map jumps (``starts[j] > ends[j - 1]``: cleaning removed
    text there). Stretches that map straight through are skipped by comparing their bytes
    whole, halving the rest (a page has a few jumps in 20,000 characters); maps that are not
    arrays are compared position by position."""
    n = len(starts)
    if not (isinstance(starts, array) and isinstance(ends, array) and starts.typecode == ends.typecode):
        return list(compress(range(1, n), map(operator.gt, starts[1:], ends[:n - 1])))
    a, b, w = starts[1:].tobytes(), ends[:n - 1].tobytes(), starts.itemsize
    out: list[int] = []
    stack = [(0, n - 1)]  # ranges of j - 1
    while stack:
        lo, hi = stack.pop()
        if a[lo * w:hi * w] == b[lo * w:hi * w]:
            continue
        if hi - lo <= 32:
            out += [j + 1 for j in range(lo, hi) if starts[j + 1] > ends[j]]
            continue
        mid = (lo + hi) // 2
        stack += [(mid, hi), (lo, mid)]  # the lower half next: found in order
    return out


def _lost_units(text: str, g: Grammar, taken: list[tuple[int, int]]) -> list[Figure]:
    """比上年增长7.8: a growth verb, a number, the clause's end: the % the page lost (also
    before a qualifier: 增长20以上)."""
    out = []
    unit = g.lost_unit
    kind = g.units[unit][2]
    for m in g.lost.finditer(text):
        amount = parse_number(m.group("num"))
        if amount is None or _overlaps(m.start("num"), m.end(), taken):
            continue
        qual = g.qualifiers["after"].get(m.group("post")) if m.group("post") else None
        if qual and amount >= 100 and "." not in m.group("num"):
            continue  # 新增就业岗位增长1200以上: a count, not a lost %
        out.append(Figure(m.start("num"), m.end(), amount, unit, kind, False, qual, text[m.start("num"):m.end()],
                          unit_inferred=True))
    return out


@functools.cache
def list_mark() -> regex.Pattern:
    """Between the items of a list (of figures or of names): {list_mark} of rules/vocabulary.yaml."""
    return regex.compile(fragment("list_mark"))


def _list_units(text: str, figs: list[Figure], units: dict) -> list[Figure]:
    """分别达1409万、1305万人次: a bare scale listed before a figure with a fuller unit of that
    scale takes the unit written at the end of the list; 分别低了2.3个和0.7个百分点: the 个 of
    a list of points is their shared 个百分点."""
    for i in range(len(figs) - 2, -1, -1):
        f, nxt = figs[i], figs[i + 1]
        unit = _shared_unit(text, f, nxt, units)
        if unit is None:
            continue
        _dim, factor, kind = units.get(unit) or units[nxt.unit[:len(f.unit) + 1]]
        base = float(f"{f.amount * factor:.12g}") if f.amount is not None and nxt.base is not None else None
        figs[i] = dataclasses.replace(f, unit=unit, unit_kind=kind, base=base, unit_inferred=True)
    return figs


def _shared_unit(text: str, f: Figure, nxt: Figure, units: dict) -> str | None:
    """The unit f (1409万, 1.28万亿, 2.3个) takes as the first of a list whose unit is written
    once, at nxt (1305万人次, 8200亿元, 0.7个百分点): 万人次, 万亿元 (its own scale kept), 个百分点."""
    if not list_mark().fullmatch(text, f.end, nxt.start) or f.amount is None and not f.masked \
            or nxt.unit == f.unit:
        return None
    if nxt.unit.startswith(f.unit):
        return nxt.unit if f.unit_kind == "scale" and nxt.unit_kind != "scale" or nxt.unit_kind == "rate" else None
    if f.unit_kind != "scale" or nxt.unit_kind == "scale":
        return None
    scale = next((p for p in _scale_words() if nxt.unit.startswith(p)), None)
    own = f.unit + nxt.unit[len(scale):] if scale else None
    return own if own in units else None

"""Targets against outcomes: one row per (jurisdiction, year, canonical indicator, measure).

A year's report sets targets (主要预期目标是：生产总值增长6%左右); the next year's report states
the outcome in its review (过去一年，全省生产总值增长5.8%). The panel joins the two halves:

    >>> df = panel(["out.jsonl"])                                   # doctest: +SKIP
    >>> df[["jurisdiction", "year", "canonical", "target", "actual", "met"]]  # doctest: +SKIP
       安徽省  2024  gdp  6.0  5.8  yes        (6%左右: near, within 0.5 points)

How a target is read (the annotation guideline's reading of its qualifier):

- 左右 near: met when the outcome is within ``NEAR_POINTS`` (0.5) of a rate in % (``NEAR_SHARE``,
  5 %, of a level) on the bad side; the good side is always met (6.8% against 6%左右 is met);
- 以上, 不低于, 超 at least; 以内, 以下, 不超过 at most; a range (6%－6.5%) its bounds: at
  least the lower bound, or for a ceiling at most the upper one;
- no qualifier: the indicator's direction: prices and unemployment are ceilings (the
  catalogue's ``direction``/``class`` when it has one), everything else a floor.

A target must be for one calendar year (``period_range`` one whole year, ``horizon`` null:
年均 and 累计 targets are not annual ones), and so must an outcome (a level said at the year's
end, 年末城镇调查失业率5.5%, is the year's); a growth measured from a
named year other than the year before (比一九七八年增长32.6%) is not an annual one either,
nor the start of a change (涨幅从5.4%回落到2.6%: 5.4 is the year before's), nor a figure of
a narrower indicator that the catalogue's key only contains (轻工业总产值 for 工业总产值). A claim with a ``subject`` is another area's
figure and is left out. When several claims could fill a cell, the row keeps one and says
which and why in ``note``, never two values.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

COLUMNS = ["jurisdiction", "jurisdiction_code", "jurisdiction_level", "year", "canonical",
           "indicator_en", "measure", "unit", "target", "target_max", "target_qualifier",
           "target_doc", "target_claim", "actual", "actual_doc", "actual_claim", "met", "gap",
           "note"]

TEXT_COLUMNS = [c for c in COLUMNS if c not in ("year", "target", "target_max", "actual", "gap")]

NEAR_POINTS = 0.5  # 左右 on a rate in % (or 个百分点): half a point either way
NEAR_SHARE = 0.05  # 左右 on a level (万人, 亿元): 5 % of the target
# an outcome this far from its target is another measure or a misread, not the year's outcome
MAX_GAP_POINTS = 15.0  # growth: 15 points (the 1994 price target 10% against 21.7% still pairs)
MAX_RATIO = 2.0  # levels: within half to twice the target (增加333亿元 is no level of 704亿元)
RATE_UNITS = frozenset({"%", "个百分点", "‰", "个千分点"})

AT_LEAST = frozenset({"以上", "不低于", "超", "超过", "多", "至少", "不少于"})
AT_MOST = frozenset({"以内", "以下", "不超过", "不高于", "低于", "控制在"})
NEAR = frozenset({"左右", "约", "近", "上下"})

# indicators whose target is a ceiling (lower is better), until the catalogue says so itself
CEILING_KEYS = frozenset({"cpi", "ppi", "retail_price_index", "unemployment", "unemployment_registered",
                          "unemployment_surveyed", "energy_intensity", "deficit", "deficit_ratio"})
CEILING_CLASSES = frozenset({"price_change", "price", "unemployment", "ceiling"})
# price indices are stated as a value (涨幅3%) or as a growth (上涨2.1%): one measure, growth
PRICE_KEYS = frozenset({"cpi", "ppi", "retail_price_index"})
# one catalogue key for two series; the name tells them apart until the catalogue splits them
SPLIT_BY_NAME = {"unemployment": (("登记", "unemployment_registered"), ("调查", "unemployment_surveyed"))}
SCALES = "万亿千百十"
# a growth against a named year (比1978年, 同一九五二年相比): annual only when that is the year before
BASE_YEAR = re.compile(r"(?:比|同|较|与|和)\s*((?:19|20|一九|二〇|二○|二零)[\d〇○零一二三四五六七八九]{2})\s*年")
CN_DIGITS = "〇一二三四五六七八九"
# a name is its key's when, less a scope before it and a measure word after it, it is one of
# the key's catalogue names (全省生产总值增速: 生产总值); 轻工业总产值 or 工农业总产值 is not
SCOPE_BEFORE = re.compile(r"^(?:全国|全省|全市|全区|全县|全州|全盟|全旗|我国|我省|我市|我区|我县|本省|本市|"
                          r"全年|今年|去年|上年|当年|年度)+")
MEASURE_AFTER = re.compile(r"(?:增长速度|增长率|增速|增幅|涨幅|上涨幅度|上涨|增长|总量|总额|总水平)$")
# the start of a change (涨幅从5.4%回落到2.6%: 5.4 is the year before's), never the year's figure
FROM_FIGURE = re.compile(r"^\s*(?:回落|下降|降|增加|提高|上升|升|增|减少|扩大|缩小|上涨|涨)?(?:到|至)")


def _parent(key: str) -> str:
    """The catalogue key a split series comes from (unemployment_registered: unemployment)."""
    return next((k for k, pairs in SPLIT_BY_NAME.items() if key in dict(pairs).values()), key)


@dataclass(frozen=True)
class Figure:
    """One measure (value or growth) of one claim, with what the panel needs to place it."""

    place: str
    code: str | None
    place_name: str | None
    level: str | None
    year: int
    canonical: str
    measure: str
    unit: str
    amount: float
    max: float | None
    factor: float | None  # base units per unit (亿元: 1e8), to compare 万亿元 with 亿元
    qualifier: str | None
    kind: str
    doc: str
    doc_year: int | None
    claim: str
    order: int
    confidence: float
    year_end: bool = False  # a level said at the year's end (年末), below a whole year's figure


# ---------------------------------------------------------------- reading the inputs


def _jsonl_rows(path: str) -> Iterator[dict[str, Any]]:
    """Flat claim rows of an extract output, with the fields the flat export does not carry."""
    from .io.tables import claim_row, iter_documents

    for d in iter_documents(path):
        jur = d.get("jurisdiction") or {}
        for i, c in enumerate(d["claims"]):
            try:
                row = claim_row(d["doc_id"], c, d)
            except (KeyError, TypeError, AttributeError):
                raise ValueError(f"{path}: document {d['doc_id']}: a claim without the "
                                 "fields of the output format") from None
            row.update(subject_code=c.get("subject_code"), jurisdiction_code=jur.get("code"), order=i)
            yield row


def read_rows(paths: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Claim rows from extract outputs (.jsonl) and SQLite exports (.db); a clear error else."""
    from .io.rows import load_rows

    for p in paths:
        if not os.path.isfile(p):
            raise FileNotFoundError(2, "no such file", p)
        if p.endswith((".db", ".sqlite", ".sqlite3")):
            for i, r in enumerate(load_rows(p)):
                r.setdefault("order", i)
                yield r
        else:
            yield from _jsonl_rows(p)


def _year(ym: Any) -> int | None:
    try:
        return int(str(ym)[:4])
    except (TypeError, ValueError):
        return None


def claim_year(r: dict[str, Any]) -> int | None:
    """The year of an annual claim: its period_range when that is one whole calendar year;
    None for a part of a year, a span of years, or no period (在这个期间…计划增长21.7%)."""
    a, b = str(r.get("period_from") or ""), str(r.get("period_to") or "")
    if a[:4] and a[:4] == b[:4] and a[5:7] in ("", "01") and b[5:7] in ("", "12"):
        return _year(a)
    return None


def year_end(r: dict[str, Any]) -> int | None:
    """The year of a level stated at its end (年末城镇调查失业率5.5%, 年底存款余额: period_range
    that year's December, the period said 年末/年底), which is that year's level; None else."""
    a, b = str(r.get("period_from") or ""), str(r.get("period_to") or "")
    if a[:4] and a == b and a[5:7] == "12" and _YEAR_END.search(str(r.get("period") or "")):
        return _year(a)
    return None


_YEAR_END = re.compile(r"年末|年底|12月(?:末|底)")


def _span_and_after(r: dict[str, Any]) -> tuple[str, str]:
    """The claim's own evidence and the sentence text after it."""
    text, start = str(r.get("sentence") or ""), r.get("start")
    a, b = r.get("span_start"), r.get("span_end")
    if not all(isinstance(x, int) for x in (start, a, b)):
        return text, ""
    return text[max(0, a - start):max(0, b - start)], text[max(0, b - start):]


def _catalogue_key(name: str) -> str | None:
    try:
        from .ruleset.catalogue import canonical_of
    except ImportError:  # an older catalogue without its own matcher
        return None
    return canonical_of(name)


def name_fits(canonical: str, name: str | None) -> bool:
    """Whether ``name`` is the key's indicator itself, not a narrower one that contains a
    name of it (工业总产值 fits industrial_output; 轻工业总产值 does not)."""
    names = set(_catalogue().get(canonical, {}).get("names") or ())
    if not names or not name:
        return True
    if _catalogue_key(name) in (canonical, _parent(canonical)):
        return True  # the catalogue's own matcher (scope words, a division's name, growth words)
    bare = SCOPE_BEFORE.sub("", name)
    return name in names or bare in names or MEASURE_AFTER.sub("", bare) in names


def is_from_figure(r: dict[str, Any]) -> bool:
    """Whether the claim is where a change starts (居民消费价格涨幅从5.4%回落到2.6%: 5.4;
    发电量由三千亿度增加到四千零七十三亿度: 3000)."""
    span, after = _span_and_after(r)
    return ("从" in span or "由" in span) and bool(FROM_FIGURE.match(after))


def base_year(r: dict[str, Any]) -> int | None:
    """The year a growth is measured from when its evidence names one (比一九七八年增长32.6%:
    1978), read from the claim's own span; None when it names none (比上年, or nothing)."""
    m = BASE_YEAR.search(unicodedata.normalize("NFKC", _span_and_after(r)[0]))
    if not m:
        return None
    digits = "".join(str(CN_DIGITS.index(ch)) if ch in CN_DIGITS else ch for ch in m.group(1))
    return int(digits) if digits.isdigit() else None


def _factor(amount: Any, base: Any) -> float | None:
    if isinstance(amount, (int, float)) and isinstance(base, (int, float)) and amount:
        return float(base) / float(amount)
    return None


def _measures(r: dict[str, Any]) -> list[tuple[str, str, float, float | None, float | None, str | None]]:
    """(measure, unit, amount, max, factor, qualifier) of the row's unmasked figures."""
    out = []
    vq, gq = r.get("value_qualifier"), r.get("growth_qualifier")
    if vq is None and gq is None:  # an export without the two columns: the claim's own
        vq = gq = r.get("qualifier")
    if isinstance(r.get("value_amount"), (int, float)) and not r.get("value_masked"):
        out.append(("value", r.get("value_unit") or "", float(r["value_amount"]), r.get("value_max"),
                    _factor(r["value_amount"], r.get("value_base")), vq))
    if isinstance(r.get("growth_rate"), (int, float)) and not r.get("growth_masked"):
        out.append(("growth", r.get("growth_unit") or "", float(r["growth_rate"]), r.get("growth_max"),
                    None, gq))
    if r.get("canonical") in PRICE_KEYS or _unit_class(r.get("canonical")) == "price_change":
        # 涨幅3%左右 (value) and 上涨2.1% (growth): one measure
        out = [("growth", *m[1:]) if m[0] == "value" and m[1] == "%" else m for m in out]
    return out


def _unit_class(canonical: Any) -> str:
    entry = _catalogue().get(str(canonical)) or {}
    return str(entry.get("class") or entry.get("unit") or "")


def series_key(canonical: str, name: str | None) -> str:
    """The catalogue key, split where one key holds two series (城镇登记失业率, 城镇调查失业率)."""
    for word, key in SPLIT_BY_NAME.get(canonical, ()):
        if word in (name or ""):
            return key
    return canonical


def figures(r: dict[str, Any]) -> list[Figure]:
    """The annual, own-area figures of one claim row (none for another area's or a span's)."""
    if not r.get("canonical") or r.get("subject") or r.get("horizon") or r.get("kind") == "forecast":
        return []
    if is_from_figure(r) or not name_fits(str(r["canonical"]), r.get("indicator_name")):
        return []
    year, levels_only = claim_year(r), False
    if year is None:  # a year-end level is the year's level, not its growth, in a year already over
        year, levels_only = year_end(r), True
        doc_year = _year(r.get("doc_date"))
        if year is not None and doc_year is not None and year >= doc_year:
            year = None
    if year is None:
        return []
    base = base_year(r) if r.get("growth_rate") is not None else None
    measures = [m for m in _measures(r)
                if m[0] != "growth" or (base in (None, year - 1) and not levels_only)]
    place = r.get("jurisdiction_code") or r.get("jurisdiction") or ""
    conf = r.get("confidence")
    common = dict(place=str(place), code=r.get("jurisdiction_code"), place_name=r.get("jurisdiction"),
                  level=r.get("jurisdiction_level"), year=year,
                  canonical=series_key(str(r["canonical"]), r.get("indicator_name")), kind=str(r.get("kind")),
                  doc=str(r.get("doc_id")), doc_year=_year(r.get("doc_date")), claim=str(r.get("claim_id")),
                  order=int(r.get("order") or 0), confidence=float(conf) if isinstance(conf, (int, float)) else 0.0)
    return [Figure(measure=m, unit=unit, amount=amount,
                   max=float(mx) if isinstance(mx, (int, float)) else None, factor=f, qualifier=q,
                   year_end=levels_only, **common)
            for m, unit, amount, mx, f, q in measures]


# ---------------------------------------------------------------- reading a target


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, Any]]:
    from .ruleset.load import load_rules

    return {e["key"]: e for e in load_rules("indicators")["indicators"]}


def is_ceiling(canonical: str) -> bool:
    """Whether lower is better for this indicator (prices, unemployment): the catalogue's
    ``direction``, or its class (``price_change``), else the project's list of such keys."""
    entry = _catalogue().get(canonical) or _catalogue().get(_parent(canonical)) or {}
    direction = str(entry.get("direction") or "").lower()
    if direction in ("down", "lower", "ceiling"):
        return True
    if direction in ("up", "higher", "floor"):
        return False
    kind = str(entry.get("class") or entry.get("unit") or "").lower()  # the catalogue's class of unit
    return kind in CEILING_CLASSES or canonical in CEILING_KEYS


def indicator_en(canonical: str) -> str:
    """The catalogue's English name, else the key spelt out (retail_sales: retail sales)."""
    entry = _catalogue().get(canonical) or {}
    return str(entry.get("en") or entry.get("name_en") or canonical.replace("_", " "))


def reading(qualifier: str | None, has_max: bool, ceiling: bool) -> str:
    """How a target is read: ``near``, ``at_least``, ``at_most``, ``range`` (5%左右: near)."""
    if has_max:
        return "range"
    if qualifier in NEAR:
        return "near"
    if qualifier in AT_LEAST:
        return "at_least"
    if qualifier in AT_MOST:
        return "at_most"
    return "at_most" if ceiling else "at_least"


def tolerance(target: float, unit: str) -> float:
    """What 左右 allows on the bad side: 0.5 points on a rate, 5 % of a level."""
    return NEAR_POINTS if unit in RATE_UNITS else abs(target) * NEAR_SHARE


def judge(target: float, target_max: float | None, qualifier: str | None, actual: float,
          ceiling: bool, unit: str) -> bool:
    """Whether ``actual`` meets the target (增长6%左右 against 5.8%: met, within half a point).

    >>> judge(5.0, None, "左右", 4.8, False, "%"), judge(5.5, None, "以内", 5.6, True, "%")
    (True, False)
    """
    how = reading(qualifier, target_max is not None, ceiling)
    eps = 1e-9
    if how == "range":
        return actual <= target_max + eps if ceiling else actual >= target - eps
    if how == "near":
        tol = tolerance(target, unit)
        return actual <= target + tol + eps if ceiling else actual >= target - tol - eps
    if how == "at_most":
        return actual <= target + eps
    return actual >= target - eps


# ---------------------------------------------------------------- choosing among candidates


def _dimension(unit: str) -> str:
    return unit.lstrip(SCALES) or unit


def in_unit(f: Figure, unit: str, factor: float | None) -> float | None:
    """``f``'s amount in ``unit`` (99.1万亿元 in 亿元: 991000.0); None when they do not compare."""
    if f.unit == unit:
        return f.amount
    if f.measure == "value" and f.factor and factor and _dimension(f.unit) == _dimension(unit):
        return round(f.amount * f.factor / factor, 10)
    return None


def _target_rank(f: Figure) -> tuple:
    return (f.doc_year != f.year, -f.confidence, f.doc, f.order)


def _actual_rank(f: Figure) -> tuple:
    if f.doc_year == f.year + 1:
        when = 0
    elif f.doc_year == f.year:
        when = 1
    else:
        when = 2 + abs((f.doc_year or 0) - (f.year + 1))
    return (when, f.year_end, f.qualifier is not None, -f.confidence, f.doc, f.order)


def _why_target(f: Figure) -> str:
    return "the year's own report" if f.doc_year == f.year else f"a report of {f.doc_year}"


def _why_actual(f: Figure) -> str:
    if f.doc_year == f.year + 1:
        where = "the next year's report"
    elif f.doc_year == f.year:
        where = "the same year's report"
    else:
        where = f"a report of {f.doc_year}"
    return where + (f", stated {f.qualifier}" if f.qualifier else "")


def _choice(side: str, chosen: Figure, others: list[tuple[Figure, float]], why: str) -> str:
    """``target from cn2019:6 (the year's own report); 1 other: 4.5 in cn2019:9``."""
    text = f"{side} {chosen.claim} ({why})"
    differ = [(f, v) for f, v in others if v != others[0][1] or f.claim != chosen.claim]
    if not differ:
        return text
    shown = ", ".join(f"{v:g} in {f.claim}" for f, v in differ[:3])
    more = f" and {len(differ) - 3} more" if len(differ) > 3 else ""
    return f"{text}; also {shown}{more}"


def _pick(side: str, cands: list[Figure], rank, why, unit: str,
          factor: float | None) -> tuple[Figure | None, float | None, str]:
    usable = [(f, in_unit(f, unit, factor)) for f in cands]
    usable = sorted([(f, v) for f, v in usable if v is not None], key=lambda fv: rank(fv[0]))
    if not usable:
        return None, None, ""
    chosen, value = usable[0]
    if len(usable) == 1:
        return chosen, value, ""
    same = all(v == value for _, v in usable)
    rest = [(f, v) for f, v in usable[1:] if v != value]
    note = _choice(side, chosen, rest, why(chosen))
    if same:
        note = f"{side} {chosen.claim} ({why(chosen)}); {len(usable) - 1} more claims agree"
    return chosen, value, note


def implausible(target: float, actual: float, measure: str) -> str | None:
    """Why ``actual`` cannot be the outcome of ``target`` (a misread or another measure), or None.

    >>> implausible(104.1, 21.0, "growth"), implausible(6.0, 5.8, "growth")
    ('-83.1 points from the target', None)
    """
    if measure == "growth":
        gap = actual - target
        return f"{gap:+.3g} points from the target" if abs(gap) > MAX_GAP_POINTS else None
    if target > 0 and actual > 0 and not 1 / MAX_RATIO <= actual / target <= MAX_RATIO:
        return f"{actual / target:.3g} times the target"
    return None


def _plausible(target: float, cands: list[Figure], measure: str, unit: str,
               factor: float | None) -> tuple[list[Figure], str]:
    """The candidates that can be the target's outcome, and a note on the first one left out."""
    ok, note = [], ""
    for f in cands:
        v = in_unit(f, unit, factor)
        why = implausible(target, v, measure) if v is not None else None
        if why is None:
            ok.append(f)
        elif not note:
            note = f"left out {v:g} in {f.claim}: {why}"
    return ok, note


# ---------------------------------------------------------------- the panel


def _cells(figs: Iterable[Figure]) -> dict[tuple, dict[str, list[Figure]]]:
    cells: dict[tuple, dict[str, list[Figure]]] = {}
    for f in figs:
        side = "target" if f.kind == "target" else "actual"
        if side == "target" and f.doc_year is not None and f.doc_year > f.year:
            continue  # a goal for a year already over when its document speaks: misdated or a restatement
        key = (f.place, f.canonical, f.measure, f.year)
        cells.setdefault(key, {"target": [], "actual": []})[side].append(f)
    return cells


def _row(key: tuple, cell: dict[str, list[Figure]], unit: str, factor: float | None) -> dict[str, Any]:
    place, canonical, measure, year = key
    t, tv, tnote = _pick("target", cell["target"], _target_rank, _why_target, unit, factor)
    actuals, left_out = _plausible(tv, cell["actual"], measure, unit, factor) if tv is not None \
        else (cell["actual"], "")
    a, av, anote = _pick("actual", actuals, _actual_rank, _why_actual, unit, factor)
    who = t or a or (cell["target"] + cell["actual"])[0]
    ceiling = is_ceiling(canonical)
    met = gap = None
    notes = [n for n in (tnote, anote, left_out) if n]
    if t is not None and a is not None and tv is not None and av is not None:
        tmax = in_unit(replace(t, amount=t.max), unit, factor) if t.max is not None else None
        met = "yes" if judge(tv, tmax, t.qualifier, av, ceiling, unit) else "no"
        gap = round(av - tv, 10)
        notes.insert(0, f"read as {reading(t.qualifier, t.max is not None, ceiling)}"
                        f"{' (a ceiling)' if ceiling else ''}")
    else:
        notes.insert(0, "no outcome found" if t is not None else "no target found")
    return {"jurisdiction": who.place_name, "jurisdiction_code": who.code, "jurisdiction_level": who.level,
            "year": year, "canonical": canonical, "indicator_en": indicator_en(canonical),
            "measure": measure, "unit": unit, "target": tv, "target_max": t.max if t else None,
            "target_qualifier": t.qualifier if t else None, "target_doc": t.doc if t else None,
            "target_claim": t.claim if t else None, "actual": av, "actual_doc": a.doc if a else None,
            "actual_claim": a.claim if a else None, "met": met, "gap": gap, "note": "; ".join(notes)}


def _series_unit(cells: dict[tuple, dict[str, list[Figure]]]) -> dict[tuple, tuple[str, float | None]]:
    """The unit of each (place, indicator, measure) series: its targets' most common one."""
    counts: dict[tuple, dict[tuple[str, float | None], int]] = {}
    for (place, canonical, measure, _year), cell in cells.items():
        for f in cell["target"]:
            c = counts.setdefault((place, canonical, measure), {})
            c[(f.unit, f.factor)] = c.get((f.unit, f.factor), 0) + 1
    return {k: max(c.items(), key=lambda kv: (kv[1], kv[0][0]))[0] for k, c in counts.items()}


def build(figs: Iterable[Figure]) -> list[dict[str, Any]]:
    """Panel rows from figures: every year of each series that has a target in some year."""
    cells = _cells(figs)
    units = _series_unit(cells)
    rows = []
    for key in sorted(cells, key=lambda k: (k[0], k[1], k[2], k[3])):
        place, canonical, measure, _year = key
        if (place, canonical, measure) not in units:
            continue  # an outcome series with no target anywhere: not this table's business
        unit, factor = units[(place, canonical, measure)]
        row = _row(key, cells[key], unit, factor)
        if row["target"] is not None or row["actual"] is not None:
            rows.append(row)
    return rows


def panel(paths: str | Iterable[str], canonical: Iterable[str] | None = None,
          level: str | None = None):
    """Targets against outcomes from extract outputs or SQLite exports, as a pandas DataFrame.

    ``canonical`` keeps those indicator keys (gdp, cpi…), ``level`` those jurisdictions
    (province). One row per (jurisdiction, year, indicator, measure); ``met`` is yes, no or
    empty when a side is missing; ``note`` says which claim filled a cell and why.
    """
    import pandas as pd

    paths = [paths] if isinstance(paths, str) else list(paths)
    keep = set(canonical or ())
    figs = [f for r in read_rows(paths) if not level or r.get("jurisdiction_level") == level
            for f in figures(r) if not keep or f.canonical in keep or _parent(f.canonical) in keep]
    df = pd.DataFrame(build(figs), columns=COLUMNS)
    df["year"] = df["year"].astype("Int64")
    for c in ("target", "target_max", "actual", "gap"):
        df[c] = df[c].astype("Float64")
    for c in TEXT_COLUMNS:
        df[c] = df[c].astype("string")
    return df


def write_panel(df, dest: str) -> int:
    """The panel as CSV (UTF-8 with BOM, for spreadsheets) or Parquet by ``dest``'s suffix,
    written to a temp file and renamed; returns the number of rows."""
    from .io.export import AtomicWriter
    from .io.tables import inert_cell

    if dest.lower().endswith(".parquet"):
        w = AtomicWriter(dest)
        w.fh.close()
        try:
            df.to_parquet(w.tmp, index=False)
            os.replace(w.tmp, w.path)
        except BaseException:
            w.abort()
            raise
        return len(df)
    if not dest.lower().endswith(".csv"):
        raise ValueError(f"-o {dest}: the panel is written as .csv or .parquet")
    with AtomicWriter(dest) as w:
        w.fh.write("\ufeff")
        safe = df.astype(object).where(df.notna(), None)
        safe = safe.apply(lambda col: col.map(lambda v, n=col.name: inert_cell(n, v)))
        safe.to_csv(w.fh, index=False, lineterminator="\r\n")
    return len(df)


__all__ = ["COLUMNS", "panel", "write_panel", "judge", "reading", "is_ceiling", "figures", "build"]

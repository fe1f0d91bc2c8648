"""Tables in the working text: each cell with a figure is a figure of its row's indicator.

    单位：亿元
    指标|绝对数|比上年增长（%）|
    地区生产总值|153.1|8.1|

gives 地区生产总值 153.1 亿元 and a growth of 8.1 %. Rows are pipe rows (HTML tables come as
pipe rows from ingest) or one cell per line with a lone ``|`` between rows. The row header
names the indicator; the column header says the measure (a growth, a share, a level) and
often the unit; a 单位 line above the table gives the rest. A column whose unit is said
nowhere gives nothing: no unit is invented. The patterns are rules/figures.yaml ``tables``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..ruleset.load import load_rules, pattern
from .figures import HAN, Fig
from .numbers import grammar

Field = tuple[str, int, int]  # text, start, end (working-text offsets)
_CONTENT = regex.compile(r"[\p{Han}\dA-Za-z%]")


@dataclass(slots=True)
class Cell:
    """One figure of a table: its indicator's name (and where the row header stands); a
    header row's cells have no figure (what they say, 比上年增长%, is no figure either)."""

    name: str
    name_start: int
    name_end: int
    fig: Fig | None
    start: int = 0  # where the cell stands
    end: int = 0
    period: str | None = None  # the period its column's header says (1-6月, 2022年)
    cumulative: bool = False  # its column is a running total (1-6月, 累计) or its growth
    average: bool = False  # its column is an average growth per year (年均增长)
    goal: bool = False  # its column is the budget or plan the row is set against (调整预算数)

    def __post_init__(self) -> None:
        if self.fig is not None:
            self.start, self.end = self.fig.start, self.fig.end


@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    r = load_rules("figures")["tables"]
    return {k: regex.compile(v) if isinstance(v, str) and k != "id" else v for k, v in r.items()
            if k not in ("examples", "negatives")}


def _is_cell(text: str) -> bool:
    return _rules()["cell"].fullmatch(text) is not None


def _lines(text: str) -> list[Field]:
    out, at = [], 0
    for ln in text.split("\n"):
        out.append((ln, at, at + len(ln)))
        at += len(ln) + 1
    return out


def _fields(line: Field) -> list[Field]:
    """The cells of a pipe row, stripped, with their offsets."""
    text, start, _ = line
    out, at = [], 0
    for part in text.split("|"):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        out.append((body, start + at + lead, start + at + lead + len(body)))
        at += len(part) + 1
    if out and not out[0][0]:
        out = out[1:]
    while out and not _CONTENT.search(out[-1][0]):  # the row's end (|, or |。)
        out.pop()
    return out


def _unflatten(cells: list[Field]) -> list[list[Field]] | None:
    """A table in one line (…|指标|绝对量（亿元）|增长（%）|地区生产总值|2060.35|6.0|第一产业|8.43|2.3|…,
    a PDF's flattened table): its header row and its rows of a name and as many figures as the
    header has words, two rows or more; None for any other line."""
    r = _rules()
    head = next((i for i, c in enumerate(cells) if r["flat_head"].fullmatch(c[0])), None)
    if head is None:
        return None
    first_number = next((i for i in range(head + 1, len(cells)) if _is_cell(cells[i][0])), None)
    if first_number is None or first_number - head < 3:
        return None
    k = first_number - head - 2  # the header's words; the cell before the first figure names its row
    rows = [cells[head:head + 1 + k]]
    at = head + 1 + k
    while at + k < len(cells) and HAN.search(cells[at][0]) and not _is_cell(cells[at][0]) \
            and all(_is_cell(c[0]) for c in cells[at + 1:at + 1 + k]):
        rows.append(cells[at:at + 1 + k])
        at += 1 + k
    return rows if len(rows) > 2 else None


def _blocks(lines: list[Field]) -> list[tuple[int, list[list[Field]]]]:
    """(index of the first line, rows) of every run of pipe lines: a line with two cells or
    more is a row; lines of one cell each are the cells of one row, up to a lone ``|``."""
    blocks: list[tuple[int, list[list[Field]]]] = []
    rows: list[list[Field]] = []
    first, pending = -1, []
    for i, ln in enumerate(lines + [("end", 0, 0)]):
        if not ln[0].strip() and rows:
            continue  # a blank line inside a table (HTML rows)
        if "|" not in ln[0]:
            if pending:
                rows.append(pending)
            if rows:
                blocks.append((first, rows))
            rows, pending, first = [], [], -1
            continue
        first = i if first < 0 else first
        cells = _fields(ln)
        if len(cells) >= 2:
            rows.extend(_unflatten(cells) or [cells])
        elif cells:
            pending.append(cells[0])
        elif pending:  # a lone |: the end of a row of one cell per line
            rows.append(pending)
            pending = []
    return blocks


def _unit_above(lines: list[Field], first: int) -> str | None:
    r = _rules()
    above = [ln[0].strip() for ln in lines[max(0, first - 8):first] if ln[0].strip()]
    for ln in reversed(above[-3:]):
        m = r["unit_line"].search(ln)
        if m:
            return m.group("unit")
    return None


@dataclass(slots=True)
class Column:
    type: str  # value | growth | unit (a 单位 column: each row's unit)
    unit: str
    suffix: str  # what the column adds to the row's name (比重)
    period: str | None = None  # the period its header says
    cumulative: bool = False  # a running total (1-6月, 累计) or the growth of one
    average: bool = False  # 年均增长: an average per year over the table's span
    goal: bool = False  # 调整预算数: the budget or plan, a goal


def _column(head: str, unit: str | None, first_value: bool) -> Column | None:
    """What a column holds, from its header: a growth in %, a share, or a level in the unit
    its header or the table says."""
    r = _rules()
    if r["unit_header"].fullmatch(head.strip()):
        return Column("unit", "", "")
    u = r["header_unit"].search(head)
    said = (u.group("unit") or u.group("pct")) if u else None
    word = r["header_unit"].sub("", head).strip()
    cumulative = bool(r["cumulative_header"].search(head))
    if r["growth_header"].search(head):
        average = bool(pattern("cues", "horizon", "average").search(head))
        return Column("growth", said if said in ("%", "个百分点") else "%", "", None, cumulative, average)
    if r["share_header"].search(head):
        return Column("value", "%", word)
    if r["completion_header"].search(word) and said == "%":  # 为调整预算%: 增值税预算完成率
        return Column("value", "%", "年度计划完成率" if "计划" in word else "预算完成率")
    unit = said or unit
    if unit and unit not in grammar().units:
        return None
    # a level in a unit said nowhere takes its row's (地区生产总值（亿元）|2060.35); a period
    # over the column (2024年|2025年, 2025年目标) is no part of the name
    said_period = r["goal_header"].sub("", word) or word
    period = said_period if r["period_header"].fullmatch(said_period) else None
    if period and said_period != word:  # 2025年目标: the goals of that year
        return Column("value", unit or "", "", period, cumulative, goal=True)
    if r["budget_header"].search(word) and not period:  # 调整预算数|决算数: the first is the goal
        return Column("value", unit or "", word, None, cumulative, goal=True)
    suffix = "" if first_value or period else word
    return Column("value", unit or "", suffix, period, cumulative)


_CHANGE_UNIT = {"%": "个百分点", "‰": "个千分点"}  # a cumulative change of a row in % is in points


def _figure(f: Field, col: Column, row_unit: str | None = None) -> Fig | None:
    """The cell's figure (its number only: 7.5 of 7.5左右, 5.2 of 〔5.2〕), or None."""
    text, start, end = f
    m = _rules()["cell"].fullmatch(text)
    if m is None:
        return None
    unit = col.unit
    if m.group("open") or m.group("close"):
        if not (m.group("open") and m.group("close") and col.type == "growth" and row_unit in _CHANGE_UNIT):
            return None  # a bracketed cell is a five-year change only in a growth column of a rate
        unit = _CHANGE_UNIT[row_unit]
    number = float(m.group("num").replace("－", "-").replace(",", ""))
    dim = grammar().units.get(unit)
    base = number * dim[1] if dim else None
    said = m.group("pre") or m.group("post")
    return Fig(col.type, start + m.start("num"), start + m.end("num"), number, unit, False,
               _rules()["cell_qualifiers"].get(said) if said else None, m.group("num"), base=base,
               unit_kind=dim[2] if dim else "rate", rule="table.cell")


def _is_header(row: list[Field]) -> bool:
    """Words over the columns, no figure (a row of dashes or blanks is neither; a row with a
    dash among its words is a row of data without figures: 能耗降低（%）|—|〔完成市下达任务〕)."""
    return not any(_is_cell(f[0]) or _DASH.fullmatch(f[0]) for f in row[1:]) \
        and any(HAN.search(f[0]) or "%" in f[0] for f in row[1:])


_DASH = regex.compile(r"[—－-]{1,2}")  # a cell with no figure: a row of data, never a header


def _columns(head: list[Field], unit: str | None) -> list[Column | None]:
    cols: list[Column | None] = []
    for f in head[1:]:
        first_value = not any(c and c.type == "value" and not c.suffix for c in cols)
        cols.append(_column(f[0], unit, first_value))
    span = _span(cols)
    for c in cols:
        if c and c.average and span:
            c.period = span
    return cols


def _span(cols: list[Column | None]) -> str | None:
    """The years an average growth column covers: from the year after the first year column to
    the last (2020年|2025年目标|年均增长: 2021—2025年), None without two year columns."""
    years = [int(c.period[:4]) for c in cols if c and c.period and regex.fullmatch(r"(?:19|20)\d\d年", c.period)]
    return f"{min(years) + 1}—{max(years)}年" if len(years) >= 2 and max(years) > min(years) + 1 else None


def _row_unit(name: str) -> tuple[str, str | None]:
    """The row header without the unit it says in brackets, and that unit (地区生产总值（亿元）
    -> 地区生产总值, 亿元); the header as it is when its brackets hold no unit."""
    u = _rules()["header_unit"].search(name)
    unit = u.group("unit") if u else None
    if unit is None or unit not in grammar().units:
        return name, None
    return _rules()["header_unit"].sub("", name).strip(), unit


def _row_cells(row: list[Field], cols: list[Column | None]) -> list[Cell]:
    name, row_unit = _row_unit(_rules()["row_drop"].sub("", row[0][0]))
    if not HAN.search(name):
        return []
    said = next((f[0].strip() for f, col in zip(row[1:], cols, strict=False) if col and col.type == "unit"), None)
    if row_unit is None and said in grammar().units:
        row_unit = said  # 地区生产总值|亿元|120.5|5.6: the row's own unit in the 单位 column
    out = []
    for f, col in zip(row[1:], cols, strict=False):
        if col and col.type == "value" and (not col.suffix or col.goal) and row_unit:
            col = Column("value", row_unit, col.suffix, col.period, col.cumulative, goal=col.goal)  # 人均可支配收入（元）
        fig = _figure(f, col, row_unit) if col and col.unit else None
        if fig:
            out.append(Cell(name + col.suffix, row[0][1], row[0][2], fig, period=col.period,
                            cumulative=col.cumulative, average=col.average, goal=col.goal))
    return out


def _read_block(lines: list[Field], first: int, rows: list[list[Field]]) -> list[Cell]:
    """The cells of one run of rows: a row without figures heads the columns of the rows
    after it (the first header takes the 单位 line above the table; a later one only what
    it says itself)."""
    if sum(any(_is_cell(f[0]) for f in r[1:]) for r in rows) < _rules()["min_rows"]:
        return []
    unit: str | None = _unit_above(lines, first)
    cols: list[Column | None] | None = None
    width = 0  # the header's cells when its first column holds categories (类别|指标|…)
    out: list[Cell] = []
    for row in rows:
        if _is_header(row):
            out += [Cell("", f[1], f[2], None, f[1], f[2]) for f in row]
            width = len(row) if _rules()["category_header"].fullmatch(row[0][0]) and len(row) > 2 else 0
            cols, unit = _columns(row[1:] if width else row, unit), None
        elif cols is not None:
            out += _row_cells(row[1:] if width and len(row) == width else row, cols)
    return out


def read_tables(text: str) -> list[Cell]:
    """Every cell of every table in ``text`` (working text) that holds a figure, and every
    cell of a header row (``fig`` None), in text order."""
    if "|" not in text:
        return []
    lines = _lines(text)
    cells = [c for first, rows in _blocks(lines) for c in _read_block(lines, first, rows)]
    return sorted(cells, key=lambda c: c.start)

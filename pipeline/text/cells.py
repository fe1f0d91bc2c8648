"""Tables whose cells came as markup or one per line, put in pipe rows for the table reader.

A page saved as text can keep a table's HTML tags, separate its columns by tabs, (``<tr><td>地区生产总值(亿元)</td><td>1004.58</td>``)
or give each cell a line of its own (指标名称 / 单位 / 1-8月 / 比上年同期增长% / 规模以上工业总产值 /
万元 / 386425 / 14.2 …). Both become pipe rows (``|地区生产总值(亿元)|1004.58``,
``规模以上工业总产值|万元|386425|14.2``), so that a cell never joins its neighbour and the row
header names each figure (grammar/tables.py). The patterns are rules/normalize.yaml
``html_cells``, ``line_cells`` and ``tab_cells``.
"""

from __future__ import annotations

import functools

import regex

from ..ruleset.load import load_rules
from .offsets import OffsetText


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, regex.Pattern]:
    r = load_rules("normalize")
    return {"open": regex.compile(r["html_cells"]["cell_open"]), "drop": regex.compile(r["html_cells"]["drop"]),
            "row_tag": regex.compile(r["html_cells"]["row"]),
            "head": regex.compile(r["line_cells"]["head"]), "cell": regex.compile(r["line_cells"]["cell"]),
            "unit": regex.compile(r["line_cells"]["unit"]), "name": regex.compile(r["line_cells"]["name"]),
            "tab_row": regex.compile(r["tab_cells"]["row"])}


def html_cells(ot: OffsetText) -> OffsetText:
    """<tr><td>地区生产总值(亿元)</td><td>1004.58</td></tr> -> |地区生产总值(亿元)|1004.58: in a line
    that holds a table row's tags, each cell's opening tag becomes | and the other tags go."""
    r = _rules()
    if "<t" not in ot.text and "<T" not in ot.text:
        return ot
    edits: list[tuple[int, int, str]] = []
    at = 0
    for line in ot.text.split("\n"):
        if r["row_tag"].search(line):
            edits += [(at + m.start(), at + m.end(), "|" if r["open"].fullmatch(m.group()) else "")
                      for m in r["drop"].finditer(line)]
        at += len(line) + 1
    return ot.apply(edits) if edits else ot


def _lines(text: str) -> tuple[list[str], list[int]]:
    lines = text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    return lines, starts


def _row_len(lines: list[str], head: int) -> tuple[int, bool] | None:
    """How many cells a row of the table headed at ``head`` has, and whether its second cell
    is a unit: the header's words run up to the first row's name (and unit) before a figure."""
    r = _rules()
    first = next((i for i in range(head + 1, min(len(lines), head + 12)) if r["cell"].fullmatch(lines[i].strip())), None)
    if first is None:
        return None
    has_unit = any(r["unit"].fullmatch(lines[i].strip()) for i in range(head + 1, first))
    k = first - head - 1 - has_unit
    return (k, has_unit) if k >= 2 and first - head - k >= 1 else None


def _is_row(lines: list[str], at: int, k: int, has_unit: bool) -> bool:
    r = _rules()
    if at + k > len(lines) or not r["name"].fullmatch(lines[at].strip()):
        return False
    figures = lines[at + 1 + has_unit:at + k]
    return (not has_unit or bool(lines[at + 1].strip())) and all(r["cell"].fullmatch(c.strip()) for c in figures)


def line_cells(ot: OffsetText) -> OffsetText:
    """指标名称 / 单位 / 1-8月 / 增长% / 规模以上工业总产值 / 万元 / 386425 / 14.2 / … (one cell a
    line, no | between rows): the header's and each row's line breaks become |, when two rows
    or more of a name, its unit when the header has a unit column, and figures follow."""
    r = _rules()
    lines, starts = _lines(ot.text)
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        shape = _row_len(lines, i) if r["head"].fullmatch(lines[i].strip()) else None
        if shape is None:
            i += 1
            continue
        k, has_unit = shape
        rows = [i]
        at = i + k
        while _is_row(lines, at, k, has_unit):
            rows.append(at)
            at += k
        if len(rows) >= 3:  # the header and two rows
            edits += [(starts[j] - 1, starts[j], "|") for row in rows for j in range(row + 1, row + k)]
        i = max(at, i + 1)
    return ot.apply(edits) if edits else ot


def tab_cells(ot: OffsetText) -> OffsetText:
    """类别\t指标\t2020年\t2025年目标 / 经济发展\t地区生产总值（亿元）\t792.6\t1140 / \t人均…: in a run
    of three lines or more that each hold ``tab_cells.row`` (two tabs or more), every tab becomes
    | (a row that opens with a tab has an empty first cell: its category is the row's above)."""
    if "\t" not in ot.text:
        return ot
    row = _rules()["tab_row"]
    lines, starts = _lines(ot.text)
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and row.search(lines[j]):
            j += 1
        if j - i >= 3:
            edits += [(starts[k] + m.start(), starts[k] + m.end(), "|")
                      for k in range(i, j) for m in regex.finditer("\t", lines[k])]
        i = max(j, i + 1)
    return ot.apply(edits) if edits else ot

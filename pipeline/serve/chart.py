"""The page's bar chart, drawn here as escaped SVG: one indicator, one kind, one period.

Bars compare like with like only: the same indicator (canonical key, else the name), the same
kind (actual, target, forecast), the same period and the same measure and unit. A negative
figure is drawn left of the zero line, in another colour, with its minus sign.
"""

from __future__ import annotations

from html import escape
from typing import Any

BAR_WIDTH = 300  # pixels for the largest absolute value
LABEL_WIDTH = 130
ROW = 22
POSITIVE, NEGATIVE = "#8b1a1a", "#1f5f99"


def _measures(r: dict[str, Any]) -> list[tuple[str, str, float]]:
    out = []
    if isinstance(r.get("growth_rate"), (int, float)) and not r.get("growth_masked"):
        out.append(("growth", r.get("growth_unit") or "", float(r["growth_rate"])))
    if isinstance(r.get("value_amount"), (int, float)) and not r.get("value_masked"):
        out.append(("value", r.get("value_unit") or "", float(r["value_amount"])))
    return out


def series(rows: list[dict[str, Any]]) -> tuple[tuple, list[tuple[str, float]]] | None:
    """(group key, [(doc_id, value)]) of the largest group spanning two documents or more.

    Key: (indicator, kind, period, measure, unit); one value per document (its first claim).
    """
    groups: dict[tuple, dict[str, float]] = {}
    for r in rows:
        indicator = r.get("canonical") or r.get("indicator_name")
        for measure, unit, v in _measures(r):
            key = (indicator, r.get("kind"), r.get("period"), measure, unit)
            groups.setdefault(key, {}).setdefault(str(r.get("doc_id")), v)
    best = max(groups.items(), key=lambda kv: (len(kv[1]), kv[0][1] == "actual"), default=None)
    if not best or len(best[1]) < 2:
        return None
    return best[0], list(best[1].items())


def _title(key: tuple, names: set[str]) -> str:
    indicator, kind, period, measure, unit = key
    shown = "/".join(sorted(names)) or str(indicator)
    return f"{shown} · {measure}{f' ({unit})' if unit else ''} · {kind} · {period or 'period not stated'}"


def svg(rows: list[dict[str, Any]]) -> str:
    """The chart for these search results, or "" when no group spans two documents."""
    found = series(rows)
    if not found:
        return ""
    key, bars = found
    names = {r.get("indicator_name") for r in rows
             if (r.get("canonical") or r.get("indicator_name")) == key[0] and r.get("indicator_name")}
    peak = max(abs(v) for _, v in bars) or 1.0
    has_neg = any(v < 0 for _, v in bars)
    zero = LABEL_WIDTH + (BAR_WIDTH if has_neg else 0)
    width, height = zero + BAR_WIDTH + 70, ROW * len(bars) + 30
    out = [f'<svg id="chartsvg" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
           f'<text x="0" y="14" font-size="12">{escape(_title(key, names))}</text>',
           f'<line class="zero" x1="{zero}" y1="20" x2="{zero}" y2="{height}" stroke="#999"></line>']
    for i, (doc, v) in enumerate(bars):
        y, w = 24 + i * ROW, max(1.0, BAR_WIDTH * abs(v) / peak)
        x = zero - w if v < 0 else zero
        tx = x - 6 if v < 0 else zero + w + 6
        anchor = "end" if v < 0 else "start"
        out.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(doc[:16])}</text>'
                   f'<rect class="bar{" negative" if v < 0 else ""}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                   f'height="16" fill="{NEGATIVE if v < 0 else POSITIVE}" data-value="{v:g}"></rect>'
                   f'<text class="value" x="{tx:.1f}" y="{y + 13}" font-size="12" text-anchor="{anchor}">{v:g}</text>')
    return "".join(out) + "</svg>"

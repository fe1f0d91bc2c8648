"""The page's "targets vs outcomes" chart: one indicator of one place, year by year.

Per year a band for the target (a range its bounds; 左右 the tolerance either side; 以上 and
以内 a line with ≥ or ≤) and a point for the outcome, green when met, red when missed, grey
when there is no target to judge it by. Drawn here as escaped SVG; each band and point
carries the claim id the page opens in its speech.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from ..panel import is_ceiling, reading, tolerance

WIDTH_PER_YEAR = 46
MIN_WIDTH = 420  # room for the title and the legend
LEFT, TOP, PLOT_H = 56, 28, 200
COLOURS = {"yes": "#2e7d32", "no": "#c62828", None: "#888888"}


def _num(x: Any) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else None


def band(r: dict[str, Any], ceiling: bool) -> tuple[float, float, str] | None:
    """(low, high, sign) of a row's target: 6%－6.5% (6, 6.5, ''), 5%左右 (4.5, 5.5, '±'),
    60万人以上 (60, 60, '≥'), 5.5%以内 (5.5, 5.5, '≤')."""
    t, tmax = _num(r.get("target")), _num(r.get("target_max"))
    if t is None:
        return None
    how = reading(r.get("target_qualifier"), tmax is not None, ceiling)
    if how == "range" and tmax is not None:
        return min(t, tmax), max(t, tmax), ""
    if how == "near":
        tol = tolerance(t, str(r.get("unit") or ""))
        return t - tol, t + tol, "±"
    return t, t, "≥" if how == "at_least" else "≤"


def _scale(lo: float, hi: float):
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.1
    lo, hi = lo - pad, hi + pad
    return lambda v: TOP + PLOT_H * (hi - v) / (hi - lo), lo, hi


def _title(rows: list[dict[str, Any]]) -> str:
    r = rows[0]
    unit = f" ({r.get('unit')})" if r.get("unit") else ""
    return f"{r.get('jurisdiction') or '?'} · {r.get('canonical')} · {r.get('measure')}{unit} · targets vs outcomes"


def _axis(y, lo: float, hi: float, width: int) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + PLOT_H}" stroke="#999"></line>']
    for v in (lo, (lo + hi) / 2, hi):
        out.append(f'<text x="{LEFT - 4}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{v:.3g}</text>'
                   f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{width}" y2="{y(v):.1f}" stroke="#eee"></line>')
    return out


def _year_marks(r: dict[str, Any], x: float, y, ceiling: bool) -> list[str]:
    out = []
    b = band(r, ceiling)
    if b:
        lo, hi, sign = b
        top, h = y(hi), max(3.0, y(lo) - y(hi))
        out.append(f'<rect class="target" x="{x - 14:.1f}" y="{top - (1.5 if h == 3.0 else 0):.1f}" width="28" '
                   f'height="{h:.1f}" fill="#bbbbbb" fill-opacity="0.6" data-claim="{escape(str(r.get("target_claim") or ""))}" '
                   f'data-target="{_num(r.get("target")):g}"><title>target {escape(sign)}{_num(r.get("target")):g}'
                   f'{escape(str(r.get("target_qualifier") or ""))}</title></rect>')
        if sign in ("≥", "≤"):
            out.append(f'<text x="{x + 16:.1f}" y="{y(lo) + 4:.1f}" font-size="10">{escape(sign)}</text>')
    a = _num(r.get("actual"))
    if a is not None:
        met = r.get("met") if r.get("met") in ("yes", "no") else None
        out.append(f'<circle class="outcome {escape(str(met or "none"))}" cx="{x:.1f}" cy="{y(a):.1f}" r="5" '
                   f'fill="{COLOURS[met]}" data-claim="{escape(str(r.get("actual_claim") or ""))}" '
                   f'data-value="{a:g}"><title>outcome {a:g}{" · met" if met == "yes" else " · missed" if met == "no" else ""}'
                   f'</title></circle>')
    return out


def svg(rows: list[dict[str, Any]]) -> str:
    """The chart for one series (rows of one place, indicator and measure), or "" when empty."""
    rows = sorted((r for r in rows if isinstance(r.get("year"), int)), key=lambda r: r["year"])
    if not rows:
        return ""
    ceiling = is_ceiling(str(rows[0].get("canonical") or ""))
    vals = [v for r in rows for v in ([_num(r.get("actual"))] + list((band(r, ceiling) or (None, None))[:2]))
            if v is not None]
    if not vals:
        return ""
    y, lo, hi = _scale(min(vals), max(vals))
    width = max(MIN_WIDTH, LEFT + WIDTH_PER_YEAR * len(rows) + 20)
    out = [f'<svg id="panelsvg" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{TOP + PLOT_H + 34}" role="img">',
           f'<text x="0" y="14" font-size="12">{escape(_title(rows))}</text>', *_axis(y, lo, hi, width)]
    for i, r in enumerate(rows):
        x = LEFT + WIDTH_PER_YEAR * (i + 0.5) + 10
        out += _year_marks(r, x, y, ceiling)
        out.append(f'<text x="{x:.1f}" y="{TOP + PLOT_H + 16}" font-size="10" text-anchor="middle">{int(r["year"])}</text>')
    legend_y = TOP + PLOT_H + 30
    out.append(f'<text x="{LEFT}" y="{legend_y}" font-size="10">band: target · '
               f'<tspan fill="{COLOURS["yes"]}">● met</tspan> <tspan fill="{COLOURS["no"]}">● missed</tspan> '
               f'<tspan fill="{COLOURS[None]}">● no target</tspan></text>')
    return "".join(out) + "</svg>"

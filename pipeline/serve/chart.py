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


Figure = tuple[float, float | None, str]  # (amount, upper bound of a range or None, qualifier)


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _measures(r: dict[str, Any]) -> list[tuple[str, str, Figure]]:
    """(measure, unit, (amount, max, qualifier)): a range keeps its upper bound, 左右/以上 stay."""
    out = []
    for measure, num, mx, unit, masked, qual in (
            ("growth", "growth_rate", "growth_max", "growth_unit", "growth_masked", "growth_qualifier"),
            ("value", "value_amount", "value_max", "value_unit", "value_masked", "value_qualifier")):
        if _number(r.get(num)) and not r.get(masked):
            top = float(r[mx]) if _number(r.get(mx)) else None
            q = r.get(qual) if qual in r else r.get("qualifier")
            out.append((measure, r.get(unit) or "", (float(r[num]), top, str(q or ""))))
    return out


def _label(f: Figure) -> str:
    v, top, q = f
    text = f"{v:g}" + (f"–{top:g}" if top is not None else "")
    if not q:
        return text
    return ("-" + q + text[1:] if text.startswith("-") else q + text) if q in "近超约" else text + q


def series(rows: list[dict[str, Any]]) -> tuple[tuple, list[tuple[str, Figure]]] | None:
    """(group key, [(doc_id, figure)]) of the largest group spanning two documents or more.

    Key: (indicator, kind, period, measure, unit); one figure per document (its first claim).
    """
    groups: dict[tuple, dict[str, Figure]] = {}
    for r in rows:
        indicator = r.get("canonical") or r.get("indicator_name")
        for measure, unit, f in _measures(r):
            key = (indicator, r.get("kind"), r.get("period"), measure, unit)
            groups.setdefault(key, {}).setdefault(str(r.get("doc_id")), f)
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
    peak = max(max(abs(f[0]), abs(f[1] or 0.0)) for _, f in bars) or 1.0
    has_neg = any(f[0] < 0 for _, f in bars)
    zero = LABEL_WIDTH + (BAR_WIDTH if has_neg else 0)
    width, height = zero + BAR_WIDTH + 70, ROW * len(bars) + 30
    out = [f'<svg id="chartsvg" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
           f'<text x="0" y="14" font-size="12">{escape(_title(key, names))}</text>',
           f'<line class="zero" x1="{zero}" y1="20" x2="{zero}" y2="{height}" stroke="#999"></line>']
    for i, (doc, f) in enumerate(bars):
        out.append(_bar(i, doc, f, zero, peak))
    return "".join(out) + "</svg>"


def _bar(i: int, doc: str, f: Figure, zero: float, peak: float) -> str:
    """One row: the bar to the amount, a lighter band on to a range's upper bound, the label
    as the claim holds the figure (5–5.5, 6左右, 超14)."""
    v, top, _ = f
    y, w = 24 + i * ROW, max(1.0, BAR_WIDTH * abs(v) / peak)
    x = zero - w if v < 0 else zero
    band = ""
    far = w
    if top is not None and top != v:
        lo, hi = sorted((v, top))
        bx, bw = zero + BAR_WIDTH * lo / peak, BAR_WIDTH * (hi - lo) / peak
        band = (f'<rect class="range" x="{bx:.1f}" y="{y}" width="{bw:.1f}" height="16" '
                f'fill="{NEGATIVE if v < 0 else POSITIVE}" fill-opacity="0.35" data-max="{top:g}"></rect>')
        far = max(w, BAR_WIDTH * abs(top) / peak)
    tx = zero - far - 6 if v < 0 else zero + far + 6
    anchor = "end" if v < 0 else "start"
    return (f'<text x="0" y="{y + 13}" font-size="12">{escape(doc[:16])}</text>'
            f'<rect class="bar{" negative" if v < 0 else ""}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
            f'height="16" fill="{NEGATIVE if v < 0 else POSITIVE}" data-value="{v:g}"></rect>{band}'
            f'<text class="value" x="{tx:.1f}" y="{y + 13}" font-size="12" '
            f'text-anchor="{anchor}">{escape(_label(f))}</text>')

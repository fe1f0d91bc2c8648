"""Finding claims: an indicator (any script, any synonym of the lexicon) plus filters."""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..io.rows import connect_ro, load_rows
from ..io.tables import COLUMNS
from ..io.textsafe import for_terminal
from ..ruleset.load import load_rules
from ..text.normalize import to_simplified


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, list[str]]]:
    out = {}
    for e in load_rules("indicators")["indicators"]:
        for n in e["names"]:
            out[n] = (e["key"], e["names"])
    return out


def expand(query: str) -> tuple[list[str], set[str]]:
    """Search terms for ``query``: its simplified form and the lexicon's synonyms."""
    q = to_simplified(unicodedata.normalize("NFKC", query)).strip()
    terms, keys = [q], set()
    lex = _lexicon()
    if q in lex:
        key, names = lex[q]
        keys.add(key)
        terms += names
    else:
        for name, (key, _names) in lex.items():
            if q and q in name and len(q) * 2 >= len(name):
                keys.add(key)
    return list(dict.fromkeys(t for t in terms if t)), keys


def _name_filter(query: str, exact: bool):
    """A predicate on a row's indicator: the query's synonyms, as substrings or (exact) whole."""
    if not query:
        return lambda r: True
    terms, keys = expand(query)
    if exact:
        return lambda r: r.get("canonical") in keys or (r.get("indicator_name") or "") in terms
    return lambda r: r.get("canonical") in keys or any(t in (r.get("indicator_name") or "") for t in terms)


def _place_code(name: str | None) -> str | None:
    """The division a place name given to a filter stands for (安徽 -> 340000), if any."""
    from ..ruleset import divisions

    d = divisions.find(name) if name else None
    return d.code if d else None


def _subject_ok(r: dict[str, Any], subj: str | None, code: str | None = None) -> bool:
    """The claim's subject names ``subj`` (or its division), or the claim is the document's own
    and the document's place is that division (安徽 finds 安徽省's own figures)."""
    if not subj:
        return True
    own = subj in ("本地", "null") and not r.get("subject")
    if own or subj in (r.get("subject") or ""):
        return True
    if code and r.get("subject_code") == code:
        return True
    if r.get("subject") or not code:
        return False
    return r.get("jurisdiction_code") == code or (r.get("jurisdiction") or "").startswith(subj)


def _doc_ok(r: dict[str, Any], doc: str | None, code: str | None) -> bool:
    """The document by its id, or by its place's name, full or short (安徽 finds 安徽省's)."""
    if not doc or doc == r.get("doc_id"):
        return True
    return bool(code) and r.get("jurisdiction_code") == code


def _year_ok(r: dict[str, Any], year: str | None) -> bool:
    """The claim's period_range covers ``year`` (a claim with no range: its period text)."""
    if not year:
        return True
    a, b = r.get("period_from"), r.get("period_to")
    if a and b:
        return a[:4] <= year.strip()[:4] <= b[:4]
    return year in str(r.get("period") or "")


def _confidence_ok(r: dict[str, Any], floor: float | None) -> bool:
    if floor is None:
        return True
    c = r.get("confidence")
    return isinstance(c, (int, float)) and c >= floor


def search(rows: Iterable[dict[str, Any]], query: str = "", subject: str | None = None,
           kind: str | None = None, year: str | None = None, doc: str | None = None,
           period: str | None = None, canonical: str | None = None, exact: bool = False,
           min_confidence: float | None = None) -> list[dict[str, Any]]:
    """Rows matching every filter given; ``exact`` matches whole indicator names only."""
    by_name = _name_filter(query, exact)
    subj = to_simplified(subject) if subject else None
    per = to_simplified(period) if period else None
    subj_code, doc_code = _place_code(subj), _place_code(to_simplified(doc) if doc else None)
    checks = [
        by_name,
        lambda r: _subject_ok(r, subj, subj_code),
        lambda r: not kind or r.get("kind") == kind,
        lambda r: not per or per in (r.get("period") or ""),
        lambda r: _doc_ok(r, doc, doc_code),
        lambda r: not canonical or r.get("canonical") == canonical,
        lambda r: _year_ok(r, year),
        lambda r: _confidence_ok(r, min_confidence),
    ]
    return [r for r in rows if all(ok(r) for ok in checks)]


# qualifiers written before the number (近 5%, 约 3 亿元); the others follow it (5%以内, 3亿元以上)
PREFIX_QUALIFIERS = frozenset({"近", "超", "约"})


def _num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


def _signed(num: str, qualifier: str) -> str:
    """A prefix qualifier goes after the sign: 累计下降超14% is -超14%, never 超-14%."""
    return "-" + qualifier + num[1:] if num.startswith("-") else qualifier + num


def _quantity(amount: Any, mx: Any, unit: str | None, qualifier: str | None, masked: Any) -> str:
    """One number as the claim holds it: range, sign, unit and qualifier (近5%, 5–5.5%, 4%以内)."""
    num = "[masked]" if masked else _num(amount) + (f"–{_num(mx)}" if mx is not None else "")
    unit = unit or ""
    body = num + ("" if unit in ("", "%") else " ") + unit
    if not qualifier:
        return body
    return _signed(body, qualifier) if qualifier in PREFIX_QUALIFIERS else body + qualifier


def _qualifiers(r: dict[str, Any]) -> tuple[str | None, str | None]:
    """(value's, growth's) qualifier; exports without the two columns hold one for the claim."""
    if "value_qualifier" in r or "growth_qualifier" in r:
        return r.get("value_qualifier"), r.get("growth_qualifier")
    has_value = r.get("value_amount") is not None or r.get("value_masked")
    return (r.get("qualifier"), None) if has_value else (None, r.get("qualifier"))


def figure_text(r: dict[str, Any]) -> str:
    """The figure as the claim holds it: value, growth, ranks (never rounded or re-signed)."""
    vq, gq = _qualifiers(r)
    parts = []
    if r.get("value_masked") or r.get("value_amount") is not None:
        parts.append(_quantity(r.get("value_amount"), r.get("value_max"), r.get("value_unit"), vq,
                               r.get("value_masked")))
    if r.get("growth_masked") or r.get("growth_rate") is not None:
        parts.append("growth " + _quantity(r.get("growth_rate"), r.get("growth_max"),
                                           r.get("growth_unit"), gq, r.get("growth_masked")))
    for rk in _ranks(r):
        pos = "[masked]" if rk.get("masked") else rk.get("position")
        parts.append(f"rank {pos}" + (f" ({rk['scope']})" if rk.get("scope") else ""))
    return "; ".join(p.strip() for p in parts)


def _ranks(r: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        ranks = json.loads(r["ranks"]) if r.get("ranks") else []
    except (TypeError, ValueError):
        return []
    return [rk for rk in ranks if isinstance(rk, dict)] if isinstance(ranks, list) else []


def highlight(r: dict[str, Any], color: bool) -> str:
    """The sentence with the claim's own evidence marked (ANSI on a terminal, 【】 otherwise)."""
    s = str(r["sentence"] or "").replace("\n", " ")
    a, b = r["span_start"] - r["start"], r["span_end"] - r["start"]
    a, b = max(0, a), min(len(s), b)
    on, off = ("\033[1;31m", "\033[0m") if color else ("【", "】")
    return for_terminal(s[:a]) + on + for_terminal(s[a:b]) + off + for_terminal(s[b:])


def _head(r: dict[str, Any]) -> str:
    tags = ", ".join(str(r[k]) for k in ("kind", "period", "subject") if r.get(k))
    return for_terminal(f"{r['doc_id']}  {r['indicator_name']}: {figure_text(r)}  [{tags}]  @{r['start']}")


def render(rows: list[dict[str, Any]], color: bool = False, width: int = 100, total: int | None = None) -> str:
    """Two lines per claim for a terminal; ``total`` > len(rows) says the list was cut."""
    if not rows:
        return "no matching claims"
    lines = []
    for r in rows:
        lines.append(_head(r))
        lines.append("    " + highlight(r, color))
    if total is not None and total > len(rows):
        lines.append(f"showing {len(rows):,} of {total:,} claims; --limit N to see more")
    else:
        lines.append(f"{len(rows)} claims")
    return "\n".join(lines)


__all__ = ["COLUMNS", "expand", "load_rows", "search", "render", "figure_text", "connect_ro"]

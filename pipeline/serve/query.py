"""Finding claims: an indicator (any script, any synonym of the lexicon) plus filters."""

from __future__ import annotations

import functools
import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..io.tables import COLUMNS, iter_rows
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


def load_rows(source: str) -> list[dict[str, Any]]:
    """Claim rows from a SQLite export or an extract JSONL file."""
    if source.endswith((".db", ".sqlite", ".sqlite3")):
        con = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute("SELECT * FROM claims")]
        titles = {r[0]: r[1] for r in con.execute("SELECT doc_id, title FROM documents")}
        con.close()
        for r in rows:
            r["title"] = titles.get(r["doc_id"])
        return rows
    return list(iter_rows(source))


def search(rows: Iterable[dict[str, Any]], query: str = "", subject: str | None = None,
           kind: str | None = None, year: str | None = None, doc: str | None = None,
           period: str | None = None) -> list[dict[str, Any]]:
    terms, keys = expand(query) if query else ([], set())
    subj = to_simplified(subject) if subject else None
    out = []
    for r in rows:
        if terms and not (r.get("canonical") in keys or any(t in (r["indicator_name"] or "") for t in terms)):
            continue
        if subj and subj not in (r.get("subject") or "") and not (subj in ("本地", "null") and not r.get("subject")):
            continue
        if kind and r.get("kind") != kind:
            continue
        if period and to_simplified(period) not in (r.get("period") or ""):
            continue
        if doc and doc != r.get("doc_id"):
            continue
        if year and year not in " ".join(str(r.get(k) or "") for k in ("period", "doc_id", "title")):
            continue
        out.append(r)
    return out


def figure_text(r: dict[str, Any]) -> str:
    parts = []
    if r.get("value_masked"):
        parts.append(f"[masked] {r.get('value_unit') or ''}")
    elif r.get("value_amount") is not None:
        mx = f"–{r['value_max']:g}" if r.get("value_max") is not None else ""
        parts.append(f"{r['value_amount']:g}{mx} {r.get('value_unit') or ''}")
    if r.get("growth_masked"):
        parts.append(f"growth [masked]{r.get('growth_unit') or ''}")
    elif r.get("growth_rate") is not None:
        parts.append(f"growth {r['growth_rate']:+g}{r.get('growth_unit') or ''}")
    for rk in json.loads(r["ranks"]) if r.get("ranks") else []:
        pos = "[masked]" if rk.get("masked") else rk.get("position")
        parts.append(f"rank {pos}" + (f" ({rk['scope']})" if rk.get("scope") else ""))
    return "; ".join(p.strip() for p in parts)


def highlight(r: dict[str, Any], color: bool) -> str:
    """The sentence with the claim's own evidence marked (ANSI on a terminal, 【】 otherwise)."""
    s = r["sentence"]
    a, b = r["span_start"] - r["start"], r["span_end"] - r["start"]
    a, b = max(0, a), min(len(s), b)
    on, off = ("\033[1;31m", "\033[0m") if color else ("【", "】")
    return (s[:a] + on + s[a:b] + off + s[b:]).replace("\n", " ")


def render(rows: list[dict[str, Any]], color: bool = False, width: int = 100) -> str:
    if not rows:
        return "no matching claims"
    lines = []
    for r in rows:
        head = (f"{r['doc_id']}  {r['indicator_name']}: {figure_text(r)}  "
                f"[{r['kind']}{', ' + r['period'] if r.get('period') else ''}"
                f"{', ' + r['subject'] if r.get('subject') else ''}]  @{r['start']}")
        lines.append(head)
        lines.append("    " + highlight(r, color))
    lines.append(f"{len(rows)} claims")
    return "\n".join(lines)


__all__ = ["COLUMNS", "expand", "load_rows", "search", "render", "figure_text"]

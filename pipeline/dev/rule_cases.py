"""Every rule's own examples and near-miss negatives, run by the rule's id.

Each block of ``rules/*.yaml`` that holds ``examples`` or ``negatives`` has an ``id`` (the
top level of ``figures.yaml`` is ``value.unit``, that of ``indicators.yaml`` the rule
``indicators``); every id a claim's rule chain can hold is one of them (tests/test_rule_ids.py); ``RUNNERS`` says how a case of that id is checked, in the manner of
Duckling's ``Corpus.hs``. ``check`` returns None when a case holds, else what went wrong.
tests/test_rule_examples.py runs them all; scripts/rule_ablation.py switches each rule off
and runs its own cases again.

    >>> check(Case("growth.verb", "examples", {"text": "增长8%", "type": "growth", "number": 8}))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..ruleset.load import RULE_FILES, load_rules


@dataclass(frozen=True)
class Case:
    rule: str  # the rule's id
    kind: str  # examples | negatives
    case: Any  # a mapping or a plain text, as the YAML holds it
    file: str = ""

    @property
    def text(self) -> str:
        return self.case if isinstance(self.case, str) else self.case.get("text") or self.case.get("input", "")


def cases() -> Iterator[Case]:
    """Every example and negative of every rule file, with its rule id."""
    for name in RULE_FILES:
        yield from _walk(load_rules(name), name, name)


def _walk(node: Any, default_id: str, file: str) -> Iterator[Case]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, default_id, file)
        return
    if not isinstance(node, dict):
        return
    rid = node.get("id", default_id)
    for kind in ("examples", "negatives"):
        for c in node.get(kind) or []:
            yield Case(rid, kind, c, file)
    for key, value in node.items():
        if key not in ("examples", "negatives"):
            yield from _walk(value, rid, file)


def _claims(text: str, use_model: bool = False):
    from ..api import extract_text

    return extract_text(text if text.endswith("。") else text + "。", use_model=use_model).claims


def _figs(text: str):
    from ..grammar.figures import analyse

    return analyse(text).figs


def _figure(c: Case) -> str | None:
    from ..grammar.numbers import find_figures

    figs = find_figures(c.text)
    if c.kind == "negatives":
        return None if not figs else f"found {figs}"
    if len(figs) != 1:
        return f"expected one figure, found {len(figs)}"
    f, e = figs[0], c.case
    got = (f.unit, f.masked, None if f.masked else _r(f.amount), _r(f.max), f.qualifier,
           f.unit_inferred if "unit_inferred" in e else None)
    want = (e["unit"], e.get("masked", False), None if e.get("masked") else _r(e["amount"]),
            _r(e.get("max")), e.get("qualifier"), e.get("unit_inferred"))
    return None if got == want else f"got {got}, want {want}"


def _scale_count(c: Case) -> str | None:
    """A bare scale after a name of people: the claim's unit is 万人 (negatives: no 万人)."""
    units = [cl.value.unit for cl in _claims(c.text) if cl.value]
    if c.kind == "negatives":
        return None if not any(u.endswith("万人") for u in units) else f"got units {units}"
    return None if c.case["unit"] in units else f"got units {units}, want {c.case['unit']}"


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _growth(c: Case) -> str | None:
    figs = [f for f in _figs(c.text) if f.type != "rank"]
    got = [(f.type, _r(f.number)) for f in figs]
    want = [(c.case["type"], _r(c.case["number"]))]
    if "before" in c.case:  # the figure a from-to starts with: 从5.4%回落到2.6%
        want = [(c.case["before"][0], _r(c.case["before"][1])), *want]
    return None if got == want else f"got {got}, want {want}"


def _comparison(c: Case) -> str | None:
    comp = [(f.subject, _r(f.number)) for f in _figs(c.text) if f.comparison]
    if c.kind == "negatives":  # a bound, not a benchmark (失业率低于4.6%，…)
        return None if not comp else f"found comparisons {comp}"
    want = [(c.case["subject"], _r(c.case["number"]))]
    return None if comp == want else f"got {comp}, want {want}"


def _rank(c: Case) -> str | None:
    from ..assemble import ranks_of

    ranks = [rk for f in _figs(c.text) if f.type == "rank" for rk in ranks_of(f)]
    if c.kind == "negatives":
        return None if not ranks else f"found ranks {ranks}"
    got = ([r.position for r in ranks], [r.by for r in ranks])
    want = (c.case["positions"], c.case["by"])
    return None if got == want else f"got {got}, want {want}"


def _kind(c: Case) -> str | None:
    kinds = {cl.kind for cl in _claims(c.text)}
    return None if kinds == {c.case["kind"]} else f"got kinds {kinds or 'no claim'}"


def _horizon(c: Case) -> str | None:
    claims = _claims(c.text)
    if c.kind == "negatives":
        odd = [cl.horizon for cl in claims if cl.horizon]
        return None if claims and not odd else f"got horizons {odd or 'no claim'}"
    if not claims:
        return "no claim"
    cl = claims[-1]
    got = (cl.horizon, *(((cl.period_range or {}).get("from"), (cl.period_range or {}).get("to"))
                         if "from" in c.case else ()))
    want = (c.case["horizon"], *((c.case["from"], c.case["to"]) if "from" in c.case else ()))
    return None if got == want else f"got {got}, want {want}"


def _kind_rule(c: Case) -> str | None:
    """A kind rule's example: the claim (on ``figure``, else the last) has that kind, decided by
    it; a near miss: it has not (decided by it)."""
    claims = _claims(c.text)
    if "figure" in c.case:
        claims = [cl for cl in claims if (cl.value and cl.value.amount == c.case["figure"])
                  or (cl.growth and cl.growth.rate == c.case["figure"])]
    if not claims:
        return "no claim"
    cl = claims[-1]
    got = (cl.kind, fired_by(cl.rule, c.rule))
    if c.kind == "negatives":  # a near miss: not that kind by this rule
        return None if got != (c.case["kind"], True) else f"got {cl.kind} by {cl.rule}"
    return None if got == (c.case["kind"], True) else f"got {cl.kind} by {cl.rule}"


def _period(c: Case) -> str | None:
    if c.kind == "negatives":
        from ..grammar.figures import analyse

        periods = analyse(c.text).periods
        return None if not periods else f"found periods {periods}"
    claims = _claims(c.text)
    got = claims[0].period if claims else "no claim"
    return None if got == c.case["period"] else f"got {got}"


def _subject(c: Case) -> str | None:
    got = [f.subject for f in _figs(c.text)]
    return None if got == c.case["subjects"] else f"got {got}"


def _phrase(c: Case) -> str | None:
    from ..grammar.figures import analyse
    from ..linking.linker import SentenceLinker

    names = [d.ind.name for d in SentenceLinker(analyse(c.text), "区").run()]
    if "indicators" in c.case:
        return None if names == c.case["indicators"] else f"got {names}"
    return None if names and names[-1] == c.case["indicator"] else f"got {names}"


def _lexicon(c: Case) -> str | None:
    claims = _claims(c.text)
    got = (claims[0].indicator.name, claims[0].indicator.canonical) if claims else None
    want = (c.case["name"], c.case["canonical"])
    return None if got == want else f"got {got}, want {want}"


def _exclusion(c: Case) -> str | None:
    """Examples stay claims; a negative is a figure the grammar reads that is no claim (if
    the grammar read no figure there, the exclusion would be tested by nothing)."""
    claims = _claims(c.text)
    if c.kind == "negatives":
        from ..grammar.numbers import find_figures

        if not find_figures(c.text):
            return "no figure read: this negative tests no exclusion"
        return None if not claims else f"not a claim, but got {[cl.indicator.name for cl in claims]}"
    got = [cl.value.amount if cl.value else cl.growth.rate for cl in claims]
    return None if got == [c.case["amount"]] else f"got {got}"


def _sections(c: Case) -> str | None:
    from ..context.sections import is_heading, is_top_heading

    got = (is_heading(c.text), is_top_heading(c.text))
    want = (False, False) if c.kind == "negatives" else (c.case["heading"], c.case["top"])
    return None if got == want else f"got heading, top = {got}, want {want}"


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _title(c: Case) -> str | None:
    from ..context.dates import title_of

    got = title_of(_lines(c.text))
    want = None if c.kind == "negatives" else c.case["title"]
    return None if got == want else f"got {got!r}"


def _genre(c: Case) -> str | None:
    from ..context.dates import title_of
    from ..context.genre import genre_of

    lines = _lines(c.text)
    got = genre_of(title_of(lines), lines, c.text)
    want = None if c.kind == "negatives" else c.case["genre"]
    return None if got == want else f"got {got!r}, want {want!r}"


def _date(c: Case) -> str | None:
    from ..context.dates import document_date, title_of
    from ..context.genre import genre_of

    lines = _lines(c.text)
    title = title_of(lines)
    d = document_date(lines, c.text, None, title, genre=genre_of(title, lines, c.text))
    if c.kind == "negatives":
        return None if d is None else f"got {d}"
    got = (d.year, d.month, d.day, d.source) if d else None
    want = (c.case["year"], c.case.get("month"), c.case.get("day"), c.case["source"])
    return None if got == want else f"got {got}, want {want}"


def _jurisdiction(c: Case) -> str | None:
    from ..context.jurisdiction import jurisdiction_of
    from ..context.subject import speaker_level

    lines = _lines(c.text)
    j = jurisdiction_of(lines, c.text, None, speaker_level(c.text), lines[0] if lines else None)
    if c.kind == "negatives":
        return None if j is None else f"got {j}"
    got = (j.name, j.level, j.masked) if j else None
    want = (c.case["name"], c.case["level"], c.case["masked"])
    return None if got == want else f"got {got}, want {want}"


def _catalogue(c: Case) -> str | None:
    """A name and the key it must get (examples), or the near miss and its own key or null."""
    from ..ruleset.catalogue import canonical_of

    got = canonical_of(c.case["name"], c.case.get("unit"))
    return None if got == c.case["canonical"] else f"{c.case['name']}: got {got}, want {c.case['canonical']}"


def _name_test(c: Case) -> str | None:
    """A name as the linker left it and the clean name it must become (null: no name at all)."""
    from ..linking.names import clean_name, final_name

    got = clean_name(c.case["text"])
    if got:
        got = final_name(got, c.case.get("text_before", ""), tuple(c.case.get("before", ())))
    return None if got == c.case["name"] else f"{c.case['text']}: got {got}, want {c.case['name']}"


def _period_range(c: Case) -> str | None:
    from ..context.calendar import resolve

    section = c.case.get("section")
    ref = resolve(section, c.case["year"]) if section else None
    got = resolve(c.case["period"], c.case["year"], int(ref[0][:4]) if ref else None, c.case.get("year_ahead", False))
    want = None if c.kind == "negatives" else (c.case["from"], c.case["to"])
    return None if got == want else f"got {got}, want {want}"


def _normalize(step: str) -> Callable[[Case], str | None]:
    def run(c: Case) -> str | None:
        from ..text import normalize
        from ..text.offsets import OffsetText

        got = getattr(normalize, step)(OffsetText(c.case["input"])).text
        return None if got == c.case["output"] else f"got {got!r}"
    return run


def _entity(c: Case, claims: list) -> str | None:
    """link.entity: a claim named ``indicator`` whose subject is ``subject`` (negatives: no
    claim with a park, company or town subject)."""
    if c.kind == "negatives":
        odd = [(cl.indicator.name, cl.subject) for cl in claims if cl.subject]
        return None if not odd else f"subjects found: {odd}"
    got = [(cl.indicator.name, cl.subject) for cl in claims]
    return None if (c.case["indicator"], c.case["subject"]) in got else f"got {got}"


def fired_by(chain: str | None, rule: str) -> bool:
    """The claim's rule chain (value.unit+link.lexicon+kind.goal) names ``rule``."""
    return rule in (chain or "").split("+")


def _strategy(c: Case) -> str | None:
    """A strategy's example: a claim with that name, named by it. With the strategy switched
    off (ablation), only the name counts: does another strategy give the same outcome?"""
    from ..ruleset.load import disabled_rules

    claims = _claims(c.text)
    if c.rule == "link.entity":
        return _entity(c, claims)
    if isinstance(c.case, dict) and c.case.get("kept"):  # it keeps the indicator named before
        names = {cl.indicator.name for cl in claims}
        return None if names == {c.case["indicator"]} else f"{c.rule} kept nothing: got {sorted(names)}"
    if c.rule in disabled_rules():
        if c.kind == "negatives":
            return None
        names = [cl.indicator.name for cl in claims]
        return None if c.case.get("indicator") in names else f"no claim named {c.case.get('indicator')}"
    if c.kind == "negatives":
        fired = [cl.indicator.name for cl in claims if fired_by(cl.rule, c.rule)]
        return None if not fired else f"{c.rule} named {fired}"
    named = [cl.indicator.name for cl in claims if fired_by(cl.rule, c.rule)]
    if c.case["indicator"] in named:
        return None
    return f"no claim named {c.case['indicator']} by {c.rule}: got {[(cl.indicator.name, cl.rule) for cl in claims]}"


def _table(c: Case) -> str | None:
    """table.cell: the claims the table gives, as [name, value|growth, number, unit]
    (negatives: no claim read from a table)."""
    claims = _claims(c.text)
    got = []
    for cl in claims:
        if not (cl.rule or "").startswith("table."):
            continue
        for kind, x in (("value", cl.value), ("growth", cl.growth)):
            if x is not None:
                got.append([cl.indicator.name, kind, _r(x.amount if kind == "value" else x.rate), x.unit])
    if c.kind == "negatives":
        return None if not got else f"read from a table: {got}"
    want = [[n, k, _r(x), u] for n, k, x, u in c.case["claims"]]
    return None if got == want else f"got {got}, want {want}"


def _table_row(c: Case) -> str | None:
    """table.row: the names its rows give the claims of the table, in order (negatives: none)."""
    names = list(dict.fromkeys(cl.indicator.name for cl in _claims(c.text) if fired_by(cl.rule, "table.row")))
    if c.kind == "negatives":
        return None if not names else f"rows named {names}"
    return None if names == c.case["names"] else f"got {names}, want {c.case['names']}"


def _model_strategy(c: Case) -> str | None:
    """link.model: with the shipped model, a claim with that name named by it (negatives: no
    claim named by the model)."""
    from ..ner import runtime as ner

    if not ner.model_available():
        return "the shipped INDICATOR model is missing"
    claims = _claims(c.text, use_model=True)
    named = [cl.indicator.name for cl in claims if fired_by(cl.rule, c.rule)]
    if c.kind == "negatives":
        return None if not named else f"{c.rule} named {named}"
    return None if c.case["indicator"] in named else \
        f"no claim named {c.case['indicator']} by {c.rule}: got {[(cl.indicator.name, cl.rule) for cl in claims]}"


RUNNERS: dict[str, Callable[[Case], str | None]] = {
    "value.unit": _figure,
    "figures.mask": _figure,
    "figures.blank": _figure,
    "figures.lost_unit": _figure,
    "figures.compound": _figure,
    "figures.scale_counts": _scale_count,
    "table.cell": _table,
    "table.row": _table_row,
    "link.model": _model_strategy,
    "indicators": _lexicon,
    "indicators.matching": _catalogue,
    "indicators.measures": _catalogue,
    "indicators.name_test": _name_test,
    "growth.verb": _growth,
    "growth.comparison": _comparison,
    "rank.ordinal": _rank,
    "kind.cue": _kind,
    "period.expr": _period,
    "horizon": _horizon,
    "subject.jurisdiction": _subject,
    "context.sections": _sections,
    "document.title": _title,
    "document.date": _date,
    "document.genre": _genre,
    "document.jurisdiction": _jurisdiction,
    "period.range": _period_range,
    "indicator.phrase": _phrase,
    "exclude.counted_noun": _exclusion,
    "exclude.threshold": _exclusion,
    "exclude.denominator": _exclusion,
    "exclude.quoted_label": _exclusion,
    "exclude.rate_attribute": _exclusion,
    "exclude.count_context": _exclusion,
    "normalize.boilerplate": _normalize("drop_boilerplate"),
    "normalize.page_furniture": _normalize("drop_page_furniture"),
    "normalize.line_joins": _normalize("join_lines"),
    "normalize.pinyin": _normalize("strip_pinyin"),
    "normalize.footnotes": _normalize("strip_footnotes"),
    "normalize.star_brackets": _normalize("star_brackets"),
    "normalize.decimal_marks": _normalize("decimal_marks"),
    "normalize.space_columns": _normalize("space_columns"),
    "normalize.html_cells": _normalize("html_cells"),
    "normalize.line_cells": _normalize("line_cells"),
    "normalize.tab_cells": _normalize("tab_cells"),
    "normalize.taiwan": _normalize("reverse_taiwan"),
}


def runner(rule: str) -> Callable[[Case], str | None]:
    if rule.startswith("link.") and rule not in RUNNERS:
        return _strategy
    if rule.startswith("kind.") and rule != "kind.cue":
        return _kind_rule
    if rule not in RUNNERS:
        raise KeyError(f"no runner for the examples of rule {rule!r} (pipeline/dev/rule_cases.py)")
    return RUNNERS[rule]


def check(c: Case) -> str | None:
    """None when the case holds, else a one-line reason."""
    return runner(c.rule)(c)

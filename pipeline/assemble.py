"""Claims from the linker's drafts: figures as the output holds them, offsets mapped back to
the original text, kind and period from the sentence and its scope, the rule chain and a
confidence."""

from __future__ import annotations

import functools
from dataclasses import replace

import regex

from .context.calendar import resolve
from .context.dates import FILENAME
from .context.jurisdiction import subject_code
from .context.kind import KindContext, claim_kind, kind_cues
from .context.period import claim_period, other_point, year_said_before
from .context.scope import Scope
from .document import Claim, Document, Growth, Indicator, Rank, Sentence, SentenceRef, Value
from .grammar.figures import BOTH, Fig, SentenceParts
from .linking.drafts import Draft
from .linking.names import clean_name, final_name
from .ner import runtime as ner
from .ruleset.catalogue import canonical_of
from .ruleset.divisions import NATIONAL_CODE
from .ruleset.load import load_rules, pattern
from .text.gate import may_match
from .text.normalize import to_simplified
from .text.rx import HOLD

_BRACKETS = regex.compile(r"[（）()【】“”]")


def value_of(f: Fig, name: str = "") -> Value:
    """The output value; a bare scale counts the people its name names (旅居人数超550万:
    550 万人, unit inferred)."""
    unit = _person_unit(f, name)
    if unit:
        base = float(f"{f.number * 10000 ** (1 + (unit[0] == '亿')):.12g}") if f.number is not None else None
        return Value(f.number, unit, f.masked, f.qualifier, f.text, base, f.max, True)
    unit = f.unit[:-3] if f.unit and f.unit.endswith("元人民币") else f.unit  # 1364.15亿元人民币: 亿元, the yuan's own
    return Value(f.number, unit, f.masked, f.qualifier, f.text, f.base, f.max, f.unit_inferred)


def _person_unit(f: Fig, name: str) -> str | None:
    if f.unit not in ("万", "亿") or not name:
        return None
    if pattern("figures", "scale_counts", "people").search(name):
        return f.unit + "人"
    if "person_times" not in load_rules("figures")["scale_counts"]:
        return None
    return f.unit + "人次" if pattern("figures", "scale_counts", "person_times").search(name) else None


def growth_of(f: Fig) -> Growth:
    return Growth(f.number, f.unit, f.masked, f.qualifier, f.text, f.basis, f.max, f.unit_inferred)


def ranks_of(f: Fig) -> list[Rank]:
    """The output's ranks of a rank figure (one held by value and growth at once is two)."""
    pos = None if f.masked or f.number is None else int(f.number)
    bys = ["value", "growth"] if f.by == BOTH else [f.by]
    return [Rank(pos, f.masked, by, f.scope, f.text) for by in bys]


def confidence_of(d: Draft) -> float:
    if d.ind.canonical:
        return ner.LEXICON_CONFIDENCE
    if d.method == "model":
        return ner.MODEL_CONFIDENCE
    return ner.AGREEMENT_CONFIDENCE if d.method == "rule+model" else ner.PHRASE_CONFIDENCE


def claim_rule(d: Draft) -> str | None:
    """The rule that read the figure and the strategy that named its indicator:
    ``value.unit+link.phrase``."""
    figure = d.rules[0] if d.rules else None
    if figure and d.ind.strategy:
        return f"{figure}+{d.ind.strategy}"
    return figure or d.ind.strategy


def period_range(period: str | None, year: int | None, section: str | None = None,
                 year_ahead: bool = False) -> dict[str, str] | None:
    """The months ``period`` covers; ``section``: the period its section or paragraph set;
    ``year_ahead``: the document speaks as its year begins (未来五年 starts with its year)."""
    ref = resolve(section, year) if section else None
    one_year = ref and ref[0][:4] == ref[1][:4]  # 全年 in a section on 十四五 is no year of it
    got = resolve(period, year, int(ref[0][:4]) if one_year else None, year_ahead)
    return {"from": got[0], "to": got[1]} if got else None


WORD_RULES = ("kind.goal", "kind.forecast", "kind.budget", "kind.modal")  # kinds a detail (其中…) inherits


@functools.cache  # dropped with the module's other tables when the rules in force change
def _cue(*key: str) -> regex.Pattern:
    """A pattern of rules/cues.yaml (read per claim: one look-up, not the rules in force's)."""
    return pattern("cues", *key)


def _now(doc: Document) -> str | None:
    """``YYYY-MM`` the document speaks at, when its date is strong enough to judge by."""
    d = doc.date
    if d is None or d.year is None or not d.strong:
        return None
    return doc.speaks_at or f"{d.year:04d}-01"


def kind_context(doc: Document, sent: Sentence, scope: Scope, period: str | None,
                 rng: dict[str, str] | None, said: bool, text: str = "") -> KindContext:
    """What the calendar, the scope and the genre say of a figure's kind; ``said``: the
    sentence names the period itself."""
    now = _now(doc)
    whole = bool(rng) and rng["from"].endswith("-01") and rng["to"].endswith("-12")
    past = bool(period and kind_cues().past_period.search(period, None, None, HOLD)) or bool(rng and now and rng["to"] < now)
    future = bool(whole and rng["to"] > now) if now else None
    d = doc.date
    ahead = bool(rng and d and d.year and d.strength >= FILENAME and int(rng["from"][:4]) > d.year) \
        or bool(period and _cue("calendar", "next_years").search(period, None, None, HOLD))  # 未来五年: the years ahead
    return KindContext(scope.lead(sent.index, text), scope.section, doc.genre, past, past and said, future, ahead,
                       d.year if d else None)


def horizon_of(parts: SentenceParts, f: Fig) -> str | None:
    """``average`` for 年均增长 (an average per year over a span), ``cumulative`` for 累计 (a
    total over it): in the figure's clause before it."""
    cs = parts.clause_start(f.start)
    window = parts.text[cs:f.start]
    average, cumulative = _cue("horizon", "average"), _cue("horizon", "cumulative")
    if may_match(average, window) and average.search(window, None, None, HOLD):
        return "average"
    if may_match(cumulative, window) and cumulative.search(window, None, None, HOLD) and f.type == "value" \
            and _cue("horizon", "span").search(parts.text, None, None, HOLD):
        return "cumulative"
    return None


SENTENCE_CAP = 400  # characters of a claim's sentence copied into it; longer: a window


def _window(n: int, a: int, b: int, cap: int = SENTENCE_CAP) -> tuple[int, int]:
    """At most ``cap`` characters of a text of length ``n`` around [a, b) (all of it if longer)."""
    if b - a >= cap:
        return a, b
    lo = max(0, a - (cap - (b - a)) // 2)
    hi = min(n, lo + cap)
    return max(0, hi - cap), hi


def sentence_ref(doc: Document, sent: Sentence, st: str, a: int, b: int) -> SentenceRef:
    """The claim's sentence; over SENTENCE_CAP characters, the window around the claim's
    working span [a, b), marked truncated, with its own start and end (text stays exact)."""
    text = doc.text[sent.start:sent.end]
    if len(text) <= SENTENCE_CAP and len(st) <= SENTENCE_CAP:
        return SentenceRef(sent.index, sent.start, sent.end, text, st)
    wa, wb = _window(len(st), a, b)
    o0, o1 = doc.working.original_span(sent.wstart + wa, sent.wstart + wb)
    return SentenceRef(sent.index, o0, o1, doc.text[o0:o1], st[wa:wb], truncated=True)


def _unbracketed(name: str) -> str:
    """The name without brackets and quotes, but a short bracket inside it (高速（一级）公路)."""
    inner = pattern("linking", "patterns", "name_bracket").search(name) if "（" in name else None
    if inner is None:
        return _BRACKETS.sub("", name, 0, None, None, HOLD)
    return _BRACKETS.sub("", name[:inner.start()]) + inner.group() + _BRACKETS.sub("", name[inner.end():])


def _brackets_as_written(name: str, original: str) -> str:
    """A bracket kept inside a name as the source writes it: 小学新(扩)建工程 stays half-width."""
    if "（" in name and "(" in original and "（" not in original:
        return name.replace("（", "(").replace("）", ")")
    return name


YEAR_AHEAD_GENRES = ("work_report", "budget_report", "plan_report")  # given as the year begins


def _year_ahead(doc: Document) -> bool:
    """The document speaks as its year begins: dated January to June, or, undated by month,
    a report to a congress (a work report, a budget report), which reviews the year before."""
    month = doc.date.month if doc.date else None
    return month <= 6 if month else doc.genre in YEAR_AHEAD_GENRES


def _when(doc: Document, parts: SentenceParts, d: Draft, first: Fig, name: str,
          scope: Scope) -> tuple[str | None, str | None, dict[str, str] | None, str | None]:
    """(the period the sentence says, the claim's period, its months, its horizon)."""
    said_period = d.period or claim_period(parts, first.start, None)  # the column's or the sentence's own
    # 年末 said for another indicator before: not the period of a growth (a flow over the year)
    earlier = other_point(parts, first.start, name, scope.names[:-1]) \
        if said_period and not d.period and first.type == "growth" and d.value is None else None
    if earlier is not None:
        said_period = earlier or None
    year = doc.date.year if doc.date else None
    horizon = d.horizon or (horizon_of(parts, first) if first.type != "rank" else None)
    if not d.compared:  # a comparison's base year is no period the text goes on in
        scope.said_now = said_period or scope.said_now  # the last said (从2020年的…提升到2025年的…: 2025年)
    period = said_period or scope.detail_period(parts.text) or scope.period
    if horizon == "average" and said_period and scope.period and said_period != scope.period:
        period = _span_over(said_period, scope.period, year)
    rng = period_range(period, year, year_said_before(parts, first.start) or scope.year_ref, _year_ahead(doc))
    if horizon and rng and rng["from"][:4] == rng["to"][:4] and not d.horizon:
        rng = None  # 年均增长 over an unnamed span: no one year's figure (a table's: the plan's last year)
    return said_period, period, rng, horizon


def _span_over(said: str, section: str, year: int | None) -> str:
    """An average's period: the section's span of years when the year the sentence says is
    one of them or the base year before them (2005年，…年均增长17.2%, 是2000年的1.65倍，年均
    增长10.6% in a review of 十五时期 are 十五时期's averages); else the year said."""
    one, span = resolve(said, year), resolve(section, year)
    if not (one and span and one[0][:4] == one[1][:4] and span[0][:4] < span[1][:4]):
        return said
    said_year, first, last = int(one[0][:4]), int(span[0][:4]), int(span[1][:4])
    return section if said_year in (first - 1, last) else said  # the span's end, or its base (是2000年的1.65倍)


def _as_written(doc: Document, sent: Sentence, f: Fig) -> Fig:
    """The figure with its text as the source writes it, where only the script differs
    (2萬1362元, not 2万1362元); a figure the cleaning changed otherwise keeps the working text."""
    if doc.script == "simplified":
        return f
    o0, o1 = doc.working.original_span(sent.wstart + f.start, sent.wstart + f.end)
    src = doc.text[o0:o1]
    return replace(f, text=src) if src != f.text and len(src) == len(f.text) and to_simplified(src) == f.text else f


def _national(doc: Document) -> bool:
    """The document is the nation's own (a national government work report)."""
    return bool(doc.jurisdiction and doc.jurisdiction.level == "national")


def make_claim(doc: Document, sent: Sentence, parts: SentenceParts, d: Draft, n: int,
               scope: Scope) -> Claim | None:
    """The ``n``-th claim of ``doc``, from draft ``d`` of sentence ``sent``; None when the name
    test leaves no name (分别高, 千分点: the figure names no indicator)."""
    name = clean_name(_unbracketed(d.ind.name))
    if name is None:
        return None
    at = d.ind.start + max(0, parts.text.find(name, d.ind.start, d.ind.end) - d.ind.start)  # after 实现 in 实现总产值
    name = final_name(name, parts.text[max(0, at - 24):at], scope.names, scope.names_before)
    if name is None:
        return None
    base = clean_name(d.ind.side_of.name) if d.ind.side_of is not None else None
    if base and base not in scope.names:  # 一般公共服务支出调减185万元，调整后为…: the base is said too
        scope.names += (base,)
    scope.names += (name,)
    ot = doc.working
    figs = sorted(d.figs, key=lambda f: f.start)
    first = figs[0]
    a = min(d.ind.start, first.start)
    b = max(f.end for f in figs)
    o0, o1 = ot.original_span(sent.wstart + a, sent.wstart + b)
    i0, i1 = ot.original_span(sent.wstart + d.ind.start, sent.wstart + d.ind.end)
    said_period, period, rng, horizon = _when(doc, parts, d, first, name, scope)
    said = said_period is not None
    code = subject_code(d.subject, doc.jurisdiction)
    national = code == NATIONAL_CODE or d.subject is None and _national(doc)
    if code == NATIONAL_CODE and _national(doc):  # 全国 in the nation's own report: its own figure
        d.subject = code = None
    kind, kind_rule = (d.kind, "kind.column") if d.kind else \
        claim_kind(parts, first.start, kind_context(doc, sent, scope, period, rng, said, parts.text))
    if kind_rule in WORD_RULES:
        scope.said_kind = kind
    return Claim(
        id=f"{doc.doc_id}:{n}",
        indicator=Indicator(doc.text[i0:i1] or d.ind.text, _brackets_as_written(name, doc.text[i0:i1]),
                            canonical_of(name, d.value.unit if d.value else None, national)),
        value=value_of(_as_written(doc, sent, d.value), name) if d.value else None,
        growth=growth_of(_as_written(doc, sent, d.growth)) if d.growth else None,
        ranks=[rk for r in d.ranks for rk in ranks_of(_as_written(doc, sent, r))],
        subject=d.subject,
        period=period,
        kind=kind,
        sentence=sentence_ref(doc, sent, parts.text, a, b),
        span={"start": o0, "end": o1},
        method=d.method,
        rule=f"{claim_rule(d)}+{kind_rule}" if claim_rule(d) else kind_rule,
        confidence=confidence_of(d),
        qualifier=(d.value.qualifier if d.value else None) or (d.growth.qualifier if d.growth else None),
        period_range=rng,
        subject_code=code,
        horizon=horizon,
    )

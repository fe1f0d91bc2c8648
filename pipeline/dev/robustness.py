"""A damage suite: behavioural robustness tests in the manner of CheckList.

Each damage type applies one kind of damage to every gold document of ``corpus/`` and
projects its gold rows, so that ``sent`` still locates the sentence in the damaged text
and the expected facts are what the damaged text plainly says. The extractor (rules
alone, deterministic) then runs on the damaged text and is scored as ``zhibiao eval``
scores it; a damage type's F1 is compared with the undamaged F1 of the same code path.

A transform returns a :class:`Plan`: edits on the undamaged text (replace ``[start, end)``
by ``new``; an insertion has ``start == end``) and the offsets of the figures it masked.
:func:`project` applies the edits and maps every gold span through them, so that a row's
new ``sent`` is exactly the damaged text over its old span.

    >>> damaged, rows = project("增长7.8%。", [{"sent": "增长7.8%", "growth": None}],
    ...                         Plan([Edit(5, 6, "")]))
    >>> damaged, rows[0]["sent"]
    ('增长7.8。', '增长7.8')
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ..text.normalize import to_simplified
from .evaluate import (
    Fact,
    Score,
    facts_of_gold,
    find_doc_text,
    is_invented,
    load_dates,
    load_gold,
    score_document,
)

SEED = 20260227
GOAL = 0.95  # the goal: F1 on every damage type >= GOAL x the undamaged F1

_HAN = regex.compile(r"\p{Han}")
_SENTENCE = regex.compile(r"[^。；！？\n]+")
_NUMBER = regex.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_DIGITS = "0123456789."


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``new`` (an insertion when ``start == end``)."""

    start: int
    end: int
    new: str


@dataclass
class Plan:
    """What a transform does to one document: its edits, and the start offsets (in the
    undamaged text) of the figures whose digits it replaced by a mask."""

    edits: list[Edit]
    masked: set[int] = field(default_factory=set)
    # gold rows of the facts the damage adds (a table of figures the text already gives, a
    # benchmark quoted in brackets): their ``sent`` stands once in the damaged text
    added: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    text: str
    rows: list[dict]
    year: int | None = None


Transform = Callable[[str, list[dict], random.Random], Plan]


@dataclass(frozen=True)
class Damage:
    name: str
    transform: Transform
    example: str  # one Chinese example, before -> after


# ---------------------------------------------------------------- edits and projection

def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with the (non-overlapping) edits applied."""
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def map_span(edits: Iterable[Edit], a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` of the undamaged text in the damaged text: an insertion at ``a`` or at
    ``b`` falls outside the span, one strictly inside falls inside it."""
    na, nb = a, b
    for e in edits:
        delta = len(e.new) - (e.end - e.start)
        if e.end <= a:
            na += delta
        if e.start < b:
            nb += delta
    return na, nb


def located_rows(text: str, rows: list[dict]) -> list[tuple[int, dict]]:
    """Each gold row with the offset of its ``sent``; a row whose ``sent`` is not found is skipped."""
    out = []
    for row in rows:
        a = text.find(row["sent"])
        if a >= 0:
            out.append((a, row))
    return out


def project(text: str, rows: list[dict], plan: Plan) -> tuple[str, list[dict]]:
    """The damaged text and the gold rows projected onto it."""
    damaged = apply_edits(text, plan.edits)
    out = []
    for a, row in located_rows(text, rows):
        na, nb = map_span(plan.edits, a, a + len(row["sent"]))
        new = dict(row, sent=damaged[na:nb])
        for key in ("value", "growth") if plan.masked else ():
            at = figure_at(text, a, row, key)
            if at and at[0] in plan.masked:
                new[key] = _masked(row[key], key)
        out.append(new)
    return damaged, out + [r for r in plan.added if damaged.count(r["sent"]) == 1]


def _masked(fact: dict, key: str) -> dict:
    number = "amount" if key == "value" else "rate"
    return dict(fact, **{number: None, "masked": True, "max": None})


# ---------------------------------------------------------------- figures of gold rows

def fmt_number(x: float) -> str:
    """A number as a page writes it in Arabic digits: 5.0 -> '5', -3.20 -> '3.2'."""
    x = abs(float(x))
    return str(int(x)) if x == int(x) else f"{x:.6f}".rstrip("0").rstrip(".")


def _unit_follows(text: str, pos: int, unit: str | None) -> bool:
    if not unit:
        return False
    after = to_simplified(text[pos:pos + len(unit) + 3]).lstrip(" ").replace("％", "%")
    if unit == "个百分点":
        return after.startswith(("个百分点", "百分点"))
    return after.startswith(unit)


def _number_of(fact: dict | None, key: str) -> float | None:
    if not fact or fact.get("masked") or fact.get("max") is not None:
        return None
    return fact.get("amount" if key == "value" else "rate")


def figure_at(text: str, a: int, row: dict, key: str) -> tuple[int, int] | None:
    """Where the digits of the row's ``value`` or ``growth`` stand in the text: the one
    occurrence, in the row's sentence, of the number written in Arabic digits with its
    unit after it; None when absent, ambiguous, masked or a range."""
    fact = row.get(key)
    number = _number_of(fact, key)
    if number is None:
        return None
    digits, b = fmt_number(number), a + len(row["sent"])
    hits = [m.start() for m in regex.finditer(regex.escape(digits), text[a:b])]
    hits = [a + h for h in hits if _bounded(text, a + h, a + h + len(digits))
            and _unit_follows(text, a + h + len(digits), fact.get("unit"))]
    return (hits[0], hits[0] + len(digits)) if len(hits) == 1 else None


def _bounded(text: str, s: int, e: int) -> bool:
    """No digit, point or thousands separator joins the figure ``text[s:e]`` on either side."""
    before = text[max(s - 2, 0):s]
    after = text[e:e + 1]
    last = before[-1:]
    if last and (last in _DIGITS or (last in ",，" and before[:1].isdigit())):
        return False
    return not after or after not in _DIGITS


def maskable_figures(text: str, rows: list[dict]) -> list[tuple[int, int]]:
    """The located value and growth figures of the gold rows, in text order, leaving out
    any that a row with an unlocated fact of the same number could mean."""
    found: set[tuple[int, int]] = set()
    unsure: list[tuple[int, int, str]] = []
    for a, row in located_rows(text, rows):
        for key in ("value", "growth"):
            at = figure_at(text, a, row, key)
            number = (row.get(key) or {}).get("amount" if key == "value" else "rate")
            if at:
                found.add(at)
            elif number is not None:
                unsure.append((a, a + len(row["sent"]), fmt_number(number)))
    return sorted(f for f in found if not any(
        s <= f[0] < e and text[f[0]:f[1]] == d for s, e, d in unsure))


# ---------------------------------------------------------------- the transforms

def identity(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """No damage: the reference every damage type is compared with."""
    return Plan([])


def mask_with(style: str) -> Transform:
    """Every third located figure's digits replaced by ``style``."""

    def mask(text: str, rows: list[dict], rng: random.Random) -> Plan:
        figures = maskable_figures(text, rows)[::3]
        edits = [Edit(s, e, mask_string(style, text[s:e])) for s, e in figures]
        return Plan(edits, {s for s, _ in figures})

    mask.__doc__ = f"Mask every third figure as {style!r}: 增长13.3% -> 增长{mask_string(style, '13.3')}%."
    return mask


def mask_string(style: str, digits: str) -> str:
    """The mask that stands for ``digits``: □ and ○ per digit, blank a space, else the style."""
    if style in ("□", "○"):
        return regex.sub(r"\d", style, digits)
    return " " if style == "blank" else style


_GROWTH_PERCENT = regex.compile(
    r"(?:增长|增加|提高|上升|上涨|下降|回落|减少|下滑|增|涨|降)(\d+(?:\.\d+)?)(%|％)(?![—\-~～至到、])")


def drop_percent(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """Drop the % after a growth figure that follows a growth verb: 增长7.8% -> 增长7.8."""
    return Plan([Edit(m.start(2), m.end(2), "") for m in _GROWTH_PERCENT.finditer(text)])


def _inner_cuts(text: str, s: int, e: int, digits: bool = True) -> list[int]:
    """Offsets in (s, e) between two Han characters (or two digits)."""
    out = []
    for i in range(s + 1, e):
        x, y = text[i - 1], text[i]
        if (_HAN.match(x) and _HAN.match(y)) or (digits and x.isdigit() and y.isdigit()):
            out.append(i)
    return out


def line_breaks(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """A line break inside a word or figure of every other long sentence: 固定资产投资增长8% -> 固定资产投\\n资增长8%."""
    edits = []
    for m in _SENTENCE.finditer(text):
        cuts = _inner_cuts(text, m.start(), m.end())
        if len(m.group()) >= 25 and cuts and rng.random() < 0.5:
            at = rng.choice(cuts)
            edits.append(Edit(at, at, "\n"))
    return Plan(edits)


def _furniture(page: int, pages: int) -> str:
    styles = (f"第{page}页共{pages}页", f"- {page} -", f"仅展示600字,全文共{pages * 400}字")
    return styles[page % 3]


def page_furniture(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """Page furniture between paragraphs and once inside a sentence: 全省生产总值增长5% ->
    全省生产总\\n第3页共21页\\n值增长5%; between paragraphs 第1页共21页, - 3 -, 仅展示600字,全文共8000字."""
    starts = [m.end() for m in regex.finditer("\n", text)][4::5]
    pages = len(starts) + 2
    edits = [Edit(p, p, _furniture(i + 1, pages) + "\n") for i, p in enumerate(starts)]
    long = [(a, r) for a, r in located_rows(text, rows) if len(r["sent"]) >= 16]
    if long:
        a, row = rng.choice(long)
        third = len(row["sent"]) // 3
        cuts = _inner_cuts(text, a + third, a + 2 * third, digits=False)
        if cuts:
            at = rng.choice(cuts)
            edits.append(Edit(at, at, f"\n{_furniture(pages - 1, pages)}\n"))
    return Plan(edits)


def ocr_spaces(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """Spaces between some Han characters and around figures: 地区生产总值42亿元 -> 地 区生产总值 42 亿元."""
    cuts = set(_inner_cuts(text, 0, len(text), digits=False))
    edits = {i for i in cuts if rng.random() < 0.1}
    for m in _NUMBER.finditer(text):
        if rng.random() < 0.5:
            edits |= {i for i in (m.start(), m.end()) if 0 < i < len(text) and " " not in text[i - 1:i + 1]}
    return Plan([Edit(i, i, " ") for i in sorted(edits)])


@functools.lru_cache(maxsize=1)
def _s2twp():
    import opencc

    try:
        return opencc.OpenCC("s2twp")
    except Exception:  # noqa: BLE001 - older packages want the file name
        return opencc.OpenCC("s2twp.json")


def traditional_tw(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """The whole text in traditional characters with Taiwan phrasing (OpenCC s2twp):
    信息产业增加值增长7.3% -> 資訊產業增加值增長7.3%. The text is converted piece by piece,
    cut at every line and gold span, so that each gold ``sent`` converts exactly."""
    cuts = {0, len(text)} | {m.end() for m in regex.finditer("\n", text)}
    for a, row in located_rows(text, rows):
        cuts |= {a, a + len(row["sent"])}
    cc, bounds = _s2twp(), sorted(cuts)
    edits = []
    for s, e in zip(bounds, bounds[1:], strict=False):
        new = cc.convert(text[s:e])
        if new != text[s:e]:
            edits.append(Edit(s, e, new))
    return Plan(edits)


PINYIN = {
    "区": "qū", "发": "fā", "产": "chǎn", "总": "zǒng", "值": "zhí", "增": "zēng", "长": "zhǎng",
    "业": "yè", "规": "guī", "模": "mó", "工": "gōng", "投": "tóu", "资": "zī", "消": "xiāo",
    "费": "fèi", "零": "líng", "售": "shòu", "财": "cái", "政": "zhèng", "收": "shōu", "入": "rù",
    "预": "yù", "算": "suàn", "民": "mín", "居": "jū", "城": "chéng", "镇": "zhèn", "农": "nóng",
    "村": "cūn", "进": "jìn", "出": "chū", "口": "kǒu", "外": "wài", "贸": "mào", "额": "é",
    "税": "shuì", "企": "qǐ", "项": "xiàng", "目": "mù", "量": "liàng", "率": "lǜ", "科": "kē",
    "技": "jì", "服": "fú", "务": "wù", "建": "jiàn", "设": "shè", "经": "jīng", "济": "jì",
    "省": "shěng", "市": "shì", "全": "quán", "年": "nián", "实": "shí", "现": "xiàn", "完": "wán",
    "成": "chéng", "达": "dá", "到": "dào", "亿": "yì", "元": "yuán", "万": "wàn", "新": "xīn",
}


def pinyin_gloss(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """Pinyin glosses after some characters, as scraped pages show them:
    地区生产总值 -> 地区(qū)生产总值, 发展 -> 发（fā）展."""
    edits = []
    for i, ch in enumerate(text):
        if ch in PINYIN and rng.random() < 0.1:
            gloss = f"({PINYIN[ch]})" if rng.random() < 0.5 else f"（{PINYIN[ch]}）"
            edits.append(Edit(i + 1, i + 1, gloss))
    return Plan(edits)


def _plain(fact: dict | None, key: str) -> float | None:
    """The number of a fact with nothing around it (no mask, range or qualifier)."""
    if not fact or fact.get("qualifier"):
        return None
    return _number_of(fact, key)


def _added(row: dict, sent: str, **facts: object) -> dict:
    return {"doc": row.get("doc"), "sent": sent, "indicator": row["indicator"], "alt": [], "value": None,
            "growth": None, "ranks": [], "subject": None, "period": row.get("period"), "kind": row.get("kind"),
            "qualifier": None, "tier": "core", **facts}


def _signed(x: float) -> str:
    return ("-" if x < 0 else "") + fmt_number(x)


def tables(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """The figures the text gives, laid out again after it as a pipe table per unit, as a
    communiqué adds them (地区生产总值42亿元，增长9.1% -> 单位：亿元 / 指标|数值|比上年增长（%）|
    / 地区生产总值|42|9.1|): every cell is a fact of its row's indicator."""
    by_unit: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for row in rows:
        v, g = _plain(row.get("value"), "value"), _plain(row.get("growth"), "growth")
        unit = (row.get("value") or {}).get("unit")
        name = row["indicator"]
        if v is None or not unit or row.get("subject") or row.get("tier", "core") != "core" or name in seen \
                or not _HAN.search(name) or "|" in name or rng.random() < 0.5:
            continue
        if g is not None and (row["growth"].get("unit") != "%"):
            g = None
        seen.add(name)
        by_unit.setdefault(unit, []).append(dict(row, _v=v, _g=g))
    block, added = [], []
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        block.append(f"单位：{unit}\n指标|数值|比上年增长（%）|")
        for r in group:
            line = f"{r['indicator']}|{_signed(r['_v'])}|{'' if r['_g'] is None else _signed(r['_g'])}|"
            block.append(line)
            added.append(_added(r, line, value={"amount": r["_v"], "unit": unit, "masked": False}))
            if r["_g"] is not None:
                added.append(_added(r, line, growth={"rate": r["_g"], "unit": "%", "masked": False}))
    if not block:
        return Plan([])
    return Plan([Edit(len(text), len(text), "\n" + "\n".join(block) + "\n")], added=added)


def bracket_benchmarks(text: str, rows: list[dict], rng: random.Random) -> Plan:
    """A benchmark quoted in brackets after a growth, and the gap to it (增长6.2% ->
    增长6.2%，比全国（5.1%）高1.1个百分点): the benchmark's rate is 全国's, the gap the
    indicator's own."""
    edits, added, used = [], [], set()
    for a, row in located_rows(text, rows):
        g = _plain(row.get("growth"), "growth")
        at = figure_at(text, a, row, "growth")
        if g is None or g <= 1 or row["growth"].get("unit") != "%" or row.get("subject") or not at \
                or "分别" in row["sent"] or at[1] in used or rng.random() < 0.7:
            continue
        end = at[1] + 1
        if text[at[1]:end] != "%" or text[end:end + 1] not in ("，", "。", "；", ","):
            continue
        gap = rng.choice([0.3, 0.5, 0.8, 1.1, 1.4, 2.0])
        bench = round(g - gap, 1)
        if bench <= 0:
            continue
        insert = f"，比全国（{fmt_number(bench)}%）高{fmt_number(gap)}个百分点"
        used.add(at[1])
        edits.append(Edit(end, end, insert))
        sent = text[at[0]:end] + insert
        added.append(_added(row, sent, growth={"rate": bench, "unit": "%", "masked": False}, subject="全国"))
        added.append(_added(row, sent, growth={"rate": gap, "unit": "个百分点", "masked": False}))
    return Plan(edits, added=added)


MASK_STYLES = ("X", "x", "XX", "X.X", "××.××", "□", "○", "___", "blank")

DAMAGES: tuple[Damage, ...] = (
    *(Damage(f"mask_{s}", mask_with(s), f"增长13.3% -> 增长{mask_string(s, '13.3')}%") for s in MASK_STYLES),
    Damage("drop_percent", drop_percent, "比上年增长7.8% -> 比上年增长7.8"),
    Damage("line_breaks", line_breaks, "固定资产投资增长8% -> 固定资产投\\n资增长8%"),
    Damage("page_furniture", page_furniture, "生产总值增长5% -> 生产总\\n第3页共21页\\n值增长5%"),
    Damage("ocr_spaces", ocr_spaces, "地区生产总值42亿元 -> 地 区生产总值 42 亿元"),
    Damage("traditional_tw", traditional_tw, "信息产业增加值增长 -> 資訊產業增加值增長"),
    Damage("pinyin_gloss", pinyin_gloss, "地区生产总值 -> 地区(qū)生产总值"),
    Damage("tables", tables, "地区生产总值42亿元，增长9.1% -> …\\n指标|数值|比上年增长（%）|\\n地区生产总值|42|9.1|"),
    Damage("bracket_benchmarks", bracket_benchmarks, "增长6.2% -> 增长6.2%，比全国（5.1%）高1.1个百分点"),
)
UNDAMAGED = Damage("undamaged", identity, "unchanged")


def damage_by_name(name: str) -> Damage:
    return next(d for d in (UNDAMAGED, *DAMAGES) if d.name == name)


# ---------------------------------------------------------------- running and scoring

@functools.lru_cache(maxsize=4)
def load_corpus(root: str = "corpus") -> tuple[GoldDoc, ...]:
    """Every gold document of ``root`` with its (undamaged) text, located rows and year."""
    gold_dir, speeches = str(Path(root) / "gold"), str(Path(root) / "speeches")
    years = load_dates(gold_dir)
    out = []
    for doc_id, rows in load_gold(gold_dir).items():
        text = find_doc_text(doc_id, speeches, None)
        kept = [r for _, r in located_rows(text, rows)]
        out.append(GoldDoc(doc_id, text, kept, years.get(doc_id)))
    return tuple(out)


def damage_doc(damage: Damage, doc: GoldDoc) -> GoldDoc:
    """One document damaged (a fixed seed per damage type and document) with its gold projected."""
    rng = random.Random(f"{SEED}:{damage.name}:{doc.doc_id}")
    text, rows = project(doc.text, doc.rows, damage.transform(doc.text, doc.rows, rng))
    return GoldDoc(doc.doc_id, text, rows, doc.year)


def score_doc(doc: GoldDoc) -> Score:
    """The rules alone on one (damaged) document, scored against its (projected) gold."""
    from ..api import extract_text

    out = extract_text(doc.text, doc_id=doc.doc_id, use_model=False).to_dict()
    return score_document(doc.doc_id, doc.text, doc.rows, out, doc.year)


def invented_facts(damage: Damage, corpus: Iterable[GoldDoc]) -> list[Fact]:
    """The predicted facts that carry a number where the projected gold has a mask."""
    out = []
    for doc in corpus:
        hurt = damage_doc(damage, doc)
        gold = facts_of_gold(hurt.doc_id, hurt.text, hurt.rows)
        out += [p for p in score_doc(hurt).false_pos if is_invented(p, gold)]
    return out


@dataclass
class Result:
    name: str
    documents: int
    score: Score

    @property
    def figures(self) -> dict:
        return self.score.figures()


def run_damage(damage: Damage, corpus: Iterable[GoldDoc]) -> Result:
    total, n = Score(), 0
    for doc in corpus:
        total.add(score_doc(damage_doc(damage, doc)))
        n += 1
    return Result(damage.name, n, total)


@functools.lru_cache(maxsize=4)
def undamaged_result(root: str = "corpus") -> Result:
    """The reference run (cached: every comparison reuses it)."""
    return run_damage(UNDAMAGED, load_corpus(root))


def run_suite(root: str = "corpus", names: Iterable[str] | None = None) -> list[Result]:
    """The undamaged run first, then each damage type (all, or those named)."""
    wanted = set(names) if names else None
    corpus = load_corpus(root)
    picked = [d for d in DAMAGES if wanted is None or d.name in wanted]
    return [undamaged_result(root)] + [run_damage(d, corpus) for d in picked]


def table(results: list[Result]) -> str:
    """Damage type, documents, core facts, P, R, F1, F1 relative to undamaged (first row)."""
    base = results[0].figures["f1"] or 1.0
    head = f"{'damage':16} {'docs':>4} {'core':>5} {'P':>6} {'R':>6} {'F1':>6} {'rel':>6} {'invent':>6}  goal"
    lines = [head, "-" * len(head)]
    for r in results:
        f = r.figures
        rel = f["f1"] / base
        lines.append(f"{r.name:16} {r.documents:4d} {f['gold_core_facts']:5d} {f['precision']:6.3f} "
                     f"{f['recall']:6.3f} {f['f1']:6.3f} {rel:6.3f} {f['invented_numbers']:6d}  "
                     f"{'ok' if rel >= GOAL else 'BELOW'}")
    return "\n".join(lines)

"""Scoring output against gold, exactly as docs/evaluation.md says."""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text.ingest import IngestError, read_document
from ..text.normalize import to_simplified

TYPES = ("value", "growth", "rank")
BINS = (0.5, 0.8, 0.9, 0.95, 1.0001)  # calibration: confidence below each bound (evaluation.md 8)


@dataclass
class Fact:
    doc: str
    type: str
    masked: bool
    number: float | None
    unit: str | None
    span: tuple[int, int]
    names: list[str]
    claim: dict[str, Any]
    core: bool = True
    sentence: str = ""


@dataclass
class Score:
    pred: int = 0
    pred_ok: int = 0
    gold_core: int = 0
    gold_hit: int = 0
    by_type: dict[str, list[int]] = field(default_factory=lambda: {t: [0, 0] for t in TYPES})
    kind: list[int] = field(default_factory=lambda: [0, 0])
    subject: list[int] = field(default_factory=lambda: [0, 0])
    period: list[int] = field(default_factory=lambda: [0, 0])
    period_range: list[int] = field(default_factory=lambda: [0, 0])
    calibration: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in BINS])
    claims: int = 0
    provenance_ok: int = 0
    invented: int = 0
    misses: list[Fact] = field(default_factory=list)
    false_pos: list[Fact] = field(default_factory=list)
    wrong_fields: list[tuple[str, Fact, Fact]] = field(default_factory=list)  # (field, predicted, gold)

    def add(self, o: Score) -> None:
        for k in ("pred", "pred_ok", "gold_core", "gold_hit", "claims", "provenance_ok", "invented"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        for t in TYPES:
            self.by_type[t][0] += o.by_type[t][0]
            self.by_type[t][1] += o.by_type[t][1]
        for a, b in zip([self.kind, self.subject, self.period, self.period_range, *self.calibration],
                        [o.kind, o.subject, o.period, o.period_range, *o.calibration], strict=True):
            a[0] += b[0]
            a[1] += b[1]
        self.misses += o.misses
        self.false_pos += o.false_pos
        self.wrong_fields += o.wrong_fields

    def figures(self) -> dict[str, float | int | None]:
        p = self.pred_ok / self.pred if self.pred else (1.0 if not self.gold_core else 0.0)
        r = self.gold_hit / self.gold_core if self.gold_core else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0

        def ratio(x: list[int]) -> float | None:
            return x[0] / x[1] if x[1] else None

        out: dict[str, float | int | None] = {
            "precision": p, "recall": r, "f1": f1,
            "predicted_facts": self.pred, "gold_core_facts": self.gold_core,
        }
        for t in TYPES:
            out[f"recall_{t}"] = ratio(self.by_type[t])
        out.update(kind_accuracy=ratio(self.kind), subject_accuracy=ratio(self.subject),
                   period_accuracy=ratio(self.period), period_range_accuracy=ratio(self.period_range),
                   provenance=self.provenance_ok / self.claims if self.claims else 1.0,
                   invented_numbers=self.invented)
        for lo, hi, (ok, n) in zip((0.0, *BINS[:-1]), BINS, self.calibration, strict=True):
            out[f"calibration_{lo:.2f}-{min(hi, 1.0):.2f}"] = f"{ok}/{n}" + (f" = {ok / n:.3f}" if n else "")
        return out


def norm_name(s: str) -> str:
    return "".join(to_simplified(s or "").split())


def norm_unit(u: str | None) -> str | None:
    if u is None:
        return None
    u = to_simplified(u).replace("％", "%").strip()
    return "个百分点" if u in ("百分点", "个百分点") else u


def compatible(pred_name: str, gold_names: list[str]) -> bool:
    p = norm_name(pred_name)
    for g in gold_names:
        g = norm_name(g)
        if not g or not p:
            continue
        if p == g or g in p or (p in g and len(p) * 2 >= len(g)):
            return True
    return False


def _facts(claim: dict, doc: str, span: tuple[int, int], names: list[str], core: bool,
           sentence: str) -> list[Fact]:
    out = []
    v, g = claim.get("value"), claim.get("growth")
    if v:
        out.append(Fact(doc, "value", bool(v.get("masked")), v.get("amount"), norm_unit(v.get("unit")),
                        span, names, claim, core, sentence))
    if g:
        out.append(Fact(doc, "growth", bool(g.get("masked")), g.get("rate"), norm_unit(g.get("unit")),
                        span, names, claim, core, sentence))
    for r in claim.get("ranks") or []:
        out.append(Fact(doc, "rank", bool(r.get("masked")), r.get("position"), None, span, names,
                        claim, core, sentence))
    return out


def _num_eq(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-12)


def _matches(p: Fact, g: Fact) -> bool:
    if p.type != g.type or p.span[0] >= g.span[1] or g.span[0] >= p.span[1]:
        return False
    if not compatible(p.names[0], g.names):
        return False
    if p.masked or g.masked:
        return p.masked and g.masked
    return _num_eq(p.number, g.number) and (p.type == "rank" or p.unit == g.unit)


def _contains(a: str | None, b: str | None) -> bool:
    if not a and not b:
        return True
    if not a or not b:
        return False
    a, b = norm_name(a), norm_name(b)
    return a in b or b in a


def facts_of_gold(doc_id: str, text: str, gold: list[dict]) -> list[Fact]:
    out: list[Fact] = []
    for g in gold:
        a = text.find(g["sent"])
        span = (a, a + len(g["sent"])) if a >= 0 else (-1, -1)
        names = [g["indicator"]] + list(g.get("alt") or [])
        out += _facts(g, doc_id, span, names, g.get("tier", "core") == "core", g["sent"])
    return out


def _pred_facts(s: Score, doc_id: str, text: str, output: dict | None) -> list[Fact]:
    out: list[Fact] = []
    for c in (output or {}).get("claims", []):
        sent = c["sentence"]
        s.claims += 1
        if text[sent["start"]:sent["end"]] == sent["text"]:
            s.provenance_ok += 1
        out += _facts(c, doc_id, (sent["start"], sent["end"]), [c["indicator"]["name"]], True, sent["text"])
    return out


def _score_fields(s: Score, p: Fact, g: Fact, year: int | None) -> None:
    """Kind, subject and period of a matched fact; the period is right when one text contains
    the other or when the claim's period_range is the gold period resolved in ``year``."""
    s.kind[1] += 1
    s.kind[0] += p.claim.get("kind") == g.claim.get("kind")
    if p.claim.get("kind") != g.claim.get("kind"):
        s.wrong_fields.append(("kind", p, g))
    s.subject[1] += 1
    right_subject = _contains(p.claim.get("subject"), g.claim.get("subject"))
    s.subject[0] += right_subject
    if not right_subject:
        s.wrong_fields.append(("subject", p, g))
    if g.claim.get("period"):
        by_text = bool(p.claim.get("period")) and _contains(p.claim.get("period"), g.claim.get("period"))
        by_range = _range_agrees(p.claim.get("period_range"), g.claim["period"], year)
        s.period[1] += 1
        s.period[0] += by_text or by_range
        if not (by_text or by_range):
            s.wrong_fields.append(("period", p, g))
        s.period_range[1] += 1
        s.period_range[0] += by_range


def _range_agrees(pred: dict | None, gold_period: str, year: int | None) -> bool:
    from ..context.calendar import resolve

    want = resolve(to_simplified(gold_period), year)
    return bool(pred and want) and (pred["from"], pred["to"]) == want


def _match_all(s: Score, gold_facts: list[Fact], pred_facts: list[Fact], year: int | None) -> set[int]:
    """Each gold fact takes the first unused predicted fact that matches it."""
    used: set[int] = set()
    for g in gold_facts:
        if g.core:
            s.gold_core += 1
            s.by_type[g.type][1] += 1
        hit = next((i for i, p in enumerate(pred_facts) if i not in used and _matches(p, g)), None)
        if hit is None:
            if g.core:
                s.misses.append(g)
            continue
        used.add(hit)
        if g.core:
            s.gold_hit += 1
            s.by_type[g.type][0] += 1
        _score_fields(s, pred_facts[hit], g, year)
    return used


def fact_labels(doc_id: str, text: str, gold: list[dict], output: dict | None,
                year: int | None = None) -> tuple[list[tuple[int, bool, bool]], int]:
    """Each predicted fact as (its claim's index, right, hit a core gold fact), matched as
    ``score_document`` matches, and the number of core gold facts: the claim scorer's labels."""
    s = Score()
    gold_facts = facts_of_gold(doc_id, text, gold)
    pred_facts = _pred_facts(s, doc_id, text, output)
    core_of: dict[int, bool] = {}
    for g in gold_facts:  # as _match_all: each gold fact takes the first unused match
        hit = next((i for i, p in enumerate(pred_facts) if i not in core_of and _matches(p, g)), None)
        if hit is not None:
            core_of[hit] = g.core
    index = {id(c): i for i, c in enumerate((output or {}).get("claims", []))}
    rows = [(index[id(p.claim)], i in core_of, core_of.get(i, False)) for i, p in enumerate(pred_facts)]
    return rows, sum(g.core for g in gold_facts)


def is_invented(p: Fact, gold_facts: list[Fact]) -> bool:
    """A number where the gold has a masked figure of the same type at that place."""
    return not p.masked and p.number is not None and any(
        g.masked and g.type == p.type and p.span[0] < g.span[1] and g.span[0] < p.span[1] for g in gold_facts)


def _calibrate(s: Score, pred_facts: list[Fact], matched: set[int]) -> None:
    for i, p in enumerate(pred_facts):
        conf = float(p.claim.get("confidence") or 0.0)
        b = next(k for k, hi in enumerate(BINS) if conf < hi)
        s.calibration[b][1] += 1
        s.calibration[b][0] += i in matched


def score_document(doc_id: str, text: str, gold: list[dict], output: dict | None,
                   year: int | None = None) -> Score:
    """``year``: the year the document speaks from (dates.json beside the gold files)."""
    s = Score()
    gold_facts = facts_of_gold(doc_id, text, gold)
    pred_facts = _pred_facts(s, doc_id, text, output)
    matched = _match_all(s, gold_facts, pred_facts, year)
    s.pred = len(pred_facts)
    s.pred_ok = len(matched)
    _calibrate(s, pred_facts, matched)
    for i, p in enumerate(pred_facts):
        if i not in matched:
            s.false_pos.append(p)
            s.invented += is_invented(p, gold_facts)
    return s


def load_dates(gold_dir: str) -> dict[str, int | None]:
    """Each gold document's year, from ``dates.json`` beside the gold files (else empty)."""
    path = Path(gold_dir) / "dates.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class GoldError(ValueError):
    """Gold or output that cannot be scored; the message names the file (and line)."""


GOLD_FIELDS = ("sent", "indicator")


def _gold_row(f: Path, n: int, line: str) -> dict:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise GoldError(f"{f}:{n}: not JSON ({exc})") from None
    if not isinstance(row, dict):
        raise GoldError(f"{f}:{n}: a gold row is a JSON object, not {type(row).__name__}")
    for k in GOLD_FIELDS:
        if not isinstance(row.get(k), str) or not row[k]:
            raise GoldError(f"{f}:{n}: the gold row has no {k!r} (text)")
    for k in ("value", "growth"):
        if row.get(k) is not None and not isinstance(row[k], dict):
            raise GoldError(f"{f}:{n}: {k!r} must be an object or null")
    if not isinstance(row.get("ranks") or [], list):
        raise GoldError(f"{f}:{n}: 'ranks' must be a list")
    return row


def load_gold(gold_dir: str) -> dict[str, list[dict]]:
    """The gold rows of each ``*.jsonl`` in ``gold_dir``; GoldError (file:line) on anything
    that cannot be scored, an empty folder or a path that is not a folder."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise GoldError(f"--gold {gold_dir}: not a folder of gold *.jsonl files")
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise GoldError(f"--gold {gold_dir}: no gold *.jsonl files there; nothing to score")
    out: dict[str, list[dict]] = {}
    for f in files:
        try:
            lines = f.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldError(f"{f}: cannot read ({exc})") from None
        out[f.stem] = [_gold_row(f, n, line) for n, line in enumerate(lines, 1) if line.strip()]
    return out


def load_output(path: str) -> dict[str, dict]:
    """The documents of an extract output by doc_id; GoldError (file:line) on anything else
    (read by ``io.tables.iter_documents``, the one reader of extract outputs)."""
    from ..io.tables import iter_documents

    try:
        return {d["doc_id"]: d for d in iter_documents(path)}
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read ({exc})") from None
    except ValueError as exc:
        raise GoldError(str(exc)) from None


def missing_documents(gold: dict[str, list[dict]], outputs: dict[str, dict]) -> list[str]:
    """Gold documents the output has no document for (scored as all misses)."""
    return [d for d in gold if d not in outputs]


def failed_documents(gold: dict[str, list[dict]], outputs: dict[str, dict]) -> dict[str, list[str]]:
    """Gold documents whose output carries errors (a timeout, a stage that failed), with
    their error codes: scored as they are, their misses are not the rules' alone."""
    return {d: [str(e.get("code", "error")) if isinstance(e, dict) else "error" for e in outputs[d]["errors"]]
            for d in gold if isinstance(outputs.get(d), dict) and outputs[d].get("errors")}


def find_doc_text(doc_id: str, docs_dir: str | None, output: dict | None) -> str:
    candidates = []
    if docs_dir:
        for ext in (".txt", ".html", ".htm"):
            candidates.append(os.path.join(docs_dir, doc_id + ext))
    if output and output.get("source", {}).get("path"):
        candidates.append(output["source"]["path"])
    for c in candidates:
        if os.path.exists(c):
            try:
                return read_document(c).text
            except IngestError:
                return ""
    return ""


def evaluate(gold_dir: str, outputs: dict[str, dict], docs_dir: str | None) -> tuple[Score, dict[str, Score]]:
    gold = load_gold(gold_dir)
    years = load_dates(gold_dir)
    per: dict[str, Score] = {}
    total = Score()
    for doc_id, rows in gold.items():
        out = outputs.get(doc_id)
        text = find_doc_text(doc_id, docs_dir, out)
        sc = score_document(doc_id, text, rows, out, years.get(doc_id))
        per[doc_id] = sc
        total.add(sc)
    return total, per


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "  -  "
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def report(total: Score, per: dict[str, Score], details: bool = True) -> str:
    lines = []
    cols = ["precision", "recall", "f1", "recall_value", "recall_growth", "recall_rank",
            "kind_accuracy", "provenance", "invented_numbers"]
    widths = [max(9, len(c)) for c in cols]  # whole column names, never cut

    def row(name: str, cells: list[str]) -> str:
        return name[:26].ljust(26) + " ".join(x.rjust(w) for x, w in zip(cells, widths, strict=True))

    lines.append(row("document", cols))
    for doc_id, sc in per.items():
        f = sc.figures()
        lines.append(row(doc_id, [_fmt(f[c]) for c in cols]))
    f = total.figures()
    lines.append(row("OVERALL", [_fmt(f[c]) for c in cols]))
    lines.append("")
    for k, v in f.items():
        lines.append(f"{k}: {_fmt(v)}")
    if details:
        lines.append("")
        lines.append(f"== misses (core gold facts not found): {len(total.misses)}")
        for g in total.misses:
            lines.append(f"  [{g.doc[:3]}] {g.type} {g.names[0]} {'M' if g.masked else g.number} "
                         f"{g.unit or ''} | {g.sentence}")
        lines.append(f"== false positives: {len(total.false_pos)}")
        for p in total.false_pos:
            lines.append(f"  [{p.doc[:3]}] {p.type} {p.names[0]} {'M' if p.masked else p.number} "
                         f"{p.unit or ''} | {p.sentence[:120]}")
        lines.append(f"== kind, subject or period wrong on matched facts: {len(total.wrong_fields)}")
        for what, p, g in total.wrong_fields:
            got = p.claim.get(what) if what != "period" else f"{p.claim.get('period')} {p.claim.get('period_range')}"
            lines.append(f"  [{p.doc[:3]}] {what}: got {got}, gold {g.claim.get(what)} | {p.names[0]} "
                         f"{'M' if p.masked else p.number} | {p.sentence[:100]}")
    return "\n".join(lines)


def _covering(claim: dict, start: int, end: int, text: str) -> str | None:
    """Which figure of ``claim`` (``value`` or ``growth``) stands on text[start:end], or None
    (surfaces hold full-width digits half-width: NFKC keeps their length)."""
    s = claim["sentence"]
    if not (s["start"] <= start and end <= s["end"]):
        return None
    raw = text[s["start"]:s["end"]]
    sent = unicodedata.normalize("NFKC", raw)
    sent = sent if len(sent) == len(raw) else raw
    span = claim.get("span") or s  # the figure is in the claim's own span, not another 5%
    for measure in ("value", "growth"):
        f = claim.get(measure)
        at = sent.find(f["text"]) if f and f.get("text") else -1
        while at >= 0:
            lo, hi = s["start"] + at, s["start"] + at + len(f["text"])
            if lo < end and start < hi and span["start"] <= lo and hi <= span["end"]:
                return measure
            at = sent.find(f["text"], at + 1)
    return None


def _covers(claim: dict, start: int, end: int, text: str) -> bool:
    return _covering(claim, start, end, text) is not None


def _plain_filter(c: dict, measure: str, year: str) -> bool:
    """The researcher's plain filter: kind target, one calendar year, no horizon, no other
    subject (canonical and measure are checked by the caller)."""
    r = c.get("period_range")
    return (c["kind"] == "target" and bool(r) and r["from"] == f"{year}-01" and r["to"] == f"{year}-12"
            and not c.get("horizon") and not c.get("subject") and bool(c.get(measure)))


def _figure_of(c: dict, measure: str) -> tuple:
    f = c.get(measure) or {}
    return (f.get("amount", f.get("rate")), f.get("max"), f.get("unit"))


def score_targets(targets: list[dict], outputs: dict[str, dict], texts: dict[str, str]) -> dict[str, Any]:
    """Announced annual targets (``corpus/national/targets.jsonl``,
    ``corpus/unlabeled/targets.jsonl``): how many are found (a claim's figure on the gold
    figure), of kind ``target``, and dated (its period_range covers the target's year).
    Gold that names its ``canonical`` key and ``measure`` (value, growth) is also scored
    by key (the claim's key is the gold's), by measure (the figure is the claim's value or
    growth, as gold says), and by the plain filter a researcher would write (canonical
    key, measure, kind target, period_range the one year, horizon and subject null) with
    no other claim of the document passing the same filter with another figure: ``plain``
    (a restatement of the same figure, 实现城镇新增就业18万人以上 in the tasks after the
    targets, is counted in ``repeated``).
    ``outputs`` and ``texts`` by file name."""
    found = kind = dated = keyed = measured = plain = repeated = 0
    wrong: list[str] = []
    with_key = [g for g in targets if g.get("canonical") and g.get("measure")]
    for g in targets:
        claims = outputs[g["file"]]["claims"]
        hits = [(c, m) for c in claims if (m := _covering(c, g["start"], g["end"], texts[g["file"]]))]
        if not hits:
            wrong.append(f"miss  {g['file']} {g['figure']} {g['indicator']}")
            continue
        (c, m), year = hits[0], str(g["year"])
        r = c.get("period_range")
        ok_kind, ok_date = c["kind"] == "target", bool(r) and r["from"][:4] <= year <= r["to"][:4]
        found, kind, dated = found + 1, kind + ok_kind, dated + ok_date
        problems = [] if ok_kind and ok_date else [f"kind={c['kind']} range={r} year={year}"]
        if g in with_key:
            key = c["indicator"].get("canonical")
            ok_key, ok_measure = key == g["canonical"], m == g["measure"]
            keyed, measured = keyed + ok_key, measured + ok_measure
            passing = [x for x in claims if x["indicator"].get("canonical") == g["canonical"]
                       and _plain_filter(x, g["measure"], year)]
            figure = _figure_of(c, g["measure"])
            others = [x for x in passing if x is not c]
            ok_plain = ok_key and ok_measure and c in passing and all(_figure_of(x, g["measure"]) == figure
                                                                       for x in others)
            plain, repeated = plain + ok_plain, repeated + (ok_plain and bool(others))
            if not ok_plain:
                problems.append(f"key={key} want {g['canonical']}, {m} want {g['measure']}, "
                                f"{len(passing)} pass the filter")
        if problems:
            wrong.append(f"wrong {g['file']} {g['figure']} {g['indicator']}: " + "; ".join(problems))
    n, k = len(targets) or 1, len(with_key) or 1
    got = {"targets": len(targets), "found": found / n, "kind_target": kind / n, "dated": dated / n,
           "wrong": wrong}
    if with_key:
        got |= {"with_key": len(with_key), "keyed": keyed / k, "measure": measured / k, "plain": plain / k,
                "repeated": repeated}
    return got

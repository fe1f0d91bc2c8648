"""The library API: text or file in, Document with claims out."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import threading
from dataclasses import dataclass

import regex

from .document import Claim, Document, Growth, Indicator, Rank, SentenceRef, Value
from .grammar.figures import BOTH, SentenceParts, analyse
from .io.stream import discard_spool, extract_stream
from .linking.linker import Draft, SentenceLinker
from .ner import runtime as ner
from .ruleset.load import load_rules
from .text.ingest import DEFAULT_MAX_BYTES, HTML_SUFFIXES, IngestError, read_document
from .text.normalize import normalize
from .text.segment import is_heading, split_sentences

STREAM_BYTES = 16 * 1024 * 1024
DEFAULT_TIMEOUT = 300.0  # seconds per document (per chunk when streamed)

_LEVEL_RE = regex.compile(r"[我全本](区|县|市|省|州|旗)")
_BRACKETS = regex.compile(r"[（）()【】“”]")
_TOP_HEADING = regex.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")


@dataclass(frozen=True)
class KindCues:
    forecast: regex.Pattern
    actual_after: regex.Pattern
    target: regex.Pattern
    target_near: regex.Pattern
    modal: regex.Pattern
    past: regex.Pattern
    lead: regex.Pattern
    local_period: regex.Pattern
    plan_heading: regex.Pattern
    review_heading: regex.Pattern
    lead_reach: int
    period_lead: regex.Pattern


@functools.lru_cache(maxsize=1)
def kind_cues() -> KindCues:
    k = load_rules("cues")["kind"]
    return KindCues(
        regex.compile("|".join(k["forecast"])),
        regex.compile(k["actual_after_forecast"]),
        regex.compile(k["target"]),
        regex.compile(k["target_near"]),
        regex.compile(k["modal"]),
        regex.compile(k["past"]),
        regex.compile(k["lead"]),
        regex.compile(load_rules("cues")["period"]["local_only"]),
        regex.compile(k["plan_heading"]),
        regex.compile(k["review_heading"]),
        int(k.get("lead_reach", 12)),
        regex.compile(load_rules("cues")["period"].get("context_lead", "(?!)") + "$"),
    )


def speaker_level(text: str) -> str | None:
    """区, 市, 省…: the level the speaker talks about as 我区/全区 most often."""
    counts: dict[str, int] = {}
    for m in _LEVEL_RE.finditer(text):
        w = 3 if m.group(0)[0] == "我" else 1
        counts[m.group(1)] = counts.get(m.group(1), 0) + w
    return max(counts, key=counts.get) if counts else None


def claim_kind(parts: SentenceParts, pos: int, para_target: bool) -> str:
    """actual, target or forecast for a figure at ``pos`` in a sentence."""
    kc = kind_cues()
    s = parts.text
    before = s[:pos]
    fm = None
    for m in kc.forecast.finditer(before):
        fm = m
    if fm is not None:
        return "actual" if kc.actual_after.match(s, fm.end()) else "forecast"
    clause_hi = parts.clause_end(pos)
    if kc.target.search(s, 0, clause_hi) or kc.target_near.search(s, parts.clause_start(pos), clause_hi) \
            or kc.lead.search(s, 0, pos):
        return "target"
    if kc.past.search(before):
        return "actual"
    next_hi = parts.clause_end(clause_hi + 1) if clause_hi < len(s) else clause_hi
    if kc.modal.search(s, parts.clause_start(pos), next_hi):
        return "target"
    return "target" if para_target else "actual"


def _merge_periods(periods: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for p in periods:
        if out and out[-1][1] == p[0]:
            out[-1] = (out[-1][0], p[1], out[-1][2] + p[2])
        else:
            out.append(p)
    return out


def claim_period(parts: SentenceParts, pos: int, ctx: str | None) -> str | None:
    periods = _merge_periods(parts.periods)
    left = [p for p in periods if p[1] <= pos]
    if left:
        return left[-1][2]
    ce = parts.clause_end(pos)
    right = [p for p in periods if pos <= p[0] < ce]
    if right:
        return right[0][2]
    return ctx


def _value(f) -> Value:
    return Value(f.number, f.unit, f.masked, f.qualifier, f.text, f.base, f.max)


def _growth(f) -> Growth:
    return Growth(f.number, f.unit, f.masked, f.qualifier, f.text, f.basis, f.max)


def _ranks(f) -> list[Rank]:
    pos = None if f.masked or f.number is None else int(f.number)
    bys = ["value", "growth"] if f.by == BOTH else [f.by]
    return [Rank(pos, f.masked, by, f.scope, f.text) for by in bys]


def _confidence(d: Draft) -> float:
    if d.ind.canonical:
        return ner.LEXICON_CONFIDENCE
    if d.method == "model":
        return ner.MODEL_CONFIDENCE
    return ner.AGREEMENT_CONFIDENCE if d.method == "rule+model" else ner.PHRASE_CONFIDENCE


SENTENCE_CAP = 400  # characters of a claim's sentence copied into it; longer: a window


def _window(n: int, a: int, b: int, cap: int = SENTENCE_CAP) -> tuple[int, int]:
    """At most ``cap`` characters of a text of length ``n`` around [a, b) (all of it if longer)."""
    if b - a >= cap:
        return a, b
    lo = max(0, a - (cap - (b - a)) // 2)
    hi = min(n, lo + cap)
    return max(0, hi - cap), hi


def _sentence_ref(doc: Document, sent, st: str, a: int, b: int) -> SentenceRef:
    """The claim's sentence; over SENTENCE_CAP characters, the window around the claim's
    working span [a, b), marked truncated, with its own start and end (text stays exact)."""
    text = doc.text[sent.start:sent.end]
    if len(text) <= SENTENCE_CAP and len(st) <= SENTENCE_CAP:
        return SentenceRef(sent.index, sent.start, sent.end, text, st)
    wa, wb = _window(len(st), a, b)
    o0, o1 = doc.working.original_span(sent.wstart + wa, sent.wstart + wb)
    return SentenceRef(sent.index, o0, o1, doc.text[o0:o1], st[wa:wb], truncated=True)


def _claim(doc: Document, sent, st: str, parts: SentenceParts, d: Draft, n: int, period: str | None,
           para_target: bool) -> Claim:
    ot = doc.working
    figs = sorted(d.figs, key=lambda f: f.start)
    first = figs[0]
    a = min(d.ind.start, first.start)
    b = max(f.end for f in figs)
    o0, o1 = ot.original_span(sent.wstart + a, sent.wstart + b)
    claim = Claim(
        id=f"{doc.doc_id}:{n}",
        indicator=Indicator(d.ind.text, _BRACKETS.sub("", d.ind.name), d.ind.canonical),
        value=_value(d.value) if d.value else None,
        growth=_growth(d.growth) if d.growth else None,
        ranks=[rk for r in d.ranks for rk in _ranks(r)],
        subject=d.subject,
        period=period,
        kind=claim_kind(parts, first.start, para_target),
        sentence=_sentence_ref(doc, sent, st, a, b),
        span={"start": o0, "end": o1},
        method=d.method,
        rule=d.rules[0] if d.rules else None,
        confidence=_confidence(d),
        qualifier=(d.value.qualifier if d.value else None) or (d.growth.qualifier if d.growth else None),
    )
    i0, i1 = ot.original_span(sent.wstart + d.ind.start, sent.wstart + d.ind.end)
    claim.indicator.text = doc.text[i0:i1] or d.ind.text
    return claim


def _title(sentences: list, w: str) -> str | None:
    """The first short sentence of the first three, if any."""
    for s in sentences[:3]:
        if s.wend - s.wstart <= 80:
            return w[s.wstart:s.wend]
    return None


def build_document(doc: Document, use_model: bool | None = None) -> Document:
    """Run normalize, segment, extract, the model (where it ships) and link on ``doc.text``."""
    ot, script = normalize(doc.text)
    doc.working, doc.script = ot, script
    doc.sentences = split_sentences(ot)
    doc.speaker_level = speaker_level(ot.text)
    w = ot.text
    doc.parts = [analyse(w[s.wstart:s.wend]) for s in doc.sentences]
    if use_model is None:
        use_model = ner.model_available()
    if use_model:
        ner.annotate(doc)
        doc.source["model"] = ner.model_version()
    doc.title = _title(doc.sentences, w)
    ctx_period: str | None = None
    para = -1
    target_until = -1  # sentences up to this index follow a goal-list lead
    section_target = False
    kc = kind_cues()
    n = 0
    for sent, parts in zip(doc.sentences, doc.parts, strict=True):
        st = w[sent.wstart:sent.wend]
        first_in_paragraph = sent.paragraph != para
        if first_in_paragraph:
            para, target_until = sent.paragraph, -1
        heading = first_in_paragraph and is_heading(st)
        periods = _merge_periods(parts.periods)
        if heading and _TOP_HEADING.match(st):
            ctx_period = None
            if kc.review_heading.search(st):
                section_target = False
            elif kc.plan_heading.search(st):
                section_target = True
        drafts = SentenceLinker(parts, doc.speaker_level).run() if parts.figs else []
        for d in drafts:
            n += 1
            doc.claims.append(_claim(doc, sent, st, parts, d, n, claim_period(parts, min(
                f.start for f in d.figs), ctx_period), sent.index <= target_until or section_target))
        if periods and (heading or periods[0][0] <= 1 or kc.period_lead.match(st[:periods[0][0]])) \
                and not kc.local_period.match(periods[0][2]):
            ctx_period = periods[0][2]
        if kc.lead.search(st) and not kc.past.search(st):
            target_until = sent.index + kc.lead_reach
    return doc


class DocumentTimeout(Exception):
    """A document ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeout after ``seconds`` (main thread of a process; else no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise DocumentTimeout(f"processing took longer than {seconds:g} s (--timeout)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    # then again every 50 ms: an alarm that lands in a finalizer is swallowed ("Exception
    # ignored in ..."), and the document must still stop
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def extract_text(text: str, doc_id: str = "doc", source: dict | None = None,
                 use_model: bool | None = None, timeout: float | None = None) -> Document:
    """Extract every claim of one document given as text.

    ``use_model``: None uses the shipped model when spaCy and the model are present,
    False runs the rules alone. ``timeout``: seconds before the document is given up
    with a ``timeout`` error.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    doc = Document(doc_id=doc_id, text=text, source=dict(source or {}))
    try:
        with time_limit(timeout):
            return build_document(doc, use_model)
    except DocumentTimeout as exc:
        doc.claims = []
        doc.errors.append({"code": "timeout", "message": str(exc)})
        return doc
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
        doc.claims = []
        doc.errors.append({"code": "internal", "message": f"{type(exc).__name__}: {exc}"})
        return doc


def extract_file(path: str, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 use_model: bool | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 stream_bytes: int = STREAM_BYTES) -> Document:
    """Read, decode and extract one file; failures go to ``errors``.

    Files over ``stream_bytes`` (plain text) are streamed by paragraph with bounded memory;
    ``timeout`` then applies to each chunk of a few MB.
    """
    doc_id = doc_id or os.path.splitext(os.path.basename(path))[0]
    source = {"path": path, "sha256": None, "encoding": None}
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise IngestError("too_large", f"{size} bytes is over the limit of {max_bytes} (--max-bytes)")
        if size > stream_bytes and not path.lower().endswith(HTML_SUFFIXES):
            doc = Document(doc_id=doc_id, source=source)
            try:
                return extract_stream(path, doc, lambda t, i: extract_text(t, i, use_model=use_model,
                                                                           timeout=timeout))
            except IngestError:
                discard_spool(doc)
                raise
        with time_limit(timeout):  # decoding and HTML cleaning count against the limit too
            dec = read_document(path, max_bytes=max_bytes)
    except DocumentTimeout as exc:
        doc = Document(doc_id=doc_id, source=source)
        doc.errors.append({"code": "timeout", "message": str(exc)})
        return doc
    except OSError as exc:
        doc = Document(doc_id=doc_id, source=source)
        doc.errors.append({"code": "unreadable", "message": f"cannot read file: {exc.strerror or exc}"})
        return doc
    except IngestError as exc:
        source["sha256"] = exc.sha256
        doc = Document(doc_id=doc_id, source=source)
        doc.claims = []
        doc.errors.append({"code": exc.code, "message": exc.message})
        return doc
    source.update(sha256=dec.sha256, encoding=dec.encoding)
    if dec.is_html:
        source["format"] = "html"
    return extract_text(dec.text, doc_id=doc_id, source=source, use_model=use_model, timeout=timeout)

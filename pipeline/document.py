"""The document object that flows through the stages, and the claims it collects."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA_VERSION = "zhibiao/1"


@dataclass(slots=True)
class Value:
    """An amount or a level: 131.2 亿元, 2.75 %."""

    amount: float | None
    unit: str | None
    masked: bool = False
    qualifier: str | None = None
    text: str = ""
    base: float | None = None
    max: float | None = None
    unit_inferred: bool = False  # the page lost the unit; the context supplied it


@dataclass(slots=True)
class Growth:
    """A change: +9.1 %, -12.9 个百分点, 2 倍."""

    rate: float | None
    unit: str
    masked: bool = False
    qualifier: str | None = None
    text: str = ""
    basis: str | None = None
    max: float | None = None
    unit_inferred: bool = False  # 比上年增长7.8: the % the page lost


@dataclass(slots=True)
class Rank:
    """A position in a league: 第3 of 省内17强, by value or growth."""

    position: int | None
    masked: bool = False
    by: str | None = None
    scope: str | None = None
    text: str = ""


@dataclass(slots=True)
class Indicator:
    text: str
    name: str
    canonical: str | None = None


@dataclass(slots=True)
class SentenceRef:
    index: int
    start: int
    end: int
    text: str
    text_simplified: str
    truncated: bool = False  # a sentence over the cap: start/end/text are a window in it


@dataclass(slots=True)
class Claim:
    id: str
    indicator: Indicator
    value: Value | None
    growth: Growth | None
    ranks: list[Rank]
    subject: str | None
    period: str | None
    kind: str
    sentence: SentenceRef
    span: dict[str, int]
    method: str = "rule"
    rule: str | None = None
    confidence: float = 0.9
    qualifier: str | None = None
    period_range: dict[str, str] | None = None  # {"from": "2026-01", "to": "2026-06"}
    subject_code: str | None = None  # the division the subject stands for (全省 -> 340000)
    horizon: str | None = None  # average (年均增长) or cumulative (累计) over period_range

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready dicts: ``dataclasses.asdict`` without its deep copies
        (every field is a scalar or one level of dataclasses), several times faster."""
        d = _fields_of(self)
        for k in ("indicator", "value", "growth", "sentence"):
            if d[k] is not None:
                d[k] = _fields_of(d[k])
        if not d["sentence"]["truncated"]:
            del d["sentence"]["truncated"]  # only a cut sentence says so
        d["ranks"] = [_fields_of(r) for r in self.ranks]
        d["span"] = dict(self.span)
        d["period_range"] = dict(self.period_range) if self.period_range else None
        return d


def _fields_of(obj: Any) -> dict[str, Any]:
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {n: getattr(obj, n) for n in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(slots=True)
class Sentence:
    """A sentence of the working text, with its original span."""

    index: int
    start: int  # original offsets
    end: int
    wstart: int  # working-text offsets
    wend: int
    paragraph: int


@dataclass(slots=True)
class Document:
    """One input document; each stage adds to it."""

    doc_id: str
    text: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    working: Any = None  # normalize.OffsetText
    script: str = "simplified"
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)  # text lost or changed; claims kept
    speaker_level: str | None = None
    date: Any = None  # context.dates.DocDate
    jurisdiction: Any = None  # context.jurisdiction.Jurisdiction
    speaks_at: str | None = None  # YYYY-MM the document speaks at (what is later is not yet done)
    genre: str | None = None  # work_report, budget_report, plan… (context.genre)
    about: str | None = None  # the period a communiqué or a release is about (2022年, 2016年1-6月)
    scope_state: dict[str, Any] = field(default_factory=dict)  # context.scope at the end (streams carry it on)
    meta: dict[str, Any] = field(default_factory=dict)  # what the caller knows: date, jurisdiction, title
    parts: list[Any] = field(default_factory=list)  # extract.SentenceParts per sentence
    features: list[list[str]] = field(default_factory=list)  # the scorer's features per claim (collect)
    spool: str | None = None  # a streamed document's claims: a file of JSON lines, one a claim

    def iter_claims(self) -> Iterator[dict[str, Any]]:
        """Every claim as a dict, from memory or from the spool of a streamed document."""
        yield from (c.to_dict() for c in self.claims)
        if self.spool:
            with open(self.spool, encoding="utf-8") as fh:
                for line in fh:
                    yield json.loads(line)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of output-format.md."""
        source = dict(self.source)
        source.setdefault("path", None)
        source.setdefault("sha256", None)
        source.setdefault("encoding", None)
        source["script"] = self.script
        return {
            "schema": SCHEMA_VERSION,
            "doc_id": self.doc_id,
            "source": source,
            "title": self.title,
            "genre": self.genre,
            "date": self.date.to_dict() if self.date else None,
            "jurisdiction": self.jurisdiction.to_dict() if self.jurisdiction else None,
            "claims": list(self.iter_claims()),
            "errors": list(self.errors),
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


class DocumentTimeoutError(Exception):
    """A document ran past its time limit."""


_DEADLINE: ContextVar[float | None] = ContextVar("zhibiao_deadline", default=None)


def set_deadline(seconds: float):
    """Give the document now read in this thread (or task) ``seconds``; returns the token
    that ``clear_deadline`` takes."""
    return _DEADLINE.set(time.monotonic() + seconds)


def clear_deadline(token) -> None:
    _DEADLINE.reset(token)


def check_deadline() -> None:
    """DocumentTimeoutError when the document read in this thread is past its deadline: the
    stages call it between sentences (a thread has no SIGALRM, and an exception raised into
    it from another thread can land after the document, in the next one)."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise DocumentTimeoutError("past the deadline")

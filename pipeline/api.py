"""The library API: an ``Extractor`` built once from ``Settings`` (as spaCy's ``nlp``), text
in, ``Document`` with claims out; ``extract_text`` on a cached one. Files: ``run.files``.

    >>> nlp = Extractor(Settings(use_model=False))
    >>> nlp("上半年实现地区生产总值42亿元，增长9.1%。").claims[0].value.amount
    42.0
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import fields, replace
from typing import Any

from .document import Document, DocumentTimeoutError, check_deadline, clear_deadline, set_deadline
from .io.meta import check_date
from .ruleset.load import (
    RULE_FILES,
    RulesBusyError,
    RuleSource,
    env_disabled,
    load_rules,
    rule_ids,
    using_rules,
)
from .settings import DEFAULT_TIMEOUT, Settings  # noqa: F401 - DEFAULT_TIMEOUT re-exported
from .stages import STAGES
from .text.segment import using_segmenter


def build_document(doc: Document, use_model: bool | None = None, settings: Settings | None = None) -> Document:
    """Run the stages of ``stages.STAGES`` on ``doc.text``, in order (the rules and segmenter
    in force: an ``Extractor`` sets them)."""
    settings = settings or Settings(use_model=use_model)
    for stage in STAGES:
        stage.run(doc, settings)
    return doc


@contextlib.contextmanager
def _thread_limit(seconds: float):
    """A deadline the stages check between sentences (a thread has no SIGALRM)."""
    token = set_deadline(seconds)
    try:
        yield
    finally:
        clear_deadline(token)


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeoutError after ``seconds``: by SIGALRM in a process's main thread,
    by a deadline the stages check between sentences in any other thread."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_limit(seconds):
            yield
        return

    def on_alarm(signum, frame):
        raise DocumentTimeoutError(f"processing took longer than {seconds:g} s (--timeout)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    # then again every 50 ms: an alarm that lands in a finalizer is swallowed ("Exception
    # ignored in ..."), and the document must still stop
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates (a str Python holds, UTF-8 cannot write) as U+FFFD, one
    for one so that offsets hold; and how many there were."""
    bad = len(_SURROGATE.findall(text))
    return (_SURROGATE.sub("\ufffd", text), bad) if bad else (text, 0)


def check_type(name: str, value: Any, types: tuple[type, ...], what: str) -> None:
    if value is not None and (not isinstance(value, types) or isinstance(value, bool) and bool not in types):
        raise TypeError(f"{name} must be {what}, not {type(value).__name__} {value!r:.40}")


def check_arguments(text: Any = "", doc_id: Any = "doc", use_model: Any = None, timeout: Any = None,
                    date: Any = None, meta: Any = None, source: Any = None) -> None:
    """TypeError or ValueError for a call the library cannot honour (``date=2026``,
    ``timeout='5'``, ``meta={'jurisdiction': 5}``): a mistake of the caller's, not a document's."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    check_type("doc_id", doc_id, (str,), "a string")
    check_type("use_model", use_model, (bool,), "True, False or None")
    check_type("timeout", timeout, (int, float), "a number of seconds or None")
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    check_type("date", date, (str,), "a string like '2026-03-05'")
    if date is not None:
        check_date(date)
    check_type("meta", meta, (dict,), "a dict of date, jurisdiction, title")
    check_type("source", source, (dict,), "a dict")
    for k in ("date", "jurisdiction", "title"):  # what a caller gives; chunks carry more
        check_type(f"meta[{k!r}]", (meta or {}).get(k), (str,), "a string")
    if (meta or {}).get("date"):
        check_date(meta["date"])


SEGMENTERS = ("jieba", "pkuseg")
SCORER_MODES = ("on", "off", "collect")


def check_settings(s: Settings) -> None:
    """TypeError or ValueError for settings no extraction can honour, before any document."""
    check_arguments(use_model=s.use_model, timeout=s.timeout, date=s.date)
    check_type("model_dir", s.model_dir, (str, os.PathLike), "a folder path")
    if s.scorer not in SCORER_MODES:
        raise ValueError(f"scorer must be one of {', '.join(SCORER_MODES)}, not {s.scorer!r}")
    check_type("min_confidence", s.min_confidence, (int, float), "a number or None")
    if s.segmenter not in SEGMENTERS:
        raise ValueError(f"unknown segmenter {s.segmenter!r}: use jieba or pkuseg")
    check_type("rules_dir", s.rules_dir, (str, os.PathLike), "a folder path")
    if s.rules_dir is not None and not os.path.isdir(s.rules_dir):
        raise ValueError(f"rules_dir {os.fspath(s.rules_dir)!r} is not a folder")
    check_type("disabled_rules", s.disabled_rules, (frozenset,), "a frozenset of rule ids")
    if s.disabled_rules:
        _check_disabled(s)
    check_type("max_bytes", s.max_bytes, (int,), "an int")
    check_type("keep_figures", s.keep_figures, (bool,), "True or False")
    if s.max_bytes is not None and s.max_bytes < 1:
        raise ValueError(f"max_bytes must be at least 1, not {s.max_bytes}")


def _check_disabled(s: Settings) -> None:
    """Only ids of rules can be switched off, and not one a whole file carries (value.unit)."""
    sections, tops = rule_ids(RuleSource.of(s.rules_dir).path())
    unknown = sorted(s.disabled_rules - sections - tops)
    if unknown:
        raise ValueError(f"no rule has the id {unknown[0]!r} (disabled_rules)")
    whole = sorted(s.disabled_rules & tops)
    if whole:
        raise ValueError(f"{whole[0]!r} is a whole rule file's id: switch off its sections instead")


class Extractor:
    """Everything that shapes extraction, built once from ``Settings``: the compiled rule set
    (``rules``), the segmenter, the stages, the limits. Call it on a text. Picklable (its
    settings travel; the receiving process compiles, or finds in its caches, the rest), so a
    worker process or a Dask worker receives it; none of its options is left in a module
    global. The tables derived from rules are cached per process for one rule source at a
    time: in threads, Extractors with other rules take turns (``ruleset.load._SourceGate``)."""

    def __init__(self, settings: Settings | None = None, **options: Any) -> None:
        settings = replace(settings or Settings(), **options) if options else settings or Settings()
        check_settings(settings)
        if settings.disabled_rules is None:
            settings = replace(settings, disabled_rules=env_disabled())
        self._setup(settings)
        with self.active():  # compiled now: a broken rule file fails here, not on the first document
            for name in RULE_FILES:
                load_rules(name)

    def _setup(self, settings: Settings) -> None:
        self.settings = settings
        self.rules = RuleSource.of(os.fspath(settings.rules_dir) if settings.rules_dir else None,
                                   settings.disabled_rules or frozenset())
        self.stages = STAGES

    def __getstate__(self) -> dict:
        return {"settings": self.settings}

    def __setstate__(self, state: dict) -> None:
        self._setup(state["settings"])

    def __repr__(self) -> str:
        changed = ", ".join(f"{f.name}={getattr(self.settings, f.name)!r}" for f in fields(Settings)
                            if getattr(self.settings, f.name) not in (f.default, frozenset()))
        return f"Extractor({changed})"

    @contextlib.contextmanager
    def active(self) -> Iterator[Extractor]:
        """Its rules and segmenter in force in this block (this thread or task; a thread that
        wants other rules waits for the block to end, at most its timeout or ``GATE_WAIT``)."""
        with using_rules(self.rules, wait=self.settings.timeout), using_segmenter(self.settings.segmenter):
            yield self

    def __call__(self, text: str, doc_id: str = "doc", source: dict | None = None,
                 meta: dict | None = None) -> Document:
        """Extract every claim of one document given as text. ``meta``: what an archive knows
        of it (``date``, ``jurisdiction``, ``title``), which wins over what the text says;
        ``source``: kept as the output's ``source``. Failures go to ``errors``."""
        check_arguments(text=text, doc_id=doc_id, meta=meta, source=source)
        if text.startswith("\ufeff"):
            text = text[1:]
        text, bad = _valid_text(text)
        doc = Document(doc_id=doc_id, text=text, source=dict(source or {}), meta=dict(meta or {}))
        if bad:
            doc.warnings.append({"code": "invalid_characters", "message": f"{bad} lone surrogates "
                                 "(not Unicode text) replaced by U+FFFD; offsets unchanged"})
        timeout = self.settings.timeout
        try:
            with time_limit(timeout), self.active():
                for stage in self.stages:
                    check_deadline()
                    stage.run(doc, self.settings)
                return doc
        except DocumentTimeoutError:
            doc.claims = []
            doc.errors.append({"code": "timeout", "message": f"processing took longer than {timeout:g} s (--timeout)"})
            return doc
        except RulesBusyError as exc:
            doc.claims = []
            doc.errors.append({"code": "timeout", "message": str(exc)})
            return doc
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
            doc.claims = []
            doc.errors.append({"code": "internal", "message": f"{type(exc).__name__}: {exc}"})
            return doc

    extract_text = __call__

    def warm(self) -> None:
        """Load everything a first document needs (rules, OpenCC, jieba, the model) now: a
        pool forks after it, so its workers share what was loaded."""
        self("。".join(e["text"] for e in self._examples()))

    def _examples(self) -> list[dict]:
        with self.active():
            return load_rules("figures")["examples"][:3]  # the grammar's own examples


@functools.lru_cache(maxsize=16)
def extractor_for(settings: Settings) -> Extractor:
    """The Extractor of ``settings``, built once per process."""
    return Extractor(settings)


def settings_of(settings: Settings | None = None, **options: Any) -> Settings:
    """``settings`` (else the defaults) with ``options`` that are not None put in."""
    given = {k: v for k, v in options.items() if v is not None}
    return replace(settings or Settings(), **given) if given else settings or Settings()


def extract_text(text: str, doc_id: str = "doc", source: dict | None = None,
                 use_model: bool | None = None, timeout: float | None = None,
                 date: str | None = None, meta: dict | None = None, model_dir: str | None = None,
                 scorer: str | None = None, min_confidence: float | None = None, *,
                 settings: Settings | None = None) -> Document:
    """Extract every claim of one document given as text (with a cached ``Extractor``).

    ``settings``: a ``Settings``; the keywords, when given, change it: ``use_model`` None uses
    the shipped model when it is present, False runs the rules alone. ``timeout``: seconds
    before the document is given up with a ``timeout`` error. ``date`` (YYYY, YYYY-MM or
    YYYY-MM-DD): the date the document speaks from, which 今年 refers to. ``meta``: what an
    archive knows of the document (``date``, ``jurisdiction``, ``title``); it wins over what
    the text says. ``model_dir``: a model folder from ``zhibiao train --out`` (else the
    shipped one). ``scorer``: ``on`` (confidence from the claim scorer, claims under
    ``min_confidence`` dropped: None keeps all), ``off`` (the rules' confidence) or ``collect``.
    """
    check_arguments(text=text, doc_id=doc_id, use_model=use_model, timeout=timeout, date=date,
                    meta=meta, source=source)
    check_type("settings", settings, (Settings,), "a Settings")
    chosen = settings_of(settings, use_model=use_model, timeout=timeout, date=date, model_dir=model_dir,
                         scorer=scorer, min_confidence=min_confidence)
    return extractor_for(chosen)(text, doc_id=doc_id, source=source, meta=meta)

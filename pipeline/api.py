"""The library API: text or file in, Document with claims out."""

from __future__ import annotations

import contextlib
import ctypes
import math
import re
import signal
import threading
from typing import Any

from .document import Document
from .io.meta import check_date
from .settings import DEFAULT_TIMEOUT, Settings  # noqa: F401 - DEFAULT_TIMEOUT re-exported
from .stages import STAGES


def build_document(doc: Document, use_model: bool | None = None, settings: Settings | None = None) -> Document:
    """Run the stages of ``stages.STAGES`` on ``doc.text``, in order."""
    settings = settings or Settings(use_model=use_model)
    for stage in STAGES:
        stage.run(doc, settings)
    return doc


class DocumentTimeoutError(Exception):
    """A document ran past its time limit."""


@contextlib.contextmanager
def _thread_limit(seconds: float):
    """Raise DocumentTimeoutError in the calling thread after ``seconds`` (a thread has no
    SIGALRM: a watchdog raises it there, again every 50 ms until the block is left)."""
    tid = threading.get_ident()
    done = threading.Event()
    lock = threading.Lock()

    def raise_in(exc) -> None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), exc)

    def watch() -> None:
        wait = seconds
        while not done.wait(wait):
            with lock:
                if done.is_set():
                    return
                raise_in(ctypes.py_object(DocumentTimeoutError))
            wait = 0.05

    dog = threading.Thread(target=watch, name="zhibiao-timeout", daemon=True)
    dog.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            raise_in(None)  # one raised but not yet delivered never escapes the block
        dog.join()


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeoutError after ``seconds``: by SIGALRM in a process's main thread,
    by a watchdog in any other thread."""
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


def extract_text(text: str, doc_id: str = "doc", source: dict | None = None,
                 use_model: bool | None = None, timeout: float | None = None,
                 date: str | None = None, meta: dict | None = None, model_dir: str | None = None,
                 scorer: str = "on", min_confidence: float | None = None) -> Document:
    """Extract every claim of one document given as text.

    ``use_model``: None uses the shipped model when spaCy and the model are present,
    False runs the rules alone. ``timeout``: seconds before the document is given up
    with a ``timeout`` error. ``date`` (YYYY, YYYY-MM or YYYY-MM-DD): the date the document
    speaks from, which 今年 refers to. ``meta``: what an archive knows of the document
    (``date``, ``jurisdiction``, ``title``); it wins over what the text says. ``model_dir``:
    a model folder from ``zhibiao train --out`` (else the shipped one). ``scorer``: ``on``
    (confidence from the claim scorer, claims under ``min_confidence`` dropped: None takes
    the scorer's threshold, 0 keeps all), ``off`` (the rules' confidence) or ``collect``.
    """
    check_arguments(text=text, doc_id=doc_id, use_model=use_model, timeout=timeout, date=date,
                    meta=meta, source=source)
    if text.startswith("\ufeff"):
        text = text[1:]
    text, bad = _valid_text(text)
    doc = Document(doc_id=doc_id, text=text, source=dict(source or {}), meta=dict(meta or {}))
    if bad:
        doc.warnings.append({"code": "invalid_characters", "message": f"{bad} lone surrogates "
                             "(not Unicode text) replaced by U+FFFD; offsets unchanged"})
    try:
        with time_limit(timeout):
            settings = Settings(use_model=use_model, timeout=timeout, date=date, model_dir=model_dir,
                                scorer=scorer, min_confidence=min_confidence)
            return build_document(doc, settings=settings)
    except DocumentTimeoutError:
        doc.claims = []
        doc.errors.append({"code": "timeout", "message": f"processing took longer than {timeout:g} s (--timeout)"})
        return doc
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
        doc.claims = []
        doc.errors.append({"code": "internal", "message": f"{type(exc).__name__}: {exc}"})
        return doc

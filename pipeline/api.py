"""The library API: text or file in, Document with claims out."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

from .document import Document
from .io.stream import discard_spool, extract_stream
from .settings import DEFAULT_TIMEOUT, Settings
from .stages import STAGES
from .text.ingest import DEFAULT_MAX_BYTES, HTML_SUFFIXES, IngestError, read_document

STREAM_BYTES = 16 * 1024 * 1024


def build_document(doc: Document, use_model: bool | None = None, settings: Settings | None = None) -> Document:
    """Run the stages of ``stages.STAGES`` on ``doc.text``, in order."""
    settings = settings or Settings(use_model=use_model)
    for stage in STAGES:
        stage.run(doc, settings)
    return doc


class DocumentTimeoutError(Exception):
    """A document ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeoutError after ``seconds`` (main thread of a process; else no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
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
    if text.startswith("\ufeff"):
        text = text[1:]
    doc = Document(doc_id=doc_id, text=text, source=dict(source or {}), meta=dict(meta or {}))
    try:
        with time_limit(timeout):
            settings = Settings(use_model=use_model, timeout=timeout, date=date, model_dir=model_dir,
                                scorer=scorer, min_confidence=min_confidence)
            return build_document(doc, settings=settings)
    except DocumentTimeoutError as exc:
        doc.claims = []
        doc.errors.append({"code": "timeout", "message": str(exc)})
        return doc
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
        doc.claims = []
        doc.errors.append({"code": "internal", "message": f"{type(exc).__name__}: {exc}"})
        return doc


def carried_context(part: Document, later: bool) -> dict:
    """What the next chunk of a streamed document takes from this one: the first chunk's
    date, genre, period and place (what the whole document speaks from), and every chunk's
    section, list and period state at its end."""
    out: dict = {"scope": part.scope_state}
    if later:
        return out
    out.update(genre=part.genre, about=part.about)
    if part.date and part.date.year:
        out.update(date=part.date.iso(), date_source=part.date.source, date_strength=part.date.strength,
                   speaks_at=part.speaks_at)
    if part.jurisdiction and part.jurisdiction.name:
        out["jurisdiction"] = part.jurisdiction.name
    return out


def extract_file(path: str, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 use_model: bool | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 stream_bytes: int = STREAM_BYTES, *, date: str | None = None,
                 meta: dict | None = None, model_dir: str | None = None, scorer: str = "on",
                 min_confidence: float | None = None) -> Document:
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
                first: dict = {}  # what the first chunk found: later chunks speak from the same date

                def chunk(t: str, i: str) -> Document:
                    part = extract_text(t, i, use_model=use_model, timeout=timeout, date=date,
                                        meta={**(meta or {}), **first}, model_dir=model_dir,
                                        scorer=scorer, min_confidence=min_confidence)
                    first.update(carried_context(part, bool(first)))
                    return part
                return extract_stream(path, doc, chunk)
            except IngestError:
                discard_spool(doc)
                raise
        with time_limit(timeout):  # decoding and HTML cleaning count against the limit too
            dec = read_document(path, max_bytes=max_bytes)
    except DocumentTimeoutError as exc:
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
    page = {f"html_{k}": v for k, v in dec.head.items()}  # what the page's <head> says
    return extract_text(dec.text, doc_id=doc_id, source=source, use_model=use_model, timeout=timeout,
                        date=date, meta={**page, **(meta or {})}, model_dir=model_dir,
                        scorer=scorer, min_confidence=min_confidence)

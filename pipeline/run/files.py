"""One file in, one Document out: read and decode it, or stream it by chunks when it is
large (``stream``), with the time limit on each; the library's ``extract_file``."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from ..api import (
    DocumentTimeoutError,
    Extractor,
    check_arguments,
    check_type,
    extractor_for,
    settings_of,
    time_limit,
)
from ..document import Document
from ..settings import DEFAULT_TIMEOUT, Settings
from ..text.ingest import DEFAULT_MAX_BYTES, HTML_SUFFIXES, IngestError, loss_warning, read_document
from .stream import Spool, discard_spool, extract_stream

STREAM_BYTES = 16 * 1024 * 1024


def _checked_path(path: Any, max_bytes: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    if max_bytes is not None:
        check_type("max_bytes", max_bytes, (int,), "an int")
    return os.fspath(path)


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


def read_file(extractor: Extractor, path: str, doc_id: str | None = None, meta: dict | None = None,
              stream_bytes: int = STREAM_BYTES, spool: Spool | None = None) -> Document:
    """Read, decode and extract one file with ``extractor``; failures go to ``errors``.

    Files over ``stream_bytes`` (plain text) are streamed by paragraph with bounded memory
    (claims to a spool file, see ``stream``); the extractor's timeout then applies to each
    chunk of a few MB. Files over its ``max_bytes`` are refused.
    """
    max_bytes = extractor.settings.max_bytes or DEFAULT_MAX_BYTES
    timeout = extractor.settings.timeout
    doc_id = doc_id or os.path.splitext(os.path.basename(path))[0]
    source = {"path": path, "sha256": None, "encoding": None}
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise IngestError("too_large", f"{size} bytes is over the limit of {max_bytes} (--max-bytes)")
        if size > stream_bytes and not path.lower().endswith(HTML_SUFFIXES):
            return _streamed(extractor, path, Document(doc_id=doc_id, source=source), meta, spool)
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
        source["offsets"] = "extracted_text"  # into the page's text, tags dropped, not its bytes
    page = {f"html_{k}": v for k, v in dec.head.items()}  # what the page's <head> says
    doc = extractor(dec.text, doc_id=doc_id, source=source, meta={**page, **(meta or {})})
    if dec.lost:
        doc.warnings.insert(0, loss_warning(dec.lost, len(dec.text)))
    return doc


def _streamed(extractor: Extractor, path: str, doc: Document, meta: dict | None, spool: Spool | None) -> Document:
    """``doc`` filled chunk by chunk; raises IngestError (its spool removed) when one fails."""
    first: dict = {}  # what the first chunk found: later chunks speak from the same date

    def chunk(t: str, i: str) -> Document:
        part = extractor(t, i, meta={**(meta or {}), **first})
        first.update(carried_context(part, bool(first)))
        return part
    try:
        return extract_stream(path, doc, chunk, spool=spool)
    except IngestError:
        discard_spool(doc)
        raise


def for_files(extractor: Extractor | None = None) -> Extractor:
    """``extractor`` (else the default one) with a time limit of 300 s a document when it
    sets none: a run over files never hangs on one."""
    ex = extractor or extractor_for(Settings())
    return ex if ex.settings.timeout else extractor_for(replace(ex.settings, timeout=DEFAULT_TIMEOUT))


def extract_file(path: str, doc_id: str | None = None, max_bytes: int | None = None,
                 use_model: bool | None = None, timeout: float | None = None,
                 stream_bytes: int = STREAM_BYTES, *, date: str | None = None,
                 meta: dict | None = None, model_dir: str | None = None, scorer: str | None = None,
                 min_confidence: float | None = None, settings: Settings | None = None) -> Document:
    """Read, decode and extract one file (with a cached ``Extractor``); failures go to ``errors``.

    ``settings`` and the keywords as in ``extract_text`` (a keyword given wins over
    ``settings``; ``timeout``, when neither sets it, is 300 s here); ``max_bytes``: larger
    files are refused (when neither sets it, ``DEFAULT_MAX_BYTES``). Files over ``stream_bytes`` (plain text) are
    streamed by paragraph with bounded memory; ``timeout`` then applies to each chunk.
    """
    path = _checked_path(path, max_bytes)
    check_arguments(doc_id=doc_id, use_model=use_model, timeout=timeout, date=date, meta=meta)
    check_type("settings", settings, (Settings,), "a Settings")
    chosen = settings_of(settings, use_model=use_model, timeout=timeout, date=date, model_dir=model_dir,
                         scorer=scorer, min_confidence=min_confidence, max_bytes=max_bytes)
    chosen = replace(chosen, timeout=chosen.timeout or DEFAULT_TIMEOUT,
                     max_bytes=chosen.max_bytes or DEFAULT_MAX_BYTES)
    return read_file(extractor_for(chosen), path, doc_id, meta, stream_bytes)

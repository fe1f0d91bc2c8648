"""One file in, one Document out: read and decode it, or stream it by chunks when it is
large (``stream``), with the time limit on each; the library's ``extract_file``."""

from __future__ import annotations

import os
from typing import Any

from ..api import DocumentTimeoutError, check_arguments, check_type, extract_text, time_limit
from ..document import Document
from ..settings import DEFAULT_TIMEOUT
from ..text.ingest import DEFAULT_MAX_BYTES, HTML_SUFFIXES, IngestError, loss_warning, read_document
from .stream import discard_spool, extract_stream

STREAM_BYTES = 16 * 1024 * 1024


def _checked_path(path: Any, max_bytes: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
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


def extract_file(path: str, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 use_model: bool | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 stream_bytes: int = STREAM_BYTES, *, date: str | None = None,
                 meta: dict | None = None, model_dir: str | None = None, scorer: str = "on",
                 min_confidence: float | None = None) -> Document:
    """Read, decode and extract one file; failures go to ``errors``.

    Files over ``stream_bytes`` (plain text) are streamed by paragraph with bounded memory;
    ``timeout`` then applies to each chunk of a few MB.
    """
    path = _checked_path(path, max_bytes)
    check_arguments(doc_id=doc_id, use_model=use_model, timeout=timeout, date=date, meta=meta)
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
        source["offsets"] = "extracted_text"  # into the page's text, tags dropped, not its bytes
    page = {f"html_{k}": v for k, v in dec.head.items()}  # what the page's <head> says
    doc = extract_text(dec.text, doc_id=doc_id, source=source, use_model=use_model, timeout=timeout,
                       date=date, meta={**page, **(meta or {})}, model_dir=model_dir,
                       scorer=scorer, min_confidence=min_confidence)
    if dec.lost:
        doc.warnings.insert(0, loss_warning(dec.lost, len(dec.text)))
    return doc

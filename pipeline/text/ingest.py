"""Bytes to text: encoding detection, HTML to text, and clear errors for bad input."""

from __future__ import annotations

import hashlib
import html
import os
import stat
from dataclasses import dataclass

import regex

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text") + HTML_SUFFIXES

_BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF",
                 b"\x1f\x8b", b"BZh", b"7z\xbc\xaf", b"Rar!", b"\xd0\xcf\x11\xe0")


class IngestError(Exception):
    """A document that cannot be read; ``code`` is one of output-format's error codes."""

    def __init__(self, code: str, message: str, sha256: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.sha256 = sha256


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str
    is_html: bool


def _try(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_share(s: str) -> float:
    sample = s[:4000]
    if not sample:
        return 0.0
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes; return (text, encoding). Raises IngestError for binary or undecodable."""
    if not data.strip():
        raise IngestError("empty", "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _try(data[3:], "utf-8")
        if text is not None:
            return text, "utf-8-sig"
        data = data[3:]  # a BOM in front of something else: look again
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
        if text is not None:
            return text.lstrip("\ufeff"), "utf-16"
    if data.startswith(_BINARY_MAGIC):
        raise IngestError("binary", "binary content (image, PDF, archive or executable)")
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 8:
        for enc in ("utf-16-le", "utf-16-be"):
            text = _try(data, enc)
            if text is not None and _cjk_share(text) > 0.2:
                return text, "utf-16"
        raise IngestError("binary", "binary content (many NUL bytes)")
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    candidates = []
    for enc in ("gb18030", "big5"):
        t = _try(data, enc)
        if t is not None:
            candidates.append((_cjk_share(t), enc, t))
    if candidates:
        candidates.sort(reverse=True)
        share, enc, text = candidates[0]
        if share > 0.05:
            return text, enc
    # invalid byte runs: keep what decodes, and say so
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 4:
        t = data.decode("gb18030", errors="replace")
        if t.count("\ufffd") < text.count("\ufffd"):
            return t, "gb18030-lossy"
        raise IngestError("undecodable", "no encoding (UTF-8, GB18030, Big5, UTF-16) decodes it")
    return text, "utf-8-lossy"


_DROP = regex.compile(r"<(script|style|noscript|template|svg|head)\b[^>]*>.*?(?:</\1\s*>|$)",
                      regex.I | regex.S)
_COMMENT = regex.compile(r"<!--.*?(?:-->|$)", regex.S)
_BLOCK = regex.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|header|footer"
                       r"|blockquote|pre|dd|dt|title|nav|aside|form)\b[^>]*>", regex.I)
_TAG = regex.compile(r"<[^>]{0,2000}>|<[^>]*$")
_BLANKS = regex.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)+")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<p" in head and "</" in head) \
        or "<div" in head or "<body" in head


def html_to_text(src: str) -> str:
    """Strip tags, scripts and styles; block boundaries become line breaks."""
    s = _COMMENT.sub("", src)
    s = _DROP.sub("", s)
    s = _BLOCK.sub("\n", s)
    s = _TAG.sub("", s)
    s = html.unescape(s)
    s = _BLANKS.sub("\n\n", s)
    return s.strip("\n")


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file, reading at most ``max_bytes`` + 1: a FIFO, a device or a
    file that grows past the limit never hangs the reader or fills memory."""
    try:  # non-blocking: opening a FIFO does not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise IngestError("unreadable", "not a regular file (a folder, FIFO, device or socket)")
        if st.st_size > max_bytes:
            raise IngestError("too_large", f"{st.st_size} bytes is over the limit of {max_bytes} (--max-bytes)")
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise IngestError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise IngestError("too_large", f"more than {max_bytes} bytes, the limit (--max-bytes)")
    return data


def read_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Read and decode one file; raises IngestError with a code on failure."""
    data = read_bytes(path, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    try:
        text, enc = decode(data)
    except IngestError as exc:
        exc.sha256 = sha
        raise
    is_html = path.lower().endswith(HTML_SUFFIXES) or looks_like_html(text)
    if is_html:
        text = html_to_text(text)
    if not text.strip():
        raise IngestError("empty", "no text after decoding", sha)
    return Decoded(text, enc, sha, is_html)

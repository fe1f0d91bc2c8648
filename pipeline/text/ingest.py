"""Bytes to text: encoding detection, HTML to text, and clear errors for bad input."""

from __future__ import annotations

import hashlib
import html
import os
import stat
from dataclasses import dataclass, field

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
    head: dict[str, str] = field(default_factory=dict)  # an HTML page's <title> and date meta tag
    lost: int = 0  # characters of the file that did not decode (replaced by U+FFFD)


_HEAD_TITLE = regex.compile(r"<title[^>]{0,200}>([^<]{1,300})</title>", regex.I)
# <meta name="PubDate" content="2023-01-30 10:00">, property="article:published_time"…
_HEAD_DATE = regex.compile(r"<meta\s[^>]{0,200}?(?:name|property)\s*=\s*[\"']?(?:pubdate|publishdate|"
                           r"publish_date|article:published_time|dc\.date|date)[\"']?[^>]{0,200}?"
                           r"content\s*=\s*[\"']?(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})", regex.I)


def html_head(src: str) -> dict[str, str]:
    """The <title> and a published-date meta tag of an HTML page (its first 64 KB)."""
    head = src[:65536]
    out = {}
    t = _HEAD_TITLE.search(head)
    if t and html.unescape(t.group(1)).strip():
        out["title"] = " ".join(html.unescape(t.group(1)).split())
    d = _HEAD_DATE.search(head)
    if d:
        out["date"] = d.group(1).replace("/", "-").replace(".", "-")
    return out


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
    data, found = _by_bom(data)
    if found:
        return found
    if data.startswith(_BINARY_MAGIC):
        raise IngestError("binary", "binary content (image, PDF, archive or executable)")
    found = _nul_heavy(data)
    if found:
        return found
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    return _bomless_utf16(data) or _mixed(data) or _legacy(data) or _lossy(data)


def _mixed(data: bytes) -> tuple[str, str] | None:
    """A file pasted together from UTF-8 and GBK paragraphs, read line by line, each line in
    the encoding it decodes in (``utf-8+gb18030``); None unless both kinds of line are there
    and every line decodes strictly."""
    parts, kinds = [], set()
    for line in data.splitlines(keepends=True):
        text = _try(line, "utf-8")
        if text is not None:
            kinds.add("utf-8" if not line.isascii() else "ascii")
        else:
            text = _try(line, "gb18030")
            if text is None or _cjk_share(text) < 0.2:
                return None
            kinds.add("gb18030")
        parts.append(text)
    if not {"utf-8", "gb18030"} <= kinds:
        return None
    return "".join(parts), "utf-8+gb18030"


def _by_bom(data: bytes) -> tuple[bytes, tuple[str, str] | None]:
    """The text a byte-order mark announces, if it decodes so; else the bytes to look at again
    (a UTF-8 BOM in front of something else is dropped)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _try(data[3:], "utf-8")
        if text is not None:
            return data, (text, "utf-8-sig")
        data = data[3:]  # a BOM in front of something else: look again
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
        if text is not None:
            return data, (text.lstrip("\ufeff"), "utf-16")
    return data, None


def _nul_heavy(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM, told by its NUL bytes, in the byte order that reads as more
    plausible Chinese (either order decodes most bytes); other NUL-heavy data is binary."""
    head = data[:8192]
    if head.count(b"\x00") <= len(head) // 8:
        return None
    best = None
    for enc in ("utf-16-le", "utf-16-be"):
        text = _try(data, enc)
        if text is not None and _cjk_share(text) > 0.2:
            share = _plausible_share(text)
            if best is None or share > best[0]:
                best = (share, text)
    if best is not None:
        return best[1], "utf-16"
    raise IngestError("binary", "binary content (many NUL bytes)")


def _plausible_share(s: str) -> float:
    """The share of characters a Chinese text is made of (Han, CJK and ASCII punctuation,
    digits and letters, line breaks) in the first 4000."""
    sample = s[:4000]
    if not sample:
        return 0.0
    return sum(1 for c in sample if c in "\n\r\t" or " " <= c <= "~" or "\u4e00" <= c <= "\u9fff"
               or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027"
               or "\u3400" <= c <= "\u4dbf" or c == "\u00b7") / len(sample)


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM and with few NUL bytes (Chinese text): it decodes strictly, and
    into Chinese, in one byte order. Tried only once UTF-8 failed (ASCII read as UTF-16
    looks like Han), and before GB18030, which decodes much UTF-16 without error."""
    best = None
    for enc in ("utf-16-le", "utf-16-be"):
        text = _try(data, enc) if len(data) % 2 == 0 else None
        if text is None:
            continue
        share = _plausible_share(text)
        if share >= 0.9 and _cjk_share(text) > 0.2 and (best is None or share > best[0]):
            best = (share, text, enc)
    return (best[1], best[2]) if best else None


def _legacy(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever reads as more Chinese, if it reads as Chinese at all."""
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
    return None


def _lossy(data: bytes) -> tuple[str, str]:
    """Invalid byte runs: keep what decodes, and say so."""
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 4:
        t = data.decode("gb18030", errors="replace")
        if t.count("\ufffd") < text.count("\ufffd"):
            return t, "gb18030-lossy"
        raise IngestError("undecodable", "no encoding (UTF-8, GB18030, Big5, UTF-16) decodes it")
    return text, "utf-8-lossy"


# an element dropped whole; an unclosed start tag (<script without >) drops the rest, as an
# unclosed tag does: one match to the end, never a scan to the end from every <script
_DROP = regex.compile(r"<(script|style|noscript|template|svg|head)\b[^>]*(?:>.*?(?:</\1\s*>|$)|$)",
                      regex.I | regex.S)
_COMMENT = regex.compile(r"<!--.*?(?:-->|$)", regex.S)
# text a reader never sees: struck out (<del>, <s>, <strike>) or hidden (display:none,
# visibility:hidden, the hidden attribute); its figures are not the page's
_HIDDEN = regex.compile(r"<(del|s|strike)\b[^<>]{0,300}>.*?(?:</\1\s*>|$)"
                        r"|<(\w+)\b(?=[^<>]{0,300}?(?:style\s*=\s*[\"'][^\"'<>]{0,200}?"
                        r"(?:display\s*:\s*none|visibility\s*:\s*hidden)|\shidden(?:[\s>=/]|$)))[^<>]{0,300}>"
                        r".*?(?:</\2\s*>|$)", regex.I | regex.S)
# a table cell starts with | so that two cells never join into one number (120|131.2亿元)
_CELL_HEAD = regex.compile(r"<t[dh]\b", regex.I)
_BLOCK_HEAD = regex.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|header|footer"
                            r"|blockquote|pre|dd|dt|title|nav|aside|form)\b", regex.I)
_MAX_TAG = 2000  # a < with more than this before its > is text, not a tag
_BLANKS = regex.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)+")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<p" in head and "</" in head) \
        or "<div" in head or "<body" in head


def html_to_text(src: str) -> str:
    """Strip tags, scripts and styles; block boundaries become line breaks. Linear time."""
    s = _COMMENT.sub("", src)
    s = _DROP.sub("", s)
    s = _HIDDEN.sub("", s)
    s = _strip_tags(s)
    s = html.unescape(s)
    s = _BLANKS.sub("\n\n", s)
    return s.strip("\n")


def _strip_tags(s: str) -> str:
    """Block tags become line breaks, other tags go, a < with no > after it drops the rest;
    one pass, the next > found once for every < before it (no rescans: linear)."""
    out = []
    pos = 0
    gt = -1
    i = s.find("<")
    while i != -1:
        if gt < i:
            gt = s.find(">", i)
            if gt == -1:
                out.append(s[pos:i])
                return "".join(out)
        if _BLOCK_HEAD.match(s, i):
            out.append(s[pos:i] + "\n")
            pos = gt + 1
        elif _CELL_HEAD.match(s, i):
            out.append(s[pos:i] + "|")
            pos = gt + 1
        elif gt - i <= _MAX_TAG + 1:
            out.append(s[pos:i])
            pos = gt + 1
        i = s.find("<", max(pos, i + 1))
    out.append(s[pos:])
    return "".join(out)


def loss_warning(lost: int, total: int) -> dict[str, str]:
    """The warning record of a document read with bytes that no encoding decodes."""
    return {"code": "lossy_decoding",
            "message": f"{lost} of {total} characters did not decode and are U+FFFD; text there is lost"}


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
    lost = text.count("\ufffd") if enc.endswith("-lossy") else 0
    is_html = path.lower().endswith(HTML_SUFFIXES) or looks_like_html(text)
    head = html_head(text) if is_html else {}
    if is_html:
        text = html_to_text(text)
    if not text.strip():
        raise IngestError("empty", "no text after decoding", sha)
    return Decoded(text, enc, sha, is_html, head, lost)

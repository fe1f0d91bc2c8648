"""Very large text files, streamed by paragraph with bounded memory.

The file is decoded incrementally and cut at line breaks into chunks of a few MB; each
chunk runs through the pipeline alone and its claims are shifted to the offsets of the
whole file. Only one chunk of text is in memory at a time. Context that spans chunks
(a section heading's period, a paragraph's goal list) does not carry over.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from ..document import Claim, Document
from ..io.export import dumps
from ..text.ingest import IngestError, decode, loss_warning

CHUNK_BYTES = 4 * 1024 * 1024
SPOOL_PREFIX = "zhibiao-spool-"
@dataclass(frozen=True)
class Spool:
    """Where a run's temporary files go: beside a batch's output (whose next run removes any
    a kill left there, by ``prefix``), or in TMPDIR when ``folder`` is None."""

    folder: str | None = None
    prefix: str = SPOOL_PREFIX

    def mkstemp(self, kind: str, suffix: str) -> tuple[int, str]:
        """A new spool file named recognizably: ``<prefix><pid>-<kind>XXXX<suffix>``."""
        return tempfile.mkstemp(prefix=f"{self.prefix}{os.getpid()}-{kind}", suffix=suffix, dir=self.folder)

    @contextlib.contextmanager
    def file(self, kind: str, suffix: str) -> Iterator[tuple[IO[str], str]]:
        """A new spool open for writing, and its path; removed if writing fails."""
        fd, path = self.mkstemp(kind, suffix)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                yield fh, path
        except BaseException:
            os.unlink(path)
            raise


def _sniff(head: bytes) -> tuple[str, int]:
    """The codec for the stream and the BOM length to skip, from the first bytes."""
    skip = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if skip and _utf8_so_far(head[3:]):
        return "utf-8", 3
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", 0
    if _utf8_so_far(head[skip:]):  # UTF-8 up to a character the chunk may cut in two
        return "utf-8", skip
    # a UTF-8 BOM in front of something else (GBK…): the bytes after it decide, as in decode
    sample = head[skip:len(head) - 4] if len(head) > skip + 4 else head[skip:]
    _, enc = decode(sample)  # raises IngestError for empty/binary
    return {"utf-8-lossy": "utf-8", "gb18030-lossy": "gb18030"}.get(enc, enc), skip


def _utf8_so_far(data: bytes) -> bool:
    """Valid UTF-8, but for a character cut at the end of the chunk."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def extract_stream(path: str, doc: Document, run: Callable[[str, str], Document],
                   chunk_bytes: int = CHUNK_BYTES, spool: Spool | None = None) -> Document:
    """Fill ``doc`` from the file at ``path``, chunk by chunk; ``run(text, doc_id)`` extracts one.

    Claims go to ``doc.spool`` (a temporary JSONL file) as they are found, so neither the
    text nor the claims of the whole file are ever in memory; ``export.write_document``
    streams them into the output and ``discard_spool`` removes the file.
    """
    sha = hashlib.sha256()
    try:
        fh = open(path, "rb")  # noqa: SIM115 - a streamed file stays open across chunks, closed below
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    with fh:
        head = fh.read(chunk_bytes)
        sha.update(head)
        enc, skip = _sniff(head)
        decoder = codecs.getincrementaldecoder(enc)(errors="replace")
        base = 0  # characters of the file already processed
        n_sent = n_claims = replaced = 0
        fd, doc.spool = (spool or Spool()).mkstemp("claims-", ".jsonl")
        spool = os.fdopen(fd, "w", encoding="utf-8")
        pending = decoder.decode(head[skip:])
        lossy = "\ufffd" in pending
        scripts = set()
        eof = False
        while not eof:
            data = fh.read(chunk_bytes)
            sha.update(data)
            eof = not data
            pending += decoder.decode(data, final=eof)
            lossy = lossy or "\ufffd" in pending
            cut = len(pending) if eof else pending.rfind("\n") + 1
            if cut <= 0:
                cut = len(pending)  # a single line longer than a chunk
            text, pending = pending[:cut], pending[cut:]
            for piece in pieces(text, LINE_CHARS):  # a line of megabytes: bounded pieces
                replaced += piece.count("\ufffd")
                part = run(piece, doc.doc_id)
                scripts.add(part.script)
                if part.errors:
                    raise IngestError(part.errors[0]["code"], part.errors[0]["message"])
                for c in part.claims:
                    n_claims += 1
                    spool.write(dumps(_shift(c, base, n_sent, doc.doc_id, n_claims).to_dict()) + "\n")
                _first_found(doc, part)
                n_sent += len(part.sentences)
                base += len(piece)
        spool.close()
    doc.source.update(sha256=sha.hexdigest(), encoding=enc + ("-lossy" if lossy else ""),
                      streamed=True, chars=base, claims=n_claims)
    if lossy and replaced:
        doc.warnings.append(loss_warning(replaced, base))
    doc.script = scripts.pop() if len(scripts) == 1 else ("mixed" if scripts else "simplified")
    return doc


def _first_found(doc: Document, part: Document) -> None:
    """The document's title, genre, date and place are those its first chunk found."""
    if doc.title is None:
        doc.title = part.title
    if doc.genre is None:
        doc.genre = part.genre
    if doc.date is None:
        doc.date = part.date
    if doc.jurisdiction is None:
        doc.jurisdiction = part.jurisdiction


LINE_CHARS = 1_000_000  # characters of one line extracted at once; a longer line is cut


def _long_line(text: str, limit: int) -> bool:
    """Whether a line of ``text`` is longer than ``limit`` characters."""
    a = 0
    while True:
        b = text.find("\n", a)
        if (b if b >= 0 else len(text)) - a > limit:
            return True
        if b < 0:
            return False
        a = b + 1


def pieces(text: str, limit: int) -> Iterator[str]:
    """``text`` whole when no line of it is longer than ``limit`` characters; else in pieces
    of at most ``limit``, each cut after a line break, else a sentence end, else a space or
    a growth figure's %, else not inside a figure."""
    if not _long_line(text, limit):
        yield text
        return
    a = 0
    while len(text) - a > limit:
        window = text[a:a + limit]
        cut = max(window.rfind("\n"), *(window.rfind(c) for c in "。！？；"))
        if cut < limit // 2:
            cut = max(cut, *(window.rfind(c) for c in " %％"))  # after a growth: a value-growth pair's end
        if cut < limit // 2:
            cut = limit - 1
            while cut > limit // 2 and (window[cut].isdigit() or window[cut] in ".%％"):
                cut -= 1
        yield text[a:a + cut + 1]
        a += cut + 1
    if a < len(text):
        yield text[a:]


def _shift(c: Claim, base: int, n_sent: int, doc_id: str, n: int) -> Claim:
    c.id = f"{doc_id}:{n}"
    c.sentence.index += n_sent
    c.sentence.start += base
    c.sentence.end += base
    c.span = {"start": c.span["start"] + base, "end": c.span["end"] + base}
    return c


def discard_spool(doc: Document) -> None:
    if doc.spool and os.path.exists(doc.spool):
        os.unlink(doc.spool)
    doc.spool = None

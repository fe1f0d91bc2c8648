"""Whole archives: parallel, resumable, deterministic extraction to one JSONL file.

Every finished document is appended (and flushed) to ``OUT.partial`` as it arrives, so a
run stopped by Ctrl-C, a kill or a crash loses nothing. The partial file starts with a
header line holding the configuration key (version, code, rule files, model files, options);
a partial made with another key is started again. A run first drops a torn last line and
any broken line of the partial, then finds the documents already done in ``OUT`` (when
its key, kept beside it, matches) and ``OUT.partial`` by (path, sha256) and skips them;
when all are done it writes ``OUT`` atomically in input order, whatever the worker count,
and removes the partial file. One run at a time holds ``OUT.lock``. Memory holds an
index of line offsets, never the documents.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..api import DEFAULT_TIMEOUT, Extractor
from ..io.export import AtomicWriter
from ..ner import runtime as ner
from ..scorer.model import MODEL_PATH as SCORER_PATH
from ..text.ingest import DEFAULT_MAX_BYTES
from ..version import __version__
from .files import for_files
from .pool import FILE_MARK, STDIN, Worker, doc_ids, results, stream
from .stream import Spool

# where documents are extracted: pool.results' signature (the worker pool), or Dask's
Engine = Callable[..., Iterator[tuple[str, str, dict]]]

SPOOL_MARK = ".zhibiao-spool-"  # in the names of temporary files beside the output

Key = tuple[str, str]  # (path, sha256 of the raw bytes, or "" when unreadable)


class BatchError(RuntimeError):
    """The run cannot go on (another run holds the output, ...); the message is for the user."""


@dataclass
class BatchStats:
    documents: int = 0
    reused: int = 0
    claims: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def _open_regular(path: str):
    """A binary file object for ``path`` if it is a regular file, else None (never blocks on
    a FIFO: opened non-blocking)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def file_key(path: str, stdin_file: str | None = None) -> Key:
    """(path, sha256 of the bytes); "" for a file that is unreadable or not a regular file."""
    fh = _open_regular(stdin_file if path == STDIN and stdin_file else path)
    if fh is None:
        return path, ""
    h = hashlib.sha256()
    with fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return path, h.hexdigest()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _hash_files(h, folder: Path, pattern: str) -> None:
    for f in sorted(p for p in folder.glob(pattern) if p.is_file()):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())


CODE_DIR = Path(__file__).resolve().parents[1]  # the package's own code (pipeline/)


def config_key(extractor: Extractor, meta: dict | None = None) -> str:
    """A hash of everything that shapes the output: version, the package's code, rule files'
    bytes, model files' bytes (when the model runs), the extractor's settings and the --meta
    table: a partial made by other code is started again, not resumed."""
    st = extractor.settings
    model_dir = Path(st.model_dir) if st.model_dir else ner.MODEL_DIR
    use_model = st.use_model
    if use_model is None:
        use_model = ner.model_available(model_dir)
    settings = {"version": __version__, "use_model": bool(use_model),
                "max_bytes": st.max_bytes or DEFAULT_MAX_BYTES,
                "timeout": st.timeout or DEFAULT_TIMEOUT,
                "segmenter": st.segmenter, "date": st.date,
                "meta": meta or {}, "min_confidence": st.min_confidence}
    if st.disabled_rules:
        settings["disabled_rules"] = sorted(st.disabled_rules)
    if st.scorer != "on":
        settings["scorer"] = st.scorer
    h = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for code in ("**/*.py", "**/*.tsv", "io/schema.json"):  # the code, the division table, the schema
        _hash_files(h, CODE_DIR, code)
    _hash_files(h, extractor.rules.path(), "*.yaml")
    if use_model:
        _hash_files(h, model_dir, "**/*")
    if SCORER_PATH.exists():
        h.update(SCORER_PATH.read_bytes())
    return h.hexdigest()


BLOCK = 1 << 20
_PATH = re.compile(rb'"source":\{[^{}]*?"path":(null|"(?:[^"\\]|\\.)*")(?:,"path_bytes":"([0-9a-f]*)")?')
_SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')
_DOC_START = b'{"schema":'
_SMALL_LINE = 1 << 20  # lines up to this size are parsed as JSON when checked


def _parts(fh) -> Iterator[tuple[int, bytes, bool]]:
    """(line start, piece, whether the piece ends the line) over the file, block by block;
    a torn last line (no newline) ends with a piece that does not end it."""
    start = pos = 0
    while block := fh.read(BLOCK):
        i = 0
        while (j := block.find(b"\n", i)) >= 0:
            yield start, block[i:j], True
            start, i = pos + j + 1, j + 1
        if i < len(block):
            yield start, block[i:], False
        pos += len(block)


def _lines(path: str) -> Iterator[tuple[int, bytes]]:
    """(offset, first 64 KB) of every complete line, reading in blocks: a line of a
    streamed document can be far larger than memory should hold."""
    with open(path, "rb") as fh:
        head = b""
        for start, piece, end in _parts(fh):
            if len(head) < 65536:
                head += piece[: 65536 - len(head)]
            if end:
                yield start, head
                head = b""


_DOC_ID = re.compile(rb'^\{"schema":"[^"]*","doc_id":("(?:[^"\\]|\\.)*")')


def _index(path: str, ids: dict[str, str] | None = None) -> dict[Key, int]:
    """Byte offset of each complete document line in a JSONL file, by (path, sha256); with
    ``ids``, only lines whose doc_id is the one this run gives the path (a file of the same
    name added since changes ids: those documents are done again, as a clean run would)."""
    out: dict[Key, int] = {}
    if not os.path.exists(path):
        return out
    for off, head in _lines(path):
        m = _PATH.search(head)
        if not m:
            continue  # not a document line
        p = os.fsdecode(bytes.fromhex(m.group(2).decode())) if m.group(2) else json.loads(m.group(1))
        if ids is not None:
            d = _DOC_ID.search(head)
            if not d or json.loads(d.group(1)) != ids.get(p):
                continue
        sha = _SHA.search(head[m.end():m.end() + 400])
        out[(p, sha.group(1).decode() if sha else "")] = off
    return out


class _LineCheck:
    """Whether one line, fed piece by piece, is one whole document: valid UTF-8, one
    document start at its beginning, a closing brace at its end (and valid JSON when small)."""

    def __init__(self) -> None:
        self.dec = codecs.getincrementaldecoder("utf-8")()
        self.ok, self.starts, self.size = True, 0, 0
        self.head, self.tail, self.small = b"", b"", b""

    def feed(self, piece: bytes) -> None:
        if not self.ok:
            return
        try:
            self.dec.decode(piece)
        except UnicodeDecodeError:
            self.ok = False
            return
        text = self.tail + piece
        self.starts += text.count(_DOC_START)  # the tail is too short to hold one
        self.head = (self.head + piece)[: len(_DOC_START)] if len(self.head) < len(_DOC_START) else self.head
        self.tail = text[-(len(_DOC_START) - 1):]
        self.size += len(piece)
        if self.size <= _SMALL_LINE:
            self.small += piece

    def valid(self) -> bool:
        try:
            self.dec.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        if not (self.ok and self.starts == 1 and self.head == _DOC_START and self.tail.endswith(b"}")):
            return False
        if self.size > _SMALL_LINE:
            return True
        try:
            return isinstance(json.loads(self.small), dict)
        except ValueError:
            return False


def _header(key: str) -> bytes:
    return b'{"zhibiao_partial":"' + key.encode() + b'"}\n'


def _repair(partial: str, skip: int) -> None:
    """Keep only the whole document lines of ``partial`` after its header of ``skip`` bytes:
    a torn last line is cut off, a broken line dropped; their documents are done again."""
    keep: list[tuple[int, int]] = []
    broken, end_of_lines, check = False, skip, _LineCheck()
    with open(partial, "rb") as fh:
        for start, piece, end in _parts(fh):
            if start < skip:
                continue
            check.feed(piece)
            if end:
                if check.valid():
                    keep.append((start, start + check.size + 1))
                else:
                    broken = True
                end_of_lines, check = start + check.size + 1, _LineCheck()
    if broken:
        _rewrite(partial, skip, keep)
    elif end_of_lines < os.path.getsize(partial):
        os.truncate(partial, end_of_lines)


def _rewrite(partial: str, skip: int, keep: list[tuple[int, int]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(partial) + ".", suffix=".repair",
                               dir=os.path.dirname(os.path.abspath(partial)))
    with _open_own(partial, os.O_RDONLY, "rb") as src, os.fdopen(fd, "wb") as dst:
        for a, b in [(0, skip), *keep]:
            src.seek(a)
            left = b - a
            while left > 0:
                block = src.read(min(BLOCK, left))
                dst.write(block)
                left -= len(block)
    os.replace(tmp, partial)


def _open_own(path: str, flags: int, mode: str):
    """A file of the run's own (``OUT.partial``, ``OUT.lock``) opened never through a link:
    a symlink planted at its name in a shared folder fails the run instead of redirecting
    its writes to the file the link points to."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EEXIST and os.path.islink(path)):
            raise BatchError(f"{path} is a symbolic link; zhibiao never writes through one there "
                             "(remove it and run again)") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BatchError(f"{path} is not a regular file; remove it and run again")
    return os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8")


def _prepare_partial(partial: str, key: str) -> None:
    """A partial file that holds only whole documents made with ``key``."""
    header = _header(key)
    if os.path.lexists(partial):
        with _open_own(partial, os.O_RDONLY, "rb") as fh:
            first = fh.readline(len(header) + 1)
        if first == header:
            _repair(partial, len(header))
            return
        print(f"zhibiao: note: {partial} was written by another version or with other rules, "
              "model or options; its documents are done again", file=sys.stderr)
        os.unlink(partial)
    with _open_own(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, "wb") as fh:
        fh.write(header)


def _key_file(output: str) -> str:
    d, base = os.path.split(output)
    return os.path.join(d, f".{base}.zhibiao-key")


def _write_key(output: str, key: str) -> None:
    """The key file beside the output, replaced by rename (never written through a link)."""
    path = _key_file(output)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", dir=os.path.dirname(os.path.abspath(path)))
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    os.replace(tmp, path)


def _output_key(output: str) -> str | None:
    try:
        with open(_key_file(output), encoding="ascii") as fh:
            return fh.read().strip()
    except (OSError, ValueError):
        return None


def _spool_prefix(output: str) -> str:
    return f".{os.path.basename(output)}{SPOOL_MARK}"


def _remove_spools(output: str) -> None:
    """Temporary files of runs on ``output``, e.g. left by a killed run."""
    d = os.path.dirname(os.path.abspath(output))
    for f in glob.glob(os.path.join(glob.escape(d), glob.escape(_spool_prefix(output)) + "*")):
        with contextlib.suppress(OSError):
            os.unlink(f)


@contextlib.contextmanager
def _locked(output: str) -> Iterator[None]:
    """Hold ``OUT.lock`` (flock) for the run; fail at once when another run holds it."""
    path = output + ".lock"
    busy = BatchError(f"another zhibiao run is writing {output} (it holds {path}); "
                      "wait for it to finish")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BatchError(f"{path} is a symbolic link; zhibiao never writes through one there "
                             "(remove it and run again)") from None
        if exc.errno == errno.ENOENT:
            raise BatchError(f"cannot write {output}: its folder "
                             f"{os.path.dirname(os.path.abspath(output))} does not exist") from None
        raise
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the run that held it finished and removed it meanwhile
            raise busy
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)
    finally:
        os.close(fd)


def _copy_line(src, off: int, out, path: str, stats: BatchStats | None) -> None:
    """Copy the line at ``off`` block by block, counting its claims and first error into
    ``stats`` (``None``: counted already)."""
    src.seek(off)
    dec = codecs.getincrementaldecoder("utf-8")()
    overlap, tail = b"", b""
    while block := src.read(BLOCK):
        j = block.find(b"\n")
        part = block if j < 0 else block[: j + 1]
        out.write(dec.decode(part, final=j >= 0))
        if stats is None:
            if j >= 0:
                break
            continue
        text = overlap + part
        for m in _KIND.finditer(text):
            if m.end() > len(overlap):  # a match inside the overlap was counted already
                stats.claims += 1
                k = m.group(1).decode()
                stats.kinds[k] = stats.kinds.get(k, 0) + 1
        overlap = text[-64:]
        tail = (tail + part)[-4096:]
        if j >= 0:
            break
    if stats is None:
        return
    stats.documents += 1
    e = _ERR.search(tail)
    if e:
        stats.failed.append((path, e.group(1).decode(), json.loads(b'"' + e.group(2) + b'"')))


def add_counts(stats: BatchStats, path: str, info: dict) -> None:
    """Add a document extracted in this run, as its worker counted it."""
    stats.documents += 1
    stats.claims += info["claims"]
    for k, v in info["kinds"].items():
        stats.kinds[k] = stats.kinds.get(k, 0) + v
    if info["error"]:
        stats.failed.append((path, info["error"]["code"], info["error"]["message"]))



_KIND = re.compile(rb'"kind":"(actual|target|forecast)"')
_ERR = re.compile(rb'"errors":\[\{"code":"([a-z_]+)","message":"((?:[^"\\]|\\.)*)"')


def plan(paths: list[str], keys: dict[str, Key], done_out: dict[Key, int],
         done_part: dict[Key, int]) -> list[str]:
    """The paths whose documents are in neither index (hash lookups: linear)."""
    return [p for p in paths if keys[p] not in done_out and keys[p] not in done_part]


def _append(fh, path: str, line: str) -> Key:
    """Append one result to the partial file; its (path, sha256) as written."""
    if line.startswith(FILE_MARK):
        tmp = line[len(FILE_MARK):]
        with open(tmp, encoding="utf-8") as src:
            head = src.read(65536)
            src.seek(0)
            shutil.copyfileobj(src, fh)
        os.unlink(tmp)
    else:
        fh.write(line + "\n")
        head = line[:65536]
    fh.flush()
    sha = _SHA.search(head.encode("utf-8"))
    return path, sha.group(1).decode() if sha else ""


def _extract_into(partial: str, todo: list[str], ids: dict[str, str], keys: dict[str, Key],
                  workers: int, worker: Worker, meta: dict | None,
                  on_done: Callable[[str], None] | None, engine: Engine | None = None) -> dict[str, dict]:
    """Extract ``todo`` into the partial file; what the workers counted, by path."""
    counted: dict[str, dict] = {}
    out = (engine or results)(todo, workers, worker, ids=ids, meta=meta)
    try:
        with _open_own(partial, os.O_WRONLY | os.O_APPEND, "a") as fh:
            for path, line, info in out:
                keys[path] = _append(fh, path, line)  # a file changed while read: keep what was read
                counted[path] = info
                if on_done:
                    on_done(path)
    finally:
        out.close()  # stops the pool's workers at once when interrupted
    return counted


def _assemble(output: str, partial: str, paths: list[str], keys: dict[str, Key],
              done_out: dict[Key, int], counted: dict[str, dict], stats: BatchStats,
              ids: dict[str, str] | None = None) -> None:
    """Write ``output`` atomically in input order from the partial and the old output."""
    done_part = _index(partial, ids)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(_key_file(output))  # no key while the output is being replaced
    with AtomicWriter(output) as w, _open_own(partial, os.O_RDONLY, "rb") as part:
        old = open(output, "rb") if done_out else None  # noqa: SIM115 - closed in the finally below
        try:
            for p in paths:
                k = keys[p]
                if k in done_part:
                    _copy_line(part, done_part[k], w.fh, p, None if p in counted else stats)
                    if p in counted:
                        add_counts(stats, p, counted[p])
                elif old is not None and k in done_out:
                    _copy_line(old, done_out[k], w.fh, p, stats)
        finally:
            if old is not None:
                old.close()


def run_batch(paths: list[str], output: str, workers: int = 1, extractor: Extractor | None = None, *,
              meta: dict | None = None, stdin_file: str | None = None,
              on_done: Callable[[str], None] | None = None, engine: Engine | None = None) -> BatchStats:
    """Extract ``paths`` into ``output`` with ``extractor`` (see the module docstring; its
    time limit is 300 s a document when it sets none); ``meta``: the archive's ``--meta``
    table (``io.meta.load_meta``); ``stdin_file``: the file holding what "-" read. A path
    given twice is done once; ``engine``: where documents are extracted (``pool.results``, or
    ``cluster.engine(...)`` for Dask). Raises BatchError when another run holds ``output``."""
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)  # -o into a new folder
    spool = Spool(os.path.dirname(os.path.abspath(output)), _spool_prefix(output))
    worker = Worker(for_files(extractor), spool, stdin_file)
    with _locked(output):
        _remove_spools(output)
        try:
            return _run_locked(list(dict.fromkeys(paths)), output, workers, worker, meta, on_done, engine)
        finally:
            _remove_spools(output)


def _run_locked(paths: list[str], output: str, workers: int, worker: Worker, meta: dict | None,
                on_done: Callable[[str], None] | None, engine: Engine | None = None) -> BatchStats:
    stats = BatchStats()
    key = config_key(worker.extractor, meta)
    partial = output + ".partial"
    keys = {p: file_key(p, worker.stdin_file) for p in paths}
    ids = doc_ids(paths)
    done_out = _index(output, ids) if _output_key(output) == key else {}
    _prepare_partial(partial, key)
    todo = plan(paths, keys, done_out, _index(partial, ids))
    stats.reused = len(paths) - len(todo)
    if on_done:
        pending = set(todo)
        for p in paths:
            if p not in pending:
                on_done(p)
    todo.sort(key=lambda p: -_size(p))  # largest first: no worker is left with a long one at the end
    counted = _extract_into(partial, todo, ids, keys, workers, worker, meta, on_done, engine)
    _assemble(output, partial, paths, keys, done_out, counted, stats, ids)
    _write_key(output, key)
    os.unlink(partial)
    return stats


def run_to_stream(paths: list[str], out: TextIO, workers: int = 1, extractor: Extractor | None = None, *,
                  meta: dict | None = None, stdin_file: str | None = None,
                  on_done: Callable[[str], None] | None = None, engine: Engine | None = None) -> BatchStats:
    """Extract ``paths`` and write their lines to ``out`` (a pipe) in input order, as they
    come; no journal, no resume. A path given twice is done once. ``engine`` as in ``run_batch``."""
    stats = BatchStats()
    worker = Worker(for_files(extractor), Spool(), stdin_file)
    lines = (engine(list(dict.fromkeys(paths)), workers, worker, ordered=True, meta=meta) if engine
             else stream(paths, workers, worker, meta))
    for path, line, info in lines:
        if line.startswith(FILE_MARK):  # a streamed document, held in a file
            with open(line[len(FILE_MARK):], encoding="utf-8") as src:
                shutil.copyfileobj(src, out)
            os.unlink(line[len(FILE_MARK):])
        else:
            out.write(line + "\n")
        add_counts(stats, path, info)
        if on_done:
            on_done(path)
    return stats

"""Whole archives: parallel, resumable, deterministic extraction to one JSONL file.

Every finished document is appended (and flushed) to ``OUT.partial`` as it arrives, so a
run stopped by Ctrl-C or a crash loses nothing. A run finds the documents already done
in ``OUT`` and ``OUT.partial`` by (path, sha256) and skips them; when all are done it
writes ``OUT`` atomically in input order, whatever the worker count, and removes the
partial file. Memory holds an index of line offsets, never the documents.
"""

from __future__ import annotations

import codecs
import gc
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..api import extract_file
from .export import AtomicWriter, dumps, write_document
from .stream import discard_spool

FILE_MARK = "\0file:"  # a result line held in a file (streamed documents)

Key = tuple[str, str]  # (path, sha256 of the raw bytes, or "" when unreadable)


@dataclass
class BatchStats:
    documents: int = 0
    reused: int = 0
    claims: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def file_key(path: str) -> Key:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return path, ""
    return path, h.hexdigest()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


BLOCK = 1 << 20
_PATH = re.compile(rb'"source":\{[^{}]*?"path":(null|"(?:[^"\\]|\\.)*")')
_SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')


def _lines(path: str) -> Iterator[tuple[int, bytes]]:
    """(offset, first 64 KB) of every complete line, reading in blocks: a line of a
    streamed document can be far larger than memory should hold."""
    with open(path, "rb") as fh:
        start, pos, head = 0, 0, b""
        while block := fh.read(BLOCK):
            i = 0
            while True:
                j = block.find(b"\n", i)
                if j < 0:
                    if len(head) < 65536:
                        head += block[i:i + 65536 - len(head)]
                    break
                if len(head) < 65536:
                    head += block[i:j][: 65536 - len(head)]
                yield start, head
                start, head, i = pos + j + 1, b"", j + 1
            pos += len(block)


def _index(path: str) -> dict[Key, int]:
    """Byte offset of each complete document line in a JSONL file, by (path, sha256)."""
    out: dict[Key, int] = {}
    if not os.path.exists(path):
        return out
    for off, head in _lines(path):
        m = _PATH.search(head)
        if not m:
            continue  # not a document line
        p = json.loads(m.group(1))
        sha = _SHA.search(head[m.end():m.end() + 400])
        out[(p, sha.group(1).decode() if sha else "")] = off
    return out


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


_WORKER_OPTS: dict = {}


def _init_worker(opts: dict) -> None:
    _WORKER_OPTS.update(opts)
    if opts.get("model_dir"):
        from ..ner import runtime as ner

        ner.use_model_dir(opts["model_dir"])
    if opts.get("segmenter"):
        from ..text.segment import use_segmenter

        use_segmenter(opts["segmenter"])


def _warm() -> None:
    from ..api import extract_text
    from ..ruleset.load import load_rules

    warm = "。".join(e["text"] for e in load_rules("figures")["examples"][:3])  # the grammar's own examples
    extract_text(warm, use_model=_WORKER_OPTS.get("use_model"))


def _work(job: tuple[str, str | None]) -> tuple[str, str, dict]:
    path, doc_id = job
    kw = {k: _WORKER_OPTS[k] for k in ("max_bytes", "timeout") if _WORKER_OPTS.get(k)}
    doc = extract_file(path, doc_id=doc_id, use_model=_WORKER_OPTS.get("use_model"), **kw)
    info = {"claims": 0, "kinds": {}, "error": doc.errors[0] if doc.errors else None}

    def count(kinds) -> None:
        for k in kinds:
            info["claims"] += 1
            info["kinds"][k] = info["kinds"].get(k, 0) + 1

    if doc.spool:  # a streamed document: its line goes through a file, never through memory
        count(c["kind"] for c in doc.iter_claims())
        fd, tmp = tempfile.mkstemp(prefix="zhibiao-doc-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            write_document(doc, fh)
        discard_spool(doc)
        return path, FILE_MARK + tmp, info
    count(c.kind for c in doc.claims)
    return path, dumps(doc.to_dict()), info


def doc_ids(paths: list[str]) -> dict[str, str]:
    """File stems, or the path without extension where two files share a stem."""
    stems = [os.path.splitext(os.path.basename(p))[0] for p in paths]
    dup = {s for s in stems if stems.count(s) > 1}
    if not dup:
        return dict(zip(paths, stems, strict=True))
    root = os.path.commonpath([os.path.abspath(p) for p in paths]) if len(paths) > 1 else ""
    out = {}
    for p, s in zip(paths, stems, strict=True):
        if s in dup:
            rel = os.path.relpath(os.path.abspath(p), root) if root else p
            s = os.path.splitext(rel)[0].replace(os.sep, "/")
        out[p] = s
    return out


def _results(paths: list[str], workers: int, opts: dict, ordered: bool = False,
             ids: dict[str, str] | None = None) -> Iterator[tuple[str, str, dict]]:
    ids = ids or doc_ids(paths)
    jobs = [(p, ids[p]) for p in paths]
    if workers <= 1 or len(paths) <= 1:
        _init_worker(opts)
        for j in jobs:
            yield _work(j)
        return
    import multiprocessing as mp

    fork = sys.platform.startswith("linux")
    if fork:  # load rules, OpenCC, jieba and the model once; the workers share them
        _init_worker(opts)
        _warm()
        gc.freeze()  # the loaded state stays shared: collections in the workers do not copy it
    ctx = mp.get_context("fork" if fork else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(opts,)) as pool:
        yield from (pool.imap if ordered else pool.imap_unordered)(_work, jobs, chunksize=1)


def stream(paths: list[str], workers: int = 1, opts: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    """(path, JSON line, info) in input order, for writing to a pipe."""
    yield from _results(paths, workers, dict(opts or {}), ordered=True)


_KIND = re.compile(rb'"kind":"(actual|target|forecast)"')
_ERR = re.compile(rb'"errors":\[\{"code":"([a-z_]+)","message":"((?:[^"\\]|\\.)*)"')


def run_batch(paths: list[str], output: str, workers: int = 1, opts: dict | None = None,
              on_done: Callable[[str], None] | None = None) -> BatchStats:
    """Extract ``paths`` into ``output`` (see the module docstring)."""
    opts = dict(opts or {})
    stats = BatchStats()
    partial = output + ".partial"
    keys = {p: file_key(p) for p in paths}
    done_out = _index(output)
    done_part = _index(partial)
    todo = [p for p in paths if keys[p] not in done_out and keys[p] not in done_part]
    stats.reused = len(paths) - len(todo)
    for p in paths:
        if p not in todo and on_done:
            on_done(p)
    # largest first, so that no worker is left with a long document at the end
    todo.sort(key=lambda p: -_size(p))
    counted: dict[str, dict] = {}  # what the workers counted in the documents of this run
    with open(partial, "a", encoding="utf-8") as fh:
        for path, line, info in _results(todo, workers, opts, ids=doc_ids(paths)):
            if line.startswith(FILE_MARK):
                tmp = line[len(FILE_MARK):]
                with open(tmp, encoding="utf-8") as src:
                    head = src.read(65536)
                    src.seek(0)
                    shutil.copyfileobj(src, fh)
                os.unlink(tmp)
                sha = _SHA.search(head.encode("utf-8"))
                d_key = (path, sha.group(1).decode() if sha else "")
            else:
                fh.write(line + "\n")
                sha = _SHA.search(line[:65536].encode("utf-8"))
                d_key = (path, sha.group(1).decode() if sha else "")
            fh.flush()
            if d_key != keys[path]:
                keys[path] = d_key  # the file changed while we read it: keep what we read
            counted[path] = info
            if on_done:
                on_done(path)
    done_part = _index(partial)
    with AtomicWriter(output) as w, open(partial, "rb") as part:
        old = open(output, "rb") if os.path.exists(output) else None
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
    os.unlink(partial)
    return stats

"""Whole archives: parallel, resumable, deterministic extraction to one JSONL file.

Every finished document is appended (and flushed) to ``OUT.partial`` as it arrives, so a
run stopped by Ctrl-C or a crash loses nothing. A run finds the documents already done
in ``OUT`` and ``OUT.partial`` by (path, sha256) and skips them; when all are done it
writes ``OUT`` atomically in input order, whatever the worker count, and removes the
partial file. Memory holds an index of line offsets, never the documents.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .api import extract_file
from .export import AtomicWriter, dumps

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


def _index(path: str) -> dict[Key, int]:
    """Byte offset of each complete document line in a JSONL file, by key."""
    out: dict[Key, int] = {}
    if not os.path.exists(path):
        return out
    with open(path, "rb") as fh:
        pos = 0
        for line in fh:
            if line.endswith(b"\n"):
                try:
                    src = json.loads(line).get("source") or {}
                    out[(src.get("path"), src.get("sha256") or "")] = pos
                except (json.JSONDecodeError, AttributeError):
                    pass  # a line cut by a crash: the document is done again
            pos += len(line)
    return out


_WORKER_OPTS: dict = {}


def _init_worker(opts: dict) -> None:
    _WORKER_OPTS.update(opts)
    if opts.get("model_dir"):
        from . import ner

        ner.use_model_dir(opts["model_dir"])
    if opts.get("segmenter"):
        from .segment import use_segmenter

        use_segmenter(opts["segmenter"])


def _warm() -> None:
    from .api import extract_text

    extract_text("预热：地区生产总值增长5%，新增孵化面积8万平方米。", use_model=_WORKER_OPTS.get("use_model"))


def _work(job: tuple[str, str | None]) -> tuple[str, str, dict]:
    path, doc_id = job
    doc = extract_file(path, doc_id=doc_id, max_bytes=_WORKER_OPTS.get("max_bytes", 50 << 20),
                       use_model=_WORKER_OPTS.get("use_model"))
    d = doc.to_dict()
    info = {"claims": len(doc.claims), "kinds": {}, "error": doc.errors[0] if doc.errors else None}
    for c in doc.claims:
        info["kinds"][c.kind] = info["kinds"].get(c.kind, 0) + 1
    return path, dumps(d), info


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
    fork = sys.platform.startswith("linux")
    if fork:  # load rules, OpenCC, jieba and the model once; the workers share them
        _init_worker(opts)
        _warm()
    ctx = mp.get_context("fork" if fork else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(opts,)) as pool:
        yield from (pool.imap if ordered else pool.imap_unordered)(_work, jobs, chunksize=1)


def stream(paths: list[str], workers: int = 1, opts: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    """(path, JSON line, info) in input order, for writing to a pipe."""
    yield from _results(paths, workers, dict(opts or {}), ordered=True)


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
    with open(partial, "a", encoding="utf-8") as fh:
        for path, line, _info in _results(todo, workers, opts, ids=doc_ids(paths)):
            fh.write(line + "\n")
            fh.flush()
            d_key = (path, json.loads(line)["source"].get("sha256") or "")
            if d_key != keys[path]:
                keys[path] = d_key  # the file changed while we read it: keep what we read
            if on_done:
                on_done(path)
    done_part = _index(partial)
    with AtomicWriter(output) as w, open(partial, "rb") as part:
        old = open(output, "rb") if os.path.exists(output) else None
        try:
            for p in paths:
                k = keys[p]
                if k in done_part:
                    part.seek(done_part[k])
                    line = part.readline()
                elif old is not None and k in done_out:
                    old.seek(done_out[k])
                    line = old.readline()
                else:  # pragma: no cover - every path was just written
                    continue
                text = line.decode("utf-8").rstrip("\n")
                w.write(text)
                d = json.loads(text)
                stats.documents += 1
                stats.claims += len(d["claims"])
                for c in d["claims"]:
                    stats.kinds[c["kind"]] = stats.kinds.get(c["kind"], 0) + 1
                if d["errors"]:
                    stats.failed.append((p, d["errors"][0]["code"], d["errors"][0]["message"]))
        finally:
            if old is not None:
                old.close()
    os.unlink(partial)
    return stats

"""The worker pool: documents extracted one by one or in worker processes, each result a
JSON line (or a file holding it, for a large document) with its claim counts.

Workers are forked on Linux after the rules, jieba and the model are loaded once, so they
share them; elsewhere they are spawned. Each job is (path, doc_id, --meta row), done by a
``Worker`` (the Extractor and where spools go) that travels with it: no option is left in a
module global. Ids are unique and stable per path (``doc_ids``).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..api import Extractor
from ..io.export import dumps, write_document
from ..io.meta import meta_for
from .files import read_file
from .stream import Spool, discard_spool

FILE_MARK = "\0file:"  # a result line held in a file (streamed documents)
STDIN = "-"


def display_path(path: str) -> tuple[str, str | None]:
    """(a valid Unicode form of ``path``, its exact bytes in hex when that form is lossy)."""
    try:
        path.encode("utf-8")
        return path, None
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "replace"), raw.hex()


def _text(s: str) -> str:
    """``s`` with undecodable file-name bytes replaced (U+FFFD)."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


LARGE_DOCUMENT = 2000  # claims: a document with more is written to a file claim by claim

Job = tuple[str, str, dict]  # (path as given, doc_id, its --meta row)


@dataclass(frozen=True, eq=False)
class Worker:
    """A path in, its output line out: what a worker process (or a Dask task) is given, once
    per task, picklable: the ``Extractor``, where spools go, the file standing for stdin."""

    extractor: Extractor
    spool: Spool = Spool()
    stdin_file: str | None = None

    def __call__(self, job: Job) -> tuple[str, str, dict]:
        """(path, JSON line or ``FILE_MARK`` + the file holding it, claim counts and first error)."""
        path, doc_id, meta = job
        real = self.stdin_file if path == STDIN else path
        doc = read_file(self.extractor, real or path, doc_id=doc_id, meta=meta, spool=self.spool)
        _set_source(doc, path)
        info = {"claims": 0, "kinds": {}, "error": doc.errors[0] if doc.errors else None}

        def count(kinds) -> None:
            for k in kinds:
                info["claims"] += 1
                info["kinds"][k] = info["kinds"].get(k, 0) + 1

        if doc.spool or len(doc.claims) > LARGE_DOCUMENT:  # its line goes through a file, never through memory
            count(c["kind"] for c in doc.iter_claims())
            with self.spool.file("doc-", ".json") as (fh, tmp):
                write_document(doc, fh)
            discard_spool(doc)
            return path, FILE_MARK + tmp, info
        count(c.kind for c in doc.claims)
        return path, dumps(doc.to_dict()), info


def _init_pool_worker() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool stops its workers with SIGTERM
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no worker traceback


def _set_source(doc, path: str) -> None:
    """The path as the user gave it: "-" for stdin; a name that is not UTF-8 as valid text
    plus its exact bytes (``path_bytes``, hex)."""
    if path == STDIN:
        doc.source["path"] = STDIN
        return
    shown, raw = display_path(path)
    if raw is not None:
        rest = {k: v for k, v in doc.source.items() if k != "path"}
        doc.source.clear()
        doc.source.update(path=shown, path_bytes=raw, **rest)


def _clashes(ids: dict[str, str]) -> list[str]:
    n = Counter(ids.values())
    return [p for p, i in ids.items() if n[i] > 1]


def _relative(paths: list[str], keep_suffix: bool) -> dict[str, str]:
    """Paths relative to their common folder, "/"-separated, with or without the suffix."""
    absolute = {p: os.path.abspath(p) for p in paths}
    root = os.path.commonpath(list(absolute.values())) if len(paths) > 1 else ""
    if root in absolute.values():  # one path given in two spellings
        root = os.path.dirname(root)
    out = {}
    for p, a in absolute.items():
        rel = os.path.relpath(a, root) if root else os.path.basename(p)
        out[p] = _text((rel if keep_suffix else os.path.splitext(rel)[0]).replace(os.sep, "/"))
    return out


def doc_ids(paths: list[str]) -> dict[str, str]:
    """A unique, stable id per path: the file stem; where stems clash, the file name with
    its suffix; then the path without, then with, the suffix; then a ``~N`` suffix.
    Standard input ("-") is ``stdin``."""
    ids = {p: "stdin" if p == STDIN else _text(os.path.splitext(os.path.basename(p))[0])
           for p in dict.fromkeys(paths)}
    levels = (lambda c: {p: _text(os.path.basename(p)) for p in c},
              lambda c: _relative(c, False), lambda c: _relative(c, True))
    for level in levels:
        clash = _clashes(ids)
        if not clash:
            return ids
        ids.update(level(clash))
    taken = set(ids.values())
    for p in _clashes(ids)[1:]:
        n = 2
        while f"{ids[p]}~{n}" in taken:
            n += 1
        ids[p] = f"{ids[p]}~{n}"
        taken.add(ids[p])
    return ids


def jobs_of(paths: list[str], ids: dict[str, str] | None = None, meta: dict | None = None) -> list[Job]:
    """One job per path: its id (``doc_ids``) and its row of the archive's ``--meta`` table."""
    ids = ids or doc_ids(paths)
    return [(p, ids[p], meta_for(meta or {}, p)) for p in paths]


def results(paths: list[str], workers: int, worker: Worker, ordered: bool = False,
            ids: dict[str, str] | None = None, meta: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    """``worker`` on each path, in this process or in ``workers`` processes (input order
    when ``ordered``, else as they finish)."""
    jobs = jobs_of(paths, ids, meta)
    if workers <= 1 or len(paths) <= 1:
        for j in jobs:
            yield worker(j)
        return
    import multiprocessing as mp

    fork = sys.platform.startswith("linux")
    if fork:  # load rules, OpenCC, jieba and the model once; the workers share them
        worker.extractor.warm()
        gc.freeze()  # the loaded state stays shared: collections in the workers do not copy it
    ctx = mp.get_context("fork" if fork else "spawn")
    with ctx.Pool(workers, initializer=_init_pool_worker) as pool:
        yield from (pool.imap if ordered else pool.imap_unordered)(worker, jobs, chunksize=1)


def stream(paths: list[str], workers: int = 1, worker: Worker | None = None,
           meta: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    """(path, JSON line, info) in input order, for writing to a pipe; a path given twice
    comes once."""
    paths = list(dict.fromkeys(paths))
    out = results(paths, workers, worker or Worker(Extractor()), ordered=True, meta=meta)
    try:
        yield from out
    finally:
        out.close()

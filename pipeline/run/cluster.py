"""Extraction on a Dask cluster: ``zhibiao extract ... --engine dask`` and ``extract_bag``.

The command keeps the local run's driver (``run.batch``: the journal ``OUT.partial``, resume
by path and sha256, ``OUT.lock``, the output written atomically in input order); only where a
document is extracted changes. Tasks are submitted through a window of two per worker
thread (the scheduler holds that many, never the whole archive), largest documents first,
and the output is byte-identical to ``--workers N``'s.

A task holds up to 16 documents (fewer when that would leave a worker thread fewer than 8
tasks): the scheduler's cost per task (milliseconds) is then shared by them.

A Dask worker runs tasks in threads, where SIGALRM cannot reach: the per-document timeout is
the watchdog of ``api.time_limit``, which raises it in the task's own thread. A worker that
dies on a task (killed, out of memory) three times has its documents run again one by one;
the one it dies on gets an ``internal`` error record, as a document that fails locally does,
and a rerun does it again.

With ``--scheduler ADDRESS`` the workers read the input files and write a large document's
line beside the output by the same paths as the client: a shared file system.

    >>> from zhibiao.run.cluster import extract_bag
    >>> docs = extract_bag(["corpus/speeches/000.txt"], use_model=False)  # doctest: +SKIP
    >>> docs.map(lambda d: len(d["claims"])).compute()                   # doctest: +SKIP
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ..document import Document
from ..io.export import dumps
from ..settings import DEFAULT_TIMEOUT
from ..text.ingest import DEFAULT_MAX_BYTES
from . import pool
from . import stream as _stream

Job = tuple[str, str]  # (path, doc_id)
Result = tuple[str, str, dict]  # (path, JSON line or FILE_MARK + file, counts)
TASKS_PER_THREAD = 8  # tasks per worker thread at least, when documents are grouped into tasks
MAX_DOCS_PER_TASK = 16  # documents in one task at most
CONNECT_TIMEOUT = "20s"


class ClusterError(RuntimeError):
    """The cluster cannot be reached or failed; the run stops, its journal kept (a rerun resumes)."""


def missing() -> str | None:
    """Why ``--engine dask`` cannot run here, else None."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        return "--engine dask needs dask and distributed: pip install 'zhibiao[dask]'"
    return None


_SETUP = {"run": None}  # the run this worker process is set up for (rules, segmenter, spool folder)
_SETUP_LOCK = threading.Lock()


def _set_up(opts: dict) -> None:
    """Set this worker process up for the run of ``opts`` once; each task brings the meta rows
    of its own documents, added to the run's (a row is the same whichever task brings it)."""
    with _SETUP_LOCK:
        if _SETUP["run"] != opts["run_id"]:
            pool._init_worker({**opts, "meta": {}})
            _SETUP["run"] = opts["run_id"]
        pool._WORKER_OPTS["meta"].update(opts.get("meta") or {})


def _meta_rows(meta: dict[str, dict], jobs: list[Job]) -> dict[str, dict]:
    """The rows of ``meta`` (``io.meta.load_meta``) that ``meta_for`` finds for these jobs' paths."""
    rows = {}
    for path, _ in jobs:
        for key in (os.path.normpath(os.path.abspath(path)), os.path.basename(path)):
            if key in meta:
                rows[key] = meta[key]
                break
    return rows


def run_job(job: Job, opts: dict) -> Result:
    """One document on a worker: what a local worker returns for it."""
    _set_up(opts)
    return pool._work(job)


def run_jobs(jobs: list[Job], opts: dict) -> list[Result]:
    """One task: a few documents, each with its own timeout and error record."""
    return [run_job(j, opts) for j in jobs]


def _failed(job: Job, exc: BaseException) -> Result:
    """The error record of a document whose worker died on it."""
    path, doc_id = job
    doc = Document(doc_id=doc_id, source={"path": path, "sha256": None, "encoding": None})
    doc.errors.append({"code": "internal", "message": f"its Dask worker died on it ({type(exc).__name__})"})
    pool._set_source(doc, path)
    return path, dumps(doc.to_dict()), {"claims": 0, "kinds": {}, "error": doc.errors[0]}


def _local_cluster(workers: int, opts: dict):
    """A ``LocalCluster`` of ``workers`` single-threaded processes on loopback. On Linux its
    workers are forked from this process once it has loaded the rules (as the local pool's
    are): spawned ones each import and load everything again, 5-10 s more per run here."""
    import dask
    from distributed import LocalCluster

    method = "spawn"
    if sys.platform.startswith("linux"):
        pool._init_worker(opts)
        pool._warm()
        gc.freeze()  # the loaded state stays shared with the workers
        method = "fork"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                            host="127.0.0.1", dashboard_address=":0", scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR)


def _connect(scheduler: str | None, workers: int, opts: dict):
    """(client, local cluster or None): the scheduler at ``scheduler``, else a new local cluster."""
    from distributed import Client

    try:
        if scheduler:
            return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False), None
        cluster = _local_cluster(workers, opts)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}"
                           if scheduler else f"cannot start a local Dask cluster: {exc}") from None
    return Client(cluster, set_as_default=False), cluster


def _close(client, cluster) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _results_of(client, fut, group: list[Job], opts: dict, task) -> list[Result]:
    """The results of one task. When its worker died, its documents are run again one by one,
    so that only the one that kills a worker gets an ``internal`` error record."""
    from distributed import KilledWorker

    try:
        return fut.result()
    except KilledWorker as exc:
        if len(group) == 1:
            return [_failed(group[0], exc)]
        # one after the other: a document queued beside the killer would die with it
        return [r for j in group for r in _results_of(client, client.submit(task, [j], opts, pure=False),
                                                        [j], opts, task)]
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from None
    finally:
        fut.release()


def docs_per_task(n_jobs: int, threads: int) -> int:
    """Documents in one task: enough to spread the scheduler's cost per task over several,
    few enough to leave TASKS_PER_THREAD tasks per worker thread to balance the load."""
    return max(1, min(MAX_DOCS_PER_TASK, n_jobs // (TASKS_PER_THREAD * max(1, threads))))


def run_on(client, jobs: Iterable[Job], opts: dict, ordered: bool = False,
           task: Callable[[list[Job], dict], list[Result]] = run_jobs,
           per_task: int | None = None) -> Iterator[Result]:
    """(path, line, counts) of each job, run on ``client``'s cluster in tasks of
    ``per_task`` documents (``task(jobs, opts)``): in input order when ``ordered``, else as
    tasks finish. Only a window of tasks is in flight; finished ones are replaced in bulk."""
    from distributed import as_completed

    jobs = list(jobs)
    threads = sum(client.nthreads().values())
    k = per_task or docs_per_task(len(jobs), threads)
    groups = iter([jobs[i:i + k] for i in range(0, len(jobs), k)])
    meta = opts.get("meta") or {}
    base = {**opts, "run_id": uuid.uuid4().hex, "meta": {}}
    window = max(4, 2 * threads)
    owner: dict[str, tuple[list[Job], dict]] = {}

    def submit(n: int) -> list:
        # each task carries the options (small) and its documents' meta rows: nothing a dead
        # worker held (scattered data) is needed to run a task again
        batch = [(g, {**base, "meta": _meta_rows(meta, g)} if meta else base) for g in islice(groups, n)]
        futs = client.map(task, [g for g, _ in batch], [o for _, o in batch], pure=False) if batch else []
        owner.update((f.key, b) for f, b in zip(futs, batch, strict=True))
        return futs

    if ordered:
        queue = deque(submit(window))
        while queue:
            fut = queue.popleft()
            yield from _results_of(client, fut, *owner.pop(fut.key), task)
            queue.extend(submit(1))
        return
    finished = as_completed(submit(window), loop=client.loop)
    for done in finished.batches():
        for fut in done:
            yield from _results_of(client, fut, *owner.pop(fut.key), task)
        finished.update(submit(len(done)))


def results(paths: list[str], workers: int, opts: dict, ordered: bool = False,
            ids: dict[str, str] | None = None) -> Iterator[Result]:
    """``pool.results`` computed on the cluster ``opts["scheduler"]`` names, else on a local
    one of ``workers`` processes; the cluster is closed when the iterator is."""
    ids = ids or pool.doc_ids(paths)
    client, cluster = _connect(opts.get("scheduler"), workers, opts)
    try:
        yield from run_on(client, [(p, ids[p]) for p in paths], opts, ordered=ordered)
    finally:
        _close(client, cluster)


def stream(paths: list[str], workers: int = 1, opts: dict | None = None) -> Iterator[Result]:
    """``pool.stream`` on Dask: (path, JSON line, counts) in input order, a path given twice once."""
    out = results(list(dict.fromkeys(paths)), workers, dict(opts or {}), ordered=True)
    try:
        yield from out
    finally:
        out.close()
        _stream.use_spool(None, None)


def _options(use_model: bool | None, timeout: float | None, max_bytes: int, date: str | None,
             meta: dict | None, model_dir: str | None, min_confidence: float | None,
             segmenter: str | None) -> dict:
    from ..api import check_arguments

    check_arguments(use_model=use_model, timeout=timeout, date=date)
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 1:
        raise ValueError(f"max_bytes must be an int of at least 1, not {max_bytes!r}")
    return {"use_model": use_model, "timeout": timeout, "max_bytes": max_bytes, "date": date,
            "meta": meta or {}, "model_dir": model_dir, "min_confidence": min_confidence,
            "segmenter": segmenter, "run_id": uuid.uuid4().hex}


def _document(line: str) -> dict[str, Any]:
    """The document of a result line (a large one comes in a file, removed once read)."""
    if not line.startswith(pool.FILE_MARK):
        return json.loads(line)
    path = line[len(pool.FILE_MARK):]
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    finally:
        os.unlink(path)


def _extract_partition(paths: list[str], opts: dict) -> list[dict[str, Any]]:
    _set_up(opts)
    return [_document(pool._work((p, opts["ids"][p]))[1]) for p in paths]


def extract_bag(paths, *, use_model: bool | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                max_bytes: int = DEFAULT_MAX_BYTES, date: str | None = None, meta: dict | None = None,
                model_dir: str | None = None, min_confidence: float | None = None,
                segmenter: str | None = None, npartitions: int | None = None):
    """A ``dask.bag`` of output documents (dicts), one per path, in the order of ``paths``
    (a bag or a list of file paths): each the document ``zhibiao extract`` writes for that
    file, its id the one the command gives it (the paths are computed once for that), bad
    files as error records, ``timeout`` seconds per document. Nothing runs until computed:
    ``extract_bag(paths).compute()``, ``io.parquet.bag_to_parquet(extract_bag(paths), "claims/")``.
    ``meta`` maps a path to what an archive knows of it (``io.meta.load_meta``)."""
    import dask
    import dask.bag as db

    opts = _options(use_model, timeout, max_bytes, date, meta, model_dir, min_confidence, segmenter)
    if isinstance(paths, db.Bag):
        bag = paths
        listed = bag.compute()
    else:
        listed = [os.fspath(p) for p in paths]
        bag = db.from_sequence(listed, npartitions=npartitions or min(len(listed), 64) or 1)
    for p in listed:
        if not isinstance(p, str):
            raise TypeError(f"paths must be file paths (str), not {type(p).__name__}")
    opts["ids"] = pool.doc_ids(listed)
    return bag.map_partitions(_extract_partition, dask.delayed(opts, traverse=False))

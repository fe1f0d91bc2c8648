"""Extraction on a Dask cluster: ``zhibiao extract ... --engine dask`` and ``extract_bag``.

The command keeps the local run's driver (``run.batch``: the journal ``OUT.partial``, resume
by path and sha256, ``OUT.lock``, the output written atomically in input order); only where a
document is extracted changes. Tasks are submitted through a window of two per worker
thread (the scheduler holds that many, never the whole archive), largest documents first,
and the output is byte-identical to ``--workers N``'s.

A task holds up to 16 documents (fewer when that would leave a worker thread fewer than 8
tasks): the scheduler's cost per task (milliseconds) is then shared by them.

A Dask worker runs tasks in threads, where SIGALRM cannot reach: the per-document timeout is
``api.time_limit``'s deadline, which the stages check between sentences. A worker that
dies on a task (killed, out of memory) three times has its documents run again one by one;
the one it dies on gets an ``internal`` error record, as a document that fails locally does,
and a rerun does it again.

With ``--scheduler ADDRESS`` the workers read the input files and write a large document's
line beside the output by the same paths as the client: a shared file system.

    >>> from zhibiao import Settings
    >>> from zhibiao.run.cluster import extract_bag
    >>> docs = extract_bag(["corpus/speeches/000.txt"], Settings(use_model=False))  # doctest: +SKIP
    >>> docs.map(lambda d: len(d["claims"])).compute()                   # doctest: +SKIP
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ..api import Extractor
from ..document import Document
from ..io.export import dumps
from ..io.meta import meta_for
from ..settings import Settings
from .files import for_files
from .pool import FILE_MARK, Job, Worker, display_path, doc_ids, jobs_of
from .stream import Spool

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


def run_jobs(jobs: list[Job], worker: Worker) -> list[Result]:
    """One task: a few documents, each with its own timeout and error record. The ``Worker``
    (its Extractor's settings; the rules compile once per process) travels with the task."""
    return [worker(j) for j in jobs]


def _failed(job: Job, exc: BaseException) -> Result:
    """The error record of a document whose worker died on it."""
    path, doc_id, _ = job
    shown, raw = display_path(path)
    source = {"path": shown, **({"path_bytes": raw} if raw else {}), "sha256": None, "encoding": None}
    doc = Document(doc_id=doc_id, source=source)
    doc.errors.append({"code": "internal", "message": f"its Dask worker died on it ({type(exc).__name__})"})
    return path, dumps(doc.to_dict()), {"claims": 0, "kinds": {}, "error": doc.errors[0]}


def _local_cluster(workers: int, worker: Worker):
    """A ``LocalCluster`` of ``workers`` single-threaded processes on loopback. On Linux its
    workers are forked from this process once the Extractor has loaded the rules (as the
    local pool's are): spawned ones each import and load everything again, 5-10 s more here."""
    import dask
    from distributed import LocalCluster

    method = "spawn"
    if sys.platform.startswith("linux"):
        worker.extractor.warm()
        gc.freeze()  # the loaded state stays shared with the workers
        method = "fork"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address=":0", scheduler_kwargs={"dashboard": False},
                            silence_logs=logging.ERROR)


def _connect(scheduler: str | None, workers: int, worker: Worker):
    """(client, local cluster or None): the scheduler at ``scheduler``, else a new local cluster."""
    from distributed import Client

    try:
        if scheduler:
            return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False), None
        cluster = _local_cluster(workers, worker)
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


def _results_of(client, fut, group: list[Job], worker: Worker, task) -> list[Result]:
    """The results of one task. When its worker died, its documents are run again one by one,
    so that only the one that kills a worker gets an ``internal`` error record."""
    from distributed import KilledWorker

    try:
        return fut.result()
    except KilledWorker as exc:
        if len(group) == 1:
            return [_failed(group[0], exc)]
        # one after the other: a document queued beside the killer would die with it
        return [r for j in group for r in _results_of(client, client.submit(task, [j], worker, pure=False),
                                                        [j], worker, task)]
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from None
    finally:
        fut.release()


def docs_per_task(n_jobs: int, threads: int) -> int:
    """Documents in one task: enough to spread the scheduler's cost per task over several,
    few enough to leave TASKS_PER_THREAD tasks per worker thread to balance the load."""
    return max(1, min(MAX_DOCS_PER_TASK, n_jobs // (TASKS_PER_THREAD * max(1, threads))))


def run_on(client, jobs: Iterable[Job], worker: Worker, ordered: bool = False,
           task: Callable[[list[Job], Worker], list[Result]] = run_jobs,
           per_task: int | None = None) -> Iterator[Result]:
    """(path, line, counts) of each job, run on ``client``'s cluster in tasks of
    ``per_task`` documents (``task(jobs, worker)``): in input order when ``ordered``, else as
    tasks finish. Only a window of tasks is in flight; finished ones are replaced in bulk.
    Each task carries what it needs (nothing scattered a dead worker could take with it)."""
    from distributed import as_completed

    jobs = list(jobs)
    threads = sum(client.nthreads().values())
    k = per_task or docs_per_task(len(jobs), threads)
    groups = iter([jobs[i:i + k] for i in range(0, len(jobs), k)])
    window = max(4, 2 * threads)
    owner: dict[str, list[Job]] = {}

    def submit(n: int) -> list:
        batch = list(islice(groups, n))
        futs = client.map(task, batch, [worker] * len(batch), pure=False) if batch else []
        owner.update((f.key, g) for f, g in zip(futs, batch, strict=True))
        return futs

    if ordered:
        queue = deque(submit(window))
        while queue:
            fut = queue.popleft()
            yield from _results_of(client, fut, owner.pop(fut.key), worker, task)
            queue.extend(submit(1))
        return
    finished = as_completed(submit(window), loop=client.loop)
    for done in finished.batches():
        for fut in done:
            yield from _results_of(client, fut, owner.pop(fut.key), worker, task)
        finished.update(submit(len(done)))


def results(paths: list[str], workers: int, worker: Worker, ordered: bool = False,
            ids: dict[str, str] | None = None, meta: dict | None = None, *,
            scheduler: str | None = None) -> Iterator[Result]:
    """``pool.results`` computed on the Dask cluster at ``scheduler``, else on a local one of
    ``workers`` processes; the cluster is closed when the iterator is."""
    jobs = jobs_of(paths, ids, meta)
    client, cluster = _connect(scheduler, workers, worker)
    try:
        yield from run_on(client, jobs, worker, ordered=ordered)
    finally:
        _close(client, cluster)


def engine(scheduler: str | None = None) -> Callable[..., Iterator[Result]]:
    """``run_batch(..., engine=engine(ADDRESS))``: documents extracted on that Dask cluster
    (a local one when None) instead of the worker pool."""
    return functools.partial(results, scheduler=scheduler)


def _document(line: str) -> dict[str, Any]:
    """The document of a result line (a large one comes in a file, removed once read)."""
    if not line.startswith(FILE_MARK):
        return json.loads(line)
    path = line[len(FILE_MARK):]
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    finally:
        os.unlink(path)


def _extract_partition(paths: list[str], worker: Worker, ids: dict[str, str], meta: dict) -> list[dict[str, Any]]:
    return [_document(worker((p, ids[p], meta_for(meta, p)))[1]) for p in paths]


def extract_bag(paths, extractor: Extractor | Settings | None = None, *, meta: dict | None = None,
                npartitions: int | None = None):
    """A ``dask.bag`` of output documents (dicts), one per path, in the order of ``paths``
    (a bag or a list of file paths): each the document ``zhibiao extract`` writes for that
    file, its id the one the command gives it (the paths are computed once for that), bad
    files as error records, 300 s a document unless the settings say otherwise. Nothing runs
    until computed: ``extract_bag(paths).compute()``, ``io.parquet.bag_to_parquet(extract_bag(paths),
    "claims/")``. ``meta``: an archive's table (``io.meta.load_meta``)."""
    import dask
    import dask.bag as db

    if isinstance(extractor, Settings) or extractor is None:
        extractor = Extractor(extractor or Settings())
    if not isinstance(extractor, Extractor):
        raise TypeError(f"extractor must be an Extractor or Settings, not {type(extractor).__name__}")
    if isinstance(paths, db.Bag):
        bag, listed = paths, paths.compute()
    else:
        listed = [os.fspath(p) for p in paths]
        bag = db.from_sequence(listed, npartitions=npartitions or min(len(listed), 64) or 1)
    for p in listed:
        if not isinstance(p, str):
            raise TypeError(f"paths must be file paths (str), not {type(p).__name__}")
    worker = Worker(for_files(extractor), Spool())
    # one node each, shared by every partition (not copied into each task of the graph)
    shared = [dask.delayed(x, traverse=False) for x in (worker, doc_ids(listed), meta or {})]
    return bag.map_partitions(_extract_partition, *shared)

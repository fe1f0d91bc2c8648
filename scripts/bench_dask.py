"""``--engine dask`` against ``--workers N``: wall time, byte-identical output, and the Dask
scheduler's overhead per task.

Usage: python scripts/bench_dask.py [DIR] [--copies 10] [--workers 2] [--runs 3] [EXTRACT OPTIONS...]

DIR (default ../shared/corpus-unlabeled/gwr2026, the 27 provincial reports of 2026) is linked
``--copies`` times into a temporary archive. Each run is a fresh ``zhibiao extract`` process
into an empty output (start-up, and the local cluster's, included), the two engines
alternating so that machine noise falls on both alike; each dask output is compared byte for
byte with the local one. Then ``--tasks`` empty tasks go through the same windowed submission
on a local cluster of ``--workers`` processes: their wall time per task is what the scheduler
adds to each document.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus-unlabeled", "gwr2026")


def make_archive(src: str, copies: int, dest: str) -> int:
    """``copies`` hard-linked copies of the files of ``src`` under ``dest``; how many files."""
    n = 0
    for i in range(copies):
        sub = os.path.join(dest, f"copy{i:02d}")
        os.makedirs(sub)
        for name in sorted(os.listdir(src)):
            p = os.path.join(src, name)
            if os.path.isfile(p):
                if _same_device(src, dest):
                    os.link(p, os.path.join(sub, name))
                else:
                    _copy(p, sub, name)
                n += 1
    return n


def _same_device(a: str, b: str) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def _copy(p: str, sub: str, name: str) -> None:
    with open(p, "rb") as src, open(os.path.join(sub, name), "wb") as dst:
        dst.write(src.read())


def run_once(archive: str, out: str, args: list[str]) -> float:
    for p in (out, out + ".partial"):
        if os.path.exists(p):
            os.unlink(p)
    exe = os.path.join(os.path.dirname(sys.executable), "zhibiao")
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "extract", archive, "-o", out, *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"zhibiao extract {' '.join(args)} failed: {proc.stderr.strip()}")
    return wall


def _noop(jobs, worker):
    return jobs


def task_overhead(workers: int, tasks: int) -> tuple[float, float]:
    """(ms of wall per empty task through the windowed submission, ms per task per worker)."""
    import logging

    from distributed import Client, LocalCluster
    from zhibiao.run import cluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR) as lc, \
            Client(lc, set_as_default=False) as client:
        list(cluster.run_on(client, [("warm", "warm", {})] * 20, None, task=_noop, per_task=1))
        t0 = time.perf_counter()
        n = sum(1 for _ in cluster.run_on(client, [("x", "x", {})] * tasks, None, task=_noop, per_task=1))
        wall = time.perf_counter() - t0
    assert n == tasks
    return wall / tasks * 1000, wall / tasks * 1000 * workers


def _vm_hwm() -> float:
    """This process's peak RSS in MB (VmHWM: its own, not counted from before a fork)."""
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024


def worker_memory(archive: str, workers: int, extra: list[str]) -> list[float]:
    """Peak RSS of each worker of a local cluster (forked, as ``--engine dask`` starts it)
    after extracting the archive."""
    from zhibiao.api import Extractor
    from zhibiao.run import cluster
    from zhibiao.run.files import for_files
    from zhibiao.run.pool import Worker, jobs_of
    from zhibiao.settings import Settings

    paths = sorted(os.path.join(r, f) for r, _, fs in os.walk(archive) for f in fs)
    worker = Worker(for_files(Extractor(Settings(use_model=False if "--no-model" in extra else None))))
    client, lc = cluster._connect(None, workers, worker)
    try:
        n = sum(1 for _ in cluster.run_on(client, jobs_of(paths), worker))
        assert n == len(paths)
        return sorted(client.run(_vm_hwm).values())
    finally:
        cluster._close(client, lc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=DEFAULT_DIR)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tasks", type=int, default=2000)
    a, extra = ap.parse_known_args()
    with tempfile.TemporaryDirectory(prefix="zhibiao-bench-dask-") as tmp:
        archive = os.path.join(tmp, "archive")
        os.makedirs(archive)
        n = make_archive(a.folder, a.copies, archive)
        chars = sum(len(Path(r, f).read_text(encoding="utf-8", errors="replace"))
                    for r, _, fs in os.walk(archive) for f in fs)
        local_args = ["--workers", str(a.workers), *extra]
        dask_args = [*local_args, "--engine", "dask"]
        local, dask, identical = [], [], True
        for _ in range(a.runs):
            local.append(run_once(archive, os.path.join(tmp, "local.jsonl"), local_args))
            dask.append(run_once(archive, os.path.join(tmp, "dask.jsonl"), dask_args))
            identical &= filecmp.cmp(os.path.join(tmp, "local.jsonl"), os.path.join(tmp, "dask.jsonl"),
                                     shallow=False)
        ml, md = statistics.median(local), statistics.median(dask)
        print(f"{n} documents, {chars:,} characters, {a.workers} workers {' '.join(extra)}")
        print(f"--workers {a.workers}:             median {ml:.2f} s  (runs {', '.join(f'{t:.2f}' for t in local)})"
              f"  {chars / ml / a.workers:,.0f} chars/s per worker")
        print(f"--engine dask --workers {a.workers}: median {md:.2f} s  (runs {', '.join(f'{t:.2f}' for t in dask)})"
              f"  ratio {md / ml:.2f}x")
        print(f"output byte-identical: {'yes' if identical else 'NO'}")
        hwm = worker_memory(archive, a.workers, extra)
        print(f"peak RSS per dask worker: {', '.join(f'{m:.0f} MB' for m in hwm)}")
    per_task, per_worker = task_overhead(a.workers, a.tasks)
    print(f"scheduler overhead: {per_task:.2f} ms of wall per empty task on {a.workers} workers "
          f"({per_worker:.2f} ms of a worker's time per task)")


if __name__ == "__main__":
    main()

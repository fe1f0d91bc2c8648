"""Wall time and peak RSS of ``zhibiao extract`` over an archive, per worker count.

Usage: python scripts/bench_archive.py DIR [--workers 1 2] [--runs 3] [--copies 1] [EXTRACT OPTIONS...]

Each run starts a fresh ``zhibiao extract`` process (start-up included, as a user sees it)
into an empty output, alternating the worker counts so that machine noise falls on all of
them alike. Reported: the median wall time of the runs, and the median speed-up of each run
over the run of the first worker count just before it. ``--copies N`` makes an archive of N
copies of DIR (hard links, else copies) to show how time and memory grow with size.
Peak RSS is that of the main process (the largest child process waited for).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def make_archive(src: str, copies: int, dest: str) -> str:
    if copies == 1:
        return src
    for i in range(copies):
        sub = os.path.join(dest, f"copy{i:02d}")
        os.makedirs(sub)
        for name in os.listdir(src):
            p = os.path.join(src, name)
            if os.path.isfile(p):
                try:
                    os.link(p, os.path.join(sub, name))
                except OSError:
                    shutil.copyfile(p, os.path.join(sub, name))
    return dest


def run_once(folder: str, workers: int, extra: list[str], tmp: str) -> tuple[float, int]:
    out = os.path.join(tmp, f"out-{workers}.jsonl")
    for p in (out, out + ".partial"):
        if os.path.exists(p):
            os.unlink(p)
    exe = os.path.join(os.path.dirname(sys.executable), "zhibiao")
    cmd = [exe, "extract", folder, "-o", out, "--workers", str(workers), *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage.ru_maxrss // 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=1)
    a, extra = ap.parse_known_args()  # anything else goes to zhibiao extract (e.g. --no-model)
    a.extra = [x for x in extra if x != "--"]
    with tempfile.TemporaryDirectory(prefix="zhibiao-bench-") as tmp:
        folder = make_archive(a.folder, a.copies, os.path.join(tmp, "archive"))
        times: dict[int, list[float]] = {w: [] for w in a.workers}
        rss: dict[int, int] = {w: 0 for w in a.workers}
        for _ in range(a.runs):
            for w in a.workers:
                wall, peak = run_once(folder, w, a.extra, tmp)
                times[w].append(wall)
                rss[w] = max(rss[w], peak)
        base = statistics.median(times[a.workers[0]])
        print(f"{a.folder} x{a.copies} {' '.join(a.extra)}".rstrip())
        for w in a.workers:
            med = statistics.median(times[w])
            runs = ", ".join(f"{t:.2f}" for t in times[w])
            # each run against the first worker count's run just before it: machine speed
            # drifts over minutes on a shared host, and a pair shares its moment
            paired = statistics.median(b / t for b, t in zip(times[a.workers[0]], times[w], strict=True))
            print(f"  --workers {w}: {med:6.2f} s median ({runs}); speed-up {base / med:.2f}x "
                  f"(paired runs {paired:.2f}x); peak RSS {rss[w]} MB")


if __name__ == "__main__":
    main()

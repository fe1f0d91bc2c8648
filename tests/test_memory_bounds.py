"""Memory bounded per document, measured as a worker sees it: peak RSS of a fresh process.

Each bound runs in a subprocess (``os.wait4`` gives its peak RSS), so what the test process
has loaded or freed does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import opencc
import pytest
from conftest import ROOT, SPEECHES

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="VmHWM is Linux's")
GENRES = ROOT / "corpus" / "genres" / "docs"
MB = 1024 * 1024


PEAK = """
import runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__") if sys.argv[0].endswith(".py") else runpy.run_module(
        sys.argv[0], run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0].split()[1]
print(f"VmHWM {hwm}", file=sys.stderr)
sys.exit(code)
"""


def peak_rss_mb(args: list[str], tmp_path: Path) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``python -m args...`` (or a script) in a new process; its own peak RSS in MB (VmHWM:
    not the forking test process's, which a child's rusage counts from before its exec)."""
    env = {**os.environ, "ZHIBIAO_CACHE": os.environ.get("ZHIBIAO_CACHE", str(tmp_path / "cache"))}
    proc = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, env=env,
                          timeout=900)
    hwm = [line for line in proc.stderr.splitlines() if line.startswith("VmHWM ")]
    assert hwm, proc.stderr
    return int(hwm[-1].split()[1]) / 1024, proc


def figure_dense(size: int) -> str:
    """The lines of the statistical communiqués that carry figures, repeated to ``size`` bytes."""
    lines = [line for p in sorted(GENRES.glob("gB2_*.txt")) for line in p.read_text(encoding="utf-8").splitlines()
             if sum(c.isdigit() for c in line) >= 4]
    out, n = [], 0
    while n < size:
        for line in lines:
            out.append(line)
            n += len(line.encode("utf-8")) + 1
            if n >= size:
                break
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("model", [["--no-model"], []], ids=["rules", "model"])
def test_one_mb_of_figure_dense_text_is_extracted_in_under_150_mb(tmp_path, model):
    src = tmp_path / "dense.txt"
    src.write_text(figure_dense(MB), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rss, proc = peak_rss_mb(["zhibiao.cli", "extract", str(src), "-o", str(out), *model, "--workers", "1"],
                            tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["errors"] == [] and len(doc["claims"]) > 10_000
    assert rss < 150, f"peak RSS {rss:.0f} MB"


READ = """
import sys
from zhibiao.text.ingest import read_document
dec = read_document(sys.argv[1], max_bytes=64 * 1024 * 1024)
print(dec.encoding, len(dec.text), dec.lost)
"""


def test_a_15_mb_big5_file_is_read_in_a_small_multiple_of_its_size(tmp_path):
    text = opencc.OpenCC("s2t").convert("\n".join(p.read_text(encoding="utf-8") for p in sorted(SPEECHES.glob("*.txt"))))
    block = text.encode("big5", errors="ignore")
    data = block * (15 * MB // len(block) + 1)
    data = data[: data.rfind(b"\n", 0, 15 * MB) + 1]
    src = tmp_path / "big5.txt"
    src.write_bytes(data)
    script = tmp_path / "read.py"
    script.write_text(READ, encoding="utf-8")
    rss, proc = peak_rss_mb([str(script), str(src)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    encoding, chars, lost = proc.stdout.split()
    assert encoding == "big5" and int(chars) == len(data.decode("big5")) and lost == "0"
    assert rss < 250, f"peak RSS {rss:.0f} MB reading {len(data) / MB:.0f} MB"  # the bound: 2.5 GB; 82 MB measured

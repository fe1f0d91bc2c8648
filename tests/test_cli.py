"""The command line end to end, and the JSON Schema on real output."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import GOLD, SPEECHES
from zhibiao.io.export import schema, validate


def zhibiao(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhibiao.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_extract_folder_to_file_validates(tmp_path):
    out = tmp_path / "claims.jsonl"
    r = zhibiao("extract", str(SPEECHES), "-o", str(out))
    assert r.returncode == 0, r.stderr
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["doc_id"] for d in docs] == sorted(p.stem for p in SPEECHES.glob("*.txt"))
    for d in docs:
        validate(d)
        text = (SPEECHES / f"{d['doc_id']}.txt").read_text(encoding="utf-8")
        for c in d["claims"]:
            assert text[c["sentence"]["start"]:c["sentence"]["end"]] == c["sentence"]["text"]
    assert f"{len(docs)} documents" in r.stderr and str(out) in r.stderr


def test_extract_single_file_to_stdout():
    r = zhibiao("extract", str(SPEECHES / "003_802ff6a0af53e020.txt"))
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert doc["schema"] == "zhibiao/1"
    names = {c["indicator"]["name"] for c in doc["claims"]}
    assert "地方一般公共预算收入" in names
    rev = next(c for c in doc["claims"] if c["indicator"]["name"] == "地方一般公共预算收入")
    assert rev["value"]["amount"] == 4.98 and rev["value"]["unit"] == "亿元"
    assert rev["growth"]["rate"] == -16.39


def test_failed_document_sets_exit_code_and_batch_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text("全年完成地区生产总值100亿元，增长5%。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    out = tmp_path / "o.jsonl"
    r = zhibiao("extract", str(tmp_path), "-o", str(out))
    assert r.returncode == 1
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["doc_id"] for d in docs] == ["a", "b"]
    assert docs[0]["claims"] and not docs[0]["errors"]
    assert docs[1]["errors"][0]["code"] == "binary" and docs[1]["claims"] == []
    assert "skipped" in r.stderr and "c.pdf" in r.stderr


def test_schema_command_prints_the_schema():
    r = zhibiao("schema")
    assert json.loads(r.stdout) == schema()


def test_eval_command_prints_figures_and_errors():
    r = zhibiao("eval", "--gold", str(GOLD), "--docs", str(SPEECHES))
    assert r.returncode == 0, r.stderr
    assert "OVERALL" in r.stdout and "f1:" in r.stdout
    assert "== misses" in r.stdout and "== false positives" in r.stdout


def test_unavailable_segmenter_is_a_clear_error():
    try:
        import pkuseg  # noqa: F401
    except ImportError:
        r = zhibiao("extract", str(SPEECHES / "004_d9a830af0e99222f.txt"), "--segmenter", "pkuseg")
        assert r.returncode == 2 and "pkuseg is not installed" in r.stderr

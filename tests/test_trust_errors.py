"""Errors are one line and an exit code: 0 ok, 1 some documents failed, 2 usage, 3 the run failed."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys

import pytest
from zhibiao import cli, extract_text

SPEECH = "2023年全市生产总值增长7.2%。全市单位GDP能耗下降18%。"


def zhibiao(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhibiao.cli", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "ZHIBIAO_DEBUG": "", **(env or {})})


def one_line_error(r: subprocess.CompletedProcess, code: int = 3) -> str:
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhibiao: error: "), r.stderr
    return lines[0]


@pytest.fixture
def jsonl(tmp_path) -> str:
    p = tmp_path / "claims.jsonl"
    p.write_text(json.dumps(extract_text(SPEECH, doc_id="d").to_dict(), ensure_ascii=False) + "\n",
                 encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("to", ["csv", "sqlite", "parquet"])
def test_export_under_a_file_instead_of_a_folder_is_one_line(jsonl, tmp_path, to):
    (tmp_path / "afile").write_text("x")
    line = one_line_error(zhibiao("export", jsonl, "--to", to, "-o", str(tmp_path / "afile" / "c.out")))
    assert "afile" in line


def test_export_creates_a_missing_output_folder(jsonl, tmp_path):
    dest = tmp_path / "new" / "sub" / "c.db"
    r = zhibiao("export", jsonl, "--to", "sqlite", "-o", str(dest))
    assert r.returncode == 0, r.stderr
    assert dest.exists()


def test_missing_database_is_one_line(tmp_path):
    for cmd in ("query", "serve"):
        line = one_line_error(zhibiao(cmd, str(tmp_path / "nope.db")))
        assert "no such database" in line and "nope.db" in line


def test_a_database_name_with_a_hash_opens(jsonl, tmp_path):
    db = str(tmp_path / "report#1.db")
    assert zhibiao("export", jsonl, "--to", "sqlite", "-o", db).returncode == 0
    r = zhibiao("query", db, "生产总值")
    assert r.returncode == 0, r.stderr
    assert "生产总值" in r.stdout


def test_input_that_is_not_jsonl_is_one_line(tmp_path):
    txt = tmp_path / "speech.txt"
    txt.write_text(SPEECH, encoding="utf-8")
    assert "not an extract output" in one_line_error(zhibiao("export", str(txt), "--to", "csv"))
    assert "not an extract output" in one_line_error(zhibiao("query", str(txt)))
    other = tmp_path / "other.db"
    other.write_bytes(b"not sqlite at all" * 100)
    assert "not a zhibiao SQLite export" in one_line_error(zhibiao("query", str(other)))


def test_port_in_use_is_one_line(jsonl, tmp_path):
    db = str(tmp_path / "c.db")
    assert zhibiao("export", jsonl, "--to", "sqlite", "-o", db).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        line = one_line_error(zhibiao("serve", db, "--port", str(port)))
    assert "in use" in line and str(port) in line


def test_full_disk_is_one_line_and_exit_3(jsonl, tmp_path, monkeypatch, capsys):
    from zhibiao.io import tables

    def full(src, dest):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dest)

    monkeypatch.setitem(tables.EXPORTERS, "csv", full)
    monkeypatch.delenv("ZHIBIAO_DEBUG", raising=False)
    assert cli.main(["export", jsonl, "--to", "csv", "-o", str(tmp_path / "c.csv")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"zhibiao: error: No space left on device: {tmp_path / 'c.csv'}"]


def test_debug_shows_the_traceback(tmp_path):
    missing = str(tmp_path / "nope.jsonl")
    assert "Traceback" not in zhibiao("export", missing, "--to", "csv").stderr
    for r in (zhibiao("--debug", "export", missing, "--to", "csv"),
              zhibiao("export", missing, "--to", "csv", env={"ZHIBIAO_DEBUG": "1"})):
        assert r.returncode == 3 and "Traceback" in r.stderr and "zhibiao: error:" in r.stderr


def test_option_errors_are_exit_2(jsonl):
    assert zhibiao("query", jsonl, "--limit", "0").returncode == 2
    assert zhibiao("query", jsonl, "--kind", "guess").returncode == 2

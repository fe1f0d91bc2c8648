"""Documents say when they speak from and whose they are; claims carry calendar months."""

from __future__ import annotations

import pytest
from zhibiao import extract_file, extract_text
from zhibiao.io.meta import MetaError, load_meta, meta_for

REPORT = "2026年吉林省政府工作报告\n——2026年1月27日在吉林省第十四届人民代表大会第五次会议上\n各位代表：\n" \
         "一、2025年工作回顾\n全年地区生产总值增长5.2%。\n二、2026年工作安排\n今年地区生产总值增长5%左右。\n"


def test_a_report_speaks_from_its_dateline_and_names_its_province():
    doc = extract_text(REPORT)
    assert (doc.date.year, doc.date.month, doc.date.day, doc.date.source) == (2026, 1, 27, "text")
    assert (doc.jurisdiction.name, doc.jurisdiction.level) == ("吉林省", "province")
    assert doc.title == "2026年吉林省政府工作报告"


def test_review_figures_are_dated_by_their_section_and_goals_by_the_document():
    doc = extract_text(REPORT)
    review, goal = doc.claims
    assert review.period_range == {"from": "2025-01", "to": "2025-12"} and review.kind == "actual"
    assert goal.period_range == {"from": "2026-01", "to": "2026-12"} and goal.kind == "target"


def test_a_given_date_wins_and_meta_wins_over_the_text():
    doc = extract_text("今年地区生产总值增长5%。", date="2019")
    assert doc.date.to_dict() == {"year": 2019, "month": None, "day": None, "source": "given"}
    assert doc.claims[0].period_range == {"from": "2019-01", "to": "2019-12"}
    doc = extract_text(REPORT, meta={"date": "2024-03-05", "jurisdiction": "浙江省", "title": "t"})
    assert (doc.date.year, doc.date.source, doc.jurisdiction.name, doc.title) == (2024, "meta", "浙江省", "t")


def test_no_date_leaves_ranges_of_relative_periods_unresolved():
    doc = extract_text("同志们：今年上半年地区生产总值增长5%。")
    assert doc.date is None and doc.claims[0].period_range is None


def test_an_event_date_sets_no_period_for_the_paragraph():
    doc = extract_text("2023年6月，总书记来我省考察调研。\n地区生产总值增长5%。")
    assert doc.claims[0].period is None


def test_meta_csv_rows_apply_by_path_or_file_name(tmp_path):
    f = tmp_path / "zj.txt"
    f.write_text("今年地区生产总值增长5%。", encoding="utf-8")
    csv = tmp_path / "meta.csv"
    csv.write_text("path,date,jurisdiction,title\nzj.txt,2019-01-28,浙江省,2019年浙江省政府工作报告\n", encoding="utf-8")
    meta = load_meta(str(csv))
    doc = extract_file(str(f), use_model=False, meta=meta_for(meta, str(f)))
    d = doc.to_dict()
    assert d["date"] == {"year": 2019, "month": 1, "day": 28, "source": "meta"}
    assert d["jurisdiction"]["name"] == "浙江省" and d["title"] == "2019年浙江省政府工作报告"
    csv.write_text("path,date\nzj.txt,twenty\n", encoding="utf-8")
    with pytest.raises(MetaError, match=r"meta.csv:2: not a date"):
        load_meta(str(csv))


def _cli(*args: str, cwd=None):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "zhibiao.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_extract_takes_a_date_and_an_archives_meta_csv(tmp_path):
    import json

    f = tmp_path / "zj.txt"
    f.write_text("今年地区生产总值增长5%。", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("path,date,jurisdiction,title\nzj.txt,2019-01-28,浙江省,t\n", encoding="utf-8")
    r = _cli("extract", str(f), "--meta", str(tmp_path / "meta.csv"), "--no-model")
    d = json.loads(r.stdout)
    assert d["date"]["source"] == "meta" and d["jurisdiction"]["name"] == "浙江省"
    assert d["claims"][0]["period_range"] == {"from": "2019-01", "to": "2019-12"}
    r = _cli("extract", str(f), "--date", "2021", "--no-model")
    assert json.loads(r.stdout)["claims"][0]["period_range"]["from"] == "2021-01"
    r = _cli("extract", str(f), "--date", "21x")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--date" in r.stderr


def test_the_extract_summary_prints_no_terminal_escapes_from_file_names(tmp_path):
    f = tmp_path / "a\x1b[31mred.txt"
    f.write_text("地区生产总值增长5%。", encoding="utf-8")
    (tmp_path / "notes\x1b[2J.md").write_text("x", encoding="utf-8")  # listed as skipped
    r = _cli("extract", str(tmp_path), "-o", str(tmp_path / "o\x1b[31m.jsonl"), "--no-model")
    assert r.returncode == 0 and "skipped" in r.stderr and "\x1b" not in r.stderr


def test_an_html_page_gives_its_title_and_published_date_from_its_head(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><head><title>2023年全县经济工作会议讲话</title><meta name="PubDate" '
                    'content="2023-02-15 09:00"></head><body><div>下载</div><p>同志们：今年地区生产总值增长6%。</p>'
                    "</body></html>", encoding="utf-8")
    doc = extract_file(str(page), use_model=False)
    assert doc.title == "2023年全县经济工作会议讲话"
    assert (doc.date.year, doc.date.month, doc.date.day, doc.date.source) == (2023, 2, 15, "published")
    assert doc.claims[0].kind == "target"  # a goal for the year the page speaks at the start of


def test_a_streamed_document_speaks_from_its_first_chunks_date(tmp_path, monkeypatch):
    import functools

    import zhibiao.run.files as files

    monkeypatch.setattr(files, "extract_stream", functools.partial(files.extract_stream, chunk_bytes=3000))
    big = tmp_path / "big.txt"
    big.write_text("2026年吉林省政府工作报告\n各位代表：\n" + "".join(
        f"二、2026年工作安排\n今年地区生产总值增长{i % 9 + 1}%左右。\n" for i in range(300)), encoding="utf-8")
    from zhibiao.run.stream import discard_spool

    streamed = extract_file(str(big), use_model=False, stream_bytes=2000)
    doc = streamed.to_dict()
    discard_spool(streamed)  # a streamed document's claims wait in a spool file until read
    assert doc["source"]["streamed"] and doc["date"]["year"] == 2026
    assert doc["jurisdiction"]["name"] == "吉林省"
    assert {c["period_range"]["from"] for c in doc["claims"]} == {"2026-01"}
    assert doc["source"]["chars"] > 3 * 3000 // 3  # several chunks (3,000 bytes each)
    assert {c["kind"] for c in doc["claims"]} == {"target"}  # a plan for the year, in every chunk

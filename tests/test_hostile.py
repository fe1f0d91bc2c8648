"""Hostile and broken input: every document comes out once, with claims or with errors."""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import time

import pytest
from conftest import SPEECHES
from zhibiao import extract_file, extract_text
from zhibiao.api import Extractor
from zhibiao.io.export import write_document
from zhibiao.ruleset.load import RuleError, load_rule_file
from zhibiao.run.batch import run_batch
from zhibiao.run.inputs import iter_inputs
from zhibiao.run.stream import discard_spool
from zhibiao.text.ingest import html_to_text

GOOD = "上半年实现地区生产总值42亿元，增长9.1%。\n"
RULES_ONLY = Extractor(use_model=False)


def cases(root) -> dict[str, bytes]:
    return {
        "empty.txt": b"",
        "png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "pdf.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "zip.txt": b"PK\x03\x04\x14\x00\x00\x00" + bytes(200),
        "gbk_with_utf8_bom.txt": b"\xef\xbb\xbf" + GOOD.encode("gbk"),
        "big5.txt": "上半年實現地區生產總值42億元，增長9.1%。".encode("big5"),
        "utf16_no_bom.txt": GOOD.encode("utf-16-le"),
        "invalid_runs.txt": GOOD.encode() + b"\xff\xfe\xfa\x80\x81" * 3 + GOOD.encode(),
        "nested.html": ("<div>" * 3000 + "<p>" + GOOD + "</p>" + "</div>" * 3000).encode(),
        "truncated.html": ("<html><body><p>" + GOOD + "</p><div><p>全年增长<sp").encode(),
        "controls.txt": ("\x00\x07" + GOOD.replace("42", "4\x002") + "\x1b[0m").encode(),
        "讲话 稿 (1).txt": GOOD.encode(),
        "long_line.txt": ("增长" * 500_000).encode(),
        "digits.txt": ("地区生产总值" + "9" * 400 + "亿元，增长5%。").encode(),
        "many_figures.txt": ("地区生产总值分别增长" + "、".join(f"{i}%" for i in range(10_000)) + "。").encode(),
    }


@pytest.fixture()
def hostile(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name, data in cases(d).items():
        (d / name).write_bytes(data)
    os.symlink(d / "missing", d / "dangling.txt")  # a file that cannot be read
    if os.geteuid() != 0:  # root reads everything: permissions can only be tested as a user
        (d / "secret.txt").write_bytes(GOOD.encode())
        (d / "secret.txt").chmod(0)
    (d / "loop").mkdir()
    os.symlink(d / "loop", d / "loop" / "again")  # a folder loop
    os.symlink(d / "self.txt", d / "self.txt")  # a file link loop
    return d


def test_every_document_once_with_claims_or_errors(hostile, tmp_path):
    paths = [p for p, r in iter_inputs([str(hostile)]) if r is None]
    out = tmp_path / "out.jsonl"
    run_batch(paths, str(out), workers=2, extractor=RULES_ONLY)
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["source"]["path"] for d in docs] == paths
    by = {os.path.basename(d["source"]["path"]): d for d in docs}
    errors = {k: d["errors"][0]["code"] for k, d in by.items() if d["errors"]}
    assert errors == {"empty.txt": "empty", "png.txt": "binary", "pdf.txt": "binary",
                      "zip.txt": "binary", "dangling.txt": "unreadable", "self.txt": "unreadable",
                      **({"secret.txt": "unreadable"} if os.geteuid() != 0 else {})}
    for d in docs:
        assert not (d["errors"] and d["claims"])
    for name in ("gbk_with_utf8_bom.txt", "big5.txt", "utf16_no_bom.txt", "nested.html",
                 "truncated.html", "controls.txt", "讲话 稿 (1).txt"):
        amounts = [c["value"]["amount"] for c in by[name]["claims"] if c["value"]]
        assert 42 in amounts, name
    assert len(by["invalid_runs.txt"]["claims"]) == 2
    assert by["long_line.txt"]["claims"] == []
    assert [c["growth"]["rate"] for c in by["digits.txt"]["claims"]] == [5.0]
    assert len(by["many_figures.txt"]["claims"]) > 100


def test_cli_exit_code_and_failure_list(hostile, tmp_path):
    r = subprocess.run([sys.executable, "-m", "zhibiao.cli", "extract", str(hostile), "-o",
                        str(tmp_path / "o.jsonl"), "--no-model", "--workers", "1"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1
    assert r.stderr.count("failed [") == (6 if os.geteuid() == 0 else 7)
    assert "failed [binary]" in r.stderr and "failed [unreadable]" in r.stderr


def test_offsets_stay_exact_on_damaged_text(hostile):
    for name in ("controls.txt", "invalid_runs.txt", "nested.html", "gbk_with_utf8_bom.txt"):
        doc = extract_file(str(hostile / name), use_model=False)
        for c in doc.claims:
            assert doc.text[c.sentence.start:c.sentence.end] == c.sentence.text


def test_html_depth_and_truncation():
    assert html_to_text("<div>" * 10000 + "正文" + "</div>" * 10000) == "正文"
    assert "正文" in html_to_text("<p>正文</p><div><p>未完<a href='")


def test_time_limit_reports_timeout():
    text = "地区生产总值分别增长" + "、".join(f"{i}%" for i in range(20_000)) + "。"
    t0 = time.perf_counter()
    doc = extract_text(text, use_model=False, timeout=0.05)
    assert time.perf_counter() - t0 < 5
    assert doc.errors[0]["code"] == "timeout" and doc.claims == []


def test_too_large_and_streamed(tmp_path):
    big = tmp_path / "big.txt"
    body = "".join(f"第{i}段：全年实现地区生产总值{i}亿元，增长5%。\n" for i in range(1, 3001))
    big.write_text(body, encoding="utf-8")
    assert extract_file(str(big), max_bytes=1000).errors[0]["code"] == "too_large"
    whole = extract_file(str(big), use_model=False)
    streamed = extract_file(str(big), use_model=False, stream_bytes=10_000)
    assert streamed.source["streamed"] and streamed.source["sha256"] == whole.source["sha256"]
    assert streamed.claims == [] and streamed.spool  # claims were spooled, not held
    got = list(streamed.iter_claims())
    key = [(c["sentence"]["start"], c["sentence"]["end"], c["value"]["amount"]) for c in got]
    assert key == [(c.sentence.start, c.sentence.end, c.value.amount) for c in whole.claims]
    assert len(got) == 3000 and [c["id"] for c in got[:2]] == ["big:1", "big:2"]
    text = big.read_text(encoding="utf-8")
    assert all(text[c["sentence"]["start"]:c["sentence"]["end"]] == c["sentence"]["text"] for c in got)
    buf = io.StringIO()
    write_document(streamed, buf)
    assert json.loads(buf.getvalue()) == json.loads(json.dumps(streamed.to_dict()))
    discard_spool(streamed)


def test_streamed_document_through_the_batch(tmp_path, monkeypatch):
    import zhibiao.run.pool as pool

    monkeypatch.setattr(pool, "read_file", functools.partial(pool.read_file, stream_bytes=10_000))
    big = tmp_path / "big.txt"
    big.write_text("".join(f"全年实现地区生产总值{i}亿元，增长5%。\n" for i in range(1, 2001)),
                   encoding="utf-8")
    out = tmp_path / "o.jsonl"
    stats = run_batch([str(big)], str(out), extractor=RULES_ONLY)
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["source"]["streamed"] and len(d["claims"]) == 2000 == stats.claims


def test_bad_rule_names_file_and_line(tmp_path):
    bad = tmp_path / "indicators.yaml"
    bad.write_text("version: 1\nlexicon: [地区生产总值]\nmatching: {id: m, before: 全省, after: 增速, skip_inside: 完成}\n"
                   "name_test: {id: n, strip_head: 包括, strip_tail: 按, reject: 千分点, min_chars: 2, bare_heads: [], leans: 到达, subject_verb: 实现, not_subject: 今年, industries_together: 一二三产业, industry_without_di: 二产业}\n"
                   "measures: {id: me, physical_unit: 吨, list: []}\nindicators:\n"
                   "  - {key: gdp, zh: 地区生产总值, en: GDP, unit: amount, names: [地区生产总值]}\n"
                   "  - {key: Bad Key, zh: x, en: x, unit: amount, names: [x]}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"indicators.yaml:8: indicators/1/key"):
        load_rule_file(bad, "indicators")
    broken = tmp_path / "cues.yaml"
    broken.write_text("version: 1\ngrowth: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"cues.yaml:\d+: not valid YAML"):
        load_rule_file(broken, "cues")
    pat = tmp_path / "normalize.yaml"
    src = (SPEECHES.parent.parent / "rules" / "normalize.yaml").read_text(encoding="utf-8")
    pat.write_text(src.replace("'备案号'", "'备案号('"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"normalize.yaml:\d+: bad pattern"):
        load_rule_file(pat, "normalize")


def test_killed_run_leaves_previous_output_intact(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([str(src / "a.txt")], str(out), extractor=RULES_ONLY)
    before = out.read_bytes()
    (src / "b.txt").write_text(GOOD, encoding="utf-8")

    def crash(_p):
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        run_batch([str(src / "a.txt"), str(src / "b.txt")], str(out), extractor=RULES_ONLY, on_done=crash)
    assert out.read_bytes() == before
    stats = run_batch([str(src / "a.txt"), str(src / "b.txt")], str(out), extractor=RULES_ONLY)
    assert stats.documents == 2

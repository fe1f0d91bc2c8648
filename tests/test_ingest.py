"""Bytes in: encodings, HTML, and clear errors for what cannot be read."""

from __future__ import annotations

import pytest
from zhibiao import extract_file
from zhibiao.text.ingest import IngestError, decode, html_to_text

TEXT = "上半年实现地区生产总值42亿元，增长9.1%。"


@pytest.mark.parametrize("enc,data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-sig", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("gb18030", TEXT.encode("gb18030")),
    ("big5", "上半年實現地區生產總值42億元，增長9.1%。".encode("big5")),
    ("utf-16", TEXT.encode("utf-16")),
    ("utf-16", TEXT.encode("utf-16-le")),
])
def test_decodes(enc, data):
    text, got = decode(data)
    assert got == enc
    assert "42" in text and "9.1" in text


@pytest.mark.parametrize("data,code", [
    (b"", "empty"), (b"   \n ", "empty"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "binary"),
    (b"%PDF-1.7 ...", "binary"), (b"PK\x03\x04zip", "binary"),
])
def test_bad_bytes(data, code):
    with pytest.raises(IngestError) as e:
        decode(data)
    assert e.value.code == code


def test_html_keeps_blocks_and_drops_scripts():
    src = "<html><head><style>p{}</style></head><body><p>第一段增长5%</p><script>var x=1</script><div>第二段</div>"
    text = html_to_text(src)
    assert "var x" not in text and "p{}" not in text
    assert text.split("\n")[0] == "第一段增长5%"
    assert "第二段" in text


def test_gbk_file_with_claims(tmp_path):
    p = tmp_path / "演讲 稿.txt"
    p.write_bytes(TEXT.encode("gbk"))
    doc = extract_file(str(p))
    assert doc.source["encoding"] == "gb18030"
    assert doc.doc_id == "演讲 稿"
    assert doc.claims[0].value.amount == 42


def test_errors_are_reported_not_raised(tmp_path):
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    big.write_bytes(TEXT.encode() * 100)
    assert extract_file(str(empty)).errors[0]["code"] == "empty"
    assert extract_file(str(big), max_bytes=1000).errors[0]["code"] == "too_large"
    assert extract_file(str(tmp_path / "missing.txt")).errors[0]["code"] == "unreadable"

"""The web page with a claims.db from someone else: escaped values, typed numbers, its own host
only, and a chart that compares like with like."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import sqlite3
import subprocess
import threading
import xml.etree.ElementTree as ET
from importlib import resources

import pytest
from zhibiao import extract_text
from zhibiao.io.tables import COLUMNS, export_sqlite
from zhibiao.serve import chart
from zhibiao.serve.query import load_rows, search
from zhibiao.serve.server import App, content_security_policy, host_allowed, make_server, startup_lines

PAGE = resources.files("zhibiao.serve").joinpath("web/index.html").read_text(encoding="utf-8")
SVG = "{http://www.w3.org/2000/svg}"
TEXTS = {
    "a2023": "2023年全市生产总值增长7.2%。2023年全市单位GDP能耗下降18%。",
    "b2023": "2023年全市生产总值增长6.5%。2023年全市单位GDP能耗下降15%。",
    "c2022": "2022年全市生产总值增长9.9%。",
}


def write_db(tmp_path, docs: dict[str, str]) -> str:
    src = tmp_path / "c.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for doc_id, text in docs.items():
            fh.write(json.dumps(extract_text(text, doc_id=doc_id).to_dict(), ensure_ascii=False) + "\n")
    db = str(tmp_path / "c.db")
    export_sqlite(str(src), db, warn=lambda m: None)
    return db


def test_every_value_put_into_the_page_goes_through_esc_or_num():
    script = PAGE[PAGE.index("<script>"):]
    holes = re.findall(r"\$\{([^}]*)\}", script)
    assert len(holes) == script.count("${") > 10
    composed = {"html", "note"}  # built from esc()'d pieces a few lines above
    bad = [h for h in holes if not (h.startswith(("esc(", "num(")) or h in composed)]
    assert not bad, bad
    assert 'data-start="${num(' in script


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_esc_leaves_no_markup_or_attribute_break():
    esc = re.search(r"const esc = .*?;\n", PAGE).group()
    js = esc + "console.log(JSON.stringify(['\"><img src=x onerror=alert(1)>', \"' onclick='x\", null].map(esc)))"
    out = json.loads(subprocess.run(["node", "-e", js], capture_output=True, text=True, timeout=30).stdout)
    assert out == ["&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", "&#39; onclick=&#39;x", ""]


def test_rows_with_text_in_a_number_column_are_left_out(tmp_path):
    db = str(tmp_path / "old.db")  # an untyped database, as an older export or a hand-made one
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE documents (doc_id, path, sha256, encoding, script, title, errors, text)")
    con.execute(f"CREATE TABLE claims ({', '.join(repr(c) for c in COLUMNS)})")
    con.execute("INSERT INTO documents (doc_id, title, text) VALUES ('d', 't', '增长7.2%')")
    row = {c: None for c in COLUMNS} | {"doc_id": "d", "claim_id": "d-1", "indicator_name": "生产总值",
                                         "kind": "actual", "sentence": "增长7.2%", "start": 0, "end": 6,
                                         "span_start": 0, "span_end": 6, "confidence": 0.9, "growth_rate": 7.2}
    evil = row | {"claim_id": "d-2", "start": '"><img src=x onerror=alert(document.cookie)>'}
    for r in (row, evil):
        con.execute(f"INSERT INTO claims VALUES ({','.join('?' * len(COLUMNS))})", [r[c] for c in COLUMNS])
    con.commit()
    con.close()
    app = App(db)
    assert [r["claim_id"] for r in app.rows] == ["d-1"] and app.dropped == 1
    assert all(isinstance(r["start"], int) for r in app.search({})["rows"])
    assert any("left out" in line for line in startup_lines(db, "127.0.0.1", 1, app.dropped))


def test_the_page_runs_only_its_own_script():
    csp = content_security_policy(PAGE.encode("utf-8"))
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and script_src.startswith("'sha256-")


@pytest.fixture
def server(tmp_path):
    srv = make_server(write_db(tmp_path, TEXTS), "127.0.0.1", 0)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def get(port: int, host: str, path: str = "/api/facets") -> int:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest("GET", path, skip_host=True)
    c.putheader("Host", host)
    c.endheaders()
    status = c.getresponse().status
    c.close()
    return status


def test_requests_naming_another_host_are_refused(server):
    port = server
    for ok in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        assert get(port, ok) == 200, ok
    for bad in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}",
                f"localhost:{port + 1}", "", "a b"):
        assert get(port, bad) == 403, bad


def test_all_interfaces_accept_addresses_not_rebinding_names():
    assert host_allowed("192.168.1.20:8765", "0.0.0.0", 8765)
    assert not host_allowed("rebind.example:8765", "0.0.0.0", 8765)
    assert not host_allowed("192.168.1.20:8765", "127.0.0.1", 8765)


def test_listening_on_all_interfaces_says_the_claims_are_exposed():
    assert any("exposed to the network" in s for s in startup_lines("c.db", "0.0.0.0", 8765))
    assert not any("exposed" in s for s in startup_lines("c.db", "127.0.0.1", 8765))


def bars(svg: str) -> tuple[str, list[ET.Element], float]:
    root = ET.fromstring(svg)
    title = root.find(SVG + "text").text
    zero = float(root.find(SVG + "line").get("x1"))
    return title, root.findall(SVG + "rect"), zero


def test_chart_compares_one_indicator_one_kind_one_period(tmp_path):
    rows = load_rows(write_db(tmp_path, TEXTS))
    hits = search(rows, "GDP")  # 生产总值 and 单位GDP能耗 both match the words
    assert {r["indicator_name"] for r in hits} >= {"生产总值", "单位GDP能耗"}
    title, rects, _ = bars(chart.svg(hits))
    assert "生产总值" in title and "单位GDP能耗" not in title and "2023年" in title and "actual" in title
    assert sorted(float(r.get("data-value")) for r in rects) == [6.5, 7.2]  # not 2022's 9.9


def test_a_fall_is_drawn_below_zero(tmp_path):
    rows = search(load_rows(write_db(tmp_path, TEXTS)), "单位GDP能耗")
    svg = chart.svg(rows)
    title, rects, zero = bars(svg)
    assert "单位GDP能耗" in title and len(rects) == 2
    for r in rects:
        assert float(r.get("data-value")) < 0
        assert float(r.get("x")) + float(r.get("width")) <= zero and "negative" in r.get("class")
    assert ">-18<" in svg and ">-15<" in svg


def test_chart_text_is_escaped():
    rows = [{"doc_id": f"<script>d{i}</script>", "indicator_name": '<img src=x onerror="alert(1)">',
             "canonical": None, "kind": "actual", "period": "&", "growth_rate": 1.0 + i, "growth_unit": "%"}
            for i in range(2)]
    root = ET.fromstring(chart.svg(rows))
    assert not root.findall(".//" + SVG + "script") and not root.findall(".//" + SVG + "img")
    assert "onerror" in root.find(SVG + "text").text  # shown as text, not markup

"""The journalists' side: SQLite export, query, and the web page in a real headless browser."""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.request

import pytest
from conftest import CHROMIUM, SPEECHES, launch_chromium
from zhibiao.io.tables import COLUMNS, export_csv, export_sqlite, to_dataframe
from zhibiao.serve.query import expand, load_rows, render, search
from zhibiao.serve.server import make_server


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory, corpus_docs):
    p = tmp_path_factory.mktemp("out") / "claims.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        for d in corpus_docs.values():
            fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    return str(p)


@pytest.fixture(scope="module")
def db(jsonl, tmp_path_factory):
    p = str(tmp_path_factory.mktemp("db") / "claims.db")
    export_sqlite(jsonl, p)
    return p


@pytest.fixture(scope="module")
def server(db):
    srv = make_server(db, "127.0.0.1", 0)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_tables_agree(jsonl, db, tmp_path):
    df = to_dataframe(jsonl)
    assert list(df.columns) == COLUMNS
    n = export_csv(jsonl, str(tmp_path / "c.csv"))
    con = sqlite3.connect(db)
    assert n == len(df) == con.execute("SELECT count(*) FROM claims").fetchone()[0]
    text, start, end, sent = con.execute(
        "SELECT d.text, c.start, c.end, c.sentence FROM claims c JOIN documents d USING (doc_id) LIMIT 1").fetchone()
    assert text[start:end] == sent
    row = df[df.indicator_name == "财政总收入"].iloc[0]
    assert row.value_base == pytest.approx(131.2e8) and row.value_unit == "亿元"


def test_query_synonyms_and_scripts(db):
    rows = load_rows(db)
    gdp = search(rows, "GDP")
    assert {r["indicator_name"] for r in gdp} >= {"生产总值", "地区生产总值"}
    assert search(rows, "地區生產總值") == search(rows, "地区生产总值")
    assert "gdp" in expand("生产总值")[1]
    targets = search(rows, "地区生产总值", kind="target")
    assert targets and all(r["kind"] == "target" for r in targets)
    assert all(r["subject"] == "全省" for r in search(rows, "", subject="全省"))
    out = render(search(rows, "财政总收入")[:1])
    assert "131.2 亿元" in out and "【" in out


def test_api(server):
    f = json.loads(urllib.request.urlopen(server + "/api/facets").read())
    assert len(f["doc"]) == len(list(SPEECHES.glob("*.txt")))
    r = json.loads(urllib.request.urlopen(server + "/api/search?q=%E8%B4%A2%E6%94%BF%E6%80%BB%E6%94%B6%E5%85%A5").read())
    assert r["total"] >= 3


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed")
def test_browser_search_filter_click(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(server + "/")
        page.wait_for_selector("tr.claim")
        page.fill("#q", "地區生產總值")  # traditional query, simplified text
        page.click("#go")
        page.wait_for_selector("#summary:has-text('matching')")  # no string eval: the page's CSP forbids it
        rows = page.locator("tr.claim")
        assert rows.count() >= 3
        page.select_option("#kind", "target")
        page.click("#go")
        page.wait_for_timeout(300)
        kinds = page.locator("tr.claim td:nth-child(4)").all_inner_texts()
        assert kinds and set(kinds) == {"target"}
        page.select_option("#kind", "")
        page.fill("#q", "财政总收入")
        page.click("#go")
        page.wait_for_timeout(300)
        page.locator("tr.claim").first.click()
        page.wait_for_selector("#hit")
        hit = page.locator("#hit")
        assert "131.2" in hit.inner_text()
        assert hit.is_visible()
        start = int(hit.get_attribute("data-start"))
        doc_text = page.evaluate("document.querySelector('#doctext').textContent")
        assert doc_text[start:start + len(hit.inner_text())] == hit.inner_text()
        # an indicator across several documents gets a chart
        page.fill("#q", "GDP")
        page.click("#go")
        page.wait_for_selector("#chartsvg")
        assert page.locator("#chartsvg rect.bar").count() >= 2
        browser.close()

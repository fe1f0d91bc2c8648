"""The web page's "targets vs outcomes" view, on the panel test documents (tests/panel_docs)."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, launch_chromium
from zhibiao import extract_file
from zhibiao.io.export import write_jsonl
from zhibiao.io.tables import export_sqlite
from zhibiao.serve import panelchart
from zhibiao.serve.server import make_server

DOCS = Path(__file__).resolve().parent / "panel_docs"
SHOT = __import__("os").environ.get("ZHIBIAO_SCREENSHOT")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("panelview")
    write_jsonl(str(d / "out.jsonl"),
                (extract_file(str(f), use_model=False).to_dict() for f in sorted(DOCS.glob("*.txt"))))
    export_sqlite(str(d / "out.jsonl"), str(d / "claims.db"))
    srv = make_server(str(d / "claims.db"), "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def get(server: str, path: str, **q: str):
    url = server + path + ("?" + urllib.parse.urlencode(q) if q else "")
    return json.loads(urllib.request.urlopen(url).read())


def test_the_series_list_puts_the_indicators_with_most_pairs_first(server):
    series = get(server, "/api/panel/series")
    assert [s["pairs"] for s in series] == sorted((s["pairs"] for s in series), reverse=True)
    assert series[0]["pairs"] >= 2
    assert {"place": "安徽省", "canonical": "gdp", "measure": "growth", "pairs": 2, "targets": 3} in series


def test_one_series_has_a_band_per_target_and_a_coloured_point_per_outcome(server):
    res = get(server, "/api/panel", place="安徽省", canonical="gdp", measure="growth")
    years = {r["year"]: r for r in res["rows"]}
    assert years[2024]["met"] == "yes" and years[2026]["actual"] is None
    svg = res["chart"]
    assert svg.count('<rect class="target"') == 3  # 2024, 2025, 2026
    assert svg.count('<circle class="outcome yes"') == 2 and 'class="outcome none"' in svg  # 2023: no target
    ref = res["refs"][years[2024]["actual_claim"]]
    assert ref["doc_id"] == "anhui_2025" and ref["span_start"] < ref["span_end"]


def test_a_missed_target_is_drawn_red():
    rows = [{"year": 2024, "jurisdiction": "安徽省", "canonical": "unemployment_surveyed", "measure": "value",
             "unit": "%", "target": 5.5, "target_max": None, "target_qualifier": "以内", "actual": 5.6,
             "met": "no", "target_claim": "a:7", "actual_claim": "b:4"}]
    svg = panelchart.svg(rows)
    assert '<circle class="outcome no"' in svg and panelchart.COLOURS["no"] in svg
    assert panelchart.band(rows[0], True) == (5.5, 5.5, "≤")
    near = {**rows[0], "target": 5.0, "target_qualifier": "左右"}
    assert panelchart.band(near, False) == (4.5, 5.5, "±")


def test_names_from_the_database_are_escaped_in_the_chart():
    rows = [{"year": 2024, "jurisdiction": "<script>x</script>", "canonical": "gdp", "measure": "growth",
             "unit": "%", "target": 5.0, "target_max": None, "target_qualifier": None, "actual": 5.2,
             "met": "yes", "target_claim": '"><b>', "actual_claim": "b:1"}]
    svg = panelchart.svg(rows)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and '"><b>' not in svg


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed")
def test_browser_a_click_on_an_outcome_opens_its_sentence(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(server + "/")
        page.wait_for_selector("#panelsvg")
        value = page.locator("#panelseries option", has_text="安徽省 · gdp · growth").first.get_attribute("value")
        page.select_option("#panelseries", value)
        page.wait_for_selector("#panelsvg:has-text('gdp')")  # no string eval: the page's CSP forbids it
        point = page.locator('#panelsvg circle.outcome.yes[data-value="5.8"]').first  # 2024's (2023's has no target)
        assert point.get_attribute("fill") == panelchart.COLOURS["yes"]
        point.click()
        page.wait_for_selector("#hit")
        assert "5.8%" in page.locator("#hit b").inner_text()
        assert "安徽省" in page.locator("#doctitle").inner_text()
        page.screenshot(path=str(SHOT)) if SHOT else None
        browser.close()

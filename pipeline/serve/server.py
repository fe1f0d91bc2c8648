"""``zhibiao serve DB``: a local page to search claims and read them in their speech.

Standard library only (http.server + sqlite3). The page calls a small JSON API:
``/api/search``, ``/api/facets``, ``/api/doc``. The same SQLite file opens in Datasette.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlparse

from .query import figure_text, load_rows, search

MAX_RESULTS = 500


class App:
    """The data behind the page, loaded once from the SQLite export."""

    def __init__(self, db: str):
        self.db = db
        self.rows = load_rows(db)
        for r in self.rows:
            r["figure"] = figure_text(r)
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        self.docs = {d: t for d, t in con.execute("SELECT doc_id, title FROM documents")}
        con.close()
        self.lock = threading.Lock()

    def facets(self) -> dict:
        def values(k: str) -> list[str]:
            return sorted({r[k] for r in self.rows if r.get(k)})

        return {"kind": values("kind"), "subject": values("subject"), "period": values("period"),
                "doc": sorted(self.docs), "claims": len(self.rows)}

    def search(self, q: dict[str, str]) -> dict:
        rows = search(self.rows, q.get("q", ""), subject=q.get("subject") or None,
                      kind=q.get("kind") or None, year=q.get("year") or None,
                      doc=q.get("doc") or None, period=q.get("period") or None)
        keep = ("doc_id", "claim_id", "indicator_name", "canonical", "figure", "kind", "period",
                "subject", "sentence", "start", "end", "span_start", "span_end", "value_amount",
                "value_unit", "growth_rate", "growth_unit", "method", "confidence")
        return {"total": len(rows), "rows": [{k: r.get(k) for k in keep} for r in rows[:MAX_RESULTS]]}

    def document(self, doc_id: str) -> dict | None:
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        row = con.execute("SELECT doc_id, title, text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        con.close()
        if not row:
            return None
        return {"doc_id": row[0], "title": row[1], "text": row[2] or ""}


def _page() -> bytes:
    return resources.files(__package__).joinpath("web/index.html").read_bytes()


def make_handler(app: App):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, obj, code: int = 200) -> None:
            self._send(code, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            u = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(u.query).items()}
            if u.path in ("/", "/index.html"):
                self._send(200, _page(), "text/html; charset=utf-8")
            elif u.path == "/api/facets":
                self._json(app.facets())
            elif u.path == "/api/search":
                self._json(app.search(q))
            elif u.path == "/api/doc":
                d = app.document(q.get("id", ""))
                self._json(d if d else {"error": "no such document"}, 200 if d else 404)
            else:
                self._json({"error": "not found"}, 404)

    return Handler


def make_server(db: str, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), make_handler(App(db)))


def serve(db: str, host: str = "127.0.0.1", port: int = 8765) -> None:
    srv = make_server(db, host, port)
    print(f"zhibiao: serving {db} at http://{host}:{srv.server_address[1]}/ (Ctrl-C to stop)",
          file=sys.stderr)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()

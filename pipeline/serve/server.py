"""``zhibiao serve DB``: a local page to search claims and read them in their speech.

Standard library only (http.server + sqlite3). The page calls a small JSON API:
``/api/search``, ``/api/facets``, ``/api/doc``, and the panel's ``/api/panel/series`` and
``/api/panel`` (targets vs outcomes of one indicator). The same SQLite file opens in Datasette.

A claims.db may come from someone else: values are type-checked on load and escaped in the
page, the page runs only its own script (CSP hash), and requests naming another host
(DNS rebinding) are refused.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlparse

from ..io.tables import INTEGER_COLUMNS, REAL_COLUMNS
from ..io.textsafe import for_terminal
from . import chart, panelchart
from .query import connect_ro, figure_text, load_rows, search

MAX_RESULTS = 500
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def well_typed(r: dict[str, Any]) -> bool:
    """Whether every number column of a row holds a number (or nothing)."""
    for c in INTEGER_COLUMNS | REAL_COLUMNS:
        v = r.get(c)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return False
        if c in INTEGER_COLUMNS and not isinstance(v, int):
            return False
    return True


class App:
    """The data behind the page, loaded once from the SQLite export."""

    def __init__(self, db: str):
        self.db = db
        rows = load_rows(db)
        self.rows = [r for r in rows if well_typed(r)]
        self.dropped = len(rows) - len(self.rows)
        for r in self.rows:
            r["figure"] = figure_text(r)
        self.by_claim = {r["claim_id"]: r for r in self.rows}
        con = connect_ro(db)
        try:
            self.docs = {d: t for d, t in con.execute("SELECT doc_id, title FROM documents")}
        finally:
            con.close()
        self.lock = threading.Lock()
        self._panel: list[dict[str, Any]] | None = None

    def panel_rows(self) -> list[dict[str, Any]]:
        """The panel of this database (built once, on first use)."""
        with self.lock:
            if self._panel is None:
                from ..panel import panel

                df = panel(self.db)
                self._panel = df.astype(object).where(df.notna(), None).to_dict("records")
        return self._panel

    def panel_series(self) -> list[dict[str, Any]]:
        """Each (place, indicator, measure) with a target, most pairs first."""
        count: dict[tuple, list[int]] = {}
        for r in self.panel_rows():
            c = count.setdefault((r["jurisdiction"] or "", r["canonical"], r["measure"]), [0, 0])
            c[0] += r["met"] is not None
            c[1] += r["target"] is not None
        keys = sorted(count, key=lambda k: (-count[k][0], -count[k][1], k))
        return [{"place": p, "canonical": c, "measure": m, "pairs": count[(p, c, m)][0],
                 "targets": count[(p, c, m)][1]} for p, c, m in keys]

    def _ref(self, claim_id: Any) -> dict[str, Any] | None:
        r = self.by_claim.get(claim_id) if isinstance(claim_id, str) else None
        keep = ("doc_id", "claim_id", "indicator_name", "figure", "start", "end", "span_start", "span_end")
        return {k: r.get(k) for k in keep} if r else None

    def panel_view(self, q: dict[str, str]) -> dict[str, Any]:
        """One series of the panel: its rows, the chart, and each claim's place in its speech."""
        rows = [r for r in self.panel_rows() if (r["jurisdiction"] or "") == q.get("place", "")
                and r["canonical"] == q.get("canonical") and r["measure"] == q.get("measure")]
        refs = {c: self._ref(c) for r in rows for c in (r["target_claim"], r["actual_claim"]) if c}
        return {"rows": rows, "chart": panelchart.svg(rows), "refs": {k: v for k, v in refs.items() if v}}

    def facets(self) -> dict:
        def values(k: str) -> list[str]:
            return sorted({str(r[k]) for r in self.rows if r.get(k)})

        return {"kind": values("kind"), "subject": values("subject"), "period": values("period"),
                "doc": sorted(str(d) for d in self.docs), "claims": len(self.rows)}

    def search(self, q: dict[str, str]) -> dict:
        rows = search(self.rows, q.get("q", ""), subject=q.get("subject") or None,
                      kind=q.get("kind") or None, year=q.get("year") or None,
                      doc=q.get("doc") or None, period=q.get("period") or None)
        keep = ("doc_id", "claim_id", "indicator_name", "canonical", "figure", "kind", "period",
                "subject", "sentence", "start", "end", "span_start", "span_end", "value_amount",
                "value_unit", "growth_rate", "growth_unit", "method", "confidence")
        return {"total": len(rows), "rows": [{k: r.get(k) for k in keep} for r in rows[:MAX_RESULTS]],
                "chart": chart.svg(rows)}

    def document(self, doc_id: str) -> dict | None:
        con = connect_ro(self.db)
        row = con.execute("SELECT doc_id, title, text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        con.close()
        if not row:
            return None
        text = row[2] if isinstance(row[2], str) else ""
        return {"doc_id": row[0], "title": row[1], "text": text}


def _page() -> bytes:
    return resources.files(__package__).joinpath("web/index.html").read_bytes()


def content_security_policy(page: bytes) -> str:
    """Only the page's own inline script runs (by its hash): no injected handler or script."""
    scripts = re.findall(rb"<script>(.*?)</script>", page, flags=re.S)
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s).digest()).decode() + "'"
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def split_host(header: str) -> tuple[str, int | None] | None:
    """(host, port) of a Host header (``[::1]:8765`` too); None when malformed."""
    m = re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?", header.strip())
    if not m:
        return None
    return m.group(1).strip("[]").lower(), int(m.group(2)) if m.group(2) else None


def host_allowed(header: str | None, bound: str, port: int) -> bool:
    """The Host a browser names must be this server: its address, localhost or a loopback
    address (so a rebinding domain cannot read the API). Bound to all interfaces, any IP
    address literal is accepted, never a domain name other than localhost."""
    parsed = split_host(header or "")
    if not parsed:
        return False
    host, p = parsed
    if p is not None and p != port:
        return False
    if host in LOOPBACK_NAMES or host == bound.strip("[]").lower():
        return True
    return bound in ("0.0.0.0", "::", "") and _is_ip(host)


def make_handler(app: App, page: bytes | None = None):
    page = page if page is not None else _page()
    csp = content_security_policy(page)
    api = {"/api/facets": lambda q: app.facets(), "/api/search": app.search,
           "/api/panel/series": lambda q: app.panel_series(), "/api/panel": app.panel_view}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the browser went away: nothing to say
                self.close_connection = True

        def _json(self, obj, code: int = 200) -> None:
            self._send(code, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            srv = self.server
            if not host_allowed(self.headers.get("Host"), srv.bound_host, srv.server_address[1]):
                self._json({"error": "unknown host (zhibiao serves only its own address)"}, 403)
                return
            self._route()

        def _route(self) -> None:
            u = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(u.query).items()}
            if u.path in ("/", "/index.html"):
                self._send(200, page, "text/html; charset=utf-8")
            elif u.path in api:
                self._json(api[u.path](q))
            elif u.path == "/api/doc":
                d = app.document(q.get("id", ""))
                self._json(d if d else {"error": "no such document"}, 200 if d else 404)
            else:
                self._json({"error": "not found"}, 404)

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that disconnects is no error; anything else is one line, no traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)):
            return
        print(f"zhibiao: error: request from {client_address[0]} failed: "
              f"{for_terminal(str(exc) or type(exc).__name__)}", file=sys.stderr)
    bound_host = "127.0.0.1"  # the address as given ("0.0.0.0", "::1"): the Host check uses it
    dropped = 0  # claims left out of the page (a number column holding text)


class Server6(Server):
    address_family = socket.AF_INET6


def make_server(db: str, host: str = "127.0.0.1", port: int = 8765) -> Server:
    app = App(db)
    srv = (Server6 if ":" in host else Server)((host, port), make_handler(app))
    srv.bound_host, srv.dropped = host, app.dropped
    return srv


def startup_lines(db: str, host: str, port: int, dropped: int = 0) -> list[str]:
    """What ``serve`` says on stderr: where, and a warning when the claims leave this machine."""
    shown = f"[{host}]" if ":" in host else host
    lines = [f"zhibiao: serving {for_terminal(db)} at http://{shown}:{port}/ (Ctrl-C to stop)"]
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127."):
        lines.append(f"zhibiao: warning: listening on {host}: the claims are exposed to the network")
    if dropped:
        lines.append(f"zhibiao: warning: {dropped} claims left out (a number column holds text)")
    return lines


def serve(db: str, host: str = "127.0.0.1", port: int = 8765) -> None:
    srv = make_server(db, host, port)
    for line in startup_lines(db, host, srv.server_address[1], srv.dropped):
        print(line, file=sys.stderr, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()

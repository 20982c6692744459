"""A local Google Sheets API v4 + Drive v3 server that keeps state and answers like Google.

Used by the tests and the benchmarks: the real gspread client talks to it over HTTP, through a
session that rewrites Google's hosts (connectors.sources.google_http). Run it by hand with

    python -m tests.sheets_server --port 8765 [--load WORKBOOK.xlsx]

which prints `spreadsheet_id=<ID>` on its own line once it listens. In tests, use `SheetsServer`:

    server = SheetsServer().start()
    key = server.create_spreadsheet("Demo", {"villages": [["village_code", "village"], ["01020304", "Kok"]]})
    server.inject(429, times=2, match="values:batchGet")   # the next 2 matching requests get 429
    server.edit(key, "villages", "B2", "Kok Thmei")        # another person edits (modifiedTime moves)
    server.requests()                                       # what was served: method, path, query, ...
    server.stop()

Endpoints served: Sheets `spreadsheets` create/get (fields, ranges, includeGridData: values, formulas,
notes, hyperlinks and data validation per cell, tests.sheets_server_grid), `spreadsheets:batchUpdate` (see
tests.sheets_server_requests; HYPERLINK/MATCH formulas recomputed after every change, as Google does:
tests.sheets_server_formula), `values` get/batchGet/update/
batchUpdate/append/clear/batchClear; Drive `files` create/get (fields)/delete/list; OAuth `token`.
Answers are pretty-printed unless `prettyPrint=false`, gzipped when the client sends
`Accept-Encoding: gzip` and "gzip" in its User-Agent (Google's rule).

Admin endpoints (never logged, never faulted):
    GET  /_admin/requests        JSON list of served requests: method, path, query, status, bytes, api
    POST /_admin/reset           clear that list
    POST /_admin/faults          add a fault: {"kind": "status"|"delay"|"drop"|"lose_answer", "status": 429,
                                 "times": 1 (-1 = forever), "match": "<regex on 'METHOD /path?query'>",
                                 "delay": seconds}
    DELETE /_admin/faults        remove every fault
    POST /_admin/edit            edit as another person: {"spreadsheetId", "sheet", "cell": "B2", "value"}
    POST /_admin/spreadsheets    create one: {"title", "sheets": {title: [[...], ...]}, "fit": false} -> {"spreadsheetId"};
                                 a cell {"date": "2024-03-01"} is a date (a serial number formatted as a date)
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests import sheets_server_a1 as a1
from tests import sheets_server_cells as cells
from tests import sheets_server_requests as batch
from tests import sheets_server_values as values
from tests.sheets_server_state import SPREADSHEET_MIME, ApiError, State, load_rows

_FAULT_MESSAGES = {
    403: "The caller does not have permission",
    408: "Request timed out.",
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' "
         "of service 'sheets.googleapis.com' for consumer 'project_number:0'.",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "Deadline exceeded.",
}


@dataclass
class Fault:
    """What to do to the next `times` requests whose 'METHOD /path?query' matches `match`."""

    kind: str  # "status" | "delay" | "drop" | "lose_answer" | "hook"
    match: str = ""
    times: int = 1  # -1: forever
    status: int = 429
    delay: float = 0.0
    hook: Callable[[], None] | None = None
    retry_after: float | None = None  # a "status" fault's Retry-After header, in seconds

    def matches(self, line: str) -> bool:
        return self.times != 0 and re.search(self.match, line) is not None


def dumps(obj: Any, pretty: bool) -> str:
    """Google's JSON: compact when asked, else 2-space indented (built fast for big value lists)."""
    if not pretty:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _pretty(obj, "")


def _pretty(obj: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if isinstance(obj[0], (list, dict)):
            return "[\n" + ",\n".join(inner + _pretty(v, inner) for v in obj) + "\n" + indent + "]"
        # A row of scalars: one C-encoder call; "\x00" cannot occur inside encoded JSON strings.
        body = json.dumps(obj, ensure_ascii=False, separators=("\x00", ":"))[1:-1]
        return "[\n" + inner + body.replace("\x00", ",\n" + inner) + "\n" + indent + "]"
    return json.dumps(obj, ensure_ascii=False)


class SheetsServer:
    """The server, in-process: start(), stop(), base_url, state, faults, request log."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, owner_email: str = "backoffice-tests@local.test"):
        self.state = State(owner_email)
        self.faults: list[Fault] = []
        self.log: list[dict] = []
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.app = self
        self._thread: threading.Thread | None = None

    # -- life --------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SheetsServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> SheetsServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- state -------------------------------------------------------------------------------
    def create_spreadsheet(self, title: str, sheets: dict[str, list[list]] | None = None, fit: bool = False) -> str:
        """A new spreadsheet with these tabs and rows (Python values; dates become date cells) -> its key."""
        with self.state.lock:
            return self.state.create(title, sheets, fit).id

    def load_xlsx(self, path: str, title: str | None = None) -> str:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(path)
        sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
        key = self.create_spreadsheet(title or str(path).rsplit("/", 1)[-1], sheets)
        with self.state.lock:  # the workbook's merged cells, as Google keeps them after an upload
            for name in book.sheet_names:
                self.state.get(key).sheet_named(name).merges = [
                    (top, bottom + 1, left, right + 1) for (top, left), (bottom, right) in book.get_sheet_by_name(name).merged_cell_ranges or ()]
        return key

    def sheet_values(self, spreadsheet_id: str, sheet: str) -> list[list]:
        """The stored rows of a sheet (a copy): "" for empty cells, dates as serials."""
        with self.state.lock:
            return [list(r) for r in self.state.get(spreadsheet_id).sheet_named(sheet).values]

    def cell(self, spreadsheet_id: str, sheet: str, cell: str) -> Any:
        with self.state.lock:
            target = self.state.get(spreadsheet_id).sheet_named(sheet)
            ref = a1.parse(cell, [sheet])
            return target.get(ref.r0, ref.c0)

    def cell_parts(self, spreadsheet_id: str, sheet: str, cell: str) -> dict:
        """A cell as CellData (value, formula, format, note, hyperlink, data validation), as Google would answer it."""
        with self.state.lock:
            target = self.state.get(spreadsheet_id).sheet_named(sheet)
            ref = a1.parse(cell, [sheet])
            return target.cell_data(ref.r0, ref.c0, {})

    def snapshot(self, spreadsheet_id: str, sheet: str) -> dict:
        """Everything a sheet holds apart from its notes: values, formulas, number formats, validation (a copy)."""
        with self.state.lock:
            target = self.state.get(spreadsheet_id).sheet_named(sheet)
            return {"values": [list(r) for r in target.values], "formulas": dict(target.formulas),
                    "cell_formats": dict(target.cell_formats), "range_formats": list(target.range_formats),
                    "validations": list(target.validations), "cell_validations": dict(target.cell_validations),
                    "size": (target.row_count, target.col_count)}

    def notes(self, spreadsheet_id: str, sheet: str) -> dict[str, str]:
        """A1 cell -> note, for every note of the sheet."""
        with self.state.lock:
            target = self.state.get(spreadsheet_id).sheet_named(sheet)
            return {f"{a1.col_letters(c)}{r + 1}": text for (r, c), text in sorted(target.notes.items())}

    def edit(self, spreadsheet_id: str, sheet: str, cell: str, value: Any, move_modified_time: bool = True) -> None:
        """Another person types into a cell: the value changes and Drive's modifiedTime moves (or, with
        move_modified_time=False, not yet: Google's modifiedTime can lag an edit by minutes)."""
        with self.state.lock:
            book = self.state.get(spreadsheet_id)
            target = book.sheet_named(sheet)
            ref = a1.parse(cell, [sheet])
            stored, fmt = cells.python_value(value)
            if ref.r0 >= target.row_count:
                target.row_count = ref.r0 + 1
            target.set(ref.r0, ref.c0, stored, None, fmt)
            if move_modified_time:
                book.touch()

    def set_rows(self, spreadsheet_id: str, sheet: str, rows: list[list]) -> None:
        """Replace a sheet's cells with Python values, as another person pasting them."""
        with self.state.lock:
            book = self.state.get(spreadsheet_id)
            target = book.sheet_named(sheet)
            target.cell_formats.clear()
            target.formulas.clear()
            load_rows(target, rows)
            target.row_count = max(target.row_count, len(rows))
            target.col_count = max([target.col_count, *(len(r) for r in rows)])
            book.touch()

    # -- faults ------------------------------------------------------------------------------
    def inject(self, status: int = 429, times: int = 1, match: str = "", retry_after: float | None = None) -> None:
        """The next `times` matching API requests get this error status (403 for "not shared")."""
        self._add(Fault("status", match, times, status=status, retry_after=retry_after))

    def slow(self, seconds: float, times: int = 1, match: str = "") -> None:
        self._add(Fault("delay", match, times, delay=seconds))

    def drop(self, times: int = 1, match: str = "") -> None:
        """Close the connection without an answer."""
        self._add(Fault("drop", match, times))

    def lose_answer(self, times: int = 1, match: str = "") -> None:
        """Carry the request out, then close the connection without an answer (a write that landed)."""
        self._add(Fault("lose_answer", match, times))

    def deny(self, match: str = "") -> None:
        """Every matching request gets 403 PERMISSION_DENIED until clear_faults()."""
        self._add(Fault("status", match, -1, status=403))

    def before_next(self, match: str, hook: Callable[[], None]) -> None:
        """Run `hook` (e.g. an edit by another person) just before the next matching request."""
        self._add(Fault("hook", match, 1, hook=hook))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def _take_fault(self, line: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(line):
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    # -- request log -------------------------------------------------------------------------
    def requests(self, api: str | None = None) -> list[dict]:
        """Served requests, oldest first; `api` = "sheets", "drive" or "oauth" filters."""
        with self._lock:
            return [dict(r) for r in self.log if api is None or r["api"] == api]

    def api_calls(self) -> list[dict]:
        """Sheets and Drive calls only (what counts against Google's quota)."""
        return [r for r in self.requests() if r["api"] in ("sheets", "drive")]

    def reset(self) -> None:
        with self._lock:
            self.log.clear()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive threads may sit in recv(): never wait for them
    allow_reuse_address = True
    app: SheetsServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, dropped connection) is part of the tests, not an error.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


_ROUTES: list[tuple[str, re.Pattern]] = [
    (m, re.compile(p))
    for m, p in [
        ("POST", r"^/(?:oauth2/v4/)?token$"),
        ("POST", r"^/v4/spreadsheets$"),
        ("GET", r"^/v4/spreadsheets/(?P<id>[^/:]+)$"),
        ("POST", r"^/v4/spreadsheets/(?P<id>[^/:]+):batchUpdate$"),
        ("GET", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values:batchGet$"),
        ("POST", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values:batchUpdate$"),
        ("POST", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values:batchClear$"),
        ("POST", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values/(?P<range>.+):append$"),
        ("POST", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values/(?P<range>.+):clear$"),
        ("GET", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values/(?P<range>.+)$"),
        ("PUT", r"^/v4/spreadsheets/(?P<id>[^/:]+)/values/(?P<range>.+)$"),
        ("POST", r"^/drive/v3/files$"),
        ("GET", r"^/drive/v3/files$"),
        ("GET", r"^/drive/v3/files/(?P<id>[^/]+)$"),
        ("DELETE", r"^/drive/v3/files/(?P<id>[^/]+)$"),
        ("PATCH", r"^/drive/v3/files/(?P<id>[^/]+)$"),
    ]
]


def _fields_tree(text: str) -> dict:
    """A `fields` mask ("sheets.properties(sheetId,title),spreadsheetId") as a tree; {} = everything."""
    tree: dict = {}
    pos = 0

    def parse_list(node: dict) -> None:
        nonlocal pos
        while pos < len(text):
            match = re.compile(r"\s*([\w*]+(?:[./][\w*]+)*)").match(text, pos)
            if not match:
                return
            pos = match.end()
            cursor = node
            for part in re.split(r"[./]", match.group(1)):
                cursor = cursor.setdefault(part, {})
            if pos < len(text) and text[pos] == "(":
                pos += 1
                parse_list(cursor)
                pos += 1  # ")"
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            return

    parse_list(tree)
    return tree


def _grid_fields(fields: str, tree: dict, query: dict) -> dict | None:
    """Which CellData fields a spreadsheets.get wants (None: no grid data). A field mask decides when
    given (includeGridData is then ignored, as Google documents); else includeGridData=true: all of them."""
    if fields:
        data = tree.get("sheets", {}).get("data") if "*" not in tree else {}
        if data is None:
            return None
        return data.get("rowData", {}).get("values", {}) if data else {}
    include = (query.get("includeGridData") or ["false"])[-1].lower() == "true"
    return {} if include else None


def apply_fields(obj: Any, tree: dict) -> Any:
    if not tree or "*" in tree:
        return obj
    if isinstance(obj, list):
        return [apply_fields(x, tree) for x in obj]
    if isinstance(obj, dict):
        return {k: apply_fields(obj[k], sub) for k, sub in tree.items() if k in obj}
    return obj


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Without this, keep-alive answers wait ~40 ms on delayed ACKs: every benchmark would measure that.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    # -- plumbing ----------------------------------------------------------------------------
    def _serve(self, method: str) -> None:
        app = self.server.app
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/_admin/"):
            return self._admin(method, url.path, raw)
        api = "oauth" if url.path.endswith("/token") else "drive" if url.path.startswith("/drive/") else "sheets"
        entry = {"method": method, "path": unquote(url.path), "query": query, "status": None, "bytes": 0,
                 "api": api, "authorized": "Authorization" in self.headers, "body": _maybe_json(raw)}
        with app._lock:
            app.log.append(entry)
        fault = app._take_fault(f"{method} {entry['path']}?{url.query}") if api != "oauth" else None
        if fault is not None:
            if fault.kind == "lose_answer":
                with contextlib.suppress(ApiError, json.JSONDecodeError):
                    self._route(method, url.path, query, raw)
            if fault.kind in ("drop", "lose_answer"):
                entry["status"] = "dropped"
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.kind == "delay":
                time.sleep(fault.delay)
            elif fault.kind == "hook" and fault.hook is not None:
                fault.hook()
            elif fault.kind == "status":
                error = ApiError(fault.status, _FAULT_MESSAGES.get(fault.status, "Error"))
                headers = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
                return self._answer(entry, query, fault.status, error.body(), headers)
        try:
            status, body = self._route(method, url.path, query, raw)
        except ApiError as error:
            status, body = error.code, error.body()
        except json.JSONDecodeError as error:
            status, body = 400, ApiError(400, f"Invalid JSON payload received. {error}").body()
        self._answer(entry, query, status, body)

    def _route(self, method: str, path: str, query: dict, raw: bytes) -> tuple[int, Any]:
        app = self.server.app
        is_form = "x-www-form-urlencoded" in (self.headers.get("Content-Type") or "")
        body = json.loads(raw) if raw and not is_form else None
        for route_method, pattern in _ROUTES:
            match = pattern.match(path)
            if route_method != method or not match:
                continue
            groups = {k: unquote(v) for k, v in match.groupdict().items()}
            with app.state.lock:
                return 200, self._call(pattern.pattern, method, groups, query, body)
        return 404, ApiError(404, f"Method not found: {method} {path}").body()

    def _call(self, pattern: str, method: str, g: dict, query: dict, body: Any) -> Any:
        state = self.server.app.state
        if pattern.endswith("token$"):
            return {"access_token": "local-access-token", "expires_in": 3599, "token_type": "Bearer"}
        if pattern.startswith("^/drive/"):
            return self._drive(method, g.get("id"), query, body)
        if pattern == r"^/v4/spreadsheets$":
            return self._create(body or {})
        book = state.get(g["id"])
        if method == "GET" and pattern.endswith(")$") and "values" not in pattern:
            fields = (query.get("fields") or [""])[-1]
            tree = _fields_tree(fields)
            return apply_fields(book.resource(state.owner_email, query.get("ranges"), _grid_fields(fields, tree, query)), tree)
        if pattern.endswith(":batchUpdate$") and "values" not in pattern:
            return batch.batch_update(book, body)
        if pattern.endswith("values:batchGet$"):
            return values.values_batch_get(book, query)
        if pattern.endswith("values:batchUpdate$"):
            return values.values_batch_update(book, body)
        if pattern.endswith("values:batchClear$"):
            return values.values_batch_clear(book, body)
        if pattern.endswith(":append$"):
            return values.values_append(book, g["range"], query, body)
        if pattern.endswith(":clear$"):
            return values.values_clear(book, g["range"])
        if method == "GET":
            return values.values_get(book, g["range"], query)
        return values.values_update(book, g["range"], query, body)

    def _create(self, body: dict) -> dict:
        state = self.server.app.state
        title = body.get("properties", {}).get("title") or "Untitled spreadsheet"
        wanted = body.get("sheets") or [{"properties": {"title": "Sheet1"}}]
        book = state.create(title, {s.get("properties", {}).get("title") or f"Sheet{i + 1}": [] for i, s in enumerate(wanted)})
        for sheet, asked in zip(book.sheets, wanted, strict=False):
            grid = asked.get("properties", {}).get("gridProperties", {})
            sheet.row_count = grid.get("rowCount", 1000)
            sheet.col_count = grid.get("columnCount", 26)
            sheet.frozen_rows = grid.get("frozenRowCount", 0)
        return book.resource(state.owner_email)

    def _drive(self, method: str, file_id: str | None, query: dict, body: Any) -> Any:
        state = self.server.app.state
        fields = (query.get("fields") or [""])[-1]
        if method == "POST":
            body = body or {}
            if body.get("mimeType") != SPREADSHEET_MIME:
                raise ApiError(400, "The local server only creates Google Sheets files.")
            book = state.create(body.get("name") or "Untitled spreadsheet")
            return apply_fields(book.drive_file(), _fields_tree(fields or "kind,id,name,mimeType"))
        if method == "GET" and file_id is None:
            files = [b.drive_file() for b in state.spreadsheets.values() if not b.trashed]
            name = re.search(r"name\s*=\s*'((?:[^'\\]|\\.)*)'", (query.get("q") or [""])[-1])
            if name:
                files = [f for f in files if f["name"] == name.group(1).replace("\\'", "'")]
            tree = _fields_tree(fields or "kind,incompleteSearch,files(kind,id,name,mimeType)")
            return apply_fields({"kind": "drive#fileList", "incompleteSearch": False, "files": files}, tree)
        book = state.spreadsheets.get(file_id or "")
        if book is None or book.trashed:
            message = f"File not found: {file_id}."
            raise _DriveError(404, message, "notFound")
        if method == "DELETE":
            del state.spreadsheets[book.id]
            return None
        if method == "PATCH" and (body or {}).get("name"):
            book.title = body["name"]
            book.touch()
        return apply_fields(book.drive_file(), _fields_tree(fields or "kind,id,name,mimeType"))

    def _answer(self, entry: dict, query: dict, status: int, body: Any, headers: dict | None = None) -> None:
        pretty = (query.get("prettyPrint") or ["true"])[-1].lower() not in ("false", "0")
        if body is None:
            payload, status = b"", 204 if status == 200 else status
        else:
            payload = dumps(body, pretty).encode() + (b"\n" if pretty else b"")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8" if payload else "text/html")
        accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
        agent = "gzip" in (self.headers.get("User-Agent") or "")
        if payload and accepts and agent:
            payload = gzip.compress(payload, compresslevel=1)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        # Logged before the answer leaves, so a client that reads the log right after sees it.
        entry["status"], entry["bytes"] = status, len(payload)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _admin(self, method: str, path: str, raw: bytes) -> None:
        app = self.server.app
        body = json.loads(raw) if raw else {}
        out: Any = {"ok": True}
        if path == "/_admin/requests" and method == "GET":
            out = [{k: v for k, v in r.items() if k != "body"} for r in app.requests()]
        elif path == "/_admin/reset" and method == "POST":
            app.reset()
        elif path == "/_admin/faults" and method == "POST":
            app._add(Fault(body.get("kind", "status"), body.get("match", ""), int(body.get("times", 1)),
                           int(body.get("status", 429)), float(body.get("delay", 0))))
        elif path == "/_admin/faults" and method == "DELETE":
            app.clear_faults()
        elif path == "/_admin/edit" and method == "POST":
            app.edit(body["spreadsheetId"], body["sheet"], body["cell"], body.get("value"))
        elif path == "/_admin/spreadsheets" and method == "POST":
            out = {"spreadsheetId": app.create_spreadsheet(body.get("title", "Untitled"), body.get("sheets"), bool(body.get("fit")))}
            _freeze_heap()
        else:
            out = ApiError(404, f"No admin endpoint {method} {path}").body()
        payload = json.dumps(out).encode()
        self.send_response(404 if "error" in out else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _DriveError(ApiError):
    """Drive's errors carry an `errors` list and no `status`."""

    def __init__(self, code: int, message: str, reason: str):
        super().__init__(code, message)
        self.reason = reason

    def body(self) -> dict:
        detail = {"message": self.message, "domain": "global", "reason": self.reason,
                  "location": "fileId", "locationType": "parameter"}
        return {"error": {"code": self.code, "message": self.message, "errors": [detail]}}


def _freeze_heap() -> None:
    """In a server process: keep loaded sheets out of the cyclic GC's scans.

    A million stored cells are long-lived; without this every request that builds many lists (a
    big batchGet) pays repeated full rescans of them, and that time would be billed to the client
    being measured. Only the command-line / benchmark server does this, never the in-process one.
    """
    if _STANDALONE:
        gc.collect()
        gc.freeze()


_STANDALONE = False


def _maybe_json(raw: bytes) -> Any:
    if not raw or len(raw) > 2_000_000:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local Google Sheets API v4 + Drive v3 server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--load", help="an .xlsx workbook: each sheet becomes a tab of one spreadsheet")
    args = parser.parse_args(argv)
    global _STANDALONE
    _STANDALONE = True
    server = SheetsServer(args.host, args.port)
    key = server.load_xlsx(args.load) if args.load else server.create_spreadsheet("Back office")
    _freeze_heap()
    server.start()
    print(f"listening on {server.base_url}", flush=True)
    print(f"spreadsheet_id={key}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

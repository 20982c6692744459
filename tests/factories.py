"""Test data and helpers shared by several test files: a small consistent book, written as an .xlsx, the
people who edit it, the two-source Env of the sync tests, the app signed in as a demo user (AppTest) and
the browser tests' Streamlit server. Test modules import from here (fixtures live in conftest.py), never
from each other: tests/test_layers.py pins it."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from connectors.access import User
from connectors.sources.interface import Grid, SourceUnreachable
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from data.demo_admin import USERS
from schemas.registry import site, tab
from schemas.registry import tab as tab_named
from schemas.validate import validate_workbook

ROOT = Path(__file__).resolve().parent.parent

EDITOR = User("sokha@ccpcr.org", "editor", "Sokha")
VIEWER = User("dara@ccpcr.org", "viewer", "Dara")

# Every page of the navigation, in its order, from the registry (schemas.registry.site).
PAGES = [page.file for listed in site.navigation().values() for page, _programme in listed]
PAGE_NAMES = [Path(file).stem for file in PAGES]  # "overview", "rice_bank", ...

# Browser screenshots are written only when asked (BACKOFFICE_SCREENSHOTS=1), so `make test` leaves the tree clean.
SCREENSHOTS = ROOT / "docs" / "screenshots"
WRITE_SCREENSHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS") == "1"


def small_book() -> dict[str, list[list[Any]]]:
    """{tab: [header, *rows]}: two villages, three households, one rice bank and its ledger, settings."""
    return {
        "villages": [
            ["village_code", "village", "commune_code", "commune", "district_code", "district", "province_code", "province",
             "latitude", "longitude", "target_village"],
            ["12010101", "Krol Kor", "120101", "Chak Angrae Leu", "1201", "Mean Chey", "12", "Phnom Penh", 11.5, 104.9, True],
            ["12010102", "Prek Ta Kov", "120101", "Chak Angrae Leu", "1201", "Mean Chey", "12", "Phnom Penh", 11.51, 104.91, False],
        ],
        "households": [
            ["household_id", "head_name", "head_sex", "village_code", "members", "children", "phone", "poverty_level", "survivor", "enrolled_on"],
            ["HH-0041", "Sok Dara", "female", "12010101", 5, 2, "", "id_poor_1", False, dt.date(2017, 2, 1)],
            ["HH-0042", "Chan Vanna", "male", "12010101", 4, 1, "", "id_poor_2", False, dt.date(2017, 3, 1)],
            ["HH-0043", "Keo Srey", "female", "12010102", 6, 3, "", "near_poor", True, dt.date(2017, 4, 1)],
        ],
        "rice_banks": [
            ["bank_id", "name", "village_code", "established_on", "capacity_kg", "interest_pct"],
            ["RB-01", "Krol Kor", "12010101", dt.date(2016, 1, 10), 5000, 10],
        ],
        "rice_ledger": [
            ["entry_id", "date", "bank_id", "kind", "kg", "household_id", "loan_id", "note"],
            ["RL-000121", dt.date(2017, 1, 5), "RB-01", "donation", 1000, "", "", "Opening stock"],
            ["RL-000122", dt.date(2017, 2, 5), "RB-01", "loan", 100, "HH-0041", "RL-000122", ""],
            ["RL-000123", dt.date(2017, 6, 5), "RB-01", "repayment", 50, "HH-0041", "RL-000122", ""],
        ],
        "settings": [["key", "value", "note"], ["riel_per_usd", "4000", "Exchange rate"]],
        "users": [["email", "name", "role"], ["sokha@ccpcr.org", "Sokha", "editor"], ["dara@ccpcr.org", "Dara", "viewer"]],
        "audit_log": [["at", "user", "tab", "row_key", "column", "old", "new", "via"]],
    }


def write_xlsx(book: dict[str, list[list[Any]]], path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in book.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def _row_and_column(a1: str) -> tuple[int, int]:
    """"E3" -> (3, 4): the sheet row and the 0-based column, as connectors.sources.xlsx_patch counts them."""
    from connectors.sources import xlsx_patch

    letters, number = re.fullmatch(r"([A-Z]+)(\d+)", a1).groups()
    return int(number), xlsx_patch.column_index(letters)


def type_in_cells(path: Path, cells: dict[str, dict[str, Any]]) -> Path:
    """Values typed into cells of an .xlsx, {tab: {"E3": value}}, as someone does in a spreadsheet program between
    two reads. Only the touched sheets are rewritten (the workbook source's own patcher, connectors.sources.
    xlsx_patch): ~0.5 s on the demo workbook, where openpyxl's load and save take ~17 s. Text is stored as an
    inline string, numbers and dates as numbers, None empties the cell; the rest of the file is kept as it was."""
    from connectors.sources import xlsx_patch

    temporary = path.with_name(path.name + ".typing")
    with zipfile.ZipFile(path) as archive:
        parts, shared = xlsx_patch.sheet_parts(archive), xlsx_patch.read_shared_strings(archive)
        replaced = {}
        for tab_name, typed in cells.items():
            sheet = xlsx_patch.SheetXml.parse(archive.read(parts[tab_name]), shared)
            for cell, value in typed.items():
                sheet.set(*_row_and_column(cell), value)
            sheet.tidy_dimension()
            replaced[parts[tab_name]] = sheet.to_bytes()
        xlsx_patch.rewrite_package(archive, str(temporary), replaced)
    os.replace(temporary, path)
    return path


def delete_tab(path: Path, tab_name: str) -> Path:
    """The tab deleted from an .xlsx, as someone deletes a sheet: its part, and its entries in the workbook, its
    relationships and the content types (fast: nothing else is parsed or rewritten)."""
    from lxml import etree

    from connectors.sources import xlsx_patch

    temporary = path.with_name(path.name + ".deleting")
    with zipfile.ZipFile(path) as archive:
        part = xlsx_patch.sheet_parts(archive)[tab_name]
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        sheet = next(e for e in book.iter(f"{{{xlsx_patch.NS}}}sheet") if e.get("name") == tab_name)
        rid = sheet.get(f"{{{xlsx_patch.REL_NS}}}id")
        sheet.getparent().remove(sheet)
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        for rel in [r for r in rels if r.get("Id") == rid]:
            rels.remove(rel)
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        for override in [o for o in types if o.get("PartName") == f"/{part}"]:
            types.remove(override)
        replaced = {"xl/workbook.xml": etree.tostring(book, xml_declaration=True, encoding="UTF-8", standalone=True),
                    "xl/_rels/workbook.xml.rels": etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True),
                    "[Content_Types].xml": etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)}
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in archive.infolist():
                if info.filename != part:
                    target.writestr(info, replaced.get(info.filename, archive.read(info.filename)))
    os.replace(temporary, path)
    return path


def stored_in_cell(path: Path, tab_name: str, a1: str) -> Any:
    """A cell's value as the file stores it: a number as a float (a date as its day number since 1899-12-30, as
    spreadsheets count), a boolean, text, or None for an empty cell. Only that sheet is read."""
    from connectors.sources import xlsx_patch

    row, column = _row_and_column(a1)
    with zipfile.ZipFile(path) as archive:
        sheet = xlsx_patch.SheetXml.parse(archive.read(xlsx_patch.sheet_parts(archive)[tab_name]),
                                          xlsx_patch.read_shared_strings(archive))
    cell = sheet.cells(row).get(column)
    return None if cell is None else sheet.stored(cell)


HAS_SHEETS = (Path(__file__).parent / "fixtures_sheets.py").exists()


SOURCES = ["workbook", pytest.param("gsheets", marks=pytest.mark.skipif(not HAS_SHEETS, reason="no local Sheets server yet"))]


class Env:
    """One source (workbook or Google Sheet), a cache on disk refreshed from it, and ways to poke it."""

    def __init__(self, kind: str, tmp_path: Path, request: pytest.FixtureRequest, book: dict | None = None):
        self.kind, self.tmp_path = kind, tmp_path
        book = book or small_book()
        if kind == "workbook":
            self.path = write_xlsx(book, tmp_path / "book.xlsx")
            self.source = WorkbookSource(self.path)
            self.server = None
        else:
            self.server = request.getfixturevalue("sheets_server")
            self.key = request.getfixturevalue("make_spreadsheet")(book)
            self.make_source = request.getfixturevalue("make_source")
            self.source = self.make_source(self.key)
        self.cache_path = tmp_path / "cache.duckdb"
        self.cache = Cache(self.cache_path)
        read_check_load(self.cache, self.source)
        if self.server is not None:
            self.server.reset()

    def rows(self, tab: str) -> list[list[Any]]:
        """The tab's data rows as the source holds them now (header excluded)."""
        return self.source.read([tab])[tab].rows

    def cell(self, tab: str, key: str, column: str) -> Any:
        grid = self.source.read([tab])[tab]
        k = grid.header.index(tab_named(tab).key[0])
        c = grid.header.index(column)
        for row in grid.rows:
            if str(row[k]) == key:
                return row[c] if c < len(row) else None
        raise KeyError(key)

    def edit_as_someone_else(self, tab: str, key: str, column: str, value: Any) -> None:
        if self.kind == "workbook":
            workbook = openpyxl.load_workbook(self.path)
            sheet = workbook[tab]
            header = [c.value for c in sheet[1]]
            for row in sheet.iter_rows(min_row=2):
                if str(row[header.index(tab_named(tab).key[0])].value) == key:
                    row[header.index(column)].value = value
            workbook.save(self.path)
        else:
            grid = self.source.read([tab])[tab]
            k, c = grid.header.index(tab_named(tab).key[0]), grid.header.index(column)
            number = next(i for i, row in enumerate(grid.rows) if str(row[k]) == key) + grid.first_row
            self.server.edit(self.key, tab, f"{chr(65 + c)}{number}", value)

    def audit_rows(self) -> list[list[Any]]:
        return self.rows("audit_log")

    def cached(self, tab: str, key: str, column: str) -> Any:
        spec = tab_named(tab)
        return self.cache.cursor().execute(f'SELECT "{column}" FROM {tab} WHERE "{spec.key[0]}" = ?', [key]).fetchone()[0]

    def write_calls(self) -> list[dict]:
        return [r for r in self.server.api_calls() if r["method"] == "POST" and r["path"].endswith("batchUpdate")]




class Flaky:
    """A source whose network can be cut: `down` fails every call; `lose_answer` lets one write land
    and then reports a timeout, as a dropped answer would."""

    def __init__(self, inner):
        self.inner, self.label = inner, inner.label
        self.down = False
        self.lose_answer = False
        self.writes = 0

    def _check(self):
        if self.down:
            raise SourceUnreachable("The network is down.")

    def version(self):
        self._check()
        return self.inner.version()

    def read(self, tabs=None):
        self._check()
        return self.inner.read(tabs)

    def write(self, batch, located=None):
        self._check()
        result = self.inner.write(batch, located)
        self.writes += 1
        if self.lose_answer:
            self.lose_answer = False
            raise SourceUnreachable("Timed out waiting for the answer.")
        return result

    def cell_link(self, tab, a1):
        return self.inner.cell_link(tab, a1)


def cut_network(env: Env):
    """Cut the network the way each source feels it."""
    if env.kind == "workbook":
        env.source = Flaky(env.source)
        env.source.down = True
    else:
        env.server.drop(times=-1)


def restore_network(env: Env):
    if env.kind == "workbook":
        env.source.down = False
    else:
        env.server.clear_faults()


APP = str(ROOT / "app.py")


EMAIL = {role: email for email, _name, role in USERS}


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
        "client_id": "test-client-id", "client_secret": "test-client-secret",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}


def signed_in(email: str | None, auth: dict | None = None) -> AppTest:
    """The app with Google sign-in configured and `email` signed in (None: nobody signed in)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = dict(auth or AUTH)
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Everything the app sent to the browser: every element's protobuf as text, dataframes as CSV."""
    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        if type(node).__name__ == "Dataframe":
            out.append(node.value.to_csv())
    return "\n".join(out)


def frames(at: AppTest) -> list[pd.DataFrame]:
    """Every dataframe the app sent."""
    return [node.value for node in at._tree if type(node).__name__ == "Dataframe"]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RUN_OPTIONS = ("--server.headless", "true", "--browser.gatherUsageStats", "false")


def start_streamlit(env: dict, log_path: Path, *, python: str | Path = sys.executable, cwd: Path = ROOT,
                    options: tuple[str, ...] = RUN_OPTIONS) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port of 127.0.0.1 with this environment -> (the process, its URL) once
    healthy. `python`, `cwd`: another checkout and its interpreter (a clean clone); `options`: more of the
    command line."""
    port = free_port()
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(python), "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1", "--server.port", str(port), *options],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return server, url
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log_path.read_text()}") from None
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("streamlit did not start within 90 s")


def clean_clone(folder: Path) -> Path:
    """This checkout's committed HEAD, cloned into `folder`: only what git holds (no demo workbook, no compiled
    catalog, no font), as a host that deploys from the repository gets it."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(folder)], check=True, capture_output=True)
    subprocess.run(["git", "checkout", "--quiet", head], cwd=folder, check=True, capture_output=True)
    return folder


def app_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any of the app's settings, plus `settings`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("BACKOFFICE_", "GSHEETS_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return kept | settings


def websocket_answer(port: int, host: str) -> str:
    """The status line a Streamlit on 127.0.0.1:`port` answers to its websocket's upgrade request with this Host
    header (and an Origin of the same host): "HTTP/1.1 101 Switching Protocols", or 403 for a Host refused."""
    import base64

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        key = base64.b64encode(os.urandom(16)).decode()
        connection.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
                            f"Origin: http://{host}\r\n\r\n").encode())
        return connection.recv(200).decode(errors="replace").split("\r\n")[0]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(url, wait_until="domcontentloaded")
    return page


# --- the Tables grid in a browser (glide-data-grid keeps an accessible DOM table beside its canvas) -------

def grid_cell(grid, key: str, title: str):
    """The grid's accessible cell (glide-data-grid keeps a DOM table beside its canvas) in the row whose
    cells hold `key` and the column headed `title`: found by the header's text, never by pixels."""
    header = grid.locator("th[role='columnheader']").filter(has_text=title)
    column = next(header.nth(i).get_attribute("aria-colindex") for i in range(header.count())
                  if header.nth(i).inner_text().strip() == title)
    row = grid.locator("tbody tr[role='row']").filter(has=grid.page.locator("td[role='gridcell']", has_text=key))
    assert row.count() == 1, f"{row.count()} rows of the grid hold {key!r}"
    return row.locator(f"td[aria-colindex='{column}']")


# The app's run is over (Streamlit marks its root with the script's state) and every chart in view is drawn (one
# in a tab not chosen is drawn only when its tab is opened).
DRAWN = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .every(c => c.offsetParent === null || c.querySelector('canvas, svg'))"""


def wait_until_drawn(page, timeout: int = 120_000) -> None:
    """Until the page's run is over and its charts are drawn, and still so a moment later (a page may run
    again at once, e.g. after its first refresh): what the reader sees once the page has settled. Waiting on
    the page's own state, never a fixed pause, is both faster and sure on a busy machine."""
    for _attempt in range(20):
        page.wait_for_function(DRAWN, timeout=timeout)
        page.wait_for_timeout(400)
        if page.evaluate(DRAWN):
            return
    raise AssertionError("the page kept running: it never settled")


def wait_until_idle(page) -> None:
    """Until the app's run after an edit is over: the status widget shows while the script runs."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)


def pick_option(page, label: str, typed: str, *, first: bool = False) -> None:
    """Pick the option `typed` in the selectbox labelled `label` (the last one so labelled, or the first) as a
    person does: type it, wait for it in the list, click it. A click that fell while the page was still
    drawing (the keys then went nowhere) is made again; the typed text alone in the box is not a pick."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    boxes = page.locator("[data-testid='stSelectbox']").filter(has_text=label)
    box = boxes.first if first else boxes.last
    shown = box.locator("input").first  # the combobox's input: the option picked, or the text typed
    for _attempt in range(3):
        box.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(typed)
        option = page.get_by_role("option", name=typed, exact=True).first
        try:
            option.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_until_idle(page)
            continue
        option.click()
        wait_until_idle(page)
        if shown.input_value() == typed and shown.get_attribute("aria-expanded") == "false":
            return
    raise AssertionError(f"could not pick {typed!r} as the {label}; the box shows {shown.input_value()!r}")


def select_cell(page, grid, cell) -> None:
    """Select a grid cell through its accessible cell. Its focus selects it, but only about one time in two
    when the keyboard focus was in another widget (the Tab picker just used). Then as a person would with the
    keyboard: a click on the grid's canvas (the first row, at mid-width: a plain cell; a header would sort)
    selects a cell there, and the arrow keys walk from it to the wanted one, by the column and row that the
    accessible cells' ids name ("glide-cell-<column>-<row>")."""
    for _ in range(3):
        cell.focus()
        page.wait_for_timeout(250)
        if cell.get_attribute("aria-selected") == "true":
            return
    def position(element) -> tuple[int, int]:
        return tuple(int(part) for part in element.get_attribute("id").rsplit("-", 2)[1:])

    want_column, want_row = position(cell)
    for _attempt in range(5):
        box = grid.locator("canvas").first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 50)
        page.wait_for_timeout(300)
        if page.locator("#portal *").count():  # the click fell on the selected cell and opened its editor
            page.keyboard.press("Escape")
            page.wait_for_timeout(200)
        selected = grid.locator("td[aria-selected='true']")
        if selected.count() == 1:
            column, row = position(selected)
            for key, steps in (("ArrowRight", want_column - column), ("ArrowLeft", column - want_column),
                               ("ArrowDown", want_row - row), ("ArrowUp", row - want_row)):
                for _ in range(max(steps, 0)):
                    page.keyboard.press(key)
            page.wait_for_timeout(300)
            if cell.get_attribute("aria-selected") == "true":
                return
    raise AssertionError(f"the grid did not select the cell {cell.get_attribute('id')!r}")


def type_into_cell(page, grid, key: str, title: str, typed: str) -> None:
    """Type into one cell of the Tables grid: select it (select_cell), open its editor with Enter and type,
    then wait until the cell shows what was typed. An edit the grid lost (a rerun that redrew it) is made again."""
    for attempt in range(4):
        wait_until_idle(page)
        select_cell(page, grid, grid_cell(grid, key, title))
        page.keyboard.press("Enter")
        page.wait_for_timeout(300 * (attempt + 1))
        page.keyboard.press("Control+A")
        page.keyboard.type(typed)
        # Enter commits the editor's React state, which follows the textarea a frame later: an Enter
        # straight after the last key commits the old value (every time on chromium 156)
        for _ in range(10):
            page.wait_for_timeout(100)
            if page.evaluate("document.activeElement && document.activeElement.value") == typed:
                break
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        for _ in range(10):  # the grid's accessible cells follow the canvas a little later
            page.wait_for_timeout(500)
            shown = (grid_cell(grid, key, title).text_content() or "").strip()
            if shown == typed:
                wait_until_idle(page)
                return
    raise AssertionError(f"could not type {typed!r} into the {title!r} cell of {key} in the grid; it shows {shown!r}")


def page_text(at: AppTest) -> str:
    """The page's markdown and captions, as one text."""
    return "\n".join([m.value for m in at.markdown] + [str(c.value) for c in at.caption])


def sheet(name: str, columns: str, *rows: list) -> Grid:
    """A tab as staff keep it: the schema columns named in `columns`, headed by their titles."""
    spec = tab(name)
    return Grid(name, [spec.column(c).title for c in columns.split()], [list(r) for r in rows])


def check(*grids: Grid, rules: str | None = None):
    """Validate only these tabs; keep the issues of the rules under test (prefix), as tuples."""
    _, issues = validate_workbook({g.tab: g for g in grids}, tabs=[tab(g.tab) for g in grids])
    found = [(i.tab, i.row, i.column, i.cell, i.rule, i.severity) for i in issues]
    if rules:
        found = [f for f in found if f[4].startswith(rules)]
    return found, issues


VILLAGE = ("village_code village commune_code commune district_code district province_code province target_village")


VILLAGE_ROW = ["20010302", "Kouk Taek", "200103", "Chantrea", "2001", "Chantrea", "20", "Svay Rieng", "Yes"]


def villages(*extra):
    return sheet("villages", VILLAGE, VILLAGE_ROW, *extra)


# --- the donor pack's files (pdftotext / pdfimages from poppler; openpyxl) ---------------------------------

KHMER = "[\u1780-\u17ff]"


def pdf_text(path: Path) -> str:
    """pdftotext's text, its line breaks and the spaces it guesses inside a shaped Khmer cluster undone."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(f"(?<={KHMER}) (?={KHMER})", "", text)
    return " ".join(text.split())


def pdf_images(path: Path) -> list[str]:
    lines = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line for line in lines[2:] if line.split()[2] == "image"]


def sheet_blocks(sheet) -> dict[str, list[tuple]]:
    """A programme sheet's blocks: the bold title row of each section -> the rows under it."""
    blocks, current = {}, None
    for row in sheet.iter_rows():
        values = tuple(c.value for c in row)
        if not any(v is not None for v in values):
            current = None
        elif current is None and row[0].font.bold and values[1:] == (None,) * (len(values) - 1):
            current = blocks.setdefault(values[0], [])
        elif current is not None:
            current.append(values)
    return blocks


def all_personal_values(demo_frames) -> set[str]:
    """Every personal-data text of the demo (6 characters or more), less what a column without personal data
    shows openly (a head's name reused as a facilitator's) and the examples in the columns' help."""
    values = {str(v) for t in site.tabs if t.name in demo_frames for spec in t.columns
              if spec.pii and spec.kind == "text" and spec.name in demo_frames[t.name]
              for v in demo_frames[t.name][spec.name].dropna().unique() if len(str(v)) >= 6}
    for registered in site.tabs:
        frame = demo_frames.get(registered.name)
        for spec in registered.columns if frame is not None else ():
            if not spec.pii and spec.kind == "text" and spec.name in frame:
                values -= set(frame[spec.name].dropna().astype(str))
    examples = " ".join(c.description for t in site.tabs for c in t.columns)
    return {v for v in values if v not in examples}


# --- an error storm: one tab where a whole column is wrong ------------------------------------------------

STORM, WRONG_SEX = 20_000, 500


def storm_workbook(path: Path) -> Path:
    """Only a households tab: 'Members' typed as a word in every row, and 500 heads' sex as 'f'."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("households")
    sheet.append([c.title for c in tab("households").columns])
    for i in range(STORM):
        sex = "f" if i < WRONG_SEX else "female"
        sheet.append([f"HH-{i:05d}", f"Head {i}", sex, "12020101", "many", 0, None, "id_poor_1", True, dt.date(2018, 1, 1)])
    book.save(path)
    return path

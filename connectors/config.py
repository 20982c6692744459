"""Run-time settings: code defaults < .streamlit/secrets.toml < environment variables.

Programme settings (exchange rate, policies) live in the workbook's `settings` tab instead, so field
staff can change them; these are the settings of the running app itself - and the floor of the privacy
settings, which only an admin may lower (`admin_settings`).
"""
from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHEET_KEY_IN_URL = re.compile(r"/spreadsheets/d/([a-zA-Z0-9_-]+)")
DEMO_WORKBOOK = ROOT / "data" / "demo.xlsx"
APP_CACHE = ROOT / "data" / "cache.duckdb"

# name -> (default, environment variable, help). The README's settings table is made from this.
SETTINGS: dict[str, tuple[Any, str, str]] = {
    "source": ("", "BACKOFFICE_SOURCE", "Where the data lives: a path to an .xlsx workbook or gsheets:<key or URL>; blank = the demo workbook."),
    "cache_path": (str(APP_CACHE), "BACKOFFICE_CACHE", "The app's DuckDB cache file (always rebuildable from the source)."),
    "date_order": ("day_first", "BACKOFFICE_DATE_ORDER", "How to read typed dates like 03/04/2018: day_first (3 April) or month_first."),
    "gsheets_api_base": ("", "GSHEETS_API_BASE", "Send every Google API call to this base URL (the local test server or a proxy); allows anonymous access."),
    "secrets_path": (str(ROOT / ".streamlit" / "secrets.toml"), "BACKOFFICE_SECRETS", "Where the secrets file is read from."),
    "poll_seconds": (30, "BACKOFFICE_POLL_SECONDS", "While someone has the app open, ask the source's change token this often (seconds)."),
    "max_stale_seconds": (120, "BACKOFFICE_MAX_STALE_SECONDS", "Read everything at least this often while the app is open, as the token can lag an edit (seconds)."),
    "problems_in_sheet": ("tab+notes", "BACKOFFICE_PROBLEMS_IN_SHEET",
                          "Write every problem back into the sheet: off, tab (the app's Problems tab) or tab+notes (also a note on each cell with a problem)."),
    "small_count_threshold": ("", "BACKOFFICE_SMALL_COUNT_THRESHOLD", "The lowest small-count threshold: the settings tab may raise it, "
                              "never lower it below this (blank: 5). Only an admin lowers it, here."),
    "app_url": ("http://localhost:8501", "BACKOFFICE_APP_URL", "The app's address, for the links the command line prints to fix a problem in the Tables page."),
}


def _secrets_file() -> Path:
    return Path(os.environ.get("BACKOFFICE_SECRETS") or SETTINGS["secrets_path"][0])


_streamlit_secrets: Callable[[], dict[str, Any]] | None = None


def read_streamlit_secrets_with(reader: Callable[[], dict[str, Any]] | None) -> None:
    """Under Streamlit (ui.startup): how to get the secrets as Streamlit has them - its own files, wherever the
    host put them (Streamlit Community Cloud's Secrets box). Used when BACKOFFICE_SECRETS is not set and there is
    no .streamlit/secrets.toml beside the app."""
    global _streamlit_secrets
    _streamlit_secrets = reader


def load_secrets() -> dict[str, Any]:
    """The secrets file as a dict ({} when there is none). Never log or display what it returns."""
    path = _secrets_file()
    if not path.is_file():
        if _streamlit_secrets is not None and not os.environ.get("BACKOFFICE_SECRETS"):
            return _streamlit_secrets()
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def setting(name: str) -> Any:
    default, env, _help = SETTINGS[name]
    if os.environ.get(env):
        return os.environ[env]
    backoffice = load_secrets().get("backoffice", {})
    if name in backoffice:
        return backoffice[name]
    return default


def admin_settings() -> dict[str, Any]:
    """The programme settings an admin set here (secrets file or environment): the privacy settings, which
    the settings tab may raise but never lower below these (schemas.settings). Blank ones are left out."""
    from schemas.settings import SETTINGS as PROGRAMME_SETTINGS

    chosen = {s.key: setting(s.key) for s in PROGRAMME_SETTINGS if s.privacy and s.key in SETTINGS}
    return {key: value for key, value in chosen.items() if str(value).strip()}


@dataclass(frozen=True)
class SourceSpec:
    kind: str  # "workbook" | "gsheets"
    location: str  # a path, or a spreadsheet key or URL

    @property
    def is_demo(self) -> bool:
        return self.kind == "workbook" and Path(self.location) == DEMO_WORKBOOK


def sheet_key(spec: SourceSpec | None = None) -> str | None:
    """The configured Google Sheet's key (from a key or its address), or None for a workbook."""
    spec = spec or source_spec()
    if spec.kind != "gsheets":
        return None
    match = SHEET_KEY_IN_URL.search(spec.location)
    return (match.group(1) if match else spec.location.strip()) or None


def sign_in_configured() -> bool:
    """An `[auth]` section in the app's secrets file or in Streamlit's (.streamlit/secrets.toml beside the app),
    read as the command line can read them: the app itself asks Streamlit (ui.auth)."""
    for path in dict.fromkeys([_secrets_file(), ROOT / ".streamlit" / "secrets.toml"]):
        try:
            with path.open("rb") as handle:
                if tomllib.load(handle).get("auth"):
                    return True
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
    return False


def source_spec(text: str | None = None) -> SourceSpec:
    """Parse BACKOFFICE_SOURCE (or --source): gsheets:<key or URL>, a .xlsx path, or blank for the demo."""
    text = (text if text is not None else setting("source")) or ""
    text = text.strip()
    if text.startswith("gsheets:"):
        return SourceSpec("gsheets", text.removeprefix("gsheets:").strip())
    if text.startswith("https://docs.google.com/spreadsheets/"):
        return SourceSpec("gsheets", text)
    if not text:
        # The secrets file of st-gsheets-connection names its sheet; use it when nothing else is set.
        sheet = load_secrets().get("connections", {}).get("gsheets", {}).get("spreadsheet")
        if sheet:
            return SourceSpec("gsheets", str(sheet))
        return SourceSpec("workbook", str(DEMO_WORKBOOK))
    return SourceSpec("workbook", str(Path(text).expanduser().resolve()))

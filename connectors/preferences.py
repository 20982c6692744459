"""Each user's own choices (today: the interface language), kept in a small JSON file beside the cache.

Not in the users tab: a choice of language is not programme data, and saving it must not need a write
to the Sheet (nor a role that may write). The file is keyed by e-mail, written whole to a temporary file
and renamed over the old one, so a crash never leaves it half written; an unreadable file means no
choices yet (the language falls back to BACKOFFICE_LANGUAGE), never a page that cannot open."""
from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

from connectors.config import setting

_lock = threading.Lock()  # the app's sessions share one process: one writer at a time


def preferences_path() -> Path:
    cache_path = str(setting("cache_path"))
    folder = Path(cache_path).parent if cache_path != ":memory:" else Path(tempfile.gettempdir())
    return folder / "preferences.json"


def _read(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_language(email: str) -> str | None:
    return (_read(preferences_path()).get(email.lower()) or {}).get("language")


def save_language(email: str, code: str) -> None:
    path = preferences_path()
    with _lock:
        data = _read(path)
        data.setdefault(email.lower(), {})["language"] = code
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".preferences-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temporary, path)

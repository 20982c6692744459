"""No build step: what `make` used to prepare, the app and the command line make themselves when it is missing.

- a catalog is compiled from its .po the first time it is needed, again when the .po is newer, and kept in
  memory where its folder cannot be written; one that cannot be loaded is said, never a quiet English;
- the demo workbook is built on first start (one builder at a time: the others wait, then find it);
- the Khmer font is committed where Streamlit serves it (copied back from its package if it went missing).
The whole path from a clean clone, in a browser, is tests/test_clean_clone_browser.py."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from schemas import i18n
from tests.factories import APP, ROOT

PO = ROOT / "locale" / "km" / "LC_MESSAGES" / "backoffice.po"


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    """A locale folder holding only what git holds (the Khmer .po), used by the catalogs from now on."""
    folder = tmp_path / "locale"
    (folder / "km" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, folder / "km" / "LC_MESSAGES" / "backoffice.po")
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    i18n._catalog.cache_clear()
    yield folder
    i18n._catalog.cache_clear()


def khmer_save() -> str:
    with i18n.language("km"):
        return i18n._("Save")


def test_a_catalog_with_only_its_po_is_compiled_on_first_use_and_written_beside_it(locale_dir):
    mo = locale_dir / "km" / "LC_MESSAGES" / "backoffice.mo"
    assert not mo.exists()
    assert khmer_save() == "រក្សាទុក"
    assert mo.is_file() and mo.stat().st_size > 10_000
    assert i18n.catalog_problem("km") is None
    assert sorted(p.name for p in mo.parent.iterdir()) == ["backoffice.mo", "backoffice.po"]  # no temporary file left


def test_a_po_newer_than_its_mo_is_compiled_again(locale_dir):
    mo = locale_dir / "km" / "LC_MESSAGES" / "backoffice.mo"
    mo.write_bytes(b"stale")  # an old build product: not even a catalog
    old = time.time() - 3600
    os.utime(mo, (old, old))
    assert khmer_save() == "រក្សាទុក"
    assert mo.stat().st_size > 10_000


def test_where_the_catalog_cannot_be_written_it_is_compiled_in_memory(locale_dir):
    blocked = locale_dir / "km" / "LC_MESSAGES" / "backoffice.mo"
    blocked.mkdir()  # something in the way that even root cannot replace with a file (a read-only checkout)
    assert khmer_save() == "រក្សាទុក"
    assert i18n.catalog_problem("km") is None
    assert blocked.is_dir() and sorted(p.name for p in blocked.parent.iterdir()) == ["backoffice.mo", "backoffice.po"]


@pytest.mark.usefixtures("app_env")
def test_a_catalog_that_cannot_be_loaded_is_said_by_the_app_and_the_command_line(locale_dir, monkeypatch, capsys):
    (locale_dir / "km" / "LC_MESSAGES" / "backoffice.po").unlink()
    assert khmer_save() == "Save"  # English is what can be shown...
    problem = i18n.catalog_problem("km")
    assert problem.startswith(f"The Khmer texts could not be loaded from {locale_dir / 'km' / 'LC_MESSAGES' / 'backoffice.po'} "
                              "(FileNotFoundError"), problem  # ...and it is said, in both languages
    assert "មិនអាចផ្ទុកអត្ថបទខ្មែរ" in problem

    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "km")
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert problem in [w.value for w in at.warning]

    import cli

    with pytest.raises(SystemExit):
        cli.main(["--lang", "km", "--help"])
    assert problem in capsys.readouterr().err


def test_the_demo_workbook_is_built_once_while_other_callers_wait(tmp_path):
    from data.build_demo import ensure_demo_workbook

    path = tmp_path / "data" / "demo.xlsx"
    built, waited, shares = [], [], []
    started = threading.Barrier(2)

    def first_start(name: str) -> None:
        started.wait()
        built.append((name, ensure_demo_workbook(path, progress=shares.append, waiting=lambda: waited.append(name))))

    threads = [threading.Thread(target=first_start, args=(name,)) for name in ("session 1", "session 2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sorted(done for _name, done in built) == [False, True]  # one built it, the other found it built
    assert len(waited) == 1 and waited[0] == next(name for name, done in built if not done)
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    assert ensure_demo_workbook(path) is False  # built: nothing to do
    from connectors.sources.workbook import WorkbookSource

    assert len(WorkbookSource(path).read()["rice_banks"].rows) > 0


def test_the_app_builds_the_missing_demo_workbook_on_first_start(tmp_path, monkeypatch):
    from connectors import config

    demo = tmp_path / "data" / "demo.xlsx"
    monkeypatch.setattr(config, "DEMO_WORKBOOK", demo)
    monkeypatch.delenv("BACKOFFICE_SOURCE", raising=False)
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "none.toml"))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    assert demo.is_file()
    assert "CCPCR — the year's results" in [t.value for t in at.title]
    assert not [e.value for e in at.error]


def test_the_served_font_is_committed_and_is_the_pinned_packages_own():
    """In git, so Streamlit serves it from the first request (before any script ran); the same bytes as the pinned
    fontpkg-noto-sans-khmer that the charts and the PDF use, its licence beside it."""
    from ui.startup import FONT, packaged_font

    tracked = subprocess.run(["git", "ls-files", "static"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert tracked == ["static/NotoSansKhmer-OFL.txt", "static/NotoSansKhmer.ttf"]
    assert FONT.read_bytes() == packaged_font().read_bytes()
    assert "SIL Open Font License" in (ROOT / "static" / "NotoSansKhmer-OFL.txt").read_text()


def test_a_missing_font_is_copied_back_or_a_warning_says_why_not(tmp_path):
    from ui.startup import install_font, packaged_font

    target = tmp_path / "static" / "NotoSansKhmer.ttf"
    assert install_font(target) is None
    assert target.read_bytes() == packaged_font().read_bytes()
    assert install_font(target) is None  # there already: nothing to do

    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    problem = install_font(in_the_way / "static" / "NotoSansKhmer.ttf")
    assert problem.startswith(f"The Khmer font could not be copied to {in_the_way / 'static' / 'NotoSansKhmer.ttf'} ("), problem
    assert "Khmer letters may show as empty boxes" in problem

"""The Streamlit Community Cloud way, on this machine: a clean clone (only what git holds: no demo workbook, no
compiled catalog; the font is committed), a Python with only requirements.txt installed, and `streamlit run app.py`. In
chromium the demo opens, the switch to Khmer shows Khmer in Noto Sans Khmer, and `cli.py report --lang km`
from that Python prints Khmer; whatever the first start made is ignored by git.

The clean virtualenv is made once per requirements.txt (and Python) in the system's temporary folder and
reused by later runs (on this machine: ~40 s to make from pip's local wheels, nothing afterwards)."""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.factories import ROOT, app_environment, clean_clone, start_streamlit, stop

KHMER = range(0x1780, 0x1800)
HEADING = {"en": "CCPCR — the year's results", "km": "CCPCR — លទ្ធផលប្រចាំឆ្នាំ"}


def khmer(text: str) -> bool:
    return any(ord(ch) in KHMER for ch in text)


@pytest.fixture(scope="module")
def clean_python() -> Path:
    """A virtualenv with requirements.txt and nothing else (no pytest, no playwright, not this .venv)."""
    requirements = (ROOT / "requirements.txt").read_bytes()
    digest = hashlib.sha256(requirements + sys.version.encode()).hexdigest()[:12]
    home = Path(tempfile.gettempdir()) / f"backoffice-clean-venv-{digest}"
    python = home / "bin" / "python"
    with open(f"{home}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one test process builds it, the others (pytest -n) wait
        if not (home / ".ready").is_file():
            shutil.rmtree(home, ignore_errors=True)
            made = subprocess.run([sys.executable, "-m", "venv", str(home)], capture_output=True, text=True)
            if made.returncode == 0:
                made = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements.txt")],
                                      capture_output=True, text=True, timeout=1800)
            if made.returncode != 0:
                message = f"Could not make a clean virtualenv with requirements.txt: {made.stderr[-2000:]}"
                if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):
                    pytest.fail(message, pytrace=False)
                pytest.skip(message)
            (home / ".ready").write_text("requirements.txt installed\n")
    installed = subprocess.run([str(python), "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True).stdout
    assert "streamlit==" in installed and "pytest==" not in installed and "playwright==" not in installed
    return python


def test_streamlit_run_app_py_on_a_clean_clone_opens_the_demo_and_speaks_khmer_in_its_font(browser, clean_python, tmp_path):
    clone = clean_clone(tmp_path / "clone")
    made_at_start = [clone / "data" / "demo.xlsx", clone / "locale" / "km" / "LC_MESSAGES" / "backoffice.mo"]
    assert not any(path.exists() for path in made_at_start)
    assert (clone / "static" / "NotoSansKhmer.ttf").is_file()  # committed: served from the first request on
    # As a host runs it: `streamlit run app.py`, with only the bind address and a free port on the command line.
    server, url = start_streamlit(app_environment(HOME=str(tmp_path)), tmp_path / "streamlit.log", python=clean_python,
                                  cwd=clone, options=())
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_text("First start: building the demo workbook demo.xlsx").wait_for(timeout=90_000)  # the progress
        page.locator("h1", has_text=HEADING["en"]).wait_for(timeout=180_000)
        page.get_by_text("prevention activities reached").first.wait_for(timeout=60_000)  # the demo's figures

        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Language / ភាសា").click()
        page.get_by_role("option", name="ខ្មែរ", exact=True).click()
        heading = page.locator("h1", has_text=HEADING["km"])
        heading.wait_for(timeout=90_000)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        page.wait_for_function("[...document.fonts].some(f => f.family.includes('Noto Sans Khmer') && f.status === 'loaded')",
                               timeout=60_000)
        assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ខ្មែរ៛')")
        assert "Noto Sans Khmer" in heading.evaluate("e => getComputedStyle(e).fontFamily")
        served = page.evaluate("performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('NotoSansKhmer'))")
        assert any(s.endswith("/app/static/NotoSansKhmer.ttf") for s in served), served
        body = page.locator("[data-testid='stMain']").inner_text()
        assert khmer(body) and "Something went wrong" not in body and "could not be loaded" not in body
        page.close()
    finally:
        stop(server)
    assert all(path.is_file() for path in made_at_start)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True).stdout
    assert status == "", status  # what the first start made is ignored by git (preferences.json included)


def test_the_command_line_of_a_clean_clone_builds_the_demo_and_reports_in_khmer(clean_python, tmp_path):
    clone = clean_clone(tmp_path / "clone")
    out = subprocess.run([str(clean_python), "cli.py", "report", "--year", "2017", "--lang", "km"], cwd=clone,
                         env=app_environment(HOME=str(tmp_path)), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith("កំពុងបង្កើតសៀវភៅបញ្ជីគំរូ "), out.stderr  # building the demo workbook, in Khmer
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("# ") and khmer(lines[0]), lines[:3]
    assert sum(khmer(line) for line in lines) >= len(lines) * 0.9, out.stdout
    assert "11,292" in out.stdout  # the report's own figures (patients assessed in 2017)

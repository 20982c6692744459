"""What a first start needs, made by the app itself: `pip install -r requirements.txt` and `streamlit run app.py`
on a clean clone (the Streamlit Community Cloud way, no `make`) give the same app as `make run`.

- The Khmer font is committed in `static/` beside app.py, which Streamlit serves (`server.enableStaticServing`)
  to the theme's font face (.streamlit/config.toml) from the very first request: a browser asks for it as soon
  as it connects, before any script has run, so a copy made by the first run would come too late for that page.
  Should the file be missing all the same, it is copied back from its pinned package; where that cannot be
  written, a warning says so.
- The demo workbook: built when it is the source and missing, with a progress bar; one session (or replica)
  builds, the others wait for it (data.build_demo.ensure_demo_workbook, handed in by app.py: ui imports no data).
- The catalogs compile themselves when first used (schemas.i18n); one that cannot be loaded is a warning here,
  never a quiet fall back to English.
- The settings and the Google Sheet's keys are read from Streamlit's own secrets when there is no secrets file
  beside the app (Community Cloud keeps what is pasted in its Secrets box where Streamlit, not we, looks).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from connectors.config import ROOT, read_streamlit_secrets_with, source_spec
from schemas.i18n import _, catalog_problem

FONT = ROOT / "static" / "NotoSansKhmer.ttf"


def packaged_font() -> Path:
    import fontpkg_noto_sans_khmer

    return Path(fontpkg_noto_sans_khmer.ROOT) / "files" / "NotoSansKhmer[wdth,wght].ttf"


def install_font(target: Path | None = None) -> str | None:
    """The font where Streamlit serves it, copied from its package if it is missing; the problem in words, or None."""
    target = target or FONT
    if target.is_file():
        return None
    source = packaged_font()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)  # a browser asking meanwhile never gets half a font
    except OSError as exc:
        return _("The Khmer font could not be copied to {path} ({problem}), so Khmer letters may show as empty boxes. "
                 "Start the app from a folder it may write, or copy {font} there.").format(
                     path=target, problem=exc.strerror or type(exc).__name__, font=source)
    return None


def streamlit_secrets() -> dict:
    """st.secrets as a plain dict; {} when Streamlit has none (one it cannot parse stops the app in ui.auth)."""
    try:
        return st.secrets.to_dict()
    except Exception:  # FileNotFoundError, StreamlitSecretNotFoundError: nothing to read
        return {}


def prepare(build_demo: Callable[..., bool]) -> None:
    """At the top of every run (cheap once done): the secrets as Streamlit has them, the font, the demo workbook,
    and any catalog problem shown."""
    read_streamlit_secrets_with(streamlit_secrets)
    problem = install_font()
    if problem:
        st.warning(problem)
    problem = catalog_problem()
    if problem:
        st.warning(problem)
    spec = source_spec()
    if spec.is_demo and not Path(spec.location).is_file():
        _build(build_demo, Path(spec.location))


def _build(build_demo: Callable[..., bool], path: Path) -> None:
    shown = st.empty()
    bar = shown.progress(0.0, text=_("First start: building the demo workbook {name} (a few seconds, once)…").format(name=path.name))

    def waiting() -> None:
        bar.progress(0.0, text=_("Another session is building the demo workbook; this page opens once it is ready…"))

    def progress(share: float) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=_("First start: building the demo workbook {name} (a few seconds, once)…").format(name=path.name))

    try:
        build_demo(path, progress=progress, waiting=waiting)
    except OSError as exc:
        shown.error(_("The demo workbook could not be built in {folder} ({problem}). Start the app from a folder it may "
                      "write, or set BACKOFFICE_SOURCE to a workbook or Google Sheet.").format(
                          folder=path.parent, problem=exc.strerror or type(exc).__name__))
        return
    shown.empty()

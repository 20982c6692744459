"""Every tab the back office knows: the site (schemas.site) once every programme has registered with it.

A programme declares itself, its tabs and its rules' messages in its own schemas/<programme>.py, with
`schemas.site.register` and `schemas.rules.register_rules`; this module imports every module of the `schemas`
package once, as Django's admin imports each app's admin.py, so nothing lists the programmes. The generic Tables
page, the validator, the cache, provisioning, exports, the navigation and the demo builder read `TABS` and
`PROGRAMMES` from here: a new tab is one schema class and one `register` line; a new programme is new files.
What a programme brings above the schemas, it registers from its own modules too (insights.parts for its
Overview and report parts, data.demo_common.demo_builder for its demo rows).
"""
from __future__ import annotations

import importlib
import pkgutil

import schemas
from schemas.programme import Page, Programme
from schemas.rules import RULES
from schemas.settings import SETTINGS
from schemas.site import (
    SITE_PAGES,
    AlreadyRegistered,
    NotRegistered,
    Problem,
    Registry,
    register,
    site,
    tab,
    unregister,
    unregister_programme,
)
from schemas.tab import Tab

__all__ = ["PROGRAMMES", "RULES", "SETTINGS", "SITE_PAGES", "TABS", "AlreadyRegistered", "NotRegistered", "Page", "Problem",
           "Programme", "Registry", "Tab", "register", "site", "tab", "unregister", "unregister_programme"]

# The site's own collections (filled in place), bound before the modules are imported: a schemas module that
# imports this one while it is being imported (the validator does) finds them already here.
TABS: list[Tab] = site.tabs
PROGRAMMES: dict[str, Programme] = site.programmes


def _import_every_schemas_module() -> None:
    for module in pkgutil.iter_modules(schemas.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"schemas.{module.name}")
    # The settings in their programmes' order (the back office's own, declared by no programme, last).
    SETTINGS.sort(key=lambda s: PROGRAMMES[s.programme].order if s.programme in PROGRAMMES else Programme.order)


_import_every_schemas_module()

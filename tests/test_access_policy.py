"""One access policy: every role decision of the app is a question to connectors/access.py (issue 28, item 5).
Elsewhere a role is only carried (to a cache key, into a message), never compared."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from connectors import access
from connectors.access import LOCAL_ADMIN, PUBLISHED, User

ROOT = Path(__file__).resolve().parent.parent
APP = ["app.py", "cli.py", "pages", "ui", "gateway", "connectors", "insights", "reports", "commands", "schemas", "data"]


def _role_decisions(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "is_admin":
            found.append(f"{name}:{node.lineno} asks .is_admin")
        elif isinstance(node, ast.Compare) and any(
                isinstance(side, ast.Attribute) and side.attr == "role" for side in [node.left, *node.comparators]):
            found.append(f"{name}:{node.lineno} compares a role")
    return found


def test_no_module_but_the_policy_decides_by_role():
    found = []
    for entry in APP:
        paths = sorted((ROOT / entry).rglob("*.py")) if (ROOT / entry).is_dir() else [ROOT / entry]
        found += [f for path in paths if path != ROOT / "connectors" / "access.py"
                  for f in _role_decisions(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert found == []


def test_the_check_finds_a_decision_made_elsewhere():
    planted = "def shown(user, value):\n    if user.role in ('viewer',):\n        return None\n    return value if user.is_admin else None\n"
    assert _role_decisions(planted, "ui/planted.py") == ["ui/planted.py:2 compares a role", "ui/planted.py:4 asks .is_admin"]


VIEWER, EDITOR, CLINIC = User("v@x.org", "viewer"), User("e@x.org", "editor"), User("c@x.org", "clinic")


@pytest.mark.parametrize(("user", "tab", "expected"), [
    (VIEWER, "villages", True),  # a reference tab: every role's figures read it
    (VIEWER, "settings", True),
    (VIEWER, "users", False),
    (CLINIC, "households", False),
    (CLINIC, "clinic_visits", True),
    (EDITOR, "clinic_visits", False),
])
def test_what_a_figure_may_read(user, tab, expected):
    assert access.may_read_for_figures(user, tab) is expected


def test_who_sees_small_counts_the_sheet_and_other_peoples_emails():
    assert [access.counts_hidden(u) for u in (VIEWER, EDITOR, CLINIC, LOCAL_ADMIN, PUBLISHED)] == [True, False, False, False, True]
    assert [access.sees_sheet_address(u) for u in (None, VIEWER, EDITOR, LOCAL_ADMIN)] == [False, False, False, True]
    assert access.sees_person(EDITOR, " E@X.org ") and not access.sees_person(EDITOR, "v@x.org")
    assert access.sees_person(LOCAL_ADMIN, "v@x.org")


@pytest.mark.parametrize(("user", "programme", "admin_only", "expected"), [
    (VIEWER, None, True, False), (LOCAL_ADMIN, None, True, True), (VIEWER, None, False, True),
    (VIEWER, "clinic", False, True), (EDITOR, "clinic", False, False), (CLINIC, "savings", False, False),
])
def test_which_pages_a_role_may_open(user, programme, admin_only, expected):
    assert access.may_open_page(user, programme, admin_only) is expected

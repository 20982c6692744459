"""Every figure, table and chart frame a dashboard shows comes from `figure(db, user, insight, ...)`.

- The insight must declare what it reads (insights.common.reads); one that declares nothing is refused.
- It reads each tab's rows with no error (connectors.store.cache.FIGURES): a value that breaks its column's
  rule never enters a figure, and the rows left out are those its note counts (insights.left_out).
- The user's role must be a known one that may read every tab the insight declares (reference tabs, the
  villages and the settings, every known role reads here: connectors.access.may_read_for_figures). A `scoped` insight gets only
  the tabs the user may read; a composite (`parts`, e.g. the Overview) only the parts they may read.
- Personal-data columns of the declared tabs that reach the result are masked for roles without access;
  shown ones leave a view entry in the audit trail.
- For viewers (connectors.access.counts_hidden) every count the insight declares reads "<5" (the small_count_threshold setting) when it is
  below the threshold - in frames and dicts alike, so metrics, charts, tables and CSVs all agree; a count
  that would give a hidden one back by subtraction from a total the insight declares it part of reads "5+";
  a share the insight declares beside a hidden count is hidden with it (insights.small_counts).
- Links to cells of the Google Sheet are an admin's only: with a sheet shared by link, its key opens every name.
- `published_figure`: the same for what leaves the organisation (the donor pack): the role still decides
  what is read, but personal data is masked and small counts hidden as for viewers whatever the role.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from connectors.access import (
    PUBLISHED,
    AccessDenied,
    User,
    counts_hidden,
    mask_personal_data,
    may_read_for_figures,
    require_known_role,
    sees_personal_data,
)
from connectors.store.cache import for_figures
from gateway.masking import sheet_links_shown
from gateway.reads import record_view, small_count_threshold
from insights.small_counts import SmallCount, suppress_counts
from schemas.formats import marks
from schemas.i18n import _
from schemas.registry import tab as registered_tab

__all__ = ["count_shown", "declared_tabs", "figure", "may_run", "published_figure", "require_known_role", "total_shown"]


def _cur(db: Any) -> Any:
    return db.cursor() if hasattr(db, "cursor") else db


def declared_tabs(insight: Callable[..., Any]) -> tuple[str, ...]:
    tabs = getattr(insight, "tabs", None)
    if tabs is None:
        raise AccessDenied(f"'{insight.__name__}' does not declare the tabs it reads, so the gateway does not run it.")
    for name in tabs:
        registered_tab(name)  # an unknown tab: KeyError, the figure is not run
    return tabs


def may_run(user: User, insight: Callable[..., Any]) -> bool:
    try:
        tabs = declared_tabs(insight)
    except (AccessDenied, KeyError):
        return False
    return getattr(insight, "scoped", False) or all(may_read_for_figures(user, t) for t in tabs)


def figure(db: Any, user: User | None, insight: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run `insight` on the cache for `user`, checked, masked, suppressed and audited as above."""
    return _figure(db, user, insight, args, kwargs, published=False)


def published_figure(db: Any, user: User | None, insight: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """As `figure`, for a file that leaves the organisation: read as `user` may read, shown as to a viewer."""
    return _figure(db, user, insight, args, kwargs, published=True)


def _figure(db: Any, user: User | None, insight: Callable[..., Any], args: tuple, kwargs: dict, published: bool) -> Any:
    user = require_known_role(user)
    cur = for_figures(_cur(db))  # each tab's rows with no error: what the figure's note says it left out
    parts = getattr(insight, "parts", None)
    if parts is not None:  # a composite: only the parts this user may read, each treated as its own insight
        allowed = tuple(name for name, part in parts.items() if may_run(user, part))
        result = insight(cur, *args, parts=allowed, **kwargs)
        return {k: (_as_shown(cur, user, parts[k], v, published) if k in allowed else v) for k, v in result.items()}
    tabs = declared_tabs(insight)
    if getattr(insight, "scoped", False):
        requested = kwargs.pop("tabs", None) or tabs
        kwargs["tabs"] = tuple(t for t in requested if t in tabs and may_read_for_figures(user, t))
    else:
        refused = [t for t in tabs if not may_read_for_figures(user, t)]
        if refused:
            raise AccessDenied(_("Your role ({role}) may not see figures from the '{tab}' tab. "
                                 "Ask an admin if you need them.").format(role=user.role, tab=registered_tab(refused[0]).title))
    return _as_shown(cur, user, insight, insight(cur, *args, **kwargs), published)


def _as_shown(cur: Any, user: User, insight: Callable[..., Any], result: Any, published: bool = False) -> Any:
    result = _masked(cur, PUBLISHED if published else user, insight.tabs, result, insight.__name__)
    result = sheet_links_shown(PUBLISHED if published else user, result)
    if counts_hidden(PUBLISHED if published else user):
        result = suppress_counts(result, insight.counts, small_count_threshold(cur), getattr(insight, "shares", ()),
                                 getattr(insight, "totals", ()))
    return result


def _masked(cur: Any, user: User, tabs: tuple[str, ...], result: Any, what: str) -> Any:
    """Frames (also inside dicts and lists) with the declared tabs' personal-data columns masked."""
    if isinstance(result, pd.DataFrame):
        for name in tabs:
            spec = registered_tab(name)
            personal = [c.name for c in spec.columns if c.pii and c.name in result.columns]
            if not personal:
                continue
            if sees_personal_data(user, spec):
                record_view(cur, user, spec, f"{len(result)} rows in '{what}'")
            else:
                result = mask_personal_data(user, spec, result)
        return result
    if isinstance(result, dict):
        return {k: _masked(cur, user, tabs, v, what) for k, v in result.items()}
    if isinstance(result, list):
        return [_masked(cur, user, tabs, v, what) for v in result]
    return result


def count_shown(db: Any, user: User | None, value: Any) -> Any:
    """A count a page derived from a figure (rows of a kind, say), as this user may see it."""
    user = require_known_role(user)
    if counts_hidden(user) and not isinstance(value, SmallCount):
        return suppress_counts({"n": value}, ("n",), small_count_threshold(_cur(db)))["n"]
    return value


def total_shown(db: Any, user: User | None, frame: pd.DataFrame, column: str) -> Any:
    """The column's total; when a part of it is hidden as "<5" the total is hidden too, since the
    hidden part could be worked out from it."""
    values = frame[column] if column in frame.columns else pd.Series(dtype=float)
    if any(isinstance(v, str) for v in values) or (column in marks(frame) and marks(frame)[column].notna().any()):
        return SmallCount(_("hidden (small counts)"))
    return count_shown(db, user, int(pd.to_numeric(values, errors="coerce").fillna(0).sum()))

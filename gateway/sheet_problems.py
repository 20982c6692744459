"""What the pages show of the problems sent back to the sheet (connectors.problems), role-checked here:

- `sheet_feedback`: for every known role - whether problems go to the sheet, when they were last sent (or why
  the last send failed) and how many warnings staff confirmed correct as typed, counted in the tabs the user
  may read;
- `confirmable_warnings`: the open warnings the user may confirm (tabs they may change), personal data masked;
- `sheet_sends`: every send (when, what, how many calls), admins only.

`db` is the app's connectors.store.cache.Cache.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from connectors.access import MASK, User, require_admin, require_known_role, sees_personal_data
from connectors.problems import confirm, feedback, store
from gateway.reads import quality_scope
from insights.privacy import pii_headers
from schemas.i18n import N_


def sheet_feedback(db: Any, user: User) -> dict[str, Any]:
    require_known_role(user)
    cur = store.ensure(db)
    last = store.last_send(cur)
    return {"mode": feedback.mode(), "problem": feedback.problem(), "last": last,
            "confirmed": store.confirmed_count(cur, quality_scope(user)[0]),
            "title": store.state(cur).get("title")}


def confirmable_warnings(db: Any, user: User, limit: int = 500) -> pd.DataFrame:
    require_known_role(user)
    frame = confirm.confirmable(db, user, limit)
    if frame.empty:
        return frame
    hidden = [not sees_personal_data(user, tab) and column in pii_headers(tab, [column])
              for tab, column in zip(frame["tab"], frame["column"], strict=True)]
    return frame.assign(value=[MASK if h else v for h, v in zip(hidden, frame["value"], strict=True)])


def sheet_sends(db: Any, user: User, limit: int = 200) -> pd.DataFrame:
    require_admin(user, N_("the problems sent to the sheet"))
    return store.sends(store.ensure(db), limit)

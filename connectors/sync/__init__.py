"""The write path's one public name: `save` (connectors.sync.send, where the whole path is described)
and the outbox replay (connectors.sync.replay), with the requests, results and value helpers they use.

Callers import this package only; its modules import each other one way (replay -> send ->
check_edits/plan/verify/cache_update -> request/values; outbox is the queue's storage), so nothing
here is a cycle.
"""
from __future__ import annotations

from connectors.access import LOCAL_ADMIN
from connectors.sync.check_edits import check
from connectors.sync.replay import ReplayResult, outbox_conflicts, pending, rebase, replay, replay_pending, resolve
from connectors.sync.request import ALREADY, CONFLICT, DELETED, FAILED, INVALID, QUEUED, REFUSED, SAVED, UNCHANGED, CellEdit, Conflict, RowDelete, RowError, SaveRequest, SaveResult, Status
from connectors.sync.send import save
from connectors.sync.values import key_of, same, typed
from schemas.row_key import key_text

__all__ = ["ALREADY", "CONFLICT", "DELETED", "FAILED", "INVALID", "LOCAL_ADMIN", "QUEUED", "REFUSED", "SAVED", "UNCHANGED",
           "CellEdit", "Conflict", "ReplayResult", "RowDelete", "RowError", "SaveRequest", "SaveResult", "Status", "check",
           "key_of", "key_text", "outbox_conflicts", "pending", "rebase", "replay", "replay_pending", "resolve", "same", "save",
           "typed"]

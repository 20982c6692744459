"""The write path's one public name: `save` (connectors.sync_send, where the whole path is described)
and the outbox replay (connectors.sync_outbox), with the requests, results and value helpers they use.

Callers import this module only; the parts import each other one way (sync_outbox -> sync_send ->
sync_check/plan/verify/cache -> sync_request/values), so nothing here is a cycle.
"""
from __future__ import annotations

from connectors.access import LOCAL_ADMIN
from connectors.sync_check import check
from connectors.sync_outbox import ReplayResult, outbox_conflicts, pending, rebase, replay, replay_pending, resolve
from connectors.sync_request import (ALREADY, CONFLICT, DELETED, FAILED, INVALID, QUEUED, REFUSED, SAVED, UNCHANGED, CellEdit,
                                     Conflict, RowDelete, RowError, SaveRequest, SaveResult)
from connectors.sync_send import save
from connectors.sync_values import key_of, key_text, same, typed

__all__ = ["CellEdit", "RowDelete", "SaveRequest", "SaveResult", "RowError", "Conflict", "ReplayResult", "save", "check",
           "replay", "replay_pending", "pending", "resolve", "rebase", "outbox_conflicts", "key_of", "key_text", "typed", "same",
           "LOCAL_ADMIN", "SAVED", "INVALID", "CONFLICT", "QUEUED", "UNCHANGED", "ALREADY", "REFUSED", "FAILED", "DELETED"]

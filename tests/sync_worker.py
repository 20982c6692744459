"""A back-office process of its own, for the tests that need more than one OS process (or a restart):

    python -m tests.sync_worker append API_BASE KEY CACHE TAG N START_FILE  # N saves, each a row + an edit
    python -m tests.sync_worker edit API_BASE KEY CACHE                      # one edit (queued if unreachable)
    python -m tests.sync_worker replay API_BASE KEY CACHE                    # refresh, then send what waits

It prints one JSON line: the statuses of its saves (or the replay's counts)."""
from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from connectors import sync
from connectors.access import User
from connectors.sources.gsheets import GoogleSheetSource
from connectors.sources.gsheets_http import RetryPolicy
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit

EDITOR = User("sokha@ccpcr.org", "editor", "Sokha")
FAST = RetryPolicy(tries=3, base_delay=0.001, max_delay=0.01, timeout=(5.0, 30.0))


def main(argv: list[str]) -> int:
    mode, base, key, cache_path = argv[:4]
    source = GoogleSheetSource.from_settings(key, secrets={}, api_base=base, policy=FAST)
    cache = Cache(Path(cache_path))
    out: dict = {}
    if mode == "append":
        tag, n, start = argv[4], int(argv[5]), Path(argv[6])
        read_check_load(cache, source)
        while not start.exists():  # both processes begin together
            time.sleep(0.005)
        statuses = []
        for i in range(n):
            row = {"entry_id": f"RL-{tag}{i:03d}", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 1 + i}
            result = sync.save(cache, source, EDITOR, appends={"rice_ledger": [row]})
            statuses.append(result.status)
        out = {"statuses": statuses}
    elif mode == "edit":
        read_check_load(cache, source)
        result = sync.save(cache, source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
        out = {"status": result.status, "pending": sync.pending(cache)}
    elif mode == "replay":
        read_check_load(cache, source)
        replayed = sync.replay_pending(cache, source)
        out = {"sent": replayed.sent if replayed else 0, "pending": sync.pending(cache)}
    cache.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

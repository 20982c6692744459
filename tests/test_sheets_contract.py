"""The local Sheets server answers like Google: every recorded interaction, replayed, gets an
answer of the same shape (status, keys, value types, normalised ranges, trimming, error bodies).

The recordings (real Sheets v4 / Drive v3 traffic from gspread's test suite) live in
shared/reference/sheets-api-recordings/. Spreadsheet and sheet ids the recording made are mapped
to the ones the local server makes; ids, timestamps and e-mail addresses are compared by type only.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.sheets_server import SheetsServer

RECORDINGS = next(
    (p for p in [Path(__file__).resolve().parents[2] / "shared" / "reference" / "sheets-api-recordings",
                 Path("/work/shared/reference/sheets-api-recordings")] if p.is_dir()),
    Path("/work/shared/reference/sheets-api-recordings"),
)
FILES = sorted(RECORDINGS.glob("*.json"))
GOOGLE = re.compile(r"^https://(sheets|www)\.googleapis\.com")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
# Values that differ between any two runs, even on Google: compared by type (and format) only.
VOLATILE = {"sheetId", "protectedRangeId", "metadataId", "createdTime", "modifiedTime", "users"}


class Replay:
    """Replays one recording against the server, mapping recorded ids to the server's."""

    def __init__(self, server: SheetsServer):
        self.server = server
        self.ids: dict[str, str] = {}
        self.sheet_ids: dict[int, int] = {}
        self.http = requests.Session()

    def map_text(self, text: str) -> str:
        for recorded, ours in self.ids.items():
            text = text.replace(recorded, ours)
        return text

    def map_body(self, body: Any) -> Any:
        if isinstance(body, dict):
            return {k: (self.sheet_ids.get(v, v) if k == "sheetId" and isinstance(v, int) else self.map_body(v))
                    for k, v in body.items()}
        if isinstance(body, list):
            return [self.map_body(v) for v in body]
        return body

    def send(self, request: dict) -> requests.Response:
        url = GOOGLE.sub(self.server.base_url, self.map_text(request["uri"]))
        body = request.get("body")
        data = None
        if body:
            data = json.dumps(self.map_body(json.loads(body))).encode()
        headers = {"Content-Type": "application/json"} if data else {}
        return self.http.request(request["method"], url, data=data, headers=headers)

    def learn(self, recorded: Any, ours: Any) -> None:
        """Note ids the recording created (files, sheets) and the ones the server made for them."""
        if isinstance(recorded, dict) and isinstance(ours, dict):
            if recorded.get("kind") == "drive#file" and "id" in recorded and "id" in ours:
                self.ids[recorded["id"]] = ours["id"]
            for k, v in recorded.items():
                if k == "sheetId" and isinstance(v, int) and isinstance(ours.get(k), int):
                    self.sheet_ids[v] = ours[k]
                elif k in ours:
                    self.learn(v, ours[k])
        elif isinstance(recorded, list) and isinstance(ours, list):
            for r, o in zip(recorded, ours, strict=False):
                self.learn(r, o)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def shape_diff(recorded: Any, ours: Any, path: str, replay: Replay) -> str | None:
    """The first difference of shape, as 'key.path: recorded X, local Y'; None if the same."""
    if _kind(recorded) != _kind(ours):
        return f"{path or '<body>'}: recorded {_kind(recorded)} {recorded!r:.80}, local {_kind(ours)} {ours!r:.80}"
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if isinstance(recorded, dict):
        if set(recorded) != set(ours):
            return f"{path or '<body>'}: keys recorded {sorted(recorded)}, local {sorted(ours)}"
        for k in recorded:
            found = shape_diff(recorded[k], ours[k], f"{path}.{k}" if path else k, replay)
            if found:
                return found
        return None
    if isinstance(recorded, list):
        if len(recorded) != len(ours):
            return f"{path}: recorded {len(recorded)} items, local {len(ours)}: {ours!r:.200}"
        for i, (r, o) in enumerate(zip(recorded, ours, strict=False)):
            found = shape_diff(r, o, f"{path}[{i}]", replay)
            if found:
                return found
        return None
    if key in VOLATILE:
        if key.endswith("Time") and not TIMESTAMP.match(ours):
            return f"{path}: local {ours!r} is not an RFC 3339 timestamp"
        return None
    expected = replay.map_text(recorded) if isinstance(recorded, str) else recorded
    if expected != ours:
        return f"{path}: recorded {expected!r:.120}, local {ours!r:.120}"
    return None


@pytest.fixture(scope="module")
def contract_server():
    server = SheetsServer(owner_email="replay@local.test").start()
    yield server
    server.stop()


def test_recordings_are_there():
    assert len(FILES) >= 19, f"expected the shared recordings in {RECORDINGS}"


@pytest.mark.parametrize("recording", FILES, ids=[f.stem for f in FILES])
def test_replay_matches_recorded_shape(recording: Path, contract_server: SheetsServer):
    replay = Replay(contract_server)
    interactions = json.loads(recording.read_text())["interactions"]
    for i, interaction in enumerate(interactions):
        request, recorded = interaction["request"], interaction["response"]
        response = replay.send(request)
        where = f"{recording.stem} interaction #{i} {request['method']} {GOOGLE.sub('', request['uri'])[:120]}"
        assert response.status_code == recorded["status"]["code"], (
            f"{where}: status recorded {recorded['status']['code']}, local {response.status_code}: {response.text[:300]}"
        )
        text = recorded["body"]["string"]
        if not text.strip():
            assert not response.content.strip(), f"{where}: recorded an empty body, local {response.text[:200]!r}"
            continue
        recorded_body, local_body = json.loads(text), response.json()
        replay.learn(recorded_body, local_body)
        difference = shape_diff(recorded_body, local_body, "", replay)
        assert difference is None, f"{where}: {difference}"

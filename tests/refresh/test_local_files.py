"""The refresh's local files: corrupt ones (a torn snapshot, a garbled state.json) stop nothing —
a one-line warning, the registry's facts meanwhile, the next refresh fetches and rewrites them —
and all of them are readable by a web server running as another user."""

from __future__ import annotations

import json
import logging
import os

import pytest

from briefings.refresh import refresh, regulatory_status
from briefings.refresh.history import history_path
from briefings.refresh.snapshot import read_state, refresh_dir, snapshot_path, state_path

BILL = "uk-business-rates-bill"
DAMAGE = {
    "torn": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "not UTF-8": lambda good: b"\xff\xfe" + good[2:],
    "wrong shape": lambda good: json.dumps({"content_hash": 1}).encode(),
}


def ours(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("briefings")]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_an_unreadable_snapshot_falls_back_to_the_registry_then_is_refetched(
    damage, project, config, sources, caplog
):
    refresh(project, config=config)
    caplog.clear()
    path = snapshot_path(project, BILL)
    good = path.read_bytes()
    path.write_bytes(DAMAGE[damage](good))

    with caplog.at_level(logging.WARNING):
        status = regulatory_status(project)
    assert status[BILL].origin == "registry" and status[BILL].status == "Curated status text"
    assert status["eu-ai-act"].origin == "snapshot"
    (warning,) = [r.getMessage() for r in ours(caplog)]
    assert warning.startswith(
        f"paper_sources/refresh/snapshots/{BILL}.json: unreadable snapshot ("
    ) and warning.endswith("); using the registry's facts until the next refresh")
    assert "\n" not in warning and not ours(caplog)[0].exc_info

    report = refresh(project, config=config)
    assert report.ok
    assert json.loads(path.read_bytes())["snapshot"] == json.loads(good)["snapshot"]
    assert regulatory_status(project)[BILL].origin == "snapshot"


def test_a_garbled_state_file_is_ignored_then_rewritten(project, config, sources, caplog):
    refresh(project, config=config)
    caplog.clear()
    state_path(project).write_bytes(b'{"instruments": {"uk-business-rates-bill": {"stale": tru')
    with caplog.at_level(logging.WARNING):
        status = regulatory_status(project)
    assert status[BILL].origin == "snapshot" and not status[BILL].stale
    (warning,) = [r.getMessage() for r in ours(caplog)]
    assert warning.startswith("paper_sources/refresh/state.json: unreadable refresh state (")
    assert warning.endswith("); ignored, the next refresh rewrites it")

    assert refresh(project, config=config).ok
    assert read_state(project).instruments[BILL].checked_at is not None
    json.loads(state_path(project).read_bytes())  # whole again


def test_refresh_files_are_world_readable_whatever_the_umask(project, config, sources):
    old = os.umask(0o077)
    try:
        assert refresh(project, config=config).ok
    finally:
        os.umask(old)
    files = [state_path(project), history_path(project), snapshot_path(project, BILL)]
    assert {f.stat().st_mode & 0o777 for f in files} == {0o644}
    folders = [refresh_dir(project), snapshot_path(project, BILL).parent]
    assert {f.stat().st_mode & 0o777 for f in folders} == {0o755}

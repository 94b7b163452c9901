"""The build cache only ever makes builds faster: same editions with it, without it, damaged."""

from __future__ import annotations

from briefings import cache
from briefings.pipeline import BuildRequest, build_paper
from briefings.render import chart
from briefings.verify import verify_edition

PAPER = "2023-tech-regulation"


def test_entries_are_whole_or_ignored(tmp_path):
    cache.write(tmp_path, "k", b"drawing")
    assert cache.read(tmp_path, "k") == b"drawing"
    stored = (tmp_path / "k").read_bytes()
    (tmp_path / "k").write_bytes(stored[:-40] + stored[-32:])  # cut short
    assert cache.read(tmp_path, "k") is None
    assert cache.cached(tmp_path, "k", lambda: b"drawn again") == b"drawn again"
    assert cache.read(tmp_path, "k") == b"drawn again"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_read_only_or_missing_folder_only_costs_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert cache.cached(blocked / "sub", "k", lambda: b"x") == b"x"
    assert cache.cached(None, "k", lambda: b"y") == b"y"


def test_editions_are_the_same_with_a_cold_warm_damaged_or_no_cache(project, monkeypatch):
    """`verify` rebuilds an edition and compares it byte for byte: the second draft (it has a
    "What changed" page, read from the cache when there) built without any cache is rebuilt
    identically from an empty cache, a full one, and one whose every entry is damaged."""
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    build_paper(project, BuildRequest(PAPER))
    second = build_paper(project, BuildRequest(PAPER, force=True))
    assert not project.cache.exists()
    monkeypatch.delenv(cache.CACHE_ENV)
    for state in ("empty", "full", "damaged"):
        if state == "damaged":
            for entry in project.cache.rglob("*"):
                if entry.is_file() and entry.parent.name != "jinja":
                    entry.write_bytes(entry.read_bytes()[:-1] + b"!")
        chart.clear_drawings()  # drawings remembered in this process would hide the cache
        verdict = verify_edition(project, PAPER, second.edition_id)
        assert verdict.identical, (state, verdict.lines())
        if state == "empty":
            kept = sorted(p.name for p in project.cache.iterdir())
            assert kept == ["charts", "citations", "editions", "jinja", "sections"]

"""`briefings refresh`: settings from file and env, rebuild only on change, non-zero exit on
failure."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
import yaml

import briefings.pipeline
from briefings.cli import main
from briefings.refresh.cli import register
from briefings.refresh.config import DEFAULT_BASES, ENV_VARS, load_config
from tests.refresh.refresh_fakes import COMMITTEE_ROUTES, data, fixture_bytes


@pytest.fixture
def cli_env(project, httpserver, sources, monkeypatch):
    """The project's refresh.yaml sets tiny retries; env vars point every source at the local
    server."""
    settings = {
        "attempts": 2,
        "backoff": 0.01,
        "connect_timeout": 0.5,
        "read_timeout": 1.0,
        "base_urls": {"cellar": "https://must-be-overridden.invalid"},
    }
    (project.sources / "refresh.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    base = httpserver.url_for("/").rstrip("/")
    for var in ENV_VARS.values():
        monkeypatch.setenv(var, base)
    monkeypatch.setenv("BRIEFINGS_HTTP_CACHE_DIR", "off")
    builds: list[list[str]] = []

    def build_many(project_, requests, report=None, stage=None):
        builds.append([r.paper_id for r in requests])
        assert all(not r.final for r in requests)
        return []

    monkeypatch.setattr(briefings.pipeline, "build_many", build_many)
    return project, builds


def test_env_vars_override_the_config_file(cli_env):
    project, _ = cli_env
    config = load_config(project)
    assert config.attempts == 2 and config.cache_dir is None
    assert config.base("cellar") == os.environ["BRIEFINGS_CELLAR_URL"]  # env beats refresh.yaml


def test_defaults_are_the_production_hosts(project, monkeypatch):
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)
    config = load_config(project)
    assert {s: config.base(s) for s in DEFAULT_BASES} == DEFAULT_BASES
    assert config.cache_dir == project.root / ".cache" / "refresh"


def test_refresh_rebuilds_only_papers_citing_a_change(cli_env, sources, capsys):
    project, builds = cli_env
    root = str(project.root)
    assert main(["--root", root, "refresh", "--all"]) == 0
    assert builds == [["paper-eu", "paper-uk", "paper-us"]]  # first snapshots: everything is new
    assert main(["--root", root, "refresh"]) == 0
    assert len(builds) == 1  # nothing changed, nothing rebuilt
    for path, name in COMMITTEE_ROUTES.items():
        sources.routes[path] = data(fixture_bytes(name))
    assert main(["--root", root, "refresh", "paper-uk"]) == 0
    assert builds[-1] == ["paper-uk"]
    assert "Committee stage" in capsys.readouterr().out


def test_offline_rebuilds_from_snapshots_without_network(cli_env, sources):
    project, builds = cli_env
    assert main(["--root", str(project.root), "refresh", "paper-eu", "--offline"]) == 0
    assert sources.log == [] and builds == [["paper-eu"]]


def test_a_failing_source_exits_non_zero_with_one_line_per_source(cli_env, sources, capsys):
    project, builds = cli_env
    sources.routes["/api/v1/Bills/2818"] = data(b"down", 503)
    assert main(["--root", str(project.root), "refresh", "--all"]) == 1
    err = capsys.readouterr().err
    failing = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(failing) == 1
    assert failing[0].startswith(
        "error: uk_bills: uk-business-rates-bill: HTTP 503 after 2 attempt(s) at http://"
    )
    assert builds == [
        ["paper-eu", "paper-uk", "paper-us"]
    ]  # the others still refreshed and rebuilt


def test_register_adds_refresh_with_paper_or_all():
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["refresh", "paper-uk", "--offline"])
    assert (args.paper, args.offline, args.all) == ("paper-uk", True, False)
    with pytest.raises(SystemExit):
        parser.parse_args(["refresh", "paper-uk", "--all"])


def test_cli_module_import_is_cheap():
    code = (
        "import sys, briefings.refresh.cli; "
        "heavy = [m for m in ('requests', 'prefect', 'requests_cache') if m in sys.modules]; "
        "sys.exit(1 if heavy else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_offline_refresh_says_which_instruments_were_never_fetched(project, capsys):
    assert main(["--root", str(project.root), "refresh", "--offline", "--no-rebuild"]) == 0
    out = capsys.readouterr().out
    assert "0 tracked instrument(s) kept as in their last snapshots." in out
    assert "never fetched yet" in out

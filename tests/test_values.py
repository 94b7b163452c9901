"""Each list of values is defined once; the tables keyed by one cover exactly its values."""

from __future__ import annotations

from typing import get_args

from briefings.assemble.recommendations import AUDIENCE_TITLES
from briefings.refresh.adapters import ADAPTERS
from briefings.refresh.config import DEFAULT_BASES, ENV_VARS
from briefings.review.models import STATUSES, Status
from briefings.sources.models import AUDIENCES, OFFICIAL_SOURCES, TrackingSource


def test_every_official_source_has_an_adapter_a_base_url_and_an_env_var():
    assert set(ADAPTERS) == set(DEFAULT_BASES) == set(ENV_VARS) == set(OFFICIAL_SOURCES)
    assert set(get_args(TrackingSource)) == {*OFFICIAL_SOURCES, "manual"}


def test_every_audience_has_a_title():
    assert list(AUDIENCE_TITLES) == list(AUDIENCES)


def test_review_statuses_are_the_ledgers_literal_and_the_cli_choices():
    from briefings.cli import make_parser

    assert STATUSES == get_args(Status)
    review = make_parser()._subparsers._group_actions[0].choices["review"]
    decide = review._subparsers._group_actions[0].choices["decide"]
    (status,) = [a for a in decide._actions if a.dest == "status"]
    assert tuple(status.choices) == STATUSES

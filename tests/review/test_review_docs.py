"""docs/review.md matches the code: commands, list fields, ledger records, limits."""

from __future__ import annotations

import argparse
import re

from briefings.review.cli import register
from briefings.review.models import ReviewItem
from briefings.review.safezip import DEFAULT_LIMITS
from tests.conftest import REPO

DOC = (REPO / "docs" / "review.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented():
    parser = argparse.ArgumentParser(prog="briefings")
    review = register(parser.add_subparsers())
    commands = next(a for a in review._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        line = next(
            (ln for ln in DOC.splitlines() if ln.startswith(f"briefings review {name} ")), None
        )
        assert line, f"`briefings review {name}` missing from docs/review.md"
        for action in sub._actions:
            for flag in action.option_strings:
                assert flag in line or flag in ("-h", "--help"), f"{flag} of {name} undocumented"


def test_list_fields_are_documented():
    fields = set(ReviewItem.__dataclass_fields__)
    documented = set(re.findall(r"`(\w+)`", DOC))
    assert fields <= documented, fields - documented


def test_limits_in_docs_match_the_code():
    mib = 1024 * 1024
    assert f"over {DEFAULT_LIMITS.max_file_bytes // mib} MiB" in DOC
    assert f"over {DEFAULT_LIMITS.max_members:,} zip" in DOC
    assert (
        f"over {DEFAULT_LIMITS.max_part_bytes // mib} MiB "
        f"({DEFAULT_LIMITS.max_total_bytes // mib} MiB in all)" in DOC
    )
    assert f"more than {DEFAULT_LIMITS.max_ratio:.0f}:1" in DOC

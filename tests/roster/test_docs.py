"""docs/confidentiality.md states the matcher's rules as the code has them."""

import re

from briefings.roster import GENERIC
from briefings.roster.matcher import MIN_JOINED, MIN_SINGLE
from briefings.roster.skeleton import CONFUSABLES
from tests.conftest import REPO

DOC = (REPO / "docs" / "confidentiality.md").read_text(encoding="utf-8")
FLAT = " ".join(DOC.split())
NUMBERS = {3: "three", 5: "five"}


def test_the_generic_company_words_are_the_documented_ones():
    block = re.search(r"<!-- generic-words:start -->\n```text\n(.*?)```", DOC, re.S)
    assert block and set(block[1].split()) == GENERIC


def test_the_documented_lengths_and_data_version_are_the_code_s():
    assert f"word of it of {NUMBERS[MIN_SINGLE]} letters or more" in FLAT
    assert f"fewer than {NUMBERS[MIN_JOINED]} letters is matched only as written" in FLAT
    version = re.search(r"confusables-(\d+\.\d+\.\d+)\.txt", CONFUSABLES)[1]
    assert f"`confusables.txt` (version {version}" in FLAT


def test_the_roster_rules_are_stated_as_the_pipeline_enforces_them():
    # pipeline.check_markdown: no roster, or a roster listing no one, stops the build.
    assert "**No roster, no build.**" in FLAT and "nor when the roster lists no one" in FLAT
    assert "by review (to withhold names from reviewer text)" in FLAT
    assert 'looked for as a whole and as "Okonkwe" and "Lind"' in FLAT

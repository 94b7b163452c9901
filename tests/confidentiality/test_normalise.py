"""Normalisation and matching of roster names: the disguises a name can wear in an edition."""

import pytest

from briefings.confidentiality import RosterNames, fold, mask, tokens, words
from briefings.sources.models import RosterEntry
from tests.confidentiality.gate_project import ALLOWLIST, ROSTER

NAMES = RosterNames([RosterEntry(**e) for e in ROSTER], ALLOWLIST)


def masked(text: str) -> list[str]:
    return sorted(t.masked for t in NAMES.find(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ingrid Sørensen", ["ingrid", "sorensen"]),
        ("ＮＯＲＶＡＬＥ", ["norvale"]),  # full-width letters (NFKC)
        (
            "Nor\u200bvale Nor\u00advale Nor\u200dvale",
            ["norvale"] * 3,
        ),  # zero-width and soft hyphen
        (
            "Norvale's Norvale’s",
            ["norvale", "s", "norvale", "s"],
        ),  # possessive: the apostrophe separates
        ("Nor-\n  vale", ["norvale"]),
        ("ﬁnance Straße", ["finance", "strasse"]),  # ligature, sharp s
        ("Łukasz Øre Æsir", ["lukasz", "ore", "aesir"]),  # letters without a decomposition
        ("a\t b\n\n c", ["a", "b", "c"]),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


def test_fold_keeps_hyphen_breaks_but_tokens_link_them():
    assert tokens("Nor-\nvale-\nbased") == (["nor", "vale", "based"], [True, True, False])
    assert tokens("well-known name") == (["well", "known", "name"], [False, False, False])
    assert fold("Ní Bhraonáin") == "ni bhraonain"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("interviewed at Norvale-\nbased offices", ["N*****e"]),
        ("interviewed at Nor-\nvale-\nbased offices", ["N*****e"]),
        ("KESTREL said", ["K*****l"]),
        ("Kestrel Holdings AG said", ["K*****l", "K*****************G"]),
        ("Ingrid\nSørensen", ["I*************n", "I****d", "S******n"]),
        ("N.V.S. labs", []),
        ("the nvs labs team", ["N******s"]),  # an alias is matched as a whole
        ("nvs alone", []),
        ("Aoife Ni Bhraonain", ["A****************n", "A***e", "B*******n"]),
        ("her name is Ní", []),  # a two-letter word is matched only inside the full name
    ],
)
def test_find(text, expected):
    assert masked(text) == sorted(expected)


def test_words_are_matched_on_word_boundaries():
    assert masked("Norvalesque and unkestrelled ingridients") == []
    assert masked("systems, holdings, telecom and labs are generic") == []


def test_allowlisted_word_passes_but_the_full_name_does_not():
    assert masked("A rose, two Roses, Rose's garden") == []
    assert masked("Tomasz Rose") == ["T*********e", "T****z"]


def test_mask_never_shows_the_middle():
    assert mask("Norvale") == "N*****e"
    assert mask("Ann") == "A**"
    assert mask("  Ingrid   Sørensen ") == "I*************n"


def test_repr_hides_the_roster():
    assert "orvale" not in repr(NAMES) and "orvale" not in str(NAMES)


def test_line_of():
    text = "one\ntwo Kestrel\nthree Ingrid\nSørensen"
    terms = {t.masked: t for t in NAMES.find(text)}
    assert NAMES.line_of(text, terms["K*****l"]) == 2
    assert NAMES.line_of(text, terms["I*************n"]) == 3

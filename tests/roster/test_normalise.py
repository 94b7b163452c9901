"""The normaliser: every disguise a reader sees through folds to the same letters."""

import unicodedata

import pytest

from briefings.roster import decode, fold, words
from briefings.roster.normalise import joined
from briefings.roster.skeleton import CONFUSABLES, fold_char, prototypes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ingrid Sørensen", ["lngrld", "sorensen"]),  # i folds with l (a capital I reads as l)
        ("ＮＯＲＶＡＬＥ", ["norvale"]),  # full-width letters
        ("Nor\u200bvale Nor\u00advale Nor\u200dvale", ["norvale"] * 3),  # zero-width, soft hyphen
        ("Norvale's Norvale’s", ["norvale", "s", "norvale", "s"]),  # the apostrophe separates
        ("ﬁnance Straße", ["flnance", "strasse"]),  # ligature, sharp s
        ("Łukasz Øre Æsir", ["lukasz", "ore", "aeslr"]),  # letters without a decomposition
        ("a\t b\n\n c", ["a", "b", "c"]),
        ("Nоrvаlе", ["norvale"]),  # Cyrillic о, а, е
        ("Νorvαle", ["norvale"]),  # Greek Ν, α
        ("ɴᴏʀᴠᴀʟᴇ", ["norvale"]),  # small capitals
        (
            "𝐍𝐨𝐫𝐯𝐚𝐥𝐞 Ⓝorvale ᴺorvale ℕorvale",
            ["norvale"] * 4,
        ),  # math, circled, modifier, double-struck
        ("Nor\u202evale Nor\u2066vale\u2069", ["norvale"] * 2),  # bidi controls
        ("Nor\U000e0041vale Nor\ufe0fvale Nor\u034fvale", ["norvale"] * 3),  # tag, selector, CGJ
        ("N0rvale", ["n", "o", "rvale"]),  # a glued zero reads as o, as its own token
        ("1Norvale", ["l", "norvale"]),  # a footnote mark stays apart
        ("2023 and 10 items", ["2023", "and", "10", "lterns"]),  # standalone digits stay; m -> rn
        ("DaIvoss", ["dalvoss"]),  # capital I looks like l (UTS #39)
    ],
)
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dal%76oss", "Dalvoss"),
        ("Dal%25%37%36oss", "Dalvoss"),  # double-encoded
        ("Dal%E2%80%8Bvoss", "Dal\u200bvoss"),  # UTF-8
        ("&#68;al&#x76;oss &amp;", "Dalvoss &"),
        ("D\\u0061lvoss", "Dalvoss"),
        ("one%0Atwo", "one two"),  # a decoded line break is a space: line numbers hold
        ("50% of 100%", "50% of 100%"),
    ],
)
def test_decode(text, expected):
    assert decode(text) == expected


def test_fold_is_a_fixed_point_for_every_character():
    for code in range(0x30000):
        char = chr(code)
        if unicodedata.category(char) in ("Cn", "Cs"):
            continue
        folded = fold_char(char)
        assert "".join(fold_char(c) for c in folded) == folded, hex(code)


def test_fold_keeps_line_breaks_and_reads_letters():
    assert fold("Ní Bhraonáin\nline two") == "nl bhraonaln\nllne two"
    assert fold("\u202essovlaD") == "ssovlad"


def test_every_prototype_of_the_data_file_is_read():
    assert CONFUSABLES.startswith("confusables-17.0.0")
    table = prototypes()
    assert len(table) == 6564  # 6565 entries in Unicode 17.0.0, minus "%" (decoded instead)
    assert table["\u0430"] == "a" and table["m"] == "rn"


def test_joined_marks_where_tokens_meet():
    assert joined(fold("Dal-voss, Bright quay")) == ("dalvossbrlghtquay", {0, 3, 7, 13, 17})

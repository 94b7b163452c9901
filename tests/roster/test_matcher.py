"""The roster matcher: every disguise a name can wear, and ordinary words that must pass."""

import pytest

from briefings.roster import RosterNames, mask
from briefings.sources.models import RosterEntry
from tests.confidentiality.gate_project import ALLOWLIST, ROSTER

NAMES = RosterNames([RosterEntry(**e) for e in ROSTER], ALLOWLIST)


def masked(text: str) -> list[str]:
    return sorted(t.masked for t in NAMES.find(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("interviewed at Norvale-\nbased offices", ["N*****e"]),
        ("interviewed at Nor-\nvale-\nbased offices", ["N*****e"]),
        ("KESTREL said", ["K*****l"]),
        ("Kestrel Holdings AG said", ["K*****l", "K*****************G"]),
        ("Ingrid\nSørensen", ["I*************n", "I****d", "S******n"]),
        ("the nvs labs team", ["N******s"]),  # an alias is matched as a whole
        ("N.V.S. labs", ["N******s"]),  # ... however it is punctuated
        ("nvs alone", []),
        ("Aoife Ni Bhraonain", ["A****************n", "A***e", "B*******n"]),
        ("her name is Ní", []),  # a two-letter word is matched only inside the full name
        # look-alike letters, small capitals, invisible and bidi characters
        ("Nоrvаlе", ["N*****e"]),
        ("ᴋᴇsᴛʀᴇʟ", ["K*****l"]),
        ("Kes\U000e0074trel", ["K*****l"]),
        ("\u202elertseK\u202c said", ["K*****l"]),
        ("N0rvale", ["N*****e"]),
        ("a footnote1Norvale", ["N*****e"]),
        # split and joined forms
        ("Nor-vale Nor\u2011vale Nor vale Nor\u00a0vale", ["N*****e"]),
        ("Bright water", ["B*********r"]),
        ("IngridSørensen", ["I*************n"]),
        ("Nor**vale** and Nor<!-- a comment -->vale", ["N*****e"]),
        ("N.o.r.v.a.l.e", ["N*****e"]),
        # encoded
        ("https://example.org/Nor%76ale", ["N*****e"]),
        ("&#75;estrel", ["K*****l"]),
    ],
)
def test_find(text, expected):
    assert masked(text) == sorted(set(expected))


def test_words_are_matched_on_word_boundaries():
    assert masked("Norvalesque and unkestrelled ingridients") == []
    assert masked("systems, holdings, telecom and labs are generic") == []


def test_a_short_name_is_matched_only_as_written():
    names = RosterNames([RosterEntry(participant="P01", name="Mei-Lin Tsaovar", company="Xq")])
    assert sorted(t.masked for t in names.find("Lin said")) == ["L**"]
    assert names.find("Table 1 in the annex, tell me I was right") == []
    assert names.find("L-in") == []


def test_allowlisted_word_passes_but_the_full_name_does_not():
    assert masked("A rose, two Roses, Rose's garden") == []
    assert masked("Tomasz Rose") == ["T*********e", "T****z"]
    assert masked("Tomasz-Rose") == ["T*********e", "T****z"]


def test_mask_never_shows_the_middle():
    assert mask("Norvale") == "N*****e"
    assert mask("Ann") == "A**"
    assert mask("  Ingrid   Sørensen ") == "I*************n"


def test_repr_hides_the_roster():
    assert "orvale" not in repr(NAMES) and "orvale" not in str(NAMES)
    assert "orvale" not in repr(NAMES.find("Norvale"))


def test_line_of():
    text = "one\ntwo Kestrel\nthree Ingrid\nSørensen\nfour Nor%0Avale"
    terms = {t.masked: t for t in NAMES.find(text)}
    assert NAMES.line_of(text, terms["K*****l"]) == 2
    assert NAMES.line_of(text, terms["I*************n"]) == 3
    assert NAMES.line_of(text, terms["N*****e"]) == 5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ask Kestrel today", "Ask [w] today"),
        ("Ask Kеstrel's lawyer", "Ask [w]'s lawyer"),  # Cyrillic е
        ("Per Nor-\nvale staff", "Per [w] staff"),
        ("Ingrid Sørensen wrote", "[w] wrote"),
        ("see Nor%76ale", "[w]"),  # found only once decoded: withheld whole
        ("Nothing here.", "Nothing here."),
    ],
)
def test_redact(text, expected):
    assert NAMES.redact(text, "[w]") == expected

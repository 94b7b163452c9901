"""Property tests: a roster name in any disguise is found; allowlisted words and plain text pass."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.confidentiality import check_text
from briefings.errors import ConfidentialityError
from briefings.roster import RosterNames
from briefings.sources.models import RosterEntry
from tests.confidentiality.gate_project import ALLOWLIST, PAPER, ROSTER

NAMES = RosterNames([RosterEntry(**e) for e in ROSTER], ALLOWLIST)
# The forms an editor could write: full names, company names, aliases and their distinctive words.
FORMS = [
    "Ingrid Sørensen",
    "Sørensen",
    "Ingrid",
    "Norvale Systems",
    "Norvale",
    "NVS Labs",
    "Tomasz Rose",
    "Tomasz",
    "Kestrel Holdings AG",
    "Kestrel",
    "Aoife Ní Bhraonáin",
    "Bhraonáin",
    "Brightwater Telecom",
]
ACCENTS = "\u0300\u0301\u0302\u0303\u0308\u030a\u030c\u0327"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
FILLER = st.lists(
    st.sampled_from(
        [
            "the",
            "report",
            "said",
            "a",
            "manager",
            "at",
            "policy",
            "roses",
            "kestrels",
            "Norvalesque",
            "ingridients",
            "systems",
            "telecom",
            "1",
            "(see",
            "note)",
        ]
    ),
    max_size=6,
).map(" ".join)


@st.composite
def disguised(draw, form: str) -> str:
    """`form` with random case, accents, invisible characters, a hyphen line break and a
    possessive."""
    chars = []
    for c in form:
        c = c.upper() if draw(st.booleans()) else c.lower()
        if c.isalpha() and draw(st.integers(0, 4)) == 0:
            c += draw(st.sampled_from(ACCENTS))
        if draw(st.integers(0, 5)) == 0:
            c += draw(st.sampled_from(INVISIBLE))
        chars.append(c)
    letters = [i for i in range(1, len(chars)) if form[i - 1].isalpha() and form[i].isalpha()]
    if letters and draw(st.booleans()):
        i = draw(st.sampled_from(letters))
        chars[i - 1] += draw(st.sampled_from(["-\n", "-\n   ", "\u2010\n", "\u00ad\n"]))
    text = "".join(chars)
    if " " in form and draw(st.booleans()):
        text = text.replace(" ", draw(st.sampled_from(["\n", "  ", "\u00a0", " \n "])))
    return text + draw(st.sampled_from(["", "'s", "’s", "’", "'"]))


@st.composite
def leaked_text(draw, forms=FORMS):
    form = draw(st.sampled_from(forms))
    return form, f"{draw(FILLER)} {draw(disguised(form))} {draw(FILLER)}".strip()


def term_of(form: str):
    [term] = RosterNames(
        [RosterEntry(participant="P01", name=form, company="x", aliases=[form])]
    ).terms[:1]
    return term.words


@given(leaked_text())
@settings(max_examples=250, deadline=None)
def test_a_disguised_roster_name_is_always_found(case):
    form, text = case
    assert term_of(form) in {t.words for t in NAMES.find(text)}


@given(FILLER)
@settings(deadline=None)  # a shared CI machine: time is not what is tested here
def test_plain_text_has_no_hits(text):
    assert NAMES.find(text) == []


@given(st.builds(lambda f, d, g: f"{f} {d} {g}", FILLER, disguised("Rose"), FILLER))
@settings(deadline=None)
def test_an_allowlisted_word_passes_in_any_disguise(text):
    assert NAMES.find(text) == []


@given(leaked_text(["Tomasz Rose", "Kestrel", "Norvale", "NVS Labs", "Aoife Ní Bhraonáin"]))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_gate_fails_on_any_disguise(gate_project, case):
    _form, text = case
    with pytest.raises(ConfidentialityError) as caught:
        check_text(gate_project, PAPER, f"# Findings\n\n{text}\n", ALLOWLIST)
    assert all("*" in p.message for p in caught.value.problems)

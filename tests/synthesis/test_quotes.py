"""Quote selection: consent, caps, length limits, pins and exclusions, spread, determinism."""

import random

from briefings.synthesis import synthesise
from tests.synthesis.synthesis_sources import interview, write_paper


def many(n=8, consent=lambda i: True):
    return [
        interview(
            f"P{i:02d}",
            f"C{i:02d}",
            [
                (["uncertainty"], consent(i)),
                (["supply-chain"], consent(i)),
                (["leadership"], consent(i)),
            ],
            sector=["software", "telecoms", "hardware"][i % 3],
        )
        for i in range(1, n + 1)
    ]


def test_only_consented_excerpts_are_quoted(make_paper):
    f = synthesise(make_paper(many(consent=lambda i: i % 2 == 0)))
    assert f.quotes
    assert all(int(q.participant[1:]) % 2 == 0 for q in f.quotes)


def test_per_participant_caps_per_paper_and_per_section(make_paper):
    quotes = {"per_participant": 1, "per_participant_per_section": 1, "per_theme": 3}
    ivs = [
        interview("P01", "C01", [(["uncertainty"], True)] * 3 + [(["leadership"], True)] * 2),
        interview("P02", "C02", [(["uncertainty"], True), (["leadership"], True)]),
    ]
    f = synthesise(make_paper(ivs, paper={"quotes": quotes}))
    per_person = [q.participant for q in f.quotes]
    assert sorted(per_person) == ["P01", "P02"]  # each quoted once in the whole paper
    quotes2 = {"per_participant": 5, "per_participant_per_section": 2, "per_theme": 5}
    f2 = synthesise(make_paper(ivs, paper={"quotes": quotes2}))
    for theme in f2.themes:
        ids = [q.participant for q in theme.quotes]
        assert all(ids.count(p) <= 2 for p in ids)
    assert [q.participant for q in f2.theme("uncertainty").quotes].count("P01") == 2


def test_per_theme_cap_and_each_excerpt_quoted_once(make_paper):
    # a quote illustrates its primary (first) theme: half the excerpts put each theme first
    codes = (["uncertainty", "leadership"], ["leadership", "uncertainty"])
    ivs = [interview(f"P{i:02d}", f"C{i:02d}", [(codes[i % 2], True)]) for i in range(1, 7)]
    f = synthesise(make_paper(ivs, paper={"quotes": {"per_theme": 2, "per_participant": 1}}))
    assert all(len(t.quotes) <= 2 for t in f.themes)
    ids = [q.id for q in f.quotes]
    assert len(ids) == len(set(ids)) == 4


def test_word_limits(make_paper):
    texts = {
        0: "Too short to quote",
        1: " ".join(["word"] * 80),
        2: "this one is just the right length to quote",
    }
    ivs = [interview("P01", "C01", [(["uncertainty"], True)] * 3, texts=texts)]
    f = synthesise(
        make_paper(
            ivs,
            paper={
                "quotes": {
                    "per_participant": 3,
                    "per_participant_per_section": 3,
                    "per_theme": 3,
                    "min_words": 6,
                    "max_words": 70,
                }
            },
        )
    )
    assert [q.id for q in f.quotes] == ["P01-03"]


def test_pinned_and_excluded(make_paper):
    policy = {
        "pinned": ["P05-01", "P06-01", "P99-01"],
        "excluded": ["P01-01", "P06-01"],
        "per_theme": 2,
    }
    ivs = many(6, consent=lambda i: i != 3) + [interview("P07", "C07", [(["uncertainty"], False)])]
    policy["pinned"].append("P07-01")
    f = synthesise(make_paper(ivs, paper={"quotes": policy}))
    ids = [q.id for q in f.quotes]
    assert "P05-01" in ids and [q for q in f.quotes if q.id == "P05-01"][0].pinned
    assert "P01-01" not in ids and "P06-01" not in ids and "P07-01" not in ids
    notes = " | ".join(f.notes)
    assert "P99-01: no such excerpt" in notes
    assert "P06-01: also excluded" in notes
    assert "P07-01: no consent" in notes


def test_quotes_spread_across_descriptor_groups(make_paper):
    # P01..P04 are software companies, P05 is the only telecoms one: a second quote comes from P05
    ivs = [
        interview(f"P{i:02d}", f"C{i:02d}", [(["uncertainty"], True)], sector="software")
        for i in range(1, 5)
    ]
    ivs.append(interview("P05", "C05", [(["uncertainty"], True)], sector="telecoms"))
    f = synthesise(make_paper(ivs, paper={"quotes": {"per_theme": 2}}))
    assert [q.participant for q in f.theme("uncertainty").quotes] == ["P01", "P05"]


def test_selection_is_stable_whatever_the_file_order(tmp_path):
    ivs = many(9)
    first = synthesise(write_paper(tmp_path / "a", ivs))
    shuffled = list(ivs)
    random.Random(7).shuffle(shuffled)
    for data in shuffled:
        data["excerpts"] = list(reversed(data["excerpts"]))
    second = synthesise(write_paper(tmp_path / "b", shuffled))
    assert first.quotes == second.quotes
    assert first.themes == second.themes

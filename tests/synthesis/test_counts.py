"""Theme counts: distinct companies, sub-themes counted for their parents, ranking and ties."""

from briefings.synthesis import synthesise
from tests.synthesis.synthesis_sources import interview


def test_companies_are_counted_once_however_many_people_raise_a_theme(make_paper):
    sources = make_paper(
        [
            interview("P01", "C01", [(["uncertainty"], True)]),
            interview("P02", "C01", [(["uncertainty"], True), (["supply-chain"], True)]),
            interview("P03", "C02", [(["supply-chain"], True), (["leadership"], False)]),
        ]
    )
    f = synthesise(sources)
    assert (f.companies, f.participants, f.interviews, f.excerpts) == (2, 3, 3, 5)
    assert f.theme("uncertainty").companies == 1
    assert f.theme("uncertainty").participants == 2
    assert f.theme("supply-chain").companies == 2
    assert f.theme("leadership").companies == 1  # counted even without consent to quote


def test_sub_theme_excerpts_count_for_the_parent_as_distinct_companies(make_paper):
    sources = make_paper(
        [
            interview("P01", "C01", [(["overlap"], True)]),
            interview(
                "P02", "C02", [(["uncertainty", "overlap"], True)]
            ),  # one excerpt, counted once
            interview("P03", "C03", [(["uncertainty"], True)]),
        ]
    )
    f = synthesise(sources)
    parent = f.theme("uncertainty")
    assert parent.companies == 3
    assert parent.excerpts == 3
    assert [s.id for s in parent.sub_themes] == ["overlap"]
    assert parent.sub_themes[0].companies == 2
    assert "overlap" not in [
        t.id for t in f.themes
    ]  # sub-themes are not ranked as top-level themes


def test_ranking_by_companies_then_participants_then_codebook_order(make_paper):
    sources = make_paper(
        [
            interview("P01", "C01", [(["supply-chain"], True)]),
            interview("P02", "C02", [(["supply-chain"], True), (["uncertainty"], True)]),
            interview("P03", "C02", [(["leadership"], True)]),
            interview("P04", "C03", [(["leadership"], True)]),
        ]
    )
    f = synthesise(sources)
    assert [t.id for t in f.challenges] == ["supply-chain", "uncertainty"]
    assert [t.id for t in f.opportunities] == ["leadership"]
    assert f.top_challenge == "Supply-chain visibility"
    assert f.top_opportunity == "Leadership from the top"
    # a tie on companies (2 and 2) is broken by participants (2 and 2), then codebook order
    assert [t.id for t in f.themes] == ["supply-chain", "leadership", "uncertainty"]


def test_themes_nobody_raised_are_not_ranked_but_remain_addressable(make_paper):
    f = synthesise(make_paper([interview("P01", "C01")]))
    assert "unused" not in [t.id for t in f.themes]
    assert f.theme("unused").companies == 0
    assert [t.id for t in f.all_themes()] == [
        "uncertainty",
        "overlap",
        "supply-chain",
        "leadership",
        "unused",
    ]
    assert f.top_opportunity is None


def test_long_theme_ids_give_bookmark_safe_anchors(make_paper):
    long_id = "regulatory-uncertainty-across-many-overlapping-jurisdictions"
    codebook = [{"id": long_id, "label": "Long", "kind": "challenge", "description": "d"}]
    f = synthesise(make_paper([interview("P01", "C01", [([long_id], True)])], codebook=codebook))
    anchor = f.themes[0].anchor
    assert len(anchor) <= 40 and anchor.startswith("sec-theme-regulatory")
    assert (
        anchor
        == synthesise(make_paper([interview("P01", "C01", [([long_id], True)])], codebook=codebook))
        .themes[0]
        .anchor
    )

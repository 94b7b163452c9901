"""k-anonymous attribution: small descriptor groups are coarsened in a fixed order or omitted."""

from briefings.synthesis import synthesise
from briefings.synthesis.attribution import Attributor
from tests.synthesis.synthesis_sources import interview


def test_a_group_of_at_least_k_companies_is_printed_in_full(make_paper):
    ivs = [interview(f"P{i:02d}", f"C{i:02d}") for i in range(1, 4)]
    f = synthesise(make_paper(ivs, paper={"quotes": {"per_theme": 3}}))
    assert {q.attribution for q in f.quotes} == {
        "human rights lead, large software company, Europe"
    }
    assert f.coarsened == ()


def test_the_only_company_in_a_region_is_coarsened_and_reported(make_paper):
    ivs = [interview(f"P{i:02d}", f"C{i:02d}") for i in range(1, 4)]
    ivs.append(interview("P04", "C04", region="Latin America"))
    f = synthesise(make_paper(ivs, paper={"quotes": {"per_theme": 4}}))
    quote = next(q for q in f.quotes if q.participant == "P04")
    assert quote.attribution == "human rights lead, large software company"
    assert "Latin America" not in " ".join(q.attribution or "" for q in f.quotes)
    [report] = f.coarsened
    assert (report.excerpt, report.dropped, report.attribution) == (
        "P04-01",
        ("region",),
        quote.attribution,
    )


def test_people_of_one_company_do_not_make_a_group(make_paper):
    # three participants, one telecoms company: still identifies the company, so sector goes too
    ivs = [interview(f"P{i:02d}", "C01", sector="telecoms", size="small") for i in range(1, 4)]
    ivs += [interview(f"P{i:02d}", f"C{i:02d}") for i in range(4, 7)]
    attributor = Attributor(make_paper(ivs).interviews, 3)
    assert attributor.attribute("P01") == ("human rights lead", ("region", "size band", "sector"))
    assert attributor.attribute("P04") == ("human rights lead, large software company, Europe", ())


def test_coarsening_order_region_then_size_then_sector_then_omitted(make_paper):
    ivs = [
        interview("P01", "C01", size="small", region="Asia"),
        interview("P02", "C02", size="medium", region="Africa"),
        interview("P03", "C03", size="large", region="Europe"),
        interview("P04", "C04", sector="telecoms", role="general counsel"),
    ]
    attributor = Attributor(make_paper(ivs).interviews, 3)
    assert attributor.attribute("P01") == (
        "human rights lead, software company",
        ("region", "size band"),
    )
    assert attributor.attribute("P04") == (None, ("region", "size band", "sector", "role"))
    f = synthesise(make_paper(ivs, paper={"quotes": {"per_theme": 4}}))
    omitted = [c for c in f.coarsened if c.participant == "P04"]
    assert omitted and omitted[0].attribution is None
    assert "no attribution" in str(omitted[0])


def test_k_is_set_per_paper(make_paper):
    ivs = [interview("P01", "C01"), interview("P02", "C02")]
    assert {
        q.attribution for q in synthesise(make_paper(ivs, paper={"k_anonymity": 2})).quotes
    } == {"human rights lead, large software company, Europe"}
    assert {q.attribution for q in synthesise(make_paper(ivs)).quotes} == {None}

"""Legislation cited as lawyers cite it: every instrument type of the registry, every format."""

from __future__ import annotations

import re

import pypandoc
import pytest
import yaml

from briefings.pipeline import gather
from tests.conftest import REPO

REFERENCES = REPO / "paper_sources" / "references.yaml"
CSL = REPO / "templates" / "csl" / "house.csl"

# key -> (instrument type, what the text prints)
IN_TEXT = {
    "reg-2024-1689": ("EU regulation", "Regulation (EU) 2024/1689"),
    "dir-2024-1760": ("EU directive", "Directive (EU) 2024/1760"),
    "ukpga-2023-50": ("UK Act", "Online Safety Act 2023"),
    "ukpga-2015-30": ("UK Act, section", "Modern Slavery Act 2015, s. 54"),
    "loi-2017-399": ("French law", "Loi n° 2017-399"),
    "lksg-2021": ("German law", "LkSG"),
    "lov-2021-06-18-99": ("Norwegian law", "LOV-2021-06-18-99"),
    "co-sb24-205": ("US state Act", "SB24-205"),
    "hrc-res-17-4": ("UN resolution", "HRC resolution 17/4"),
    "cets-225": ("treaty", "CETS No. 225"),
}


def _cite(markdown: str) -> str:
    document = f"---\nbibliography: {REFERENCES}\ncsl: {CSL}\n---\n{markdown}\n"
    return pypandoc.convert_text(
        document, "plain", format="markdown", extra_args=["--citeproc", "--wrap=none"]
    )


@pytest.mark.parametrize("key", IN_TEXT)
def test_in_text_legislation_is_its_short_title_or_official_form_without_a_year(key):
    _kind, expected = IN_TEXT[key]
    text = _cite(f"The law [@{key}] applies.").split("\n")[0]
    assert text == f"The law ({expected}) applies."


def test_several_laws_stay_in_the_order_the_sentence_names_them():
    text = _cite(
        "Laws in France, Germany and Norway [@loi-2017-399; @lksg-2021; @lov-2021-06-18-99]."
    )
    assert "(Loi n° 2017-399; LkSG; LOV-2021-06-18-99)" in text


def _references() -> dict[str, dict]:
    data = yaml.safe_load(REFERENCES.read_text(encoding="utf-8"))
    return {ref["id"]: ref for ref in data["references"]}


def test_bibliography_entries_name_each_identifier_once_with_the_official_link():
    refs = _references()
    listing = _cite("[@" + "; @".join(IN_TEXT) + "]\n\n# References").split("References", 1)[1]
    entries = [" ".join(e.split()) for e in listing.strip().split("\n\n")]
    for key, (_kind, short) in IN_TEXT.items():
        ref = refs[key]
        (entry,) = [e for e in entries if e.startswith(ref["title"].replace('"', "‘")[:30])]
        identifier = ref.get("number") or short.replace("HRC", "Human Rights Council")
        assert entry.count(identifier) == 1, entry
        assert not re.search(r"\(\d{4}[a-z]?\)", entry), entry  # no author-date year
        if ref.get("URL"):
            assert entry.endswith(ref["URL"] + "."), entry


def test_the_bibliography_agrees_with_the_registry(project):
    refs = _references()
    for paper_id in ("2023-tech-regulation", "2024-fairness-bias"):
        for entry in gather(project, paper_id).instruments:
            ref = refs[entry.citations[0]]
            ids = entry.identifiers
            if ids.url and ref.get("URL"):
                assert ids.url == ref["URL"], entry.id
            cited = f"{ref['title']} {ref.get('number', '')}"
            official = ids.act_number or (ids.other or "").split(";")[0].split(",")[0]
            if official:
                assert official.strip() in cited, entry.id


def test_the_samples_cite_each_instrument_by_its_title_not_again_after_it(sample_drafts):
    for paper in sample_drafts.values():
        text = " ".join(paper.pdf_text().split())
        # the old garbles: a title then its year, an identifier repeated in the bibliography
        assert "2023 2023)" not in text and "(Online Safety Act 2023 2023)" not in text
        assert "Loi n° 2017-399. " not in text and "(2015). 2015 c. 30" not in text
        assert "(Online Safety Act 2023)" not in text.split("Online Safety Act")[0][-5:]
        markdown = paper.markdown
        for block in re.findall(r"::: \{#p-reg-[\w-]+-sum\}\n(.*?)\n:::", markdown, re.S):
            assert "[@" not in block  # the title itself links to the reference
            assert re.match(r"\[\*\*.+?\*\*\]\(#ref-[\w-]+\)", block), block[:80]
        html = paper.html()
        for target in set(re.findall(r'href="#(ref-[^"]+)"', html)):
            assert f'id="{target}"' in html, target

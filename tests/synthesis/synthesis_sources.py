"""Builders of small paper source trees in tmp_path, so synthesis tests need no sample paper."""

from __future__ import annotations

from pathlib import Path

import yaml

REGULATION = {
    "id": "test-act",
    "title": "Test Act",
    "short_name": "Test Act",
    "jurisdiction": "EU",
    "type": "regulation",
    "identifiers": {"other": "TA-1"},
    "status": "in force",
    "key_dates": [{"label": "Adopted", "date": "2024-01-01"}],
    "summary": "A test act.",
    "human_rights_relevance": "None.",
    "ict_company_asks": ["Nothing."],
    "as_of": "2024-01-01",
}


class _PlainDumper(yaml.SafeDumper):
    """Writes a repeated object out in full: editors' YAML may not use anchors and aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


CODEBOOK = [
    {
        "id": "uncertainty",
        "label": "Regulatory uncertainty",
        "kind": "challenge",
        "description": "Rules keep moving.",
    },
    {
        "id": "overlap",
        "label": "Overlapping regimes",
        "kind": "challenge",
        "description": "Too many regimes.",
        "parent": "uncertainty",
    },
    {
        "id": "supply-chain",
        "label": "Supply-chain visibility",
        "kind": "challenge",
        "description": "Suppliers are opaque.",
    },
    {
        "id": "leadership",
        "label": "Leadership from the top",
        "kind": "opportunity",
        "description": "Boards now listen.",
    },
    {
        "id": "unused",
        "label": "Never raised",
        "kind": "opportunity",
        "description": "Nobody said this.",
    },
]

LONG = "we spent most of last year reading drafts that changed every month"


def interview(
    pid: str,
    company: str,
    excerpts: list[tuple[list[str], bool]] | None = None,
    *,
    sector="software",
    size="large",
    role="human rights lead",
    region="Europe",
    texts=None,
) -> dict:
    """One interview file's data; excerpts are (themes, consent) pairs."""
    excerpts = excerpts or [(["uncertainty"], True)]
    return {
        "participant": pid,
        "company": company,
        "fictional": True,
        "interviewed": "2023-05-01",
        "descriptors": {"sector": sector, "size_band": size, "role_type": role, "region": region},
        "excerpts": [
            {
                "id": f"{pid}-{i + 1:02d}",
                "text": (texts or {}).get(i, f"{pid} said {LONG} number {i + 1}"),
                "themes": themes,
                "consent_to_quote": consent,
            }
            for i, (themes, consent) in enumerate(excerpts)
        ],
    }


def write_paper(
    root: Path,
    interviews: list[dict],
    *,
    codebook=None,
    paper: dict | None = None,
    paper_id: str = "test-paper",
):
    """Write a complete minimal project under root and return the loaded PaperSources."""
    from briefings.project import Project
    from briefings.sources.loader import load_paper

    def dump(path: Path, data) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")

    dump(root / "paper_sources/regulations/test-act.yaml", REGULATION)
    folder = root / "paper_sources" / paper_id
    dump(
        folder / "paper.yaml",
        {
            "id": paper_id,
            "title": "A test paper",
            "series": "2023 series",
            "theme": "Testing",
            "date": "2023-10-01",
            "organisation": "The Roundtable",
            "instruments": ["test-act"],
            "sections": ["findings"],
            "status_as_of": "2023-09-01",
            **(paper or {}),
        },
    )
    dump(folder / "interviews/codebook.yaml", {"themes": codebook or CODEBOOK})
    for data in interviews:
        dump(folder / "interviews" / f"{data['participant']}.yaml", data)
    dump(folder / "recommendations.yaml", [])
    return load_paper(Project(root), paper_id)

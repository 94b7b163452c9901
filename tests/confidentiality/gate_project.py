"""A small project with a fictional roster and sources, for the confidentiality tests."""

from __future__ import annotations

from pathlib import Path

import yaml

PAPER = "gate-paper"
# Fictional names. "Rose" is also an ordinary word, so the paper allowlists it.
ROSTER = [
    {
        "participant": "P01",
        "name": "Ingrid Sørensen",
        "company": "Norvale Systems",
        "aliases": ["NVS Labs"],
    },
    {"participant": "P02", "name": "Tomasz Rose", "company": "Kestrel Holdings AG"},
    {"participant": "P03", "name": "Aoife Ní Bhraonáin", "company": "Brightwater Telecom"},
]
ALLOWLIST = ["Rose"]


def write_gate_project(root: Path, leak: dict[str, str] | None = None) -> Path:
    """paper_sources/<paper>/ with a roster, an interview and prose; `leak` maps file -> extra
    text."""
    leak = leak or {}
    folder = root / "paper_sources" / PAPER
    (folder / "interviews").mkdir(parents=True)
    (folder / "sections").mkdir()
    (root / "paper_sources" / "regulations").mkdir()
    (root / "templates").mkdir()
    (folder / "interviews" / "roster.yaml").write_text(
        yaml.safe_dump(ROSTER, allow_unicode=True), encoding="utf-8"
    )
    interview = {
        "participant": "P01",
        "company": "C01",
        "excerpts": [
            {
                "id": "P01-01",
                "text": "We read every draft.",
                "themes": ["x"],
                "consent_to_quote": True,
            },
            {
                "id": "P01-02",
                "text": "Nothing to see." + leak.get("interview", ""),
                "themes": ["x"],
                "consent_to_quote": True,
            },
        ],
    }
    (folder / "interviews" / "P01.yaml").write_text(
        yaml.safe_dump(interview, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    (folder / "sections" / "introduction.md").write_text(
        "# Intro\n\nA rose by any other name.\n\nSecond paragraph." + leak.get("prose", "") + "\n",
        encoding="utf-8",
    )
    return root

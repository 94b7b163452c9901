"""Gather: read and validate every source of a paper, reporting all problems together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, SourceError
from ..project import Project
from .citations import bibliography_keys, check_prose_citations, check_registry_citations
from .collect import Collector
from .files import bracket_problem, too_deep_brackets
from .models import (
    PROSE_SECTIONS,
    Codebook,
    Interview,
    Paper,
    PaperSettings,
    Recommendation,
    RegulationEntry,
)
from .yamlio import YamlDoc


@dataclass
class PaperSources:
    """Everything a paper is built from, validated. The roster is deliberately not here."""

    project: Project
    paper: Paper
    instruments: list[RegulationEntry]
    codebook: Codebook
    interviews: list[Interview]
    recommendations: list[Recommendation]
    prose: dict[str, str]  # section id -> Markdown (may use template variables)
    bibliography: list[Path]
    registry: dict[str, RegulationEntry] = field(default_factory=dict)  # every instrument, by id
    files: list[Path] = field(default_factory=list)  # every file read, for the manifest
    citation_labels: dict[str, str] = field(default_factory=dict)  # key -> short in-text form

    @property
    def paper_dir(self) -> Path:
        return self.project.paper_dir(self.paper.id)


def load_registry(
    project: Project, collector: Collector | None = None
) -> dict[str, tuple[RegulationEntry, YamlDoc]]:
    """Every instrument of paper_sources/regulations/, by id."""
    own = collector is None
    collector = collector or Collector(project)
    registry: dict[str, tuple[RegulationEntry, YamlDoc]] = {}
    for path in sorted(project.regulations.glob("*.yaml")):
        loaded = collector.load(path, RegulationEntry)
        if loaded is None:
            collector.broken.add(path.stem)  # already reported; references to it are not "unknown"
            continue
        doc, entry = loaded
        if entry.id != path.stem:
            collector.add(
                doc, ("id",), f"id {entry.id!r} does not match the file name {path.stem!r}"
            )
        elif entry.id in registry:
            collector.add(doc, ("id",), f"duplicate instrument id {entry.id!r}")
        else:
            registry[entry.id] = (entry, doc)
    if own:
        collector.fail_if_any("the regulation registry")
    return registry


def read_paper_settings(project: Project, paper_id: str) -> PaperSettings:
    """The light path: paper.yaml's instruments and allowlist, validated (SourceError naming
    file, field and line), for stages that do not gather the whole paper."""
    path = project.paper_dir(paper_id) / "paper.yaml"
    if not path.is_file():
        raise SourceError(f"{project.relative(path)}: no such paper {paper_id!r}")
    c = Collector(project)
    loaded = c.load(path, PaperSettings)
    c.fail_if_any(f"paper {paper_id}")
    assert loaded is not None  # else its problems were raised just above
    return loaded[1]


def load_paper(project: Project, paper_id: str) -> PaperSources:
    """Read and cross-check one paper's sources; raise SourceError listing every problem."""
    c = Collector(project)
    paper_dir = project.paper_dir(paper_id)
    if paper_dir.is_symlink():
        message = (
            "the paper folder is a symbolic link; keep the paper's sources inside paper_sources/"
        )
        shown = project.relative(paper_dir)
        raise SourceError(f"{shown}: {message}", [Problem(shown, message)])
    if not (paper_dir / "paper.yaml").is_file():
        known = ", ".join(project.paper_ids()) or "none"
        raise SourceError(
            f"{project.relative(paper_dir)}/paper.yaml: no such paper {paper_id!r} (known: {known})"
        )
    registry = load_registry(project, c)
    paper_doc, paper = c.load(paper_dir / "paper.yaml", Paper) or (None, None)
    if paper_doc and paper and paper.id != paper_id:
        c.add(paper_doc, ("id",), f"id {paper.id!r} does not match the folder name {paper_id!r}")

    codebook_doc, codebook = c.load(paper_dir / "interviews" / "codebook.yaml", Codebook) or (
        None,
        None,
    )
    theme_ids = _check_codebook(c, codebook_doc, codebook)

    interviews = _load_interviews(c, paper_dir / "interviews", theme_ids)
    rec_doc = c.doc(paper_dir / "recommendations.yaml")
    recommendations = _load_recommendations(c, rec_doc, theme_ids, registry)

    instruments: list[RegulationEntry] = []
    if paper_doc and paper:
        for i, inst in enumerate(paper.instruments):
            if inst in registry:
                instruments.append(registry[inst][0])
            elif inst not in c.broken:
                c.add(
                    paper_doc,
                    ("instruments", i),
                    f"unknown instrument {inst!r} (not in paper_sources/regulations/)",
                )

    prose = _load_prose(c, paper_dir, paper)
    bibliography = [
        p
        for p in (project.sources / "references.yaml", paper_dir / "references.yaml")
        if p.is_file()
    ]
    c.files.extend(bibliography)
    keys = bibliography_keys(c, bibliography)
    check_registry_citations(c, keys, instruments, {k: v[1] for k, v in registry.items()})
    check_prose_citations(
        c, keys, {paper_dir / "sections" / f"{s}.md": text for s, text in prose.items()}
    )

    c.fail_if_any(f"paper {paper_id}")
    assert paper and codebook  # else their problems were raised just above
    return PaperSources(
        project,
        paper,
        instruments,
        codebook,
        interviews,
        recommendations,
        prose,
        bibliography,
        registry={k: v[0] for k, v in registry.items()},
        files=c.files,
        citation_labels=keys,
    )


def _check_codebook(c: Collector, doc: YamlDoc | None, codebook: Codebook | None) -> set[str]:
    if doc is None or codebook is None:
        return set()
    ids = [t.id for t in codebook.themes]
    for i, theme in enumerate(codebook.themes):
        if ids.count(theme.id) > 1 and ids.index(theme.id) != i:
            c.add(doc, ("themes", i, "id"), f"duplicate theme id {theme.id!r}")
        if theme.parent is not None and theme.parent not in ids:
            c.add(doc, ("themes", i, "parent"), f"unknown parent theme {theme.parent!r}")
    return set(ids)


def _load_interviews(c: Collector, folder: Path, theme_ids: set[str]) -> list[Interview]:
    interviews: list[Interview] = []
    seen_excerpts: set[str] = set()
    files = sorted(
        p for p in folder.glob("*.yaml") if p.name not in ("codebook.yaml", "roster.yaml")
    )
    if not files:
        c.problems.append(Problem(c.project.relative(folder), "no interview files"))
    for path in files:
        loaded = c.load(path, Interview)
        if loaded is None:
            continue
        doc, interview = loaded
        if interview.participant != path.stem:
            c.add(
                doc,
                ("participant",),
                f"pseudonym {interview.participant!r} does not match the file name",
            )
        for i, excerpt in enumerate(interview.excerpts):
            if not excerpt.id.startswith(interview.participant + "-"):
                c.add(
                    doc,
                    ("excerpts", i, "id"),
                    f"excerpt id {excerpt.id!r} must start with {interview.participant}-",
                )
            if excerpt.id in seen_excerpts:
                c.add(doc, ("excerpts", i, "id"), f"duplicate excerpt id {excerpt.id!r}")
            seen_excerpts.add(excerpt.id)
            for j, code in enumerate(excerpt.themes):
                if theme_ids and code not in theme_ids:
                    c.add(
                        doc,
                        ("excerpts", i, "themes", j),
                        f"unknown theme code {code!r} (not in codebook.yaml)",
                    )
        interviews.append(interview)
    return interviews


def _load_recommendations(
    c: Collector, doc: YamlDoc | None, theme_ids: set[str], registry: dict
) -> list[Recommendation]:
    if doc is None:
        return []
    if not isinstance(doc.data, list):
        c.add(doc, (), "expected a list of recommendations")
        return []
    recs: list[Recommendation] = []
    for i, item in enumerate(doc.data):
        rec = c.model(doc, Recommendation, item, (i,))
        if rec is None:
            continue
        if rec.id in {r.id for r in recs}:
            c.add(doc, (i, "id"), f"duplicate recommendation id {rec.id!r}")
        for j, code in enumerate(rec.evidence.themes):
            if theme_ids and code not in theme_ids:
                c.add(doc, (i, "evidence", "themes", j), f"unknown theme {code!r}")
        for j, reg in enumerate(rec.evidence.regulations):
            if reg not in registry and reg not in c.broken:
                c.add(doc, (i, "evidence", "regulations", j), f"unknown regulation {reg!r}")
        recs.append(rec)
    return recs


def _load_prose(c: Collector, paper_dir: Path, paper: Paper | None) -> dict[str, str]:
    prose: dict[str, str] = {}
    wanted = [s for s in (paper.sections if paper else ()) if s in PROSE_SECTIONS]
    for section in wanted:
        path = paper_dir / "sections" / f"{section}.md"
        shown = c.project.relative(path)
        if not path.exists() and not path.is_symlink():
            c.problems.append(Problem(shown, f"missing prose for section {section!r}"))
            continue
        text = c.text(path)
        if text is None:
            continue
        if line := too_deep_brackets(text):
            c.problems.append(bracket_problem(shown, line))
            continue  # not given to pandoc at all (the citation check reads prose with it)
        prose[section] = text
    return prose

"""Assemble: render every section of a paper into one pandoc Markdown document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jinja2
import yaml

from ..errors import Problem, TemplateError
from ..pandoc_ast import Node, ids, node_id, parse_markdown
from ..pandoc_ast import text as plain_text
from ..sources.loader import PaperSources
from ..sources.models import PROSE_SECTIONS
from .dates import dateline
from .environment import SourceMap, make_environment, make_prose_environment
from .markdown import escape_md
from .prose import anchor_prose
from .reading import read_sections
from .recommendations import in_print_order, printed_numbers

SECTION_TITLES = {
    "executive-summary": "Executive summary",
    "introduction": "Introduction",
    "regulatory-context": "Regulatory context",
    "findings": "Interview findings",
    "recommendations": "Recommendations",
    "conclusion": "Conclusion",
    "methodology": "Methodology",
    "references": "References",
    "appendix-instruments": "Appendix: instruments and official identifiers",
    "review": "Open review items (draft only)",
    "changes": "What changed (draft only)",
}
# What hand-written prose may use (documented in docs/sources.md); nothing else reaches it.
PROSE_VARIABLES = (
    "paper",
    "findings",
    "instruments",
    "recommendations",
    "recommendation_numbers",
    "figures",
)


@dataclass(frozen=True)
class Paths:
    """Source files as shown to editors, for the source map."""

    paper_dir: str
    regulations_dir: str

    def interview(self, participant: str) -> str:
        return f"{self.paper_dir}/interviews/{participant}.yaml"

    def regulation(self, instrument_id: str) -> str:
        return f"{self.regulations_dir}/{instrument_id}.yaml"

    @property
    def codebook(self) -> str:
        return f"{self.paper_dir}/interviews/codebook.yaml"

    @property
    def recommendations(self) -> str:
        return f"{self.paper_dir}/recommendations.yaml"

    def prose(self, section: str) -> str:
        return f"{self.paper_dir}/sections/{section}.md"


@dataclass
class AssembledPaper:
    """The one Markdown document all editions are rendered from, and where its parts came from."""

    markdown: str
    source_map: dict[str, dict[str, str | None]]
    sections: list[str]
    # pandoc's reading of the document after its YAML header (read once, here: the render and
    # the "What changed" page start from it), and the warnings pandoc gave reading it.
    body_ast: Node
    parse_warnings: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    prose: dict[str, str] = field(default_factory=dict)  # prose file as shown -> its text

    def locate(self, block_id: str | None, text: str) -> tuple[str, int | None, str | None]:
        """The source file, line and field that wrote `text` into the block `block_id`.

        The line is that of the first source line holding the start of `text`; text made by a
        template expression is placed by its block (paragraph) alone.
        """
        entry = self.source_map.get(block_id or "", {})
        file = entry.get("source") or "the assembled document"
        needle = text.strip().splitlines()[0].strip() if text.strip() else ""
        for number, line in enumerate(self.prose.get(file, "").splitlines(), 1):
            if needle and needle in line:
                return file, number, None
        return file, None, entry.get("field") or block_id

    def is_prose(self, section_id: str | None) -> bool:
        """Whether the section with this heading id (`sec-introduction`) is an editor's prose."""
        return self.source_map.get(section_id or "", {}).get("source") in self.prose


def _metadata(
    sources: PaperSources, edition_id: str, draft: bool, built_on: dt.date, notices: list[str]
) -> str:
    paper = sources.paper
    # The title page's date is the paper's; a later edition adds "Updated …" and the date of
    # its regulatory status, one per line (a Markdown hard line break) in every format.
    lines = dateline(paper.date, paper.status_as_of, built_on) + list(notices)
    meta = {
        "title": escape_md(paper.title),
        "author": escape_md(paper.organisation),
        "date": "\\\n".join(lines),
        "date-meta": paper.date.isoformat(),
        "lang": paper.language,
        "series": escape_md(paper.series),
        "paper-id": paper.id,
        "edition-id": edition_id,
        "draft": draft,
        "link-citations": True,
        "reference-section-title": "References",
    }
    if paper.subtitle:
        meta["subtitle"] = escape_md(paper.subtitle)
    # Each instrument's title links to its bibliography entry: list them all in the references.
    keys = dict.fromkeys(k for entry in sources.instruments for k in entry.citations)
    if keys:
        meta["nocite"] = ", ".join(f"@{key}" for key in keys)
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def assemble(
    sources: PaperSources, edition_id: str, draft: bool, context: dict[str, Any]
) -> AssembledPaper:
    """One Markdown document: metadata, then each section of paper.yaml in order.

    `context` carries what other stages computed (findings, regulatory status, open review items).
    """
    project, paper = sources.project, sources.paper
    source_map = SourceMap()
    env = make_environment(project.templates / "sections", source_map, project.cache / "jinja")
    prose_env = make_prose_environment()
    paths = Paths(project.relative(sources.paper_dir), project.relative(project.regulations))
    groups = in_print_order(sources.recommendations)
    variables = {
        "paper": paper,
        "instruments": sources.instruments,
        "recommendations": sources.recommendations,
        "recommendation_groups": groups,
        "recommendation_numbers": printed_numbers(groups),
        "codebook": sources.codebook,
        "paths": paths,
        "draft": draft,
        **context,
    }
    sections: list[str] = list(paper.sections)
    if draft and context.get("open_review"):
        sections.append("review")
    parts = [
        _metadata(sources, edition_id, draft, context["built_on"], context.get("title_notices", []))
    ]
    problems: list[Problem] = []
    for section in sections:
        title = SECTION_TITLES[section]
        if section in PROSE_SECTIONS:
            source = paths.prose(section)
        else:
            source = f"templates/sections/{section}.md.j2"
        source_map.entries[f"sec-{section}"] = {"source": source, "field": "section"}
        source_map.section = section
        try:
            if section in PROSE_SECTIONS:
                body = _render_prose(prose_env, section, sources, variables, source, source_map)
            else:
                body = env.get_template(f"{section}.md.j2").render(variables)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None) or _template_line(exc)
            problems.append(Problem(source, f"template error: {exc.message or exc}", None, line))
            continue
        except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
            if section not in PROSE_SECTIONS:
                raise
            # Prose is editor input: `{{ 1/0 }}` or a runaway macro is the editor's error.
            message = f"template error: {type(exc).__name__}: {exc}"
            problems.append(Problem(source, message, None, _template_line(exc)))
            continue
        parts.append(f"# {title} {{#sec-{section}}}\n\n{body.strip()}\n")
    if problems:
        raise TemplateError(f"{len(problems)} template error(s)", problems)
    markdown = "\n".join(parts)
    body_ast, warnings, readings = read_sections(parts[1:], project.cache / "sections")
    entries = _with_sections(body_ast, source_map.entries)
    for key, entry in source_map.entries.items():  # declared tables: not ids in the Markdown
        if key.startswith(("row:", "column:")):
            section = key.split(":")[1]
            entries[key] = {**entry, "section": section, "section_title": SECTION_TITLES[section]}
    prose = {paths.prose(s): sources.prose[s] for s in sections if s in sources.prose}
    extras = {"readings": readings}  # kept once the gate has passed (pipeline.check_markdown)
    return AssembledPaper(markdown, entries, sections, body_ast, warnings, extras, prose)


def append_draft_page(
    assembled: AssembledPaper, sources: PaperSources, section: str, variables: dict[str, Any]
) -> AssembledPaper:
    """The document with one more generated page at its end: one that describes the rest of
    the document (the "What changed" page), so it is rendered once the rest is assembled."""
    source_map = SourceMap()
    project = sources.project
    env = make_environment(project.templates / "sections", source_map, project.cache / "jinja")
    source = f"templates/sections/{section}.md.j2"
    source_map.entries[f"sec-{section}"] = {"source": source, "field": "section"}
    try:
        body = env.get_template(f"{section}.md.j2").render({"paper": sources.paper, **variables})
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None) or _template_line(exc)
        raise TemplateError(
            "template error", [Problem(source, f"template error: {exc.message or exc}", None, line)]
        ) from None
    page = f"# {SECTION_TITLES[section]} {{#sec-{section}}}\n\n{body.strip()}\n"
    # Read on its own and appended: the page is self-contained (explicit ids, inline links), so
    # this is the reading of the whole document, without reading the rest again.
    page_ast, warnings = parse_markdown(page, source)
    body_ast = assembled.body_ast
    return AssembledPaper(
        assembled.markdown + "\n" + page,
        {**assembled.source_map, **_with_sections(page_ast, source_map.entries)},
        [*assembled.sections, section],
        {**body_ast, "blocks": [*body_ast["blocks"], *page_ast["blocks"]]},
        [*assembled.parse_warnings, *warnings],
        assembled.extras,
        assembled.prose,
    )


def _template_line(exc: BaseException) -> int | None:
    """The template line a runtime error (e.g. an undefined variable) was raised at.

    Jinja rewrites tracebacks so that template frames carry the template's own line numbers.
    """
    line, tb = None, exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name == "<template>" or name.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _render_prose(env, section, sources, variables, source, source_map) -> str:
    """Editor prose, in the sandbox and with only the documented variables."""
    allowed = {name: variables[name] for name in PROSE_VARIABLES if name in variables}
    text = env.from_string(sources.prose[section]).render(allowed)
    return anchor_prose(section, text, source, source_map)


def _with_sections(
    ast: Node, entries: dict[str, dict[str, str]]
) -> dict[str, dict[str, str | None]]:
    """Add to each source-map entry the section (level 1) and subsection (level 2) it lies in.

    Read on pandoc's AST of the document (without its YAML header): headings and ids are what
    the render will see, not what a line of text looks like.
    """
    section = subsection = None  # (id, title)
    located: dict[str, dict[str, str | None]] = {}
    for block in ast["blocks"]:
        if block["t"] == "Header" and node_id(block).startswith("sec-"):
            level, ident, title = block["c"][0], node_id(block), plain_text(block["c"][2])
            if level == 1:
                section, subsection = (ident.removeprefix("sec-"), title), None
            elif level == 2 and section:
                subsection = (ident.removeprefix("sec-"), title)
                # A comment on a heading (LibreOffice keeps heading bookmarks in the heading
                # paragraph) traces to the section's source.
                owner = entries.get(f"sec-{section[0]}", {})
                located.setdefault(
                    ident,
                    {
                        "source": owner.get("source"),
                        "field": "heading",
                        "section": section[0],
                        "section_title": section[1],
                        "subsection": subsection[0],
                        "subsection_title": title,
                    },
                )
        for token in ids(block):
            if token in entries and section:
                where = {"section": section[0], "section_title": section[1]}
                if subsection and token != f"sec-{section[0]}":
                    where |= {"subsection": subsection[0], "subsection_title": subsection[1]}
                located[token] = {**entries[token], **where}
    return located

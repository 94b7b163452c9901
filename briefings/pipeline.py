"""The four stages of a build — gather, assemble, render, publish — as plain functions.

The CLI calls `build_paper` directly; the Prefect flows in briefings/flows/ call the same stage
functions as tasks. Nothing here imports Prefect.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from .assemble.document import AssembledPaper, assemble
from .cache import Deferred
from .clock import build_time
from .context import charts_of, regulatory_context, template_context
from .errors import BriefingError, ConfidentialityError, Problem, ReviewError, SourceError
from .project import Project
from .publish import Edition, Staging, build_manifest
from .publish.uptodate import input_listing, roster_stamp, up_to_date
from .publish.writer import published_edition
from .render.options import FORMATS
from .sources.loader import PaperSources, load_paper
from .sources.roster import roster_problems

if TYPE_CHECKING:
    from .confidentiality import Prescan
    from .processes import Outcome

log = logging.getLogger(__name__)
Report = Callable[[str], None]
P = ParamSpec("P")
R = TypeVar("R")


class Stage(Protocol):
    """Runs one named stage: the CLI calls it directly, a Prefect flow runs it as a task."""

    def __call__(
        self, name: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R: ...


def direct(name: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """The stage run in-process, as the CLI does."""
    return fn(*args, **kwargs)


# How a refusal tells the editor what to do, in the words of where the build was asked for:
# the command line's flags, or the fields of the Prefect UI's run form.
DECIDE_HINTS = {
    "cli": "decide them (briefings review list {paper}) or pass --allow-open",
    "form": "decide them (review report: outputs/{paper}/review/) or tick allow_open",
}
UNVERIFIED_HINTS = {
    "cli": "confirm them against an official source, leave them out, or pass --allow-unverified",
    "form": "confirm them against an official source, leave them out, or tick allow_unverified",
}
UNVERIFIED_NOTICE = "Includes facts marked *unverified*"


@dataclass(frozen=True)
class BuildRequest:
    paper_id: str
    formats: tuple[str, ...] = FORMATS
    final: bool = False
    allow_open: bool = False
    asked_on: str = "cli"  # a key of DECIDE_HINTS
    allow_unverified: bool = False  # a final edition may show unverified facts (it says so)
    force: bool = False  # build even when the newest edition of this kind is up to date

    @property
    def options(self) -> dict:
        """What of the request shapes the edition (recorded in its manifest)."""
        from .publish.uptodate import request_options

        return request_options(self.formats, self.final, self.allow_open, self.allow_unverified)


def gather(project: Project, paper_id: str) -> PaperSources:
    """Read and validate every source of the paper (SourceError lists all problems)."""
    return load_paper(project, paper_id)


def unverified(sources: PaperSources) -> list[Problem]:
    """Every fact the edition would show as unverified, as (file, field) problems."""
    from .sources.verification import unverified_facts

    regulatory = regulatory_context(sources.project, sources)["regulatory"]
    return unverified_facts(
        sources.instruments,
        {inst: status.unverified for inst, status in regulatory.items()},
        sources.project.relative(sources.project.regulations),
    )


def check_content(sources: PaperSources) -> list[Problem]:
    """What an editor would correct by hand: counts typed in prose that the data contradicts."""
    from .synthesis import synthesise
    from .synthesis.figures import figures_of
    from .synthesis.prose_counts import check_prose_counts

    figures = figures_of(sources, synthesise(sources))
    project = sources.project
    prose = {
        project.relative(sources.paper_dir / "sections" / f"{section}.md"): text
        for section, text in sources.prose.items()
    }
    return check_prose_counts(prose, figures)


def open_review_items(project: Project, paper_id: str) -> dict[str, list]:
    """Open review items per section, from the paper's review ledger."""
    from .review import open_items_by_section

    return open_items_by_section(project, paper_id)


def carry_open_comments(
    sources: PaperSources,
    docx: Path,
    open_review: dict[str, list],
    built_at: dt.datetime,
    source_map: dict[str, dict[str, str | None]],
) -> list[str]:
    """Put open reviewer comments, with replies, back onto the same places of the new draft."""
    if not open_review:
        return []
    from .render.docx import settled_docx
    from .render.options import paper_render_options
    from .review import carry_comments
    from .review.redact import roster_redactor

    options = paper_render_options(sources, False, built_at)
    items = [item for section in open_review.values() for item in section]
    return carry_comments(
        docx,
        items,
        redact=roster_redactor(sources.project, sources.paper.id),
        source_map=source_map,
        paper_dir=sources.project.relative(sources.paper_dir),
        # zip entries stamped with the build time, as the DOCX was written (one zip write)
        package=lambda parts: settled_docx(parts, options),
    ).ids


def assemble_paper(
    sources: PaperSources,
    edition_id: str,
    final: bool,
    open_review: dict,
    built_at: dt.datetime,
) -> AssembledPaper:
    """Synthesise the interviews and render every section into one Markdown document.

    `built_at` is the edition's one clock: a later edition's title page says "Updated" with it.
    """
    from .synthesis import synthesise

    findings = synthesise(sources)
    charts = charts_of(sources, findings)
    for chart in charts:
        chart.start()  # drawn while the sections are read and checked
    # A final edition that shows unverified facts (it was asked to) says so on its title page.
    notices = [UNVERIFIED_NOTICE] if final and unverified(sources) else []
    shown_review = {} if final else open_review
    context = template_context(sources, findings, built_at, shown_review, notices)
    assembled = assemble(sources, edition_id, draft=not final, context=context)
    assembled.extras["coarsened"] = [str(c) for c in findings.coarsened]
    # An editor's pinned quote that cannot be used: said at the build, kept in the manifest.
    for note in findings.notes:
        log.warning(
            "%s/paper.yaml: quotes.pinned: %s", sources.project.relative(sources.paper_dir), note
        )
    assembled.extras["pinned_quotes_not_used"] = list(findings.notes)
    assembled.extras["stale_sources"] = {
        inst: status.stale_reason for inst, status in context["regulatory"].items() if status.stale
    }
    assembled.extras["charts"] = charts
    if not final:
        assembled = _with_changes_page(sources, assembled, edition_id)
    return assembled


def _with_changes_page(
    sources: PaperSources, assembled: AssembledPaper, edition_id: str
) -> AssembledPaper:
    """A draft gets a "What changed" page when an earlier edition exists to compare with."""
    from .assemble.document import append_draft_page
    from .diff.page import changes_since
    from .review.service import reviewed_editions

    project, paper_id = sources.project, sources.paper.id
    reviewed = reviewed_editions(project, paper_id)
    changes = changes_since(project, paper_id, edition_id, assembled.body_ast, reviewed)
    if changes is None:
        return assembled
    assembled = append_draft_page(assembled, sources, "changes", {"changes": changes})
    assembled.extras["changes_since"] = changes["old"]
    return assembled


def check_markdown(sources: PaperSources, markdown: str) -> None:
    """Fail fast, before rendering, when a roster name is in the assembled text.

    No edition of a paper with interviews is published unchecked: no roster (or a roster that
    lists no one), no build. Drafts go to outside reviewers too.
    """
    from .confidentiality import check_text

    problems = roster_problems(sources.project, sources.paper.id, bool(sources.interviews))
    if problems:
        raise ConfidentialityError(
            f"{sources.paper.id}: no roster to check the edition against for participants' names",
            problems,
        )
    check_text(sources.project, sources.paper.id, markdown, sources.paper.allowlist)


def keep_readings(sources: PaperSources, assembled: AssembledPaper) -> None:
    """Keep pandoc's readings of the sections read this build, now that the gate has passed
    (the next build, or the preview, reads only the sections that change)."""
    assembled.extras.pop("readings", Deferred()).keep()


def render_paper(
    sources: PaperSources,
    assembled: AssembledPaper,
    formats: Iterable[str],
    out_dir: Path,
    final: bool,
    built_at: dt.datetime,
    written: Callable[[Path], None] = lambda _: None,
    deferred: Deferred | None = None,
) -> dict[str, Path]:
    """The editions, each file told to `written` as soon as it is complete; the cache entries
    the render makes go to `deferred`."""
    from .render import render_editions
    from .render.options import paper_render_options

    return render_editions(
        assembled.markdown,
        formats,
        out_dir,
        sources.paper.id,
        paper_render_options(sources, final, built_at),
        assembled,
        charts=assembled.extras.get("charts", ()),
        parsed=(assembled.body_ast, assembled.parse_warnings),
        written=written,
        deferred=deferred,
    )


def check_outputs(
    sources: PaperSources, markdown: str, files: dict[str, Path], prescan: Prescan | None = None
) -> None:
    from .confidentiality import check_edition

    paper = sources.paper
    check_edition(
        sources.project, paper.id, markdown, list(files.values()), paper.allowlist, prescan
    )


def build_paper(
    project: Project, request: BuildRequest, report: Report = lambda _: None, stage: Stage = direct
) -> Edition:
    """Build and publish one edition; on any error nothing is published."""
    paper_id = request.paper_id
    current = None if request.force else up_to_date(project, paper_id, request.options)
    if current:
        report(f"{paper_id}: up to date: {current} (nothing changed since; --force builds anyway)")
        return published_edition(project, paper_id, current)
    sources = stage("gather", gather, project, paper_id)
    report(
        f"{paper_id}: gathered {len(sources.instruments)} instruments, "
        f"{len(sources.interviews)} interviews, {len(sources.recommendations)} recommendations"
    )
    open_review = stage("open-review", open_review_items, project, paper_id)
    if request.final and open_review and not request.allow_open:
        count = sum(len(v) for v in open_review.values())
        hint = DECIDE_HINTS[request.asked_on].format(paper=paper_id)
        raise ReviewError(f"{paper_id}: {count} review item(s) still open; {hint}")
    if miscounted := check_content(sources):  # counts typed in prose that the data contradicts
        if request.final:
            raise SourceError(f"{paper_id}: prose states counts the data contradicts", miscounted)
        for problem in miscounted:
            report(f"warning: {problem}")
    if request.final and not request.allow_unverified and (facts := unverified(sources)):
        what = f"a final edition would show {len(facts)} unverified fact(s) listed above"
        summary = Problem(paper_id, f"{what}; {UNVERIFIED_HINTS[request.asked_on]}")
        raise SourceError(f"{paper_id}: {summary.message}", [*facts, summary])
    # The paper's lock is held from reserving the edition id to publishing it.
    with Staging(project, paper_id, request.final, report) as staging:
        edition_id = staging.edition_id
        built_at = build_time(staging.started)
        assembled, files = make_edition(
            sources, request, edition_id, built_at, staging.path, open_review, report, stage
        )
        edition = stage(
            "publish",
            publish_paper,
            sources,
            assembled,
            staging,
            files,
            request.final,
            built_at,
            request.options,
        )
    kept = "" if edition.latest else f" (LATEST unchanged: {staging.latest_reason})"
    report(f"{paper_id}: published edition {edition_id} in {project.relative(edition.path)}{kept}")
    return edition


def make_edition(
    sources: PaperSources,
    request: BuildRequest,
    edition_id: str,
    built_at: dt.datetime,
    out_dir: Path,
    open_review: dict,
    report: Report = lambda _: None,
    stage: Stage = direct,
) -> tuple[AssembledPaper, dict[str, Path]]:
    """Assemble, check and render one edition into out_dir (the same bytes for the same inputs)."""
    paper_id = sources.paper.id
    assembled = stage(
        "assemble", assemble_paper, sources, edition_id, request.final, open_review, built_at
    )
    stage("check-markdown", check_markdown, sources, assembled.markdown)
    keep_readings(sources, assembled)
    report(
        f"{paper_id}: assembled {len(assembled.sections)} sections; "
        f"rendering {', '.join(request.formats)}"
    )
    from .confidentiality import Prescan

    # The gate reads each file as soon as it is written, while the others render. A draft's
    # DOCX first gets the open comments carried into it, there and then: the other editions
    # render meanwhile, and the gate reads the DOCX with the comments in.
    prescan = Prescan()
    deferred = Deferred()  # citeproc's work, kept once the editions pass the gate
    carrying = not request.final and bool(open_review)
    carried: list[str] = []

    def written(path: Path) -> None:
        if carrying and path.suffix == ".docx":
            carried.extend(
                carry_open_comments(sources, path, open_review, built_at, assembled.source_map)
            )
        prescan.submit(path)

    try:
        files = stage(
            "render",
            render_paper,
            sources,
            assembled,
            request.formats,
            out_dir,
            request.final,
            built_at,
            written,
            deferred,
        )
        if carried:
            report(f"{paper_id}: carried {len(carried)} open review comment(s) into the draft DOCX")
        stage("check-editions", check_outputs, sources, assembled.markdown, files, prescan)
        deferred.keep()
    finally:
        prescan.close()
    return assembled, files


def publish_paper(
    sources: PaperSources,
    assembled: AssembledPaper,
    staging: Staging,
    files: dict[str, Path],
    final: bool,
    built_at: dt.datetime,
    options: dict | None = None,
) -> Edition:
    """Write the Markdown and manifest beside the editions, then move the edition into place."""
    paper_id = sources.paper.id
    (staging.path / f"{paper_id}.md").write_text(assembled.markdown, encoding="utf-8")
    # The next draft's "What changed" page starts from this edition's reading.
    from .diff.page import remember_edition

    remember_edition(sources.project, assembled.markdown, assembled.body_ast)
    manifest = build_manifest(
        sources.project,
        paper_id,
        staging.edition_id,
        final,
        built_at,
        edition_inputs(sources, final),
        files,
        assembled.source_map,
        {
            "sections": assembled.sections,
            "coarsened_attributions": assembled.extras.get("coarsened", []),
            # sources that could not be read at the last refresh, with why (never in the paper)
            "stale_sources": assembled.extras.get("stale_sources", {}),
            "changes_since": assembled.extras.get("changes_since"),
            "pinned_quotes_not_used": assembled.extras.get("pinned_quotes_not_used", []),
            # what `up_to_date` compares: the request, and the names of the input files
            "options": options,
            "input_listing": input_listing(sources.project, paper_id),
            "roster_stamp": roster_stamp(sources.project, paper_id),
        },
    )
    # LATEST names the newest complete edition: a build of some formats does not move it.
    return staging.publish(files, manifest, complete=set(FORMATS) <= set(files))


def edition_inputs(sources: PaperSources, final: bool) -> list[Path]:
    """Every file whose content shapes the edition's bytes, for the manifest and `verify`.

    The paper's sources, the templates, the refresh state the regulatory status came from, and
    for drafts the review ledger (open items are printed and carried into the DOCX).
    """
    from .refresh.history import history_path
    from .refresh.snapshot import snapshot_path, state_path
    from .review.ledger import ledger_path

    project = sources.project
    files = list(sources.files)
    files += [p for p in sorted(project.templates.rglob("*")) if p.is_file()]
    refresh = [state_path(project), history_path(project)]
    refresh += [snapshot_path(project, e.id) for e in sources.instruments]
    if not final:
        refresh.append(ledger_path(project, sources.paper.id))
    return files + [p for p in refresh if p.is_file()]


def with_problems(exc: BriefingError, paper_id: str) -> BriefingError:
    """The error with at least one Problem naming the paper, so several papers' errors combine."""
    if exc.problems:
        return exc
    message = str(exc).removeprefix(f"{paper_id}: ")
    return type(exc)(str(exc), [Problem(paper_id, message)])


def build_many(
    project: Project,
    requests: list[BuildRequest],
    report: Report = lambda _: None,
    stage: Stage = direct,
    jobs: int | None = None,
) -> list[Edition]:
    """Build several papers; every paper's errors are reported together at the end.

    With more than one paper and `jobs` above 1 (default: one per core), each paper is built in
    a worker process, `jobs` at a time; a paper's lines are reported together when it ends. A
    stage other than `direct` (a Prefect task) runs here, so the papers are built in turn.
    """
    import os

    workers = min(jobs or os.cpu_count() or 1, len(requests))
    if workers > 1 and stage is direct:
        return editions_of(_build_in_workers(project, requests, workers, report))
    outcomes: list[Edition | BriefingError] = []
    for request in requests:
        try:
            outcomes.append(build_paper(project, request, report, stage))
        except BriefingError as exc:
            outcomes.append(with_problems(exc, request.paper_id))
    return editions_of(outcomes)


def _build_in_workers(
    project: Project, requests: list[BuildRequest], workers: int, report: Report
) -> list[Edition | BriefingError]:
    """Each paper built in a worker process, `workers` at a time, its lines reported as it ends.

    Together the builds run one program (pandoc) per core: a build alone runs several at once,
    which side by side would only compete for the cores, each with its own memory.
    """
    import os
    import tempfile

    from .processes import BUILD_MODULES, run_each
    from .programs import make_slots

    ended: dict[int, Edition | BriefingError] = {}

    def done(index: int, outcome: Outcome) -> None:
        outcome.replay(report)
        ended[index] = _paper_outcome(requests[index].paper_id, outcome)

    jobs = [(project, request) for request in requests]
    with tempfile.TemporaryDirectory(prefix="briefings-slots-") as folder:
        slots = make_slots(Path(folder), os.cpu_count() or 1)
        run_each(build_paper, jobs, workers, BUILD_MODULES, done, slots)
    return [ended[i] for i in range(len(requests))]


def editions_of(outcomes: list[Edition | BriefingError]) -> list[Edition]:
    """The editions of papers built together, or all of their errors as one (with_problems)."""
    failures = [o for o in outcomes if isinstance(o, BriefingError)]
    if len(failures) == 1:
        raise failures[0]
    if failures:
        problems = [p for exc in failures for p in exc.problems]
        raise BriefingError(
            f"{len(problems)} problem(s) in {len(failures)} of {len(outcomes)} paper(s)", problems
        )
    return [o for o in outcomes if isinstance(o, Edition)]


def _paper_outcome(paper_id: str, outcome: Outcome) -> Edition | BriefingError:
    """A worker's edition or error; its process dying is one line naming the paper."""
    if outcome.died is not None:
        message = f"its build process {outcome.died} before it finished"
        return BriefingError(f"{paper_id}: {message}", [Problem(paper_id, message)])
    if isinstance(outcome.error, BriefingError):
        return with_problems(outcome.error, paper_id)
    if outcome.error is not None:  # a bug or a disk fault: as if the paper were built here
        raise outcome.error
    return outcome.value

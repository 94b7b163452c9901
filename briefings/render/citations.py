"""First pass: Markdown to pandoc's JSON AST with citations resolved, shared by every edition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import cache
from ..errors import Problem, RenderError
from ..pandoc_ast import Node, from_json, to_json
from . import cited
from .content import Origin, findings, refuse
from .options import RenderOptions
from .pandoc import PandocFailure, run_pandoc

# Metadata that pandoc would otherwise copy into DOCX custom properties and HTML meta tags:
# build-machine paths of the bibliography and style mean nothing to a reader.
BUILD_ONLY_METADATA = ("bibliography", "csl", "references", "resource-path")


def resolve(
    markdown: str,
    options: RenderOptions,
    stem: str,
    work: Path,
    origin: Origin | None = None,
    parsed: tuple[Node, list[str]] | None = None,
    deferred: cache.Deferred | None = None,
) -> tuple[Node, list[str]]:
    """Parse the Markdown and run citeproc once; return the AST and pandoc's warnings.

    The document's own front matter goes in as a metadata file and the body is read without
    YAML metadata blocks, so a `---` block in prose cannot set `header-includes`, `title` or
    `bibliography`. Raw markup anywhere in the document is refused (SourceError, file:line);
    every image is checked and embedded as a `data:` URI (pandoc reads no file named by content).

    `parsed` is the body already read (briefings.pandoc_ast.parse_markdown, with its warnings):
    citeproc then starts from it instead of reading the Markdown again, and its work is kept
    (briefings.render.cited): an entry found in `options.cache` stands in for the run, and one
    made now is handed to `deferred`, written once the editions have passed the gate.
    """
    front, body = split_front_matter(markdown)
    metadata = work / "metadata.yaml"
    metadata.write_text(front, encoding="utf-8")
    stdin = body.encode("utf-8")
    read_warnings: list[str] = []
    if parsed is not None:
        stdin = to_json(parsed[0])
        read_warnings = parsed[1]
        if options.strict and read_warnings:  # as --fail-if-warnings would have refused them
            raise RenderError(
                f"pandoc warned reading the assembled Markdown of {stem}",
                [Problem(f"{stem}.md", f"all formats: pandoc: {m}") for m in read_warnings],
            )
    args = [
        "--from",
        "markdown-yaml_metadata_block" if parsed is None else "json",
        "--metadata-file",
        str(metadata),
        "--to",
        "json",
        "--citeproc",
        "--csl",
        str(options.style),
        *options.strict_args(),
    ]
    for path in options.bibliography:
        args += ["--bibliography", str(path)]
    keeping = _keeping(options, front, parsed, deferred)
    ast, warnings = _cited(args, stdin, stem, metadata, keeping)
    refuse(findings(ast, options.paper_dir, origin), origin, stem)
    return _with_build_metadata(ast, options), read_warnings + warnings


@dataclass(frozen=True)
class _Keeping:
    """Where citeproc's work on this document is kept: its entry's folder and name, and the
    build's entries held until the gate has passed."""

    folder: Path
    name: str
    deferred: cache.Deferred


def _keeping(
    options: RenderOptions,
    front: str,
    parsed: tuple[Node, list[str]] | None,
    deferred: cache.Deferred | None,
) -> _Keeping | None:
    folder = cited.folder(options)
    if folder is None or parsed is None or deferred is None:
        return None
    return _Keeping(folder, cited.key(options, front, parsed[0]), deferred)


def _cited(
    args: list[str], stdin: bytes, stem: str, metadata: Path, keeping: _Keeping | None
) -> tuple[Node, list[str]]:
    """citeproc's output for the document `stdin` (JSON) and its warnings: from the kept entry
    where one fits, else from a run, whose work is then kept."""
    if keeping and (kept := cache.read(keeping.folder, keeping.name)) is not None:
        ast = cited.apply(from_json(stdin), kept, _front_reading(metadata, stem))
        if ast is not None:
            return ast, []
    ast, warnings = _run_json(args, stdin, stem)
    _drop_build_only(ast["meta"])
    if keeping and not warnings:
        entry = cited.entry_of(from_json(stdin), ast, _front_reading(metadata, stem))
        if entry is not None:
            keeping.deferred.add(keeping.folder, keeping.name, entry)
    return ast, warnings


def _front_reading(metadata: Path, stem: str) -> Node:
    """pandoc's reading of the front matter alone: the metadata citeproc's output carries."""
    meta = _run_json(
        ["--from", "markdown", "--metadata-file", str(metadata), "--to", "json"], b"", stem
    )[0]["meta"]
    return _drop_build_only(meta)


def _drop_build_only(meta: Node) -> Node:
    for key in BUILD_ONLY_METADATA:
        meta.pop(key, None)
    return meta


def _run_json(args: list[str], stdin: bytes, stem: str) -> tuple[Node, list[str]]:
    """pandoc's run giving JSON: the AST, and its warnings."""
    try:
        run = run_pandoc(args, stdin)
    except PandocFailure as failure:
        raise RenderError(
            f"pandoc could not read the assembled Markdown of {stem}",
            [Problem(f"{stem}.md", f"all formats: pandoc: {m}") for m in failure.messages],
        ) from None
    try:
        return from_json(run.output), run.warnings
    except RecursionError:
        raise RenderError(f"{stem}.md: the document is nested too deeply to render") from None


def split_front_matter(markdown: str) -> tuple[str, str]:
    """The assembled document's leading `---` YAML block (written by assemble) and the rest."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        if end != -1:
            return markdown[4 : end + 1], markdown[end + 5 :]
    return "{}\n", markdown


def _with_build_metadata(ast: Node, options: RenderOptions) -> Node:
    """Drop build-only metadata and make `draft` say what this build is."""
    meta = _drop_build_only(ast.setdefault("meta", {}))
    meta["draft"] = {"t": "MetaBool", "c": options.draft}
    return ast

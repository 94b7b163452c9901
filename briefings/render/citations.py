"""First pass: Markdown to pandoc's JSON AST with citations resolved, shared by every edition."""

from __future__ import annotations

import json

from ..errors import Problem, RenderError
from .options import RenderOptions
from .pandoc import PandocFailure, run_pandoc

# Metadata that pandoc would otherwise copy into DOCX custom properties and HTML meta tags:
# build-machine paths of the bibliography and style mean nothing to a reader.
BUILD_ONLY_METADATA = ("bibliography", "csl", "references", "resource-path")


def resolve(markdown: str, options: RenderOptions, stem: str) -> tuple[bytes, list[str]]:
    """Parse the Markdown and run citeproc once; return the JSON AST and pandoc's warnings."""
    args = [
        "--from",
        "markdown",
        "--to",
        "json",
        "--citeproc",
        "--csl",
        str(options.style),
        *options.strict_args(),
    ]
    for path in options.bibliography:
        args += ["--bibliography", str(path)]
    try:
        run = run_pandoc(args, markdown.encode("utf-8"))
    except PandocFailure as failure:
        raise RenderError(
            f"pandoc could not read the assembled Markdown of {stem}",
            [Problem(f"{stem}.md", f"all formats: pandoc: {m}") for m in failure.messages],
        ) from None
    return _with_build_metadata(run.output, options), run.warnings


def _with_build_metadata(ast_json: bytes, options: RenderOptions) -> bytes:
    """Drop build-only metadata and make `draft` say what this build is."""
    ast = json.loads(ast_json)
    meta = ast.setdefault("meta", {})
    for key in BUILD_ONLY_METADATA:
        meta.pop(key, None)
    meta["draft"] = {"t": "MetaBool", "c": options.draft}
    return json.dumps(ast, ensure_ascii=False).encode("utf-8")

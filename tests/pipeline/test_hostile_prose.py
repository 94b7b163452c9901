"""Editors' prose cannot run code, read files or put raw markup into an edition (issue 8 item 1)."""

from __future__ import annotations

import re

import pytest

from tests.pipeline.hostile import append_prose, build_fails, build_succeeds, counting_server

JINJA_ESCAPES = {
    "globals of a builtin": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "class hierarchy": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "lipsum globals": "{{ lipsum.__globals__['os'] }}",
    "template context": "{{ self._TemplateReference__context }}",
    "format string": "{{ '{0.__class__}'.format(paper) }}",
    "include": "{% include 'findings.md.j2' %}",
    "undocumented variable": "{{ registry }}",
    "huge repetition": "{{ 'x' * 1000000000 }}",
    "huge power": "{{ 10 ** 999999999 }}",
    "division by zero": "{{ 1 / 0 }}",
    "runaway macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "mutation": "{{ paper.instruments.append('x') }}",
}


@pytest.mark.parametrize("payload", JINJA_ESCAPES.values(), ids=JINJA_ESCAPES.keys())
def test_prose_cannot_escape_the_jinja_sandbox(project, capsys, payload):
    line = append_prose(project, "Intro text.\n\n" + payload + "\n")
    (error,) = build_fails(project, capsys, "--format", "html")
    assert error.startswith(
        f"error: paper_sources/2023-tech-regulation/sections/introduction.md:{line + 2}: "
        "template error: "
    ), error


def test_raw_markup_in_prose_is_refused_with_file_and_line(project, capsys):
    with counting_server() as (base, requests):
        raw = {
            "<script>": "Before <script>document.title = 1</script> after.",
            "<img": f'An image <img src="{base}/pixel.png" onerror="alert(1)"> inline.',
            "<iframe": f'<iframe src="{base}/frame"></iframe>',
            "<!--": "<!-- a comment that would stay in the HTML -->",
            "{=html}": "```{=html}\n<b>bold</b>\n```",
            "{=typst}": '```{=typst}\n#read("/etc/passwd")\n```',
            "{=openxml}": "```{=openxml}\n<w:p/>\n```",
            "{=latex}": "```{=latex}\n\\input{/etc/passwd}\n```",
            "inline {=html}": "Some `<u>x</u>`{=html} inline.",
            "raw TeX": "A \\textbf{bold} command.",
        }
        lines = {}
        for name, text in raw.items():
            lines[name] = append_prose(project, text + "\n")
        errors = build_fails(project, capsys)
        assert requests == []  # nothing was fetched
    prose = "paper_sources/2023-tech-regulation/sections/introduction.md"
    assert len(errors) == len(raw), errors
    for name, line in lines.items():
        wanted = line + 1 if name.startswith("{=") else line  # the block's first content line
        assert any(e.startswith(f"error: {prose}:{wanted}: raw ") for e in errors), (name, errors)
    assert all(e.endswith("is not allowed; write plain Markdown") for e in errors)


def test_a_yaml_block_in_prose_sets_no_metadata(project, capsys):
    append_prose(
        project,
        "---\ntitle: Forged title\nheader-includes: <script>alert(1)</script>\n"
        "bibliography: /etc/passwd\n---\n",
    )
    build_succeeds(project, capsys, "--format", "html")
    (html,) = project.outputs.rglob("*.html")
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "Forged title</title>" not in page
    assert re.search(r"<title>[^<]*Human Rights Leadership", page)

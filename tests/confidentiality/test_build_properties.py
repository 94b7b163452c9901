"""Property test through the real build: a disguised roster name in any kind of source stops it.

Hypothesis picks a roster form (person, company, alias) of the fictional sample roster and
disguises it as a reader would still read it: look-alike letters from Unicode's confusables data,
small capitals, invisible, tag and bidi characters, split by a hyphen (also non-breaking), a
space, a full stop or a line break, written joined, reversed under a right-to-left override,
percent-encoded (as in a link), as character references, or split by an HTML comment. It puts
the text into one of thirteen kinds of source (a quote, a codebook label, a regulation's summary,
relevance or key date, a recommendation, the subtitle, the organisation, a bibliography title, a
footnote, alt text, a link target, a heading) and runs `briefings build` as an editor would. The
build must fail with exactly one `error:` line naming the source file (and the YAML field) and
showing the name only masked, print no traceback, and leave outputs/ byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefings.cli import main
from briefings.roster import GENERIC
from briefings.roster.skeleton import fold_char, prototypes, small_capital
from tests.confidentiality.editions import PIXEL
from tests.confidentiality.test_build import append, edit_yaml
from tests.conftest import REPO, copy_project
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"
ROSTER = yaml.safe_load(
    (REPO / "paper_sources" / PAPER / "interviews" / "roster.yaml").read_text(encoding="utf-8")
)
FORMS = sorted({form for e in ROSTER for form in (e["name"], e["company"], *e.get("aliases", []))})
# Every roster word (and its folded form), none of which may be printed.
ROSTER_WORDS = {
    variant
    for e in ROSTER
    for value in (e["name"], e["company"], *e.get("aliases", []))
    for word in re.split(r"[\s-]+", value)
    if len(word) > 3 and word.casefold() not in GENERIC
    for variant in (word.casefold(), "".join(fold_char(c) for c in word))
}
# Look-alikes of each letter: every character the confusables data or a small capital folds to it.
LOOKALIKES: dict[str, list[str]] = {}
for char in sorted(set(prototypes()) | {chr(c) for c in range(0x1D00, 0x1D2C)}):
    if char.isalpha() and not char.isascii() and fold_char(char).isalpha():
        LOOKALIKES.setdefault(fold_char(char), []).append(char)
INVISIBLE = ["\u200b", "\u200d", "\u2060", "\u00ad", "\u200e", "\u2066", "\ufe0f", "\U000e0041"]
SEPARATORS = ["-", "\u2011", "\u2010", " ", "\u00a0", "."]


def _letters(draw, form: str, change) -> str:
    """`form` with `change` applied to some of its letters (at least one)."""
    positions = [i for i, c in enumerate(form) if c.isalpha()]
    chosen = set(draw(st.lists(st.sampled_from(positions), min_size=1, max_size=len(positions))))
    return "".join(change(draw, c) if i in chosen else c for i, c in enumerate(form))


def lookalike(draw, c: str) -> str:
    options = LOOKALIKES.get(fold_char(c)) or [c]
    return draw(st.sampled_from(options))


def small_caps(draw, c: str) -> str:
    options = [s for s in LOOKALIKES.get(fold_char(c), []) if small_capital(s)]
    return draw(st.sampled_from(options)) if options else c


def invisible(draw, c: str) -> str:
    return c + draw(st.sampled_from(INVISIBLE))


def split(draw, form: str, prose: bool) -> str:
    inner = [i for i in range(1, len(form)) if form[i - 1].isalpha() and form[i].isalpha()]
    i = draw(st.sampled_from(inner))
    separator = draw(st.sampled_from(SEPARATORS + (["-\n", " \n"] if prose else [])))
    return form[:i] + separator + form[i:]


def joined(draw, form: str) -> str:
    return re.sub(r"[\s-]+", "", form)


@st.composite
def disguised(draw, prose: bool) -> str:
    form = draw(st.sampled_from(FORMS))
    for _ in range(draw(st.integers(1, 2))):
        how = draw(st.sampled_from(["lookalike", "small caps", "invisible", "split", "joined"]))
        if how == "split":
            form = split(draw, form, prose)
        elif how == "joined":
            form = joined(draw, form)
        else:
            change = {"lookalike": lookalike, "small caps": small_caps, "invisible": invisible}
            form = _letters(draw, form, change[how])
    wrap = draw(st.sampled_from(["", "reversed", "percent", "references", "comment"]))
    if wrap == "reversed":
        form = "\u202e" + form[::-1] + "\u202c"
    elif wrap == "percent":
        form = "".join(quote(c, safe="") if draw(st.booleans()) else c for c in form)
    elif wrap == "references" and prose:  # in YAML the md filter escapes the ampersand
        form = "".join(f"&#{ord(c)};" if c.isalpha() and draw(st.booleans()) else c for c in form)
    elif wrap == "comment" and prose:
        i = draw(st.integers(1, len(form) - 1))
        form = form[:i] + "<!-- x -->" + form[i:]
    return form


# Each kind of source: (inject, file shown, YAML field or None).
def _quote(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "interviews" / "P02.yaml",
        lambda d: d["excerpts"][0].update(text=d["excerpts"][0]["text"] + f" As {text} put it."),
    )
    edit_yaml(
        root / "paper_sources" / PAPER / "paper.yaml",
        lambda d: d["quotes"].update(pinned=["P02-01"]),
    )


def _summary(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / "regulations" / "eu-gdpr.yaml",
        lambda d: d.update(summary=f"{d['summary']} {text}"),
    )


def _recommendation(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "recommendations.yaml",
        lambda d: d[1].update(rationale=f"{text} agreed."),
    )


def _subtitle(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "paper.yaml", lambda d: d.update(subtitle=f"With {text}")
    )


def _organisation(root: Path, text: str) -> None:
    edit_yaml(root / "paper_sources" / PAPER / "paper.yaml", lambda d: d.update(organisation=text))


def _reference(root: Path, text: str) -> None:
    """A bibliography title: only pandoc's citeproc puts it in the editions."""

    def change(data):
        entry = next(r for r in data["references"] if r["id"] == "ungps-2011")
        entry["title"] = f"Guiding Principles, with notes by {text}"

    edit_yaml(root / "paper_sources" / "references.yaml", change)


def _theme_label(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "interviews" / "codebook.yaml",
        lambda d: d["themes"][0].update(label=f"Fragmented regimes, as {text} saw them"),
    )


def _relevance(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / "regulations" / "eu-gdpr.yaml",
        lambda d: d.update(human_rights_relevance=f"{d['human_rights_relevance']} Ask {text}."),
    )


def _key_date(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / "regulations" / "eu-gdpr.yaml",
        lambda d: d["key_dates"][0].update(label=f"Adopted after {text} wrote"),
    )


def _footnote(root: Path, text: str) -> None:
    append(
        root / "paper_sources" / PAPER / "sections" / "conclusion.md",
        f"\nSee the note.[^n]\n\n[^n]: From {text}.\n",
    )


def _alt_text(root: Path, text: str) -> None:
    figures = root / "paper_sources" / PAPER / "figures"
    figures.mkdir(exist_ok=True)
    (figures / "figure.png").write_bytes(PIXEL)
    append(
        root / "paper_sources" / PAPER / "sections" / "conclusion.md",
        f"\n![A photo of {text}](figures/figure.png)\n",
    )


def _link(root: Path, text: str) -> None:
    append(
        root / "paper_sources" / PAPER / "sections" / "conclusion.md",
        f"\nRead [the statement](https://example.org/statements/{text}).\n",
    )


def _heading(root: Path, text: str) -> None:
    append(root / "paper_sources" / PAPER / "sections" / "conclusion.md", f"\n## Notes on {text}\n")


YAML_KINDS = {
    _quote: (f"paper_sources/{PAPER}/interviews/P02.yaml", "excerpts.0.text"),
    _summary: ("paper_sources/regulations/eu-gdpr.yaml", "summary"),
    _recommendation: (f"paper_sources/{PAPER}/recommendations.yaml", "1.rationale"),
    _subtitle: (f"paper_sources/{PAPER}/paper.yaml", "subtitle"),
    _organisation: (f"paper_sources/{PAPER}/paper.yaml", "organisation"),
    _reference: ("paper_sources/references.yaml", r"references\.\d+\.title"),
    _theme_label: (f"paper_sources/{PAPER}/interviews/codebook.yaml", "themes.0.label"),
    _relevance: ("paper_sources/regulations/eu-gdpr.yaml", "human_rights_relevance"),
    _key_date: ("paper_sources/regulations/eu-gdpr.yaml", r"key_dates\.0\.label"),
}
PROSE_KINDS = {
    kind: (f"paper_sources/{PAPER}/sections/conclusion.md", None)
    for kind in (_footnote, _alt_text, _link, _heading)
}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("published"))
    assert main(["--root", str(root), "build", PAPER, "--format", "html"]) == 0
    return root


def _build(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--root", str(root), "build", PAPER, "--format", "html", "--format", "docx"])
    return code, err.getvalue()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=st.one_of(
        st.tuples(st.sampled_from(list(YAML_KINDS)), disguised(prose=False)),
        st.tuples(st.sampled_from(list(PROSE_KINDS)), disguised(prose=True)),
    )
)
# Found by Hypothesis: a name broken across lines was reported twice (the name, then its
# surname on the next line); it is one name, one line.
@example(case=(_footnote, "A-\nmara Okonkwe-Lind"))
# Found by Hypothesis: a company name written joined ("YarrowbyTelecomGroup") also holds its
# alias, which was reported on a second line as found in no source; it is one name, one line.
@example(case=(_heading, "YarrowbyTelecomGroup"))
def test_a_disguised_name_in_any_source_stops_the_build(published, case):
    inject, text = case
    shown, field = {**YAML_KINDS, **PROSE_KINDS}[inject]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(published, root)
        inject(root, text)
        before = tree_snapshot(root / "outputs")
        code, err = _build(root)
        assert code == 1, err
        assert "Traceback" not in err
        (line,) = [line for line in err.splitlines() if line.startswith("error:")]
        where = re.escape(shown) + r":\d+: " + (field + ": " if field else "")
        assert re.match(rf"error: {where}roster .+ would be published", line), line
        printed = err.casefold()
        assert not [w for w in ROSTER_WORDS if w in printed], "a roster name was printed"
        assert tree_snapshot(root / "outputs") == before

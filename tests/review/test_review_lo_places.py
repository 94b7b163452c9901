"""A reviewer in LibreOffice comments on every kind of place of both sample papers.

Each comment must come back traced to the right section, subsection, source file and field, and
be carried by the next draft onto the same text — checked in the new DOCX's XML and again in
what LibreOffice shows when it re-opens that draft. Expectations come from the built DOCX and its
manifest (bookmarks as pandoc wrote them), not from the review code under test.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from lxml import etree

from briefings.cli import main
from briefings.pipeline import BuildRequest, build_paper
from briefings.project import Project
from briefings.review import ingest, list_items, read_review_docx
from briefings.review.carry import TEXT_CHANGED
from tests.review import review_kit as kit
from tests.review.libreoffice import MARKS, annotate, comments_seen

pytestmark = MARKS
PAPERS = ("2023-tech-regulation", "2024-fairness-bias")
W = kit.W


@pytest.fixture(scope="session")
def both_built(tmp_path_factory):
    """Both sample papers built once (DOCX drafts), in a project of their own."""
    from tests.conftest import copy_project

    project = Project(copy_project(tmp_path_factory.mktemp("lo-places") / "project"))
    for paper in PAPERS:
        build_paper(project, BuildRequest(paper, ("docx",)))
    return project.root


@pytest.fixture
def fresh(both_built, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(both_built, root)
    return Project(root)


def _edition(project: Project, paper: str):
    # The newest edition (LATEST only follows editions with every format).
    folder = max(
        (m.parent for m in (project.outputs / paper).glob("*/manifest.json")),
        key=lambda f: (f / "manifest.json").stat().st_mtime_ns,
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return folder / f"{paper}.docx", manifest["source_map"]


def _paragraphs(docx):
    """(style id, text, bookmarks open around it, bookmarks starting just before/in it)."""
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{{{W}}}body")
    out, open_marks, pending = [], {}, []
    for el in body.iter(f"{{{W}}}p", f"{{{W}}}bookmarkStart", f"{{{W}}}bookmarkEnd"):
        tag = etree.QName(el).localname
        if tag == "bookmarkStart":
            open_marks[el.get(f"{{{W}}}id")] = el.get(f"{{{W}}}name")
            pending.append(el.get(f"{{{W}}}name"))
        elif tag == "bookmarkEnd":
            open_marks.pop(el.get(f"{{{W}}}id"), None)
        else:
            style = el.find(f"{{{W}}}pPr/{{{W}}}pStyle")
            text = "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))
            in_table = any(etree.QName(a).localname == "tc" for a in el.iterancestors())
            out.append(
                {
                    "style": style.get(f"{{{W}}}val") if style is not None else "",
                    "text": text,
                    "open": list(open_marks.values()),
                    "marks": pending,
                    "in_table": in_table,
                }
            )
            pending = []
    return out


def _snippet(paragraphs, text, size=28):
    whole = "\n".join(p["text"] for p in paragraphs)
    for begin in range(0, max(1, len(text) - size)):
        piece = text[begin : begin + size].strip()
        if len(piece) > 8 and whole.count(piece) == 1:
            return piece
    raise ValueError(f"no unique piece of {text[:50]!r}")


def _places(paper: str, docx, source_map) -> list[tuple[dict, tuple]]:
    """(note for LibreOffice, expected (section, subsection, source, field, place)) per place."""
    paras = _paragraphs(docx)
    sm = source_map
    places = []

    def expect(key, place, field=None, source=None):
        e = sm[key]
        return (
            e["section"],
            e.get("subsection"),
            source or e["source"],
            field if field is not None else e["field"],
            place,
        )

    def body(pred):
        return next(p for p in paras if pred(p))

    # headings: level 1, level 2 (an audience), a theme heading
    places.append(
        ({"find": "Conclusion", "style": "Heading 1"}, expect("sec-conclusion", "heading 1"))
    )
    audience = next(k for k in sm if k.startswith("sec-rec-") and sm[k].get("subsection"))
    places.append(
        (
            {"find": sm[audience]["subsection_title"], "style": "Heading 2"},
            expect(audience, "heading 2"),
        )
    )
    theme = next(k for k in sm if k.startswith("sec-theme-"))
    places.append(
        ({"find": sm[theme]["subsection_title"], "style": "Heading 2"}, expect(theme, "heading 2"))
    )
    # a body paragraph of prose, a list item, a quote and its attribution
    intro = body(lambda p: "p-introduction-02" in p["open"])
    places.append(
        ({"find": _snippet(paras, intro["text"])}, expect("p-introduction-02", "paragraph"))
    )
    asks = next(k for k in sm if k.endswith("-asks"))
    items = [p for p in paras if asks in p["open"] and p["style"] == "Compact"]
    places.append(({"find": _snippet(paras, items[1]["text"])}, expect(asks, "list item")))
    for key in (k for k in sm if k.startswith("p-quote-")):
        quote = [p for p in paras if key in p["open"]]
        attribution = quote[-1]["text"]
        if "\n".join(p["text"] for p in paras).count(attribution) == 1:
            places.append(({"find": _snippet(paras, quote[0]["text"])}, expect(key, "quote")))
            places.append(({"find": attribution.strip()}, expect(key, "attribution")))
            break
    # table cells: the status table (instrument column), the findings table, the appendix
    reg = next(k for k in sm if k.startswith("sec-reg-") and k != "sec-reg-recent")
    reg_id = reg[len("sec-reg-") :]
    regulation = sm[f"p-reg-{reg_id}-sum"]["source"]
    places.append(
        (
            {"find": sm[reg]["subsection_title"], "in_table": True},
            ("regulatory-context", None, regulation, "short_name", "table cell"),
        )
    )
    theme_id = theme[len("sec-theme-") :]
    places.append(
        (
            {"find": sm[theme]["subsection_title"], "in_table": True},
            (
                "findings",
                None,
                sm[f"p-theme-{theme_id}"]["source"],
                f"themes.{theme_id}.label",
                "table cell",
            ),
        )
    )
    summary = body(lambda p: f"p-reg-{reg_id}-sum" in p["open"])["text"]
    title_cell = next(
        p for p in reversed(paras) if p["in_table"] and p["text"] and summary.startswith(p["text"])
    )
    places.append(
        (
            {"find": title_cell["text"], "in_table": True, "style": "Compact"},
            ("appendix-instruments", None, regulation, "title", "table cell"),
        )
    )
    # a reference entry, a caption, the title page, a contents entry, the appendix introduction
    refs = [p for p in paras if p["style"] == "Bibliography"]
    key = next(m for m in refs[1]["open"] if m.startswith("ref-"))[len("ref-") :]
    places.append(
        (
            {"find": _snippet(paras, refs[1]["text"])},
            ("references", None, "paper_sources/references.yaml", key, "reference entry"),
        )
    )
    caption = body(lambda p: "Caption" in p["style"])
    places.append(
        (
            {"find": caption["text"].split(":", 1)[-1].strip()[:30]},
            (
                "regulatory-context",
                None,
                sm["sec-regulatory-context"]["source"],
                "caption tbl-instruments",
                "caption",
            ),
        )
    )
    title = body(lambda p: p["style"] == "Title")["text"]
    places.append(
        (
            {"find": title[:30], "style": "Title"},
            (None, None, f"paper_sources/{paper}/paper.yaml", "title", "title page"),
        )
    )
    places.append(
        (
            {"find": sm["sec-methodology"]["section_title"], "style": "Contents"},
            ("methodology", None, sm["sec-methodology"]["source"], "section", "contents"),
        )
    )
    appx = body(lambda p: "p-appx-intro" in p["open"])
    places.append(({"find": _snippet(paras, appx["text"])}, expect("p-appx-intro", "paragraph")))
    return places


def _note(i: int, spec: dict) -> dict:
    return {**spec, "text": f"Remark {i}.", "author": "Ana Ortiz", "initials": "AO"}


@pytest.mark.parametrize("paper", PAPERS)
def test_every_kind_of_place_traces_and_is_carried(soffice, fresh, tmp_path, paper, capsys):
    project = fresh
    draft, source_map = _edition(project, paper)
    places = _places(paper, draft, source_map)
    notes = [_note(i, spec) for i, (spec, _) in enumerate(places)]
    notes[1]["resolved"] = True
    notes.append(
        {"reply_to": 3, "text": "Agreed, shorten it.", "author": "Ben Okafor", "initials": "BO"}
    )
    returned = tmp_path / "returned.docx"
    annotate(soffice, draft, returned, notes)

    report = ingest(project, paper, [returned])
    assert len(report.added) == len(places) and report.replies_added == 1
    # The title page lies outside every section, yet is traced: the summary says both.
    assert (report.unplaced, report.untraced) == (1, 0)
    assert "1 outside every section (such as the title page)" in report.summary()
    assert "no source" not in report.summary()
    main(["--root", str(project.root), "review", "list", paper])
    listed = capsys.readouterr().out.splitlines()
    title = next(i for i, (_, expected) in enumerate(places) if expected[4] == "title page")
    (line,) = [x for x in listed if x.endswith(f"Remark {title}.")]
    assert "  comment    title page  " in line, line  # where it lies, not "-"
    items = {i.text: i for i in list_items(project, paper)}
    for i, (spec, expected) in enumerate(places):
        item = items[f"Remark {i}."]
        got = (item.section_id, item.subsection_id, item.source, item.field, item.place)
        assert got == expected, (spec, got, item.untraced)
        assert item.anchor_text == spec["find"].strip(), spec
    assert [i.text for i in items.values() if i.resolved] == ["Remark 1."]
    reply = items["Remark 3."].replies
    assert [(r.author, r.text) for r in reply] == [("Ben Okafor", "Agreed, shorten it.")]

    # The next draft carries every comment onto the same text, the reply as its thread.
    build_paper(project, BuildRequest(paper, ("docx",)))
    new, _ = _edition(project, paper)
    carried = read_review_docx(new)
    threads = {top.text: (top, replies) for top, replies in carried.threads()}
    for i, (spec, _) in enumerate(places):
        top, replies = threads[f"Remark {i}."]
        assert top.anchor_text == spec["find"].strip(), spec
    top, replies = threads["Remark 3."]
    assert [(r.author, r.text) for r in replies] == [("Ben Okafor", "Agreed, shorten it.")]
    assert ingest(project, paper, [new]).added == []  # the same items, not new ones

    seen = comments_seen(soffice, new)  # what LibreOffice shows when it re-opens the draft
    anchors = {c["text"]: c["anchor"] for c in seen}
    for i, (spec, _) in enumerate(places):
        assert anchors[f"Remark {i}."].strip() == spec["find"].strip(), spec
    assert anchors["Agreed, shorten it."].strip() == places[3][0]["find"].strip()

    # LibreOffice 7.4 does not keep Word's thread link when it saves the carried draft: the
    # reply comes back as another comment on the same range, still read as the reply.
    resaved = tmp_path / "resaved.docx"
    annotate(soffice, new, resaved, [])
    threads = {top.text: replies for top, replies in read_review_docx(resaved).threads()}
    assert [r.text for r in threads["Remark 3."]] == ["Agreed, shorten it."]
    assert ingest(project, paper, [resaved]).added == []


def test_changed_text_goes_to_the_paragraph_start_and_is_marked(soffice, fresh, tmp_path):
    paper = PAPERS[0]
    project = fresh
    draft, source_map = _edition(project, paper)
    paras = _paragraphs(draft)
    rec = next(p for p in paras if "p-rec-02" in p["open"])
    recs = project.paper_dir(paper) / "recommendations.yaml"
    text = recs.read_text(encoding="utf-8")
    words = rec["text"].split(". ", 1)[1].split()
    whole = "\n".join(p["text"] for p in paras)
    phrase = next(
        piece
        for piece in (" ".join(words[i : i + 4]) for i in range(len(words) - 4))
        if piece in text and whole.count(piece) == 1
    )
    returned = tmp_path / "returned.docx"
    annotate(soffice, draft, returned, [_note(0, {"find": phrase})])
    ingest(project, paper, [returned])
    (item,) = list_items(project, paper)

    recs.write_text(text.replace(phrase, "reworded entirely"), encoding="utf-8")
    build_paper(project, BuildRequest(paper, ("docx",)))
    new, new_map = _edition(project, paper)
    (carried,) = read_review_docx(new).comments
    assert carried.text == f'{TEXT_CHANGED} "{phrase}"\nRemark 0.'
    new_paras = _paragraphs(new)
    start = next(p for p in new_paras if "p-rec-02" in p["open"])
    assert start["text"].startswith(carried.anchor_text)  # the start of the same paragraph
    page = [p["text"] for p in new_paras if item.id in p["text"]]
    assert page and page[0].endswith("text changed")
    assert ingest(project, paper, [new]).added == []  # still the same item


def test_changes_recorded_in_libreoffice_are_read_and_traced(soffice, fresh, tmp_path):
    """Formatting, insertion, deletion and a move, made in LibreOffice with changes recorded
    (7.4 saves a deleted phrase typed again elsewhere as w:moveFrom/w:moveTo): each an item of
    its kind, traced to the executive summary's source, with the words around it."""
    paper = PAPERS[0]
    project = fresh
    draft, _ = _edition(project, paper)
    edits = [
        {"find": "binding due-diligence duties", "track": "bold"},
        {"find": "platform regulation", "track": "insert", "text": " (notably the DSA)"},
        {"find": "in law and not only in policy, ", "track": "delete"},
        {
            "find": "In the space of a few years, ",
            "track": "move",
            "before": "This paper asks how companies",
        },
    ]
    returned = tmp_path / "tracked.docx"
    annotate(soffice, draft, returned, edits)
    assert len(ingest(project, paper, [returned]).added) == 5
    items = {i.kind: i for i in list_items(project, paper)}
    assert sorted(items) == ["deletion", "formatting", "insertion", "move-from", "move-to"]
    for item in items.values():
        assert item.section_id == "executive-summary", item
        assert item.source == f"paper_sources/{paper}/sections/executive-summary.md", item
    assert items["formatting"].text == "binding due-diligence duties"
    assert "few years, [binding due-diligence duties], platform" in items["formatting"].context
    assert items["insertion"].text == " (notably the DSA)"
    assert "platform regulation [(notably the DSA)] and" in items["insertion"].context
    assert items["deletion"].text == "in law and not only in policy, "
    assert "asked to show, [in law and not only in policy,] that" in items["deletion"].context
    assert items["move-from"].text.strip() == items["move-to"].text.strip()
    assert "[In the space of a few years,] This paper asks" in items["move-to"].context

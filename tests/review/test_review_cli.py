"""The `review` commands, through the same argparse wiring the main CLI uses."""

from __future__ import annotations

import json
import subprocess
import sys

from briefings.review.cli import main
from tests.review import review_kit as kit


def run(project, *argv):
    return main(["--root", str(project.root), *argv])


def test_ingest_list_decide_report(project, draft, tmp_path, capsys):
    reviewed = kit.reviewed(draft, tmp_path / "r.docx")
    assert run(project, "review", "ingest", kit.PAPER, str(reviewed)) == 0
    assert "6 new item(s)" in capsys.readouterr().out
    assert run(project, "review", "list", kit.PAPER, "--format", "json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 6
    keys = {
        "id",
        "kind",
        "author",
        "date",
        "text",
        "anchor_text",
        "section_id",
        "section_title",
        "source",
        "edition",
        "status",
        "replies",
    }
    assert all(keys <= set(r) for r in rows)
    target = next(r for r in rows if r["field"] == "rec-04" and r["kind"] == "comment")
    assert (
        run(
            project, "review", "decide", kit.PAPER, target["id"], "deferred", "--note", "next draft"
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == f"{target['id']}: deferred"
    assert run(project, "review", "list", kit.PAPER, "--status", "deferred") == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 1 and table[0].startswith(target["id"]) and "recommendations" in table[0]
    assert run(project, "review", "report", kit.PAPER) == 0
    assert capsys.readouterr().out.split() == [
        f"outputs/{kit.PAPER}/review/review.html",
        f"outputs/{kit.PAPER}/review/review.csv",
    ]


def test_bad_file_is_one_line_and_exit_code_1(project, tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert run(project, "review", "ingest", kit.PAPER, str(bad)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: bad.docx: not a DOCX")


def test_cli_module_imports_cheaply():
    code = (
        "import sys, briefings.review.cli; "
        "print(sorted(m for m in ('prefect', 'lxml', 'docx', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _many_items(project, count: int) -> None:
    ledger = project.paper_dir(kit.PAPER) / "reviews" / "ledger.jsonl"
    lines = [
        json.dumps(
            {
                "type": "item",
                "id": f"{n:012x}",
                "kind": "comment",
                "author": "Ana Ortiz",
                "text": f"Remark {n}.",
                "anchor_text": "text",
                "section_id": "introduction",
            }
        )
        for n in range(count)
    ]
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_list_into_a_pipe_closed_early_ends_quietly(project):
    """`briefings review list PAPER | head -1`: no BrokenPipeError traceback, exit status 0."""
    _many_items(project, 5000)
    briefings = [
        sys.executable,
        "-c",
        "import sys; from briefings.cli import main; sys.exit(main())",
    ]
    proc = subprocess.Popen(
        [*briefings, "--root", str(project.root), "review", "list", kit.PAPER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its first line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, stderr
    assert first.startswith(b"000000000000") and stderr == ""


def test_an_odt_and_a_short_id_prefix_say_what_to_do(project, tmp_path, capsys):
    import zipfile

    odt = tmp_path / "returned.odt"
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    assert run(project, "review", "ingest", kit.PAPER, str(odt)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "save it as Word (.docx)" in err and "ingest that" in err and "returned.odt" in err
    _many_items(project, 3)
    assert run(project, "review", "decide", kit.PAPER, "000", "accepted") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "too short: give at least 4 characters" in err

"""The review redactor and the confidentiality gate agree on what a roster name is."""

from __future__ import annotations

import yaml

from briefings.review.redact import WITHHELD, roster_redactor

PAPER = "2023-tech-regulation"


def _first_company(project) -> str:
    roster = yaml.safe_load(
        (project.paper_dir(PAPER) / "interviews" / "roster.yaml").read_text(encoding="utf-8")
    )
    return roster[0]["company"]


def test_a_name_written_as_in_the_roster_is_replaced_in_place(project):
    company = _first_company(project)
    redact = roster_redactor(project, PAPER)
    assert redact(f"As {company} said, this is vague.") == f"As {WITHHELD} said, this is vague."


def test_a_disguised_name_is_replaced_where_it_stands(project):
    company = _first_company(project)
    first_word = company.split()[0]
    disguised = first_word[:2] + "\u200b" + first_word[2:].upper() + "\u0301"  # zero-width, accent
    cyrillic = first_word.replace("a", "\u0430").replace("o", "\u043e")
    hyphenated = first_word[:3] + "-\n" + first_word[3:]
    redact = roster_redactor(project, PAPER)
    assert redact(f"Per {disguised}\u2019s lawyers") == f"Per {WITHHELD}\u2019s lawyers"
    assert redact(f"Per {cyrillic} lawyers") == f"Per {WITHHELD} lawyers"
    assert redact(f"Per {hyphenated} lawyers") == f"Per {WITHHELD} lawyers"
    assert redact("Nothing confidential here.") == "Nothing confidential here."


def test_a_name_seen_only_once_decoded_withholds_the_whole_text(project):
    first_word = _first_company(project).split()[0]
    encoded = first_word[:2] + "".join(f"%{ord(c):02X}" for c in first_word[2:])
    assert roster_redactor(project, PAPER)(f"see https://example.org/{encoded}") == WITHHELD


def test_the_ledger_in_git_never_holds_a_roster_name(project, tmp_path):
    import docx

    from briefings.pipeline import BuildRequest, build_paper
    from briefings.review import decide, ingest, list_items
    from briefings.roster import RosterNames

    company = _first_company(project)
    edition = build_paper(project, BuildRequest(PAPER, ("docx",)))
    document = docx.Document(edition.files["docx"])
    paragraph = next(p for p in document.paragraphs if len(p.text) > 40 and p.runs)
    document.add_comment(
        [paragraph.runs[0]], text=f"Is this {company}? Check with them.", author="Sam Reviewer"
    )
    first_word = company.split()[0]
    cyrillic = first_word.replace("a", "\u0430").replace("o", "\u043e").replace("e", "\u0435")
    hyphenated = first_word[:3] + "\u2011" + first_word[3:]
    document.add_comment(
        [paragraph.runs[0]], text=f"Or {cyrillic}, or {hyphenated}?", author="Sam Reviewer"
    )
    returned = tmp_path / "returned.docx"
    document.save(returned)

    ingest(project, PAPER, [returned])
    item = list_items(project, PAPER)[0]
    decide(project, PAPER, item.id, "deferred", note=f"ask {company.upper()}'s counsel")
    ledger = (project.paper_dir(PAPER) / "reviews" / "ledger.jsonl").read_text(encoding="utf-8")
    assert WITHHELD in ledger and "Sam Reviewer" in ledger
    assert RosterNames.load(project, PAPER).find(ledger) == []
    assert ingest(project, PAPER, [returned]).known == 2  # the redacted fingerprint is stable

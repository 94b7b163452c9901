"""What a refresh found, as an editor writes it: a status line and dated developments.

The snapshots and the history keep the sources' raw facts (ISO dates, counts, identifiers) for
the log and the manifest; the paper shows these sentences instead. A development is an event
with its own date (adoption, publication, a stage reached), named by the act's title and
identifier, one sentence each. An item seen before (a change that was reverted, then made again,
or the reversal itself) is not a new development.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..wording import long_date, quantity
from .history import HistoryLine
from .snapshot import Snapshot

CELEX = re.compile(r"^3(\d{4})([RLD])(\d{4})$")
CELEX_FORMS = {"R": "Regulation", "L": "Directive", "D": "Decision"}


def _long(value: str | None) -> str | None:
    """1 August 2024 from an ISO date or date-time string; None when there is none."""
    when = _date(value)
    return long_date(when) if when else None


def official_form(celex: str | None) -> str | None:
    """'Regulation (EU) 2024/1689' for CELEX 32024R1689 (EU acts numbered since 2015)."""
    match = CELEX.match(celex or "")
    if not match:
        return None
    year, kind, number = match.groups()
    if int(year) < 2015:
        return None  # older acts are numbered differently ("No 1234/2013"): keep the CELEX
    return f"{CELEX_FORMS[kind]} (EU) {year}/{int(number)}"


def status_text(snapshot: Snapshot) -> str | None:
    """The status line the paper prints for a refreshed instrument (None: keep the registry's)."""
    dates = snapshot.dates
    if snapshot.source == "cellar":
        since = (dates.get("entry_into_force") or [None])[0]
        end = _long(dates.get("end_of_validity"))
        if snapshot.in_force:
            text = f"in force since {_long(since)}" if since else "in force"
            return text + (f"; ceases to apply on {end}" if end else "")
        if snapshot.in_force is False:
            if end:
                return f"no longer in force (end of validity {end})"
            return f"not yet in force (entry into force {_long(since)})" if since else None
        return None
    if snapshot.source == "legislation_gov_uk":
        made = _long(dates.get("made"))
        label = "made" if snapshot.identifiers.get("document_status") == "made" else "enacted"
        made_text = f"{label} {made}" if made else None
        pending = snapshot.counts.get("unapplied_effects", 0)
        if made_text and pending:
            changes = quantity(pending, "amendment")
            made_text += f"; {changes} not yet applied to the revised text on legislation.gov.uk"
        return made_text
    if snapshot.source == "uk_bills":
        return _bill_status(snapshot)
    if snapshot.source == "federal_register":
        latest = snapshot.documents[0] if snapshot.documents else None
        if not latest:
            return None
        text = (
            f"latest Federal Register document: {latest.get('type', 'document')} "
            f"{latest['id']}, published {_long(latest.get('date'))}"
        )
        effective = _long(latest.get("effective_on"))
        return text + (f", effective {effective}" if effective else "")
    return None


def _bill_status(snapshot: Snapshot) -> str | None:
    if snapshot.in_force:
        return "Act of Parliament (Royal Assent received)"
    withdrawn = _long(snapshot.dates.get("withdrawn"))
    if withdrawn:
        return f"bill withdrawn on {withdrawn}"
    stage = snapshot.documents[0]["title"] if snapshot.documents else None
    return f"bill at {_stage_words(stage)}" if stage else None


def _stage_words(label: str) -> str:
    """'Committee stage (Commons)' -> 'committee stage in the House of Commons'."""
    match = re.match(r"^(.*) \((Commons|Lords)\)$", label)
    if not match:
        return label[:1].lower() + label[1:]
    stage, house = match.groups()
    return f"{stage[:1].lower() + stage[1:]} in the House of {house}"


@dataclass(frozen=True)
class Development:
    """One event in the paper's "Recent developments": dated by the event, not by the refresh."""

    date: dt.date | None  # the event's own date; None when the source gives none
    instrument: str
    key: str  # the event's identity (an amending act, a document, a stage)
    text: str  # one sentence, without the date


def developments(
    history: list[HistoryLine], names: dict[str, tuple[str, str]], limit: int = 8
) -> list[Development]:
    """The newest events of `history`, newest first; `names` maps id -> (short name, form).

    Each item (amending act, Federal Register document, legislation.gov.uk effect, bill stage)
    becomes a development the first time it appears; an item that goes and comes back, and the
    going itself, are not news. A first observation (no old value) is where tracking began.
    """
    seen: set[tuple[str, str]] = set()
    found: list[Development] = []
    stage_dates = _stage_dates(history)
    for line in history:  # in time order
        if line.instrument not in names:
            continue
        for development in _events(line, names[line.instrument], stage_dates):
            marker = (line.instrument, development.key)
            if marker in seen:
                continue
            seen.add(marker)
            if line.old is not None:
                found.append(development)
    found.sort(key=lambda d: d.date or dt.date.min, reverse=True)
    return found[:limit]


def _stage_dates(history: list[HistoryLine]) -> dict[tuple[str, str], dt.date]:
    """(instrument, bill stage) -> the stage's latest sitting, from the refreshes' 'dates' lines."""
    found: dict[tuple[str, str], dt.date] = {}
    for line in history:
        stages = line.new.get("stages") if isinstance(line.new, dict) else None
        for stage, sittings in (stages or {}).items():
            if sittings and (when := _date(sorted(sittings)[-1])):
                found[(line.instrument, stage)] = when
    return found


def _events(
    line: HistoryLine, name: tuple[str, str], stage_dates: dict[tuple[str, str], dt.date]
) -> list[Development]:
    """Every item the new value of `line` holds, as a development (old ones included)."""
    short, form = name
    items = line.new if isinstance(line.new, list) else []
    events = []
    if line.field == "amendments":
        for act in items:
            if isinstance(act, dict):
                events.append(_amendment(line.instrument, act, short, form))
    elif line.field == "documents":
        for doc in items:
            if isinstance(doc, dict):
                events.append(_document(line.instrument, doc, short))
    elif line.field == "status" and isinstance(line.new, str) and line.new.startswith("Bill: "):
        stage = line.new.removeprefix("Bill: ")
        events.append(
            Development(
                stage_dates.get((line.instrument, stage)),
                line.instrument,
                f"stage:{stage}",
                f"The {short} reached {_stage_words(stage)}.",
            )
        )
    return events


def _amendment(instrument: str, act: dict[str, Any], short: str, form: str) -> Development:
    date = _date(act.get("date"))
    if act.get("type") and act.get("affecting"):  # a legislation.gov.uk effect
        title = act.get("title") or act["affecting"]
        if cited := _uk_citation(act):
            title = f"{title} ({cited})"
        what = ", ".join(
            part for part in (act.get("affected_provisions"), act.get("type", "").lower()) if part
        )
        in_force = _date((act.get("in_force") or [None])[0])
        return Development(
            in_force or date,
            instrument,
            f"effect:{act.get('id')}",
            f"The {title} amends the {short} ({what})."
            if what
            else f"The {title} amends the {short}.",
        )
    celex = act.get("celex")
    official = official_form(celex)
    title = act.get("title") if act.get("title") not in (None, celex, act.get("id")) else None
    named = official or title or celex or "An amending act"
    if official and title and not title.startswith(official):
        named = f"{official} ({title})"
    elif title and official is None and celex:
        named = f"{title} (CELEX {celex})"
    target = f"the {short} ({form})" if form and form != short else f"the {short}"
    return Development(date, instrument, f"act:{act.get('id')}", f"{named} amends {target}.")


def _uk_citation(effect: dict[str, Any]) -> str | None:
    """'2023 c. 56' (an Act) or 'SI 2024/123' (a statutory instrument) of the affecting item."""
    year, number = effect.get("affecting_year"), effect.get("affecting_number")
    if not (year and number):
        return None
    uri = effect.get("affecting") or ""
    if "/ukpga/" in uri:
        return f"{year} c. {number}"
    if "/uksi/" in uri:
        return f"SI {year}/{number}"
    return None


def _document(instrument: str, doc: dict[str, Any], short: str) -> Development:
    kind = (doc.get("type") or "document").lower()
    title = (doc.get("title") or "").rstrip(".")
    about = f" “{title}”" if title else ""
    return Development(
        _date(doc.get("date")),
        instrument,
        f"doc:{doc.get('id')}",
        f"The Federal Register published a {kind}{about} (document {doc.get('id')}) "
        f"concerning the {short}.",
    )


def _date(value: Any) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None

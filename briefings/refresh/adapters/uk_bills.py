"""UK Parliament Bills API: a bill's current stage, outcome and the stages it has passed."""

from __future__ import annotations

from ...sources.models import RegulationEntry
from ..http import Fetcher
from ..records import Bill, BillStage, StageList, decode_json, validate
from ..snapshot import Snapshot

TAKE = 50


def bill_id_of(entry: RegulationEntry) -> int:
    key = entry.tracking.key or (
        str(entry.identifiers.uk_bill_id) if entry.identifiers.uk_bill_id else ""
    )
    if not key.isdigit():
        raise ValueError(f"{entry.id}: uk_bills tracking needs the numeric bill id, got {key!r}")
    return int(key)


def fetch(fetcher: Fetcher, entry: RegulationEntry) -> Snapshot:
    bill_id = bill_id_of(entry)
    base = fetcher.config.base("uk_bills")
    response = fetcher.get(f"{base}/api/v1/Bills/{bill_id}", accept="application/json")
    bill = validate(fetcher, Bill, decode_json(fetcher, response), response.url)
    stages = _stages(fetcher, f"{base}/api/v1/Bills/{bill_id}/Stages")
    return Snapshot(
        instrument=entry.id,
        source="uk_bills",
        source_url=f"https://bills.parliament.uk/bills/{bill_id}",
        title=bill.shortTitle,
        status=_status(bill),
        in_force=True if bill.isAct else None,
        dates={
            "stages": {_stage_label(s): _dates(s) for s in stages if _dates(s)},
            "withdrawn": bill.billWithdrawn.date().isoformat() if bill.billWithdrawn else None,
        },
        identifiers={"uk_bill_id": str(bill_id), "current_house": bill.currentHouse},
        documents=[
            {"id": str(s.id), "title": _stage_label(s), "date": next(reversed(_dates(s)), None)}
            for s in sorted(stages, key=lambda s: s.sortOrder, reverse=True)
        ],
        counts={"stages": len(stages)},
    )


def _stages(fetcher: Fetcher, url: str) -> list[BillStage]:
    stages: list[BillStage] = []
    skip = 0
    for _ in range(fetcher.config.max_pages):
        response = fetcher.get(url, {"Skip": skip, "Take": TAKE}, accept="application/json")
        page = validate(fetcher, StageList, decode_json(fetcher, response), response.url)
        stages.extend(page.items)
        skip += len(page.items)
        if not page.items or skip >= page.totalResults:
            break
    return stages


def _stage_label(stage: BillStage) -> str:
    return f"{stage.description} ({stage.house})"


def _dates(stage: BillStage) -> list[str]:
    return sorted({s.date.date().isoformat() for s in stage.stageSittings if s.date})


def _status(bill: Bill) -> str:
    if bill.isAct:
        return "Act of Parliament (Royal Assent)"
    if bill.billWithdrawn:
        return f"Withdrawn on {bill.billWithdrawn.date().isoformat()}"
    if bill.isDefeated:
        return "Defeated"
    if bill.currentStage is None:
        return f"Bill before Parliament ({bill.currentHouse})"
    return f"Bill: {_stage_label(bill.currentStage)}"

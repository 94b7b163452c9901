"""legislation.gov.uk: an item's metadata (CLML data.xml) and the effects recorded on it (Atom)."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from ...sources.models import RegulationEntry
from ..http import Fetcher
from ..snapshot import Snapshot
from .atom import NS, parse_feed, parse_xml

KEY = re.compile(r"^[a-z]+/[0-9A-Za-z-]+/[0-9]+$")  # type/year/number, e.g. ukpga/2023/50
KEEP = 20


def key_of(entry: RegulationEntry) -> str:
    key = (entry.tracking.key or entry.identifiers.legislation_gov_uk or "").strip("/")
    if not KEY.match(key):
        raise ValueError(
            f"{entry.id}: legislation_gov_uk tracking needs a key like 'ukpga/2023/50', got {key!r}"
        )
    return key


def fetch(fetcher: Fetcher, entry: RegulationEntry) -> Snapshot:
    key = key_of(entry)
    base = fetcher.config.base("legislation_gov_uk")
    item = _item(fetcher, f"{base}/{key}/contents/data.xml")
    effects = []
    feed_url = f"{base}/changes/affected/{key}/data.feed"
    for response in fetcher.pages(feed_url, None, lambda r: parse_feed(fetcher, r).next, base):
        for entry_ in parse_feed(fetcher, response).entries:
            effects.append(_effect(fetcher, entry_.element, response.url))
    effects = sorted({e["id"]: e for e in effects}.values(), key=_effect_order, reverse=True)
    unapplied = sum(1 for e in effects if not e["applied"])
    status = f"{item['made_label']} {item['made'] or 'date unknown'}"
    if item["coming_into_force"]:
        status += f"; coming into force {', '.join(item['coming_into_force'])}"
    if item["prospective"]:
        status += f"; {item['prospective']} provision(s) prospective"
    status += f"; {len(effects)} recorded effect(s), {unapplied} not yet applied"
    return Snapshot(
        instrument=entry.id,
        source="legislation_gov_uk",
        source_url=f"https://www.legislation.gov.uk/{key}",
        title=item["title"],
        status=status,
        dates={"made": item["made"], "coming_into_force": item["coming_into_force"]},
        identifiers={"legislation_gov_uk": key, "document_status": item["document_status"] or ""},
        amendments=effects[:KEEP],
        counts={
            "effects": len(effects),
            "unapplied_effects": unapplied,
            "prospective_provisions": item["prospective"],
            "repealed_provisions": item["repealed"],
        },
    )


def _item(fetcher: Fetcher, url: str) -> dict:
    response = fetcher.get(url, accept="application/xml")
    root = parse_xml(fetcher, response)
    meta = root.find("ukm:Metadata", NS)
    if meta is None:
        raise fetcher.fail(f"missing field 'ukm:Metadata' in CLML from {url}", url, "ukm:Metadata")
    title = meta.findtext("dc:title", None, NS)
    if title is None:
        raise fetcher.fail(f"missing field 'dc:title' in CLML from {url}", url, "dc:title")
    kind = meta.find("ukm:PrimaryMetadata", NS)
    made_tag, made_label = "ukm:EnactmentDate", "Enacted"
    if kind is None:
        kind = meta.find("ukm:SecondaryMetadata", NS)
        made_tag, made_label = "ukm:Made", "Made"
    if kind is None:
        raise fetcher.fail(
            f"missing field 'ukm:PrimaryMetadata' in CLML from {url}", url, "ukm:PrimaryMetadata"
        )
    made = kind.find(made_tag, NS)
    status = kind.find("ukm:DocumentClassification/ukm:DocumentStatus", NS)
    statuses = [el.get("Status") for el in root.iter() if el.get("Status")]
    return {
        "title": title.strip(),
        "made": made.get("Date") if made is not None else None,
        "made_label": made_label,
        "coming_into_force": sorted(
            {
                d.get("Date")
                for d in kind.findall("ukm:ComingIntoForce/ukm:DateTime", NS)
                if d.get("Date")
            }
        ),
        "document_status": status.get("Value") if status is not None else None,
        "prospective": statuses.count("Prospective"),
        "repealed": statuses.count("Repealed"),
    }


def _effect(fetcher: Fetcher, element: Element, url: str) -> dict:
    effect = element.find("atom:content/ukm:Effect", NS)
    if effect is None:
        raise fetcher.fail(
            f"missing field 'content/ukm:Effect' in changes feed from {url.split('?')[0]}",
            url,
            "ukm:Effect",
        )
    for name in ("EffectId", "Type", "AffectingURI"):
        if not effect.get(name):
            raise fetcher.fail(
                f"missing field 'ukm:Effect/@{name}' in changes feed from {url.split('?')[0]}",
                url,
                f"ukm:Effect.{name}",
            )
    in_force = sorted(
        {day for d in effect.findall("ukm:InForceDates/ukm:InForce", NS) if (day := d.get("Date"))}
    )
    return {
        "id": effect.get("EffectId"),
        "type": effect.get("Type"),
        "title": (
            effect.findtext("ukm:AffectingTitle", "", NS) or effect.get("AffectingURI") or ""
        ).strip(),
        "affecting": effect.get("AffectingURI"),
        "affecting_year": effect.get("AffectingYear"),
        "affecting_number": effect.get("AffectingNumber"),
        "affected_provisions": effect.get("AffectedProvisions"),
        "affecting_provisions": effect.get("AffectingProvisions"),
        "applied": effect.get("Applied") == "true",
        "in_force": in_force,
    }


def _effect_order(effect: dict) -> tuple:
    def num(value: str | None) -> int:
        return int(value) if value and value.isdigit() else 0

    return (num(effect["affecting_year"]), num(effect["affecting_number"]), effect["id"])

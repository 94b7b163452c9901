"""EU Publications Office Cellar SPARQL: an act's dates, in-force flag, ELI, title, amending
acts."""

from __future__ import annotations

import datetime as dt

from ...sources.models import RegulationEntry
from ..http import Fetcher
from ..records import SparqlResults, SparqlTerm, decode_json, validate
from ..snapshot import Snapshot

SPARQL_JSON = "application/sparql-results+json"
NO_END = "9999-12-31"  # Cellar's "no end of validity"
KEEP = 20

PREFIXES = """PREFIX cdm: <http://publications.europa.eu/ontology/cdm#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

METADATA = (
    PREFIXES
    + """SELECT DISTINCT ?work ?date_document ?entry_into_force ?in_force ?eli ?end_of_validity ?title
WHERE {{
  ?work cdm:resource_legal_id_celex "{celex}"^^xsd:string .
  OPTIONAL {{ ?work cdm:work_date_document ?date_document }}
  OPTIONAL {{ ?work cdm:resource_legal_date_entry-into-force ?entry_into_force }}
  OPTIONAL {{ ?work cdm:resource_legal_in-force ?in_force }}
  OPTIONAL {{ ?work cdm:resource_legal_eli ?eli }}
  OPTIONAL {{ ?work cdm:resource_legal_date_end-of-validity ?end_of_validity }}
  OPTIONAL {{ ?expr cdm:expression_belongs_to_work ?work ;
               cdm:expression_uses_language <http://publications.europa.eu/resource/authority/language/ENG> ;
               cdm:expression_title ?title }}
}}"""  # noqa: E501 (the query's own lines)
)

AMENDMENTS = (
    PREFIXES
    + """SELECT DISTINCT ?amending ?celex ?date
WHERE {{
  ?work cdm:resource_legal_id_celex "{celex}"^^xsd:string .
  ?amending cdm:resource_legal_amends_resource_legal ?work .
  OPTIONAL {{ ?amending cdm:resource_legal_id_celex ?celex }}
  OPTIONAL {{ ?amending cdm:work_date_document ?date }}
}}
ORDER BY DESC(?date)"""
)


def celex_of(entry: RegulationEntry) -> str:
    celex = entry.tracking.key or entry.identifiers.celex
    if not celex:
        raise ValueError(
            f"{entry.id}: cellar tracking needs a CELEX number (tracking.key or identifiers.celex)"
        )
    return celex


def query(fetcher: Fetcher, sparql: str) -> list[dict[str, SparqlTerm]]:
    url = f"{fetcher.config.base('cellar')}/webapi/rdf/sparql"
    response = fetcher.get(url, {"query": sparql, "format": SPARQL_JSON}, accept=SPARQL_JSON)
    return validate(
        fetcher, SparqlResults, decode_json(fetcher, response), response.url
    ).results.bindings


def fetch(fetcher: Fetcher, entry: RegulationEntry) -> Snapshot:
    celex = celex_of(entry)
    rows = query(fetcher, METADATA.format(celex=celex))
    if not rows:
        raise fetcher.fail(
            f"no Cellar work with CELEX {celex}", fetcher.config.base("cellar"), "results.bindings"
        )
    values = _collect(rows)
    if not values.get("work"):
        raise fetcher.fail(
            "missing field 'work' in the SPARQL bindings", fetcher.config.base("cellar"), "work"
        )
    amendments = _amendments(query(fetcher, AMENDMENTS.format(celex=celex)))
    in_force = _flag(fetcher, values.get("in_force", set()))
    entry_into_force = sorted(
        {_date(fetcher, "entry_into_force", v) for v in values.get("entry_into_force", ())}
    )
    ends = sorted(
        {_date(fetcher, "end_of_validity", v) for v in values.get("end_of_validity", ())} - {NO_END}
    )
    end_of_validity = ends[0] if ends else None
    dates = {
        "date_document": _first(
            sorted(_date(fetcher, "date_document", v) for v in values.get("date_document", ()))
        ),
        "entry_into_force": entry_into_force,
        "end_of_validity": end_of_validity,
    }
    titles = sorted(values.get("title", ()))
    eli = _first(sorted(values.get("eli", ())))
    return Snapshot(
        instrument=entry.id,
        source="cellar",
        source_url=f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}",
        title=titles[0] if titles else None,
        status=_status(in_force, entry_into_force, end_of_validity),
        in_force=in_force,
        dates=dates,
        identifiers={k: v for k, v in (("celex", celex), ("eli", eli)) if v},
        amendments=amendments[:KEEP],
        counts={"amending_acts": len(amendments)},
    )


def _collect(rows: list[dict[str, SparqlTerm]]) -> dict[str, set[str]]:
    """Every value of every variable: OPTIONAL joins repeat rows, one per combination."""
    values: dict[str, set[str]] = {}
    for row in rows:
        for name, term in row.items():
            values.setdefault(name, set()).add(term.value.strip())
    return values


def _flag(fetcher: Fetcher, raw: set[str]) -> bool | None:
    flags = set()
    for value in raw:
        low = value.lower()
        if low in ("1", "true"):
            flags.add(True)
        elif low in ("0", "false"):
            flags.add(False)
        else:
            raise fetcher.fail(f"unexpected value {value!r} in field 'in_force'", "", "in_force")
    if len(flags) > 1:
        raise fetcher.fail("conflicting values in field 'in_force'", "", "in_force")
    return flags.pop() if flags else None


def _date(fetcher: Fetcher, field: str, value: str) -> str:
    """ISO date from 'YYYY-MM-DD', with or without a timezone or time part."""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise fetcher.fail(f"unexpected value {value!r} in field '{field}'", "", field) from None


def _first(items: list[str]) -> str | None:
    return items[0] if items else None


def _status(in_force: bool | None, entry_into_force: list[str], end: str | None) -> str:
    first = entry_into_force[0] if entry_into_force else None
    if in_force:
        text = f"In force since {first}" if first else "In force"
        later = entry_into_force[1:]
        if later:
            text += f"; further entry-into-force dates {', '.join(later)}"
        return text + (f"; end of validity {end}" if end else "")
    if in_force is False:
        if end:
            return f"No longer in force (end of validity {end})"
        return f"Not yet in force (entry into force {first})" if first else "Not in force"
    return "In-force status not given by the source"


def _amendments(rows: list[dict[str, SparqlTerm]]) -> list[dict]:
    acts: dict[str, dict] = {}
    for row in rows:
        if "amending" not in row:
            continue
        uri = row["amending"].value
        act = acts.setdefault(uri, {"id": uri, "celex": None, "date": None})
        if "celex" in row:
            act["celex"] = row["celex"].value
        if "date" in row:
            act["date"] = row["date"].value[:10]
    for act in acts.values():
        act["title"] = act["celex"] or act["id"]
    return sorted(acts.values(), key=lambda a: (a["date"] or "", a["id"]), reverse=True)

"""Settings of the refresh: base URLs, timeouts, retries, cache. Env vars override the file."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem, SourceError
from ..project import Project
from ..sources.models import OfficialSource

DEFAULT_BASES: dict[OfficialSource, str] = {
    "federal_register": "https://www.federalregister.gov",
    "cellar": "https://publications.europa.eu",
    "legislation_gov_uk": "https://www.legislation.gov.uk",
    "uk_bills": "https://bills-api.parliament.uk",
}
ENV_VARS: dict[OfficialSource, str] = {
    "federal_register": "BRIEFINGS_FEDERAL_REGISTER_URL",
    "cellar": "BRIEFINGS_CELLAR_URL",
    "legislation_gov_uk": "BRIEFINGS_LEGISLATION_URL",
    "uk_bills": "BRIEFINGS_UK_BILLS_URL",
}
CACHE_ENV = "BRIEFINGS_HTTP_CACHE_DIR"  # set to "off" to disable the HTTP cache
CONFIG_FILE = "refresh.yaml"  # under paper_sources/


def _default_bases() -> dict[str, str]:
    return dict(DEFAULT_BASES.items())


class RefreshConfig(BaseModel):
    """Everything the HTTP layer and the adapters need to know about the sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_urls: dict[str, str] = Field(default_factory=_default_bases)
    connect_timeout: float = Field(5.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    attempts: int = Field(4, ge=1, le=10)  # total tries of one request, first included
    backoff: float = Field(1.0, ge=0)  # seconds; doubles per retry, plus up to as much jitter
    backoff_max: float = Field(60.0, ge=0)
    max_retry_after: float = Field(300.0, ge=0)  # a longer Retry-After fails instead of waiting
    max_pages: int = Field(10, ge=1)  # bound on next-link paging per request
    request_deadline: float = Field(120.0, gt=0)  # seconds for one whole answer, redirects included
    source_deadline: float = Field(600.0, gt=0)  # seconds for everything asked of one source
    max_response_bytes: int = Field(20_000_000, gt=0)  # a larger answer is abandoned
    max_redirects: int = Field(5, ge=0)  # followed only to the same host
    cache_dir: Path | None = None  # None: no HTTP cache
    contact_url: str | None = None  # shown in the User-Agent

    def base(self, source: OfficialSource) -> str:
        return self.base_urls.get(source, DEFAULT_BASES[source]).rstrip("/")

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


def load_config(project: Project, **overrides) -> RefreshConfig:
    """Defaults, then paper_sources/refresh.yaml, then BRIEFINGS_*_URL env vars, then overrides."""
    data: dict = {"cache_dir": project.root / ".cache" / "refresh"}
    path = project.sources / CONFIG_FILE
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise SourceError(f"{project.relative(path)}: expected a mapping")
        data.update(loaded)
    bases = dict(DEFAULT_BASES)
    bases.update(data.get("base_urls") or {})
    for source, var in ENV_VARS.items():
        if os.environ.get(var):
            bases[source] = os.environ[var]
    data["base_urls"] = bases
    cache_env = os.environ.get(CACHE_ENV)
    if cache_env:
        data["cache_dir"] = None if cache_env.lower() in ("off", "0", "none") else cache_env
    data.update(overrides)
    if data.get("cache_dir") and not Path(data["cache_dir"]).is_absolute():
        data["cache_dir"] = project.root / data["cache_dir"]  # relative to the project, not to cwd
    try:
        return RefreshConfig.model_validate(data)
    except ValidationError as exc:
        shown = project.relative(path)
        problems = [Problem(shown, e["msg"], ".".join(map(str, e["loc"]))) for e in exc.errors()]
        raise SourceError(f"{shown}: invalid refresh settings", problems) from None

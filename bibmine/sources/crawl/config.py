"""Crawl settings in one place: HTTP etiquette, per-source base URLs, keys and tokens.

Read from a TOML file (``--config PATH``, else ``$BIBMINE_CRAWL_CONFIG``, else
``bibmine-crawl.toml`` in the current directory when it exists), then environment
variables, which win for secrets and the contact e-mail::

    [http]
    contact_email = "analyst@example.org"   # or BIBMINE_CONTACT_EMAIL
    read_timeout = 60
    max_retries = 5
    backoff_base = 2.0
    cache_path = "corpus/http_cache.sqlite"  # "" turns the cache off
    max_body_mb = 50                         # bounds of one request (docs/sources.md, Bounds)
    max_decompressed_mb = 200
    max_compression_ratio = 100
    deadline_s = 120                         # wall clock per request; 0 = none
    max_redirects = 10
    redirect_hosts = []                      # hosts a redirect may lead to besides the request's own
    [http.rates]                             # requests per second per host
    "api.openalex.org" = 5

    [openalex]
    api_key = "..."                          # or OPENALEX_API_KEY
    per_page = 100
    [rospatent]
    token = "..."                            # or ROSPATENT_TOKEN
    [lens]
    token = "..."                            # or LENS_TOKEN
    [elibrary]
    delay_s = 10                             # extra pause between eLIBRARY pages

Secrets are kept out of ``repr`` so that a logged config never shows them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bibmine.sources.http import DEFAULT_RATES, HttpConfig
from bibmine.sources.redact import register_secret

CONFIG_ENV = "BIBMINE_CRAWL_CONFIG"
DEFAULT_CONFIG_FILE = Path("bibmine-crawl.toml")
DEFAULT_CACHE = Path("corpus") / "http_cache.sqlite"


# the crawler's bounds in [http] and their least allowed value
LIMITS = {"max_body_mb": 0.001, "max_decompressed_mb": 0.001, "max_compression_ratio": 1.0, "deadline_s": 0.0,
          "max_redirects": 0}


class ConfigError(ValueError):
    """A missing token or a malformed config file; the message says what to set."""


@dataclass
class SourceConfig:
    base_url: str
    api_key: str | None = field(default=None, repr=False)  # OpenAlex premium key (optional)
    token: str | None = field(default=None, repr=False)  # Rospatent, Lens
    per_page: int = 100
    delay_s: float = 0.0  # an extra pause between pages (eLIBRARY, FIPS)
    extra: dict[str, Any] = field(default_factory=dict)


DEFAULT_SOURCES: dict[str, dict[str, Any]] = {
    "openalex": {"base_url": "https://api.openalex.org", "per_page": 100},
    "crossref": {"base_url": "https://api.crossref.org", "per_page": 100},
    "elibrary": {"base_url": "https://www.elibrary.ru", "per_page": 20, "delay_s": 10.0},
    "rospatent": {"base_url": "https://searchplatform.rospatent.gov.ru", "per_page": 100},
    "fips": {"base_url": "https://www1.fips.ru", "per_page": 1, "delay_s": 5.0},
    "lens": {"base_url": "https://api.lens.org", "per_page": 100},
}

SECRET_ENV = {
    ("openalex", "api_key"): "OPENALEX_API_KEY",
    ("rospatent", "token"): "ROSPATENT_TOKEN",
    ("lens", "token"): "LENS_TOKEN",
}

TOKEN_HELP = {
    "rospatent": "Rospatent's search platform needs an API token: get one at "
                 "https://searchplatform.rospatent.gov.ru (personal account -> API), then set ROSPATENT_TOKEN "
                 "or [rospatent] token in the crawl config",
    "lens": "The Lens patent API needs a token: request API access at https://www.lens.org/lens/user/subscriptions, "
            "then set LENS_TOKEN or [lens] token in the crawl config",
}


@dataclass
class CrawlConfig:
    http: HttpConfig = field(default_factory=HttpConfig)
    sources: dict[str, SourceConfig] = field(default_factory=dict)
    path: Path | None = None  # the file read, if any

    def source(self, name: str) -> SourceConfig:
        if name not in self.sources:
            self.sources[name] = SourceConfig(**DEFAULT_SOURCES.get(name, {"base_url": ""}))
        return self.sources[name]

    def token(self, name: str) -> str:
        """The source's token, or a :class:`ConfigError` telling how to get one."""
        value = self.source(name).token
        if not value:
            raise ConfigError(TOKEN_HELP.get(name, f"{name} needs a token"))
        return value

    def require_contact(self) -> str:
        if not self.http.contact_email:
            raise ConfigError(
                "set a contact e-mail for the User-Agent (sites ask crawlers to say who they are): "
                "BIBMINE_CONTACT_EMAIL=you@example.org, or [http] contact_email in the crawl config")
        return self.http.contact_email


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> CrawlConfig:
    """Defaults, then the TOML file, then environment variables."""
    env = os.environ if env is None else env
    if path is None:
        named = env.get(CONFIG_ENV)
        path = Path(named) if named else (DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.exists() else None)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"crawl config {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"crawl config {path} is not valid TOML: {exc}") from None
    config = CrawlConfig(http=_http_config(data.get("http", {}), path), path=path)
    for name, defaults in DEFAULT_SOURCES.items():
        section = {**defaults, **data.get(name, {})}
        known = {f.name for f in fields(SourceConfig)}
        extra = {k: v for k, v in section.items() if k not in known}
        config.sources[name] = SourceConfig(**{k: v for k, v in section.items() if k in known}, extra=extra)
    for (name, attr), var in SECRET_ENV.items():
        if env.get(var):
            setattr(config.sources[name], attr, env[var])
        register_secret(getattr(config.sources[name], attr))  # redacted wherever it might show up
    if env.get("BIBMINE_CONTACT_EMAIL"):
        config.http.contact_email = env["BIBMINE_CONTACT_EMAIL"]
    return config


def _http_config(section: dict[str, Any], path: Path | None) -> HttpConfig:
    known = {f.name for f in fields(HttpConfig)}
    unknown = set(section) - known
    if unknown:
        raise ConfigError(f"crawl config {path}: unknown [http] settings {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(sorted(known))}")
    values = dict(section)
    for name, least in LIMITS.items():
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not least <= value < float("inf") \
                or (name == "max_redirects" and not isinstance(value, int)):
            kind = "a whole number" if name == "max_redirects" else "a number"
            raise ConfigError(f"crawl config {path}: [http] {name} must be {kind} >= {least:g}"
                              f"{' (0 = no deadline)' if name == 'deadline_s' else ''}, not {value!r}")
    hosts = values.get("redirect_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise ConfigError(f"crawl config {path}: [http] redirect_hosts must be a list of host names, not {hosts!r}")
    rates = dict(DEFAULT_RATES)
    rates.update({str(k): float(v) for k, v in values.pop("rates", {}).items()})
    values["rates"] = rates
    cache = values.pop("cache_path", str(DEFAULT_CACHE))
    values["cache_path"] = Path(cache) if cache else None
    return HttpConfig(**values)

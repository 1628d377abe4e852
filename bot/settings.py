"""Settings from the environment and `.env` (python-dotenv), read in one place.

`read_settings()` is the one parser: every process reads and checks its settings once at start, through
the composition root (bot/app_context.py), and a wrong value stops it with a message naming the variable.
The production profile's own settings (`bot serve --profile production`) are read here too.
Defaults let the bot run out of the box on the example municipality and SQLite.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Tuple
from urllib.parse import urlsplit

from dotenv import load_dotenv
from limits import parse_many
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MUNICIPALITY_FILE = PROJECT_ROOT / "municipalities" / "voorbeeldstad.yml"
# The handoff store; the folder is created when the store first opens the file.
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'wegwijs.db'}"
# Signs the web sessions. Without WEGWIJS_SECRET_KEY one is made once and kept here (never in git).
GENERATED_SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"
# Opens Rasa's HTTP API. Without WEGWIJS_RASA_TOKEN one is made once and kept here (never in git).
GENERATED_RASA_TOKEN_FILE = PROJECT_ROOT / "var" / "rasa_token"
# A shorter WEGWIJS_RASA_TOKEN could be guessed by anyone who reaches the internal interface.
MIN_RASA_TOKEN_LENGTH = 24
# `embedded` (the default) is `make run`: one Rasa server, SQLite; `production` is bot/ops/serve.py.
PROFILES = ("embedded", "production")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"


@dataclass(frozen=True)
class Settings:
    municipality_file: Path
    rasa_url: str
    database_url: str
    secret_key: str
    # Where residents and supporters reach the web server (links in notification e-mails).
    public_url: str
    # Login attempts are counted here: memory:// (per process) or redis://host:port.
    rate_limit_storage: str
    smtp: "SmtpSettings"
    # Closed and withdrawn handoffs are deleted this many days after they ended.
    handoff_retention_days: int
    # What else is kept how long (bot/privacy/retention.py).
    retention: "RetentionSettings"
    # The chat widget: pages on other origins that may embed it, the longest message, and how long the
    # edge waits for Rasa before telling the resident to try again.
    widget_origins: Tuple[str, ...] = ()
    widget_max_length: int = 2000
    widget_relay_timeout: float = 25.0
    # Rasa's endpoints file: the statistics job reads the tracker store's location from it.
    endpoints_file: Path = PROJECT_ROOT / "endpoints.yml"
    # Rasa's HTTP API token, and the address Rasa and the action servers listen on: loopback, or a
    # private address when they run on other machines. Only the web server is public.
    rasa_token: str = ""
    internal_host: str = "127.0.0.1"
    # How many proxies in front of the web server set X-Forwarded-For (nginx in production: 1). Only
    # their entries are believed, so the client address (rate limits) cannot be made up by a client.
    trusted_proxies: int = 0
    # The widget API: requests per client address and per conversation (Flask-Limiter's notation),
    # and how many of a web worker's threads may wait for Rasa at once (the rest stay for the portal).
    widget_limit_address: str = "60 per minute;600 per hour"
    widget_limit_conversation: str = "20 per minute"
    widget_relay_slots: int = 3
    # A widget conversation ends after this many minutes without a message, and this many hours after it began.
    widget_idle_minutes: int = 60
    widget_max_hours: int = 8
    # Portal sessions end after this long without a request, and this long after the login (ASVS 3.3).
    portal_idle_minutes: int = 30
    portal_session_hours: int = 8
    # Webhooks go over https only; http to a loopback address only when this says so (tests).
    webhook_allow_loopback_http: bool = False
    # Retention (bot/privacy/retention.py). 0: what a resident typed is erased when the session ends; more: a
    # municipality with a basis to keep it keeps it de-identified this many days.
    conversation_retention_days: int = 0
    # WEGWIJS_PROFILE (or `bot serve --profile`); the production profile's own settings only in that profile.
    profile: str = "embedded"
    production: Optional["ProductionSettings"] = None


@dataclass(frozen=True)
class ProductionSettings:
    """What `bot serve --profile production` starts (bot/ops/serve.py checks that the databases are PostgreSQL)."""

    # The conversations' database: the handoffs' (Settings.database_url) unless set apart.
    tracker_database_url: str
    redis_url: str
    rasa_replicas: int = 2
    action_servers: int = 2
    public_host: str = "127.0.0.1"
    public_port: int = 8080
    # nginx is one proxy that sets X-Forwarded-For; a load balancer in front of it makes two.
    trusted_proxies: int = 1


@dataclass(frozen=True)
class RetentionSettings:
    # Rasa ends a session after this many idle minutes (domain.yml, session_config); then it is erased.
    session_minutes: int
    # Handoffs never closed, the de-identified free text, and the audit log are deleted after these.
    open_handoff_days: int
    free_text_days: int
    audit_days: int
    # How often the retention process runs (the first run one interval after it starts, when Rasa has
    # made its tables).
    interval_seconds: int


def _database_url(raw: str) -> str:
    """A relative SQLite path is taken from the project root, like the municipality file."""
    url = make_url(raw)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).is_absolute():
            url = url.set(database=str(PROJECT_ROOT / url.database))
    return url.render_as_string(hide_password=False)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    # "starttls" (port 587 or 25), "implicit" (port 465), or "none": only to a relay on this machine.
    tls: str = "starttls"
    # A CA bundle to check the server's certificate with, instead of the system's store.
    ca_file: str = ""


def _int(name: str, default: int, env: Mapping[str, str]) -> int:
    raw = env.get(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


SMTP_TLS_MODES = ("starttls", "implicit", "none")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _flag(name: str, env: Mapping[str, str]) -> bool:
    return env.get(name, "false").lower() in ("1", "true", "yes")


def _smtp(env: Mapping[str, str]) -> SmtpSettings:
    smtp = SmtpSettings(
        host=env.get("WEGWIJS_SMTP_HOST", "localhost"),
        port=_int("WEGWIJS_SMTP_PORT", 25, env),
        sender=env.get("WEGWIJS_SMTP_FROM", "wegwijs@localhost"),
        username=env.get("WEGWIJS_SMTP_USERNAME", ""),
        password=env.get("WEGWIJS_SMTP_PASSWORD", ""),
        tls=env.get("WEGWIJS_SMTP_TLS", "starttls").lower(),
        ca_file=env.get("WEGWIJS_SMTP_CA_FILE", ""),
    )
    if smtp.tls not in SMTP_TLS_MODES:
        raise ValueError(f"WEGWIJS_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, not {smtp.tls!r}")
    if smtp.tls == "none" and (smtp.host not in LOOPBACK_HOSTS or smtp.username):
        raise ValueError(
            "WEGWIJS_SMTP_TLS=none is only for a mail relay on this machine (localhost), "
            "without WEGWIJS_SMTP_USERNAME: a password or mail may not cross a network in the clear"
        )
    if smtp.ca_file and not Path(smtp.ca_file).is_file():
        raise ValueError(f"WEGWIJS_SMTP_CA_FILE: no file at {smtp.ca_file}")
    return smtp


def _rate_limit_storage(profile: str, env: Mapping[str, str]) -> str:
    """Login attempts are counted once for all workers in production: in its Redis, unless set apart."""
    production = profile == "production"
    storage = env.get("WEGWIJS_RATE_LIMIT_STORAGE") or (
        env.get("WEGWIJS_REDIS_URL", DEFAULT_REDIS_URL) if production else "memory://"
    )
    if production and not storage.startswith(("redis://", "rediss://")):
        raise ValueError(
            "WEGWIJS_PROFILE=production needs WEGWIJS_RATE_LIMIT_STORAGE=redis://...: "
            "memory:// counts login attempts per process"
        )
    return storage


def read_settings(env: Optional[Mapping[str, str]] = None, profile: Optional[str] = None) -> Settings:
    """Reads and checks every setting; a ValueError names the variable that is wrong.

    Without `env`, from the environment after loading `.env` into it; with `env`, from that mapping only
    (tests, and the harness that starts processes). `profile` overrides WEGWIJS_PROFILE (`bot serve --profile`).
    Nothing is cached: the composition root (bot/app_context.py) reads the settings once per process."""
    if env is None:
        load_dotenv(PROJECT_ROOT / ".env")
        env = os.environ
    profile = profile or env.get("WEGWIJS_PROFILE") or "embedded"
    if profile not in PROFILES:
        raise ValueError(f"WEGWIJS_PROFILE={profile!r}: expected one of {', '.join(PROFILES)}")
    handoff_retention_days = _bounded_int("WEGWIJS_HANDOFF_RETENTION_DAYS", 90, 1, 3650, env)
    database_url = _database_url(env.get("WEGWIJS_DATABASE_URL", DEFAULT_DATABASE_URL))
    return Settings(
        municipality_file=_project_path(env.get("WEGWIJS_MUNICIPALITY_FILE", str(DEFAULT_MUNICIPALITY_FILE))),
        rasa_url=env.get("WEGWIJS_RASA_URL", "http://localhost:5005"),
        database_url=database_url,
        secret_key=env.get("WEGWIJS_SECRET_KEY") or _generated(GENERATED_SECRET_FILE, 48),
        public_url=env.get("WEGWIJS_PUBLIC_URL", "http://localhost:8000").rstrip("/"),
        rate_limit_storage=_rate_limit_storage(profile, env),
        smtp=_smtp(env),
        handoff_retention_days=handoff_retention_days,
        widget_origins=_origins(env.get("WEGWIJS_WIDGET_ORIGINS", "")),
        widget_max_length=_bounded_int("WEGWIJS_WIDGET_MAX_LENGTH", 2000, 1, 10000, env),
        widget_relay_timeout=float(_bounded_int("WEGWIJS_WIDGET_RELAY_TIMEOUT", 25, 1, 120, env)),
        endpoints_file=_project_path(env.get("WEGWIJS_ENDPOINTS_FILE") or _profile_endpoints(profile)),
        conversation_retention_days=_bounded_int("WEGWIJS_CONVERSATION_RETENTION_DAYS", 0, 0, 3650, env),
        retention=_retention(handoff_retention_days, env),
        rasa_token=_rasa_token(env),
        internal_host=_internal_host(env.get("WEGWIJS_INTERNAL_HOST", "127.0.0.1")),
        trusted_proxies=_bounded_int("WEGWIJS_TRUSTED_PROXIES", 0, 0, 5, env),
        widget_limit_address=_rate_limit("WEGWIJS_WIDGET_LIMIT_ADDRESS", Settings.widget_limit_address, env),
        widget_limit_conversation=_rate_limit(
            "WEGWIJS_WIDGET_LIMIT_CONVERSATION", Settings.widget_limit_conversation, env
        ),
        widget_relay_slots=_bounded_int("WEGWIJS_WIDGET_RELAY_SLOTS", 3, 1, 64, env),
        widget_idle_minutes=_bounded_int("WEGWIJS_WIDGET_IDLE_MINUTES", 60, 1, 24 * 60, env),
        widget_max_hours=_bounded_int("WEGWIJS_WIDGET_MAX_HOURS", 8, 1, 7 * 24, env),
        portal_idle_minutes=_bounded_int("WEGWIJS_PORTAL_IDLE_MINUTES", 30, 1, 30, env),
        portal_session_hours=_bounded_int("WEGWIJS_PORTAL_SESSION_HOURS", 8, 1, 12, env),
        webhook_allow_loopback_http=_flag("WEGWIJS_WEBHOOK_ALLOW_LOOPBACK_HTTP", env),
        profile=profile,
        production=_production(database_url, env) if profile == "production" else None,
    )


def _production(database_url: str, env: Mapping[str, str]) -> ProductionSettings:
    redis_url = env.get("WEGWIJS_REDIS_URL", DEFAULT_REDIS_URL)
    if urlsplit(redis_url).scheme != "redis":
        raise ValueError(f"WEGWIJS_REDIS_URL={redis_url!r}: expected redis://HOST:PORT/DB")
    return ProductionSettings(
        tracker_database_url=env.get("WEGWIJS_TRACKER_DATABASE_URL") or database_url,
        redis_url=redis_url,
        rasa_replicas=_number("WEGWIJS_RASA_REPLICAS", 2, 1, 16, env),
        action_servers=_number("WEGWIJS_ACTION_SERVERS", 2, 1, 16, env),
        public_host=env.get("WEGWIJS_PUBLIC_HOST", "127.0.0.1"),
        public_port=_number("WEGWIJS_PUBLIC_PORT", 8080, 1, 65535, env),
        trusted_proxies=_number("WEGWIJS_TRUSTED_PROXIES", 1, 1, 5, env),
    )


def _number(name: str, default: int, low: int, high: int, env: Mapping[str, str]) -> int:
    raw = env.get(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name}={raw!r}: expected a whole number from {low} to {high}")
    return int(raw)


@lru_cache(maxsize=1)  # domain.yml is shipped with the model, never a setting: read once
def _session_minutes() -> int:
    """The idle time after which Rasa starts a new session: the domain's, which the model is trained with."""
    import yaml

    config = (yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}).get(
        "session_config"
    )
    minutes = (config or {}).get("session_expiration_time")
    if not isinstance(minutes, (int, float)) or minutes <= 0:
        raise ValueError(
            "domain.yml: session_config.session_expiration_time must be a number of minutes above 0, "
            "or what a resident typed would never be erased"
        )
    return int(minutes)


def _retention(handoffs: int, env: Mapping[str, str]) -> RetentionSettings:
    retention = RetentionSettings(
        session_minutes=_session_minutes(),
        open_handoff_days=_bounded_int("WEGWIJS_OPEN_HANDOFF_RETENTION_DAYS", 365, 30, 3650, env),
        free_text_days=_bounded_int("WEGWIJS_FREE_TEXT_RETENTION_DAYS", 365, 1, 3650, env),
        audit_days=_bounded_int("WEGWIJS_AUDIT_RETENTION_DAYS", 730, 1, 3650, env),
        interval_seconds=_bounded_int("WEGWIJS_RETENTION_INTERVAL_SECONDS", 900, 5, 86400, env),
    )
    # The audit log says who saw a handoff: it must outlive every handoff it speaks of.
    if retention.audit_days < max(handoffs, retention.open_handoff_days):
        raise ValueError(
            f"WEGWIJS_AUDIT_RETENTION_DAYS ({retention.audit_days}) must be at least the handoffs' "
            f"retention (WEGWIJS_HANDOFF_RETENTION_DAYS {handoffs}, "
            f"WEGWIJS_OPEN_HANDOFF_RETENTION_DAYS {retention.open_handoff_days})"
        )
    return retention


def _profile_endpoints(profile: str) -> str:
    """The endpoints file Rasa runs with in this profile, so jobs read the store Rasa writes."""
    return "deploy/endpoints.production.yml" if profile == "production" else "endpoints.yml"


def _project_path(raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _generated(path: Path, nbytes: int) -> str:
    """A secret made on first start and kept in var/, so it survives a restart of `make run`.

    Written to a file only the owner can read, and linked into place only when complete: the
    processes `make run` starts at once all read the same secret, never a half-written one."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(nbytes))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its secret
        finally:
            draft.unlink()
    return path.read_text().strip()


def _rasa_token(env: Mapping[str, str]) -> str:
    token = env.get("WEGWIJS_RASA_TOKEN") or _generated(GENERATED_RASA_TOKEN_FILE, 32)
    if len(token) < MIN_RASA_TOKEN_LENGTH:
        raise ValueError(
            f"WEGWIJS_RASA_TOKEN is shorter than {MIN_RASA_TOKEN_LENGTH} characters: "
            "leave it out (one is made in var/rasa_token) or set a long random one"
        )
    return token


def _internal_host(raw: str) -> str:
    """Rasa and the action servers never listen on a public address, nor on all of them (0.0.0.0)."""
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        raise ValueError(f"WEGWIJS_INTERNAL_HOST={raw!r}: expected an IP address such as 127.0.0.1") from None
    if address.is_unspecified or not (address.is_loopback or address.is_private):
        raise ValueError(
            f"WEGWIJS_INTERNAL_HOST={raw}: Rasa and the action servers may only listen on "
            "127.0.0.1 or a private network address, never on a public one or on all (0.0.0.0)"
        )
    return str(address)


def _rate_limit(name: str, default: str, env: Mapping[str, str]) -> str:
    raw = env.get(name, default)
    try:
        parse_many(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected limits such as '60 per minute;600 per hour'") from None
    return raw


def _origins(raw: str) -> Tuple[str, ...]:
    """Comma-separated origins (scheme://host[:port], no path) allowed to embed the chat widget."""
    origins = []
    for origin in (part.strip().rstrip("/") for part in raw.split(",")):
        if not origin:
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise ValueError(
                f"WEGWIJS_WIDGET_ORIGINS: '{origin}' is not an origin like https://www.gemeente.nl"
            )
        origins.append(origin)
    return tuple(origins)


def _bounded_int(name: str, default: int, low: int, high: int, env: Mapping[str, str]) -> int:
    value = _int(name, default, env)
    if not low <= value <= high:
        raise ValueError(f"{name}: {value} is outside {low}..{high}")
    return value

"""Settings from the environment and `.env` (python-dotenv), read in one place.

Defaults let the bot run out of the box on the example municipality and SQLite.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Tuple
from urllib.parse import urlsplit

from dotenv import load_dotenv
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MUNICIPALITY_FILE = PROJECT_ROOT / "municipalities" / "voorbeeldstad.yml"
# The handoff store; the folder is created when the store first opens the file.
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'wegwijs.db'}"
# Signs the web sessions. Without WEGWIJS_SECRET_KEY one is made once and kept here (never in git).
GENERATED_SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"


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
    # The chat widget: pages on other origins that may embed it, the longest message, and how long the
    # edge waits for Rasa before telling the resident to try again.
    widget_origins: Tuple[str, ...] = ()
    widget_max_length: int = 2000
    widget_relay_timeout: float = 25.0
    # Rasa's endpoints file: the statistics job reads the tracker store's location from it.
    endpoints_file: Path = PROJECT_ROOT / "endpoints.yml"
    # Raw conversations older than this are deleted by `bot statistics purge-conversations`.
    conversation_retention_days: int = 30
    # Portal sessions end after this long without a request, and this long after the login (ASVS 3.3).
    portal_idle_minutes: int = 30
    portal_session_hours: int = 8
    # Webhooks go over https only; http to a loopback address only when this says so (tests).
    webhook_allow_loopback_http: bool = False


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


def _int(name: str, default: int) -> int:
    raw = os.getenv(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


SMTP_TLS_MODES = ("starttls", "implicit", "none")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _flag(name: str) -> bool:
    return os.getenv(name, "false").lower() in ("1", "true", "yes")


def _smtp() -> SmtpSettings:
    smtp = SmtpSettings(
        host=os.getenv("WEGWIJS_SMTP_HOST", "localhost"),
        port=_int("WEGWIJS_SMTP_PORT", 25),
        sender=os.getenv("WEGWIJS_SMTP_FROM", "wegwijs@localhost"),
        username=os.getenv("WEGWIJS_SMTP_USERNAME", ""),
        password=os.getenv("WEGWIJS_SMTP_PASSWORD", ""),
        tls=os.getenv("WEGWIJS_SMTP_TLS", "starttls").lower(),
        ca_file=os.getenv("WEGWIJS_SMTP_CA_FILE", ""),
    )
    if smtp.tls not in SMTP_TLS_MODES:
        raise ValueError(f"WEGWIJS_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, not {smtp.tls!r}")
    if smtp.tls == "none" and (smtp.host not in LOOPBACK_HOSTS or smtp.username):
        raise ValueError("WEGWIJS_SMTP_TLS=none is only for a mail relay on this machine (localhost), "
                         "without WEGWIJS_SMTP_USERNAME: a password or mail may not cross a network in the clear")
    if smtp.ca_file and not Path(smtp.ca_file).is_file():
        raise ValueError(f"WEGWIJS_SMTP_CA_FILE: no file at {smtp.ca_file}")
    return smtp


def _rate_limit_storage() -> str:
    """Login attempts are counted once for all workers in production: in its Redis, unless set apart."""
    production = os.getenv("WEGWIJS_PROFILE") == "production"
    storage = os.getenv("WEGWIJS_RATE_LIMIT_STORAGE") or (
        os.getenv("WEGWIJS_REDIS_URL", "redis://127.0.0.1:6379/1") if production else "memory://")
    if production and not storage.startswith(("redis://", "rediss://")):
        raise ValueError("WEGWIJS_PROFILE=production needs WEGWIJS_RATE_LIMIT_STORAGE=redis://...: "
                         "memory:// counts login attempts per process")
    return storage


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    load_dotenv(PROJECT_ROOT / ".env")
    return Settings(
        municipality_file=_project_path(os.getenv("WEGWIJS_MUNICIPALITY_FILE", str(DEFAULT_MUNICIPALITY_FILE))),
        rasa_url=os.getenv("WEGWIJS_RASA_URL", "http://localhost:5005"),
        database_url=_database_url(os.getenv("WEGWIJS_DATABASE_URL", DEFAULT_DATABASE_URL)),
        secret_key=os.getenv("WEGWIJS_SECRET_KEY") or _generated_secret(),
        public_url=os.getenv("WEGWIJS_PUBLIC_URL", "http://localhost:8000").rstrip("/"),
        rate_limit_storage=_rate_limit_storage(),
        smtp=_smtp(),
        handoff_retention_days=_bounded_int("WEGWIJS_HANDOFF_RETENTION_DAYS", 90, 1, 3650),
        widget_origins=_origins(os.getenv("WEGWIJS_WIDGET_ORIGINS", "")),
        widget_max_length=_bounded_int("WEGWIJS_WIDGET_MAX_LENGTH", 2000, 1, 10000),
        widget_relay_timeout=float(_bounded_int("WEGWIJS_WIDGET_RELAY_TIMEOUT", 25, 1, 120)),
        endpoints_file=_project_path(os.getenv("WEGWIJS_ENDPOINTS_FILE", "endpoints.yml")),
        conversation_retention_days=_bounded_int("WEGWIJS_CONVERSATION_RETENTION_DAYS", 30, 1, 3650),
        portal_idle_minutes=_bounded_int("WEGWIJS_PORTAL_IDLE_MINUTES", 30, 1, 30),
        portal_session_hours=_bounded_int("WEGWIJS_PORTAL_SESSION_HOURS", 8, 1, 12),
        webhook_allow_loopback_http=_flag("WEGWIJS_WEBHOOK_ALLOW_LOOPBACK_HTTP"),
    )


def _project_path(raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _generated_secret() -> str:
    """A key made on first start and kept in var/, so sessions survive a restart of `make run`."""
    if not GENERATED_SECRET_FILE.exists():
        GENERATED_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        GENERATED_SECRET_FILE.write_text(secrets.token_urlsafe(48))
        GENERATED_SECRET_FILE.chmod(0o600)
    return GENERATED_SECRET_FILE.read_text().strip()


def _origins(raw: str) -> Tuple[str, ...]:
    """Comma-separated origins (scheme://host[:port], no path) allowed to embed the chat widget."""
    origins = []
    for origin in (part.strip().rstrip("/") for part in raw.split(",")):
        if not origin:
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise ValueError(f"WEGWIJS_WIDGET_ORIGINS: '{origin}' is not an origin like https://www.gemeente.nl")
        origins.append(origin)
    return tuple(origins)


def _bounded_int(name: str, default: int, low: int, high: int) -> int:
    value = _int(name, default)
    if not low <= value <= high:
        raise ValueError(f"{name}: {value} is outside {low}..{high}")
    return value

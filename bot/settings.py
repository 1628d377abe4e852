"""Settings from the environment and `.env` (python-dotenv), read in one place.

Defaults let the bot run out of the box on the example municipality and SQLite.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Tuple
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
    # Retention (bot/retention.py). 0: what a resident typed is erased when the session ends; more: a
    # municipality with a basis to keep it keeps it de-identified this many days.
    conversation_retention_days: int = 0
    retention: Optional["RetentionSettings"] = None


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
    starttls: bool = False


def _int(name: str, default: int) -> int:
    raw = os.getenv(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def _smtp() -> SmtpSettings:
    return SmtpSettings(
        host=os.getenv("WEGWIJS_SMTP_HOST", "localhost"),
        port=_int("WEGWIJS_SMTP_PORT", 25),
        sender=os.getenv("WEGWIJS_SMTP_FROM", "wegwijs@localhost"),
        username=os.getenv("WEGWIJS_SMTP_USERNAME", ""),
        password=os.getenv("WEGWIJS_SMTP_PASSWORD", ""),
        starttls=os.getenv("WEGWIJS_SMTP_STARTTLS", "false").lower() in ("1", "true", "yes"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    load_dotenv(PROJECT_ROOT / ".env")
    handoff_retention_days = _bounded_int("WEGWIJS_HANDOFF_RETENTION_DAYS", 90, 1, 3650)
    return Settings(
        municipality_file=_project_path(os.getenv("WEGWIJS_MUNICIPALITY_FILE", str(DEFAULT_MUNICIPALITY_FILE))),
        rasa_url=os.getenv("WEGWIJS_RASA_URL", "http://localhost:5005"),
        database_url=_database_url(os.getenv("WEGWIJS_DATABASE_URL", DEFAULT_DATABASE_URL)),
        secret_key=os.getenv("WEGWIJS_SECRET_KEY") or _generated_secret(),
        public_url=os.getenv("WEGWIJS_PUBLIC_URL", "http://localhost:8000").rstrip("/"),
        rate_limit_storage=os.getenv("WEGWIJS_RATE_LIMIT_STORAGE", "memory://"),
        smtp=_smtp(),
        handoff_retention_days=handoff_retention_days,
        widget_origins=_origins(os.getenv("WEGWIJS_WIDGET_ORIGINS", "")),
        widget_max_length=_bounded_int("WEGWIJS_WIDGET_MAX_LENGTH", 2000, 1, 10000),
        widget_relay_timeout=float(_bounded_int("WEGWIJS_WIDGET_RELAY_TIMEOUT", 25, 1, 120)),
        endpoints_file=_project_path(os.getenv("WEGWIJS_ENDPOINTS_FILE") or _profile_endpoints()),
        conversation_retention_days=_bounded_int("WEGWIJS_CONVERSATION_RETENTION_DAYS", 0, 0, 3650),
        retention=_retention(handoff_retention_days),
    )


def _session_minutes() -> int:
    """The idle time after which Rasa starts a new session: the domain's, which the model is trained with."""
    import yaml

    config = (yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}).get("session_config")
    minutes = (config or {}).get("session_expiration_time")
    if not isinstance(minutes, (int, float)) or minutes <= 0:
        raise ValueError("domain.yml: session_config.session_expiration_time must be a number of minutes above 0, "
                         "or what a resident typed would never be erased")
    return int(minutes)


def _retention(handoffs: int) -> RetentionSettings:
    retention = RetentionSettings(
        session_minutes=_session_minutes(),
        open_handoff_days=_bounded_int("WEGWIJS_OPEN_HANDOFF_RETENTION_DAYS", 365, 30, 3650),
        free_text_days=_bounded_int("WEGWIJS_FREE_TEXT_RETENTION_DAYS", 365, 1, 3650),
        audit_days=_bounded_int("WEGWIJS_AUDIT_RETENTION_DAYS", 730, 1, 3650),
        interval_seconds=_bounded_int("WEGWIJS_RETENTION_INTERVAL_SECONDS", 900, 5, 86400),
    )
    # The audit log says who saw a handoff: it must outlive every handoff it speaks of.
    if retention.audit_days < max(handoffs, retention.open_handoff_days):
        raise ValueError(f"WEGWIJS_AUDIT_RETENTION_DAYS ({retention.audit_days}) must be at least the handoffs' "
                         f"retention (WEGWIJS_HANDOFF_RETENTION_DAYS {handoffs}, "
                         f"WEGWIJS_OPEN_HANDOFF_RETENTION_DAYS {retention.open_handoff_days})")
    return retention


def _profile_endpoints() -> str:
    """The endpoints file Rasa runs with in this profile, so jobs read the store Rasa writes."""
    production = os.getenv("WEGWIJS_PROFILE", "embedded") == "production"
    return "deploy/endpoints.production.yml" if production else "endpoints.yml"


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

"""The municipality file: name, general channels, client-support desk, hours and contact time.

Validated when loaded; every error names the field it is about, so a wrong file is easy to fix.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Optional

import phonenumbers
import yaml
from pydantic import BaseModel, EmailStr, HttpUrl, ValidationError, conint, constr, validator

from bot.settings import get_settings

Text = constr(strip_whitespace=True, min_length=1)


class ConfigurationError(Exception):
    """The municipality file is missing or invalid; the message says where and why."""


def _dutch_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"'{value}' is not a phone number ({error})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"'{value}' is not a possible Dutch phone number")
    return value


class Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt key is an error, not a silently ignored field


class OpeningHours(Strict):
    days: Text
    hours: Text


class Channels(Strict):
    """How residents reach a desk. At least a phone number; the rest is optional."""

    phone: Text
    email: Optional[EmailStr] = None
    website: Optional[HttpUrl] = None
    address: Optional[Text] = None
    hours: List[OpeningHours]

    _phone = validator("phone", allow_reuse=True)(_dutch_phone)

    @validator("hours")
    def _has_hours(cls, value: List[OpeningHours]) -> List[OpeningHours]:
        if not value:
            raise ValueError("list at least one period with opening hours")
        return value


class ContactTime(Strict):
    """How soon a supporter contacts a resident after a request, in working days."""

    working_days: conint(ge=1, le=30)


class ClientSupportDesk(Channels):
    name: Text


class Municipality(Strict):
    name: Text
    general: Channels
    client_support: ClientSupportDesk
    contact_time: ContactTime


def load_municipality(path: Path) -> Municipality:
    """Reads and validates a municipality file; raises ConfigurationError naming the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: file not found (set WEGWIJS_MUNICIPALITY_FILE)") from None
    except yaml.YAMLError as error:
        raise ConfigurationError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{path}: expected a mapping with the municipality's settings")
    try:
        return Municipality.parse_obj(raw)
    except ValidationError as error:
        problems = "\n".join(
            f"  - {'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ConfigurationError(f"{path}: invalid municipality configuration:\n{problems}") from None


@lru_cache(maxsize=1)
def current_municipality() -> Municipality:
    """The municipality this deployment serves, loaded once per process."""
    return load_municipality(get_settings().municipality_file)

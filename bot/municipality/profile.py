"""The municipality file: name, channels, client-support desk, contact time and social map.

Validated when loaded; every error names the field it is about, so a wrong file is easy to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import yaml
from pydantic import ValidationError, conint, validator

from bot.municipality.channels import Channels, Strict, Text
from bot.municipality.social_map import Organisation


class ConfigurationError(Exception):
    """The municipality file is missing or invalid; the message says where and why."""


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
    social_map: List[Organisation]

    @validator("social_map")
    def _unique_ids(cls, organisations: List[Organisation]) -> List[Organisation]:
        if not organisations:
            raise ValueError("list at least one organisation that offers client support")
        ids = [o.id for o in organisations]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"organisation ids must be unique; repeated: {', '.join(doubles)}")
        return organisations


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

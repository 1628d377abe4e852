"""How residents reach a desk or an organisation: phone, e-mail, website, address, opening hours."""

from __future__ import annotations

from typing import List, Optional

import phonenumbers
from pydantic import BaseModel, EmailStr, HttpUrl, constr, validator

Text = constr(strip_whitespace=True, min_length=1)


class Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt key is an error, not a silently ignored field


def dutch_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"'{value}' is not a phone number ({error})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"'{value}' is not a possible Dutch phone number")
    return value


class OpeningHours(Strict):
    days: Text
    hours: Text


class Channels(Strict):
    """At least a phone number and opening hours; the rest is optional."""

    phone: Text
    email: Optional[EmailStr] = None
    website: Optional[HttpUrl] = None
    address: Optional[Text] = None
    hours: List[OpeningHours]

    _phone = validator("phone", allow_reuse=True)(dutch_phone)

    @validator("hours")
    def _has_hours(cls, value: List[OpeningHours]) -> List[OpeningHours]:
        if not value:
            raise ValueError("list at least one period with opening hours")
        return value

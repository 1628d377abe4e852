"""A resident's whole way through the intake, over the REST channel, ending in a stored handoff."""

import re
from typing import List

from tests.e2e.conftest import text_of


def press(resident, replies: List[dict], title_part: str) -> List[dict]:
    """Presses the button whose title contains `title_part`."""
    for reply in replies:
        for button in reply.get("buttons", []):
            if title_part.lower() in button["title"].lower():
                return resident.says(button["payload"])
    raise AssertionError(f"no button with '{title_part}' in {replies}")


def intake_up_to_the_choice(resident, urgency: str = "Zo snel mogelijk") -> List[dict]:
    """Money and housing worries, consent, phone contact; returns the replies offering organisations."""
    replies = resident.says("ik heb schulden en de huur is te hoog")
    replies = press(resident, replies, "op een rij")
    replies = press(resident, replies, "Voor mijzelf")
    replies = press(resident, replies, "Ja, dat klopt")
    for answer in (
        "ik heb een betalingsachterstand en krijg steeds brieven",
        "dat ik in mijn huis kan blijven wonen",
        "een betalingsregeling",
    ):
        replies = resident.says(answer)
    for button in (
        "Niemand",
        "Ik kijk wat er mogelijk is",
        urgency,
        "Maakt niet uit",
        "Nederlands",
        "Nee",
        "Ja, dat mag",
        "Telefoon",
    ):
        replies = press(resident, replies, button)
    replies = resident.says("06-12345678")
    return press(resident, replies, "Ja, dit klopt")


def complete_intake(
    resident, organisation: str = "GeldWijs", urgency: str = "Zo snel mogelijk"
) -> List[dict]:
    """The intake with an organisation chosen; returns the last replies."""
    return press(resident, intake_up_to_the_choice(resident, urgency), organisation)


def reference_in(replies: List[dict]) -> str:
    return re.search(r"WW-[A-Z0-9]{6}", text_of(replies)).group(0)

"""Whole conversations over the REST channel, with the real Rasa server and action server."""

import pytest
import requests

from bot.municipality.profile import load_municipality
from bot.settings import DEFAULT_MUNICIPALITY_FILE
from tests.e2e.conftest import payloads, text_of

pytestmark = pytest.mark.e2e
TOWN = load_municipality(DEFAULT_MUNICIPALITY_FILE)


def test_greeting_introduces_the_bot_for_this_municipality(resident):
    replies = resident.says("hallo")
    assert "Wegwijs" in text_of(replies) and TOWN.name in text_of(replies)
    assert "/start_intake" in payloads(replies)


@pytest.mark.parametrize(
    "question, answer_contains",
    [
        ("kost een clientondersteuner geld?", "gratis"),
        ("werkt die ondersteuner gewoon voor de gemeente?", "beslist niet over uw aanvraag"),
        ("heb ik een verwijzing van de huisarts nodig", "geen verwijzing nodig"),
        ("mag ik binnen 6 weken nog bezwaar maken tegen de beschikking", "6 weken"),
        ("wat is een pgb", "persoonsgebonden budget"),
        ("mijn moeder moet misschien naar een verpleeghuis, hoe gaat dat", "CIZ"),
        ("mag mijn zoon mee naar het keukentafelgesprek", "iemand meenemen"),
    ],
)
def test_rights_questions_get_the_facts(resident, question, answer_contains):
    assert answer_contains in text_of(resident.says(question))


def test_follow_up_question_in_context(resident):
    assert "luistert" in text_of(resident.says("wat doet zo'n meedenker eigenlijk")).lower()
    assert "gratis" in text_of(resident.says("en kost dat dan iets?"))


def test_eligibility_follow_up_for_a_parent(resident):
    resident.says("is clientondersteuning ook voor mij?")
    assert "vader of moeder" in text_of(resident.says("en als het voor mijn vader is?"))


def test_contact_details_and_waiting_time_come_from_configuration(resident):
    assert TOWN.client_support.phone in text_of(resident.says("wat is jullie telefoonnummer"))
    assert f"{TOWN.contact_time.working_days} werkdagen" in text_of(resident.says("hoe lang moet ik wachten"))


def test_a_situation_in_two_areas_is_answered_for_both(resident):
    replies = resident.says(
        "ik heb schulden en nu wil de verhuurder me uit mijn huis zetten, wat moet ik doen"
    )
    text = text_of(replies)
    assert "schuldhulpverlening" in text and "woningcorporatie" in text
    assert {"/ask_what_is_client_support", "/start_intake", "/request_human"} <= set(payloads(replies))


def test_asking_for_a_person_gives_phone_and_hours(resident):
    text = text_of(resident.says("ik wil gewoon met een mens praten"))
    assert TOWN.client_support.phone in text and TOWN.client_support.hours[0].hours in text


def test_crisis_interrupts_another_topic_with_the_emergency_numbers_first(resident):
    resident.says("mijn moeder heeft thuiszorg nodig")
    replies = resident.says("en eigenlijk zie ik het zelf niet meer zitten, ik wil er niet meer zijn")
    first = replies[0]["text"]
    assert "112" in first and "0800-0113" in first and "0800-2000" in first


def test_two_misunderstandings_lead_to_a_person(resident):
    first = resident.says("blub flap snerp")
    assert "andere manier" in text_of(first) and len(payloads(first)) == 3
    second = resident.says("krrt zoef plong")
    assert "mens" in text_of(second) and "/request_human" in payloads(second)
    assert TOWN.client_support.phone in text_of(resident.says("ja"))


def test_other_municipal_topics_go_to_the_general_channels(resident):
    assert TOWN.general.phone in text_of(resident.says("ik moet een nieuw paspoort aanvragen"))


def test_the_bot_says_it_is_a_computer(resident):
    assert "computerprogramma" in text_of(resident.says("ben jij een echt mens?"))


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "a" * 10_000,
        "kan ik hulp krijgen " * 600,
        "😢😢😢",
        "🙏",
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>hallo",
        "\x00\x01\x1b[2J\x7f",
        "\u202e\u200b",
    ],
    ids=[
        "empty",
        "spaces",
        "10k-letters",
        "10k-words",
        "emoji",
        "one-emoji",
        "script",
        "html",
        "control",
        "format",
    ],
)
def test_bad_input_gets_a_friendly_answer_without_markup(resident, message):
    answer = requests.post(resident.url, json={"sender": resident.sender, "message": message}, timeout=60)
    # Longer than WEGWIJS_WIDGET_MAX_LENGTH (2000): not processed, and the resident is told so.
    assert answer.status_code == (413 if len(message) > 2000 else 200)
    text = text_of(answer.json())
    assert text.strip(), "the resident must always get an answer"
    assert "<script" not in text and "<img" not in text and "onerror" not in text
    assert "Traceback" not in text and "Exception" not in text


def test_restart_erases_the_conversation_and_says_so(resident):
    resident.says("ik zorg voor mijn moeder en het wordt me te veel")
    replies = resident.says("ik wil opnieuw beginnen")
    assert "typte, heb ik gewist" in text_of(replies)

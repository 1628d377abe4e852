"""A conversation in another language over REST, with the real Rasa and action servers: answered in the
language the resident writes in, the offer to go on in it, the switch, an intake up to the handoff in
that language, and danger answered in the resident's words."""

from typing import List

import pytest

from bot import catalogue
from tests.e2e.conftest import payloads, text_of
from tests.e2e.intake_path import reference_in

pytestmark = pytest.mark.e2e


def by_payload(resident, replies: List[dict], start: str) -> List[dict]:
    """Presses the first button whose payload starts with `start` (titles differ per language)."""
    for payload in payloads(replies):
        if payload.startswith(start):
            return resident.says(payload)
    raise AssertionError(f"no button {start!r} in {replies}")


def test_a_question_in_turkish_is_answered_in_turkish_and_the_language_offered(resident):
    replies = resident.says("Merhaba, bu destek için para ödemem gerekiyor mu? Ücretli mi?")
    text = text_of(replies)
    assert catalogue.text("language.offer", "tr") in text
    assert "ücretsiz" in text.lower() or "ücret" in text.lower()
    assert '/choose_language{"language": "tr"}' in payloads(replies)
    switched = by_payload(resident, replies, '/choose_language{"language": "tr"}')
    assert text_of(switched) == catalogue.text("language.switched", "tr")
    # From now on in Turkish, also for a message too short to identify.
    thanks = {variant["text"] for variant in catalogue.responses("tr")["utter_thanks"]}
    assert text_of(resident.says("teşekkürler")) in thanks


def test_the_offer_declined_keeps_dutch_and_is_not_repeated(resident):
    replies = resident.says("Dzień dobry, czy muszę płacić za tego doradcę?")
    kept = by_payload(resident, replies, '/choose_language{"language": "nl"}')
    assert text_of(kept) == catalogue.text("language.switched", "nl")
    again = resident.says("Dzień dobry, czy potrzebuję skierowania od lekarza?")
    assert '/choose_language{"language": "pl"}' not in payloads(again)


def test_a_whole_intake_in_arabic_up_to_the_handoff(resident):
    resident.says('/choose_language{"language": "ar"}')
    replies = resident.says("/start_intake")
    assert "?" in text_of(replies) or "؟" in text_of(replies)
    replies = by_payload(resident, replies, '/choose{"choice": "zelf"}')
    replies = by_payload(resident, replies, '/choose{"choice": "geldzaken"}')
    for answer in ("عندي ديون كثيرة والإيجار متأخر", "أريد أن أبقى في بيتي", "خطة لسداد الديون"):
        replies = resident.says(answer)
    for start in (
        '/choose{"choice": "niemand"}',
        '/choose{"choice": "orienting"}',
        '/choose{"choice": "urgent"}',
    ):
        replies = by_payload(resident, replies, start)
    for start in (
        '/choose{"choice": "no_preference"}',
        "/skip",
        "/skip",
        "/affirm",
        '/choose{"choice": "phone"}',
    ):
        replies = by_payload(resident, replies, start)
    replies = resident.says("0612345678")
    assert catalogue.text("intake.summary_question", "ar") in text_of(replies)
    replies = by_payload(resident, replies, "/affirm")
    replies = by_payload(resident, replies, '/choose{"choice": "')
    done = text_of(replies)
    assert reference_in(replies) and catalogue.text("intake.handoff_withdraw_button", "ar") in str(replies)
    assert "Telefoon" not in done and "werkdag" not in done


def test_danger_written_in_ukrainian_is_answered_in_ukrainian_with_the_national_numbers(resident):
    text = text_of(resident.says("Мій чоловік зараз б'є мене і дітей, я боюся за своє життя"))
    assert "112" in text and "0800-2000" in text
    assert catalogue.responses("uk")["utter_crisis"][0]["text"].split()[0] in text

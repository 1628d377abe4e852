"""From a worried first message to a stored handoff, over REST with the real servers and database."""

import re

import pytest

from bot.handoff.store import HandoffStore
from tests.e2e.conftest import payloads, text_of
from tests.e2e.intake_path import press


def stored_handoffs(servers, resident):
    """The handoffs of this resident's conversation (other tests store theirs in the same database)."""
    store = HandoffStore(servers.database_url)
    store.migrate()  # the action server migrates on first store; a test may read before that
    return [h for h in store.latest(1000) if h.conversation_id == resident.sender]


pytestmark = pytest.mark.e2e


def test_from_worry_to_a_confirmed_handoff_stored_once(resident, servers):
    replies = resident.says("ik weet het allemaal niet meer, ik heb schulden en de huur is te hoog")
    assert "Is er nu iemand in gevaar?" in text_of(replies)  # despair first gets the check-in
    replies = press(resident, replies, "Nee")
    assert "/start_intake" in payloads(replies)
    replies = press(resident, replies, "op een rij")
    assert "Voor wie" in text_of(replies)
    replies = press(resident, replies, "Voor mijzelf")
    assert "Klopt dat?" in text_of(replies)  # the areas already mentioned, to confirm
    replies = press(resident, replies, "Ja, dat klopt")
    replies = resident.says("ik heb een betalingsachterstand en krijg steeds brieven")
    assert "belangrijkste" in text_of(replies)
    replies = resident.says("dat ik in mijn huis kan blijven wonen")
    replies = resident.says("een betalingsregeling")
    assert "Wie helpt" in text_of(replies)
    replies = press(resident, replies, "Niemand")
    replies = press(resident, replies, "Ik kijk wat er mogelijk is")
    replies = press(resident, replies, "Overslaan")  # urgency
    replies = press(resident, replies, "Maakt niet uit")
    replies = press(resident, replies, "Nederlands")
    replies = press(resident, replies, "Nee")  # nothing to take into account
    assert "bewaren wij uw antwoorden" in text_of(replies)
    replies = press(resident, replies, "Ja, dat mag")
    replies = press(resident, replies, "Telefoon")
    replies = resident.says("mijn nummer is 0612")
    assert "geen geldig telefoonnummer" in text_of(replies)
    replies = resident.says("06-12345678")
    summary = text_of(replies)
    assert (
        "Dit is uw vraag op een rij" in summary
        and "06 12345678" in summary
        and "betalingsregeling" in summary
    )
    replies = press(resident, replies, "Ja, dit klopt")
    assert "GeldWijs Voorbeeldstad" in text_of(replies)
    replies = press(resident, replies, "GeldWijs")
    done = text_of(replies)
    reference = re.search(r"WW-[A-Z0-9]{6}", done).group(0)
    assert "intrekken" in done and "contact met u op" in done

    press(
        resident,
        [{"buttons": [{"title": "again", "payload": '/choose{"choice": "geldwijs-voorbeeldstad"}'}]}],
        "again",
    )
    stored = stored_handoffs(servers, resident)
    assert [h.reference for h in stored] == [reference]
    (handoff,) = stored
    assert handoff.organisation_id == "geldwijs-voorbeeldstad" and handoff.organisation_choice == "chosen"
    assert "geldzaken" in handoff.intake.life_domains and handoff.intake.relation == "zelf"
    assert handoff.intake.goal == "een betalingsregeling" and handoff.intake.contact_detail == "06 12345678"
    assert handoff.intake.urgency == "overgeslagen" and handoff.consent_text.startswith("Wilt u dat")


def test_a_rights_question_mid_intake_is_answered_and_the_intake_continues(resident):
    press(resident, resident.says("ik wil hulp bij het op een rij zetten van mijn vraag"), "mijzelf")
    replies = resident.says("kost dit eigenlijk geld?")
    assert "gratis" in text_of(replies)
    assert "Klopt dat?" in text_of(replies) or "Over welk onderwerp" in text_of(replies)


def test_stop_mid_intake_stores_nothing(resident, servers):
    resident.says("ik wil een clientondersteuner")
    replies = resident.says("stop ik wil dit niet meer")
    assert "niets doorgegeven" in text_of(replies)


def test_crisis_mid_intake_gives_the_numbers_at_once(resident):
    resident.says("ik wil een clientondersteuner")
    replies = resident.says("ik kan niet meer, ik wil er een eind aan maken")
    assert "0800-0113" in replies[0]["text"]


def test_without_consent_the_summary_is_shown_and_nothing_is_stored(resident, servers):
    replies = resident.says("ik wil graag een meedenker")
    for _ in range(11):  # skip every question
        replies = resident.says("/skip")
    assert "bewaren wij uw antwoorden" in text_of(replies)
    replies = press(resident, replies, "Nee, liever niet")
    assert "geef ik niets door" in text_of(replies) and "Dit is uw vraag op een rij" in text_of(replies)
    replies = press(resident, replies, "Ja, dit klopt")
    assert "heb ik nu gewist" in text_of(replies)
    assert stored_handoffs(servers, resident) == []

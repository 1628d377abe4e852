"""Rasa's responses in the language of the turn (serving/nlg.py), with Rasa's own domain and tracker."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import catalogue
from bot.settings import PROJECT_ROOT
from serving.nlg import LanguageResponses


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def answer(domain, response, *events, polarity="open"):
    tracker = DialogueStateTracker.from_events("resident", list(events), slots=domain.slots)
    tracker.update(SlotSet("answer_polarity", polarity))
    return asyncio.run(LanguageResponses(domain=domain).generate(response, tracker, "rest"))


def dutch(domain, response):
    return domain.responses[response][0]["text"]


def test_dutch_by_default_with_slots_filled_in(domain):
    reply = answer(domain, "utter_greet", SlotSet("municipality", "Voorbeeldstad"), UserUttered("hallo"))
    assert reply["text"] == dutch(domain, "utter_greet").replace("{municipality}", "Voorbeeldstad")


def test_the_conversations_language(domain):
    reply = answer(domain, "utter_crisis", SlotSet("language", "tr"), UserUttered("x"))
    assert reply["text"] == catalogue.responses("tr")["utter_crisis"][0]["text"]


def test_the_language_the_message_is_written_in_comes_first(domain):
    written = UserUttered("потрібна допомога", entities=[{"entity": "message_language", "value": "uk"}])
    reply = answer(domain, "utter_crisis", SlotSet("language", "nl"), written)
    assert reply["text"] == catalogue.responses("uk")["utter_crisis"][0]["text"]
    assert "112" in reply["text"] and "113" in reply["text"]


def test_buttons_keep_their_payloads_in_every_language(domain):
    for language in ("en", "ar"):
        reply = answer(domain, "utter_offer_intake", SlotSet("language", language), UserUttered("x"))
        assert [b["payload"] for b in reply["buttons"]] == ["/start_intake", "/deny"]
        assert reply["buttons"][0]["title"] != "Ja, graag"


def test_dutch_follows_the_responses_rasa_sets_after_loading_a_model(domain):
    """Rasa creates the generator before the model's domain is known and sets `responses` later."""
    generator = LanguageResponses(domain=None)
    generator.responses = domain.responses
    tracker = DialogueStateTracker.from_events("resident", [UserUttered("hallo")], slots=domain.slots)
    reply = asyncio.run(generator.generate("utter_crisis", tracker, "rest"))
    assert reply["text"] == dutch(domain, "utter_crisis")

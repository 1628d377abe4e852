"""The language actions, and every action answering in the language of the turn."""

from rasa_sdk.events import SlotSet

from actions.language import ActionOfferLanguage, ActionSwitchLanguage
from actions.local_info import ActionWaitingTime
from actions.situation import ActionDescribeSituation
from bot import catalogue
from tests.unit.actions_support import run, tracker_after, user_event

IN_TURKISH = [{"entity": "message_language", "value": "tr"}]


def test_the_offer_is_made_in_the_message_language_and_remembered():
    tracker = tracker_after(
        user_event("ask_cost", "ücretli mi bu hizmet?", IN_TURKISH), slots={"language": "nl"}
    )
    messages, events = run(ActionOfferLanguage(), tracker)
    assert messages[0]["text"] == catalogue.text("language.offer", "tr")
    assert events == [SlotSet("language_offered", ["tr"])]


def test_no_offer_without_a_clear_message_language():
    messages, events = run(ActionOfferLanguage(), tracker_after(user_event("ask_cost", "ok")))
    assert messages == [] and events == []


def test_a_chosen_language_becomes_the_conversations():
    chosen = [{"entity": "language", "value": "pl"}]
    messages, events = run(ActionSwitchLanguage(), tracker_after(user_event("choose_language", "", chosen)))
    assert messages[0]["text"] == catalogue.text("language.switched", "pl")
    assert events == [SlotSet("language", "pl")]


def test_another_language_without_saying_which_shows_the_picker():
    messages, events = run(
        ActionSwitchLanguage(), tracker_after(user_event("choose_language", "andere taal?"))
    )
    assert len(messages[0]["buttons"]) == 6 and events == []


def test_an_action_answers_in_the_conversations_language():
    tracker = tracker_after(user_event("domain_wonen", "huur"), slots={"language": "uk"})
    messages, _ = run(ActionDescribeSituation(), tracker)
    assert messages[0]["text"] == catalogue.entry("life_domains.wonen.heard", "uk")


def test_an_action_answers_in_the_language_the_message_is_written_in(municipality):
    tracker = tracker_after(
        user_event(
            "ask_waiting_time", "kiedy ktoś mi pomoże?", [{"entity": "message_language", "value": "pl"}]
        )
    )
    messages, _ = run(ActionWaitingTime(), tracker)
    assert (
        messages[0]["text"]
        != run(ActionWaitingTime(), tracker_after(user_event("ask_waiting_time")))[0][0]["text"]
    )
    assert catalogue.current_language() == "nl"  # the turn's language does not leak into the next

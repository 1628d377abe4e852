"""Every custom action: the messages a resident sees and the events it returns."""

from rasa_sdk.events import SlotSet

from actions.fallback import ActionFallback
from actions.local_info import ActionContactDetails, ActionContactHuman, ActionOutOfScope, ActionWaitingTime
from actions.session import ActionRestart, ActionSessionStart
from actions.situation import ActionDescribeSituation
from bot.conversation.life_domains import life_domains
from tests.unit.actions_support import run, tracker_after, user_event


def texts(messages):
    return [m.get("text") for m in messages if m.get("text")]


def test_session_start_sets_the_municipality_name():
    messages, events = run(ActionSessionStart(), tracker_after(user_event("greet")))
    assert messages == []
    assert events[0]["event"] == "session_started"
    assert SlotSet("municipality", "Voorbeeldstad") in events
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")


def test_contact_details_come_from_the_municipality_file(municipality):
    messages, events = run(ActionContactDetails(), tracker_after(user_event("ask_contact_details")))
    assert municipality.client_support.phone in texts(messages)[0]
    assert events == []


def test_waiting_time_answer(municipality):
    messages, _ = run(ActionWaitingTime(), tracker_after(user_event("ask_waiting_time")))
    assert f"binnen {municipality.contact_time.working_days} werkdagen" in texts(messages)[0]


def test_human_request_gets_phone_and_hours(municipality):
    messages, _ = run(ActionContactHuman(), tracker_after(user_event("request_human")))
    assert municipality.client_support.phone in texts(messages)[0]
    assert municipality.client_support.hours[0].hours in texts(messages)[0]


def test_out_of_scope_points_to_the_municipality(municipality):
    messages, _ = run(ActionOutOfScope(), tracker_after(user_event("out_of_scope")))
    assert municipality.general.phone in texts(messages)[0]


def test_a_situation_is_acknowledged_with_next_step_buttons():
    tracker = tracker_after(user_event("domain_wonen", "de huisbaas wil me eruit zetten"))
    messages, events = run(ActionDescribeSituation(), tracker)
    assert texts(messages)[0] == life_domains()["wonen"].heard
    assert messages[-1]["text"] == "Wat wilt u nu doen?"
    assert [b["payload"] for b in messages[-1]["buttons"]] == [
        "/ask_what_is_client_support",
        "/start_intake",
        "/request_human",
    ]
    assert events == [SlotSet("life_domain", ["wonen"])]


def test_several_areas_from_intent_and_entities_are_all_answered():
    entities = [{"entity": "life_domain", "value": "werk"}, {"entity": "relation", "value": "ouder"}]
    tracker = tracker_after(
        user_event("domain_geldzaken+domain_wonen", "...", entities), slots={"life_domain": ["zorg"]}
    )
    messages, events = run(ActionDescribeSituation(), tracker)
    assert texts(messages)[0] == "Ik lees dat het gaat over geldzaken, wonen en werk en dagbesteding."
    assert events == [SlotSet("life_domain", ["zorg", "geldzaken", "wonen", "werk"])]


def test_first_fallback_suggests_the_models_guesses_as_buttons():
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_pgb", "confidence": 0.3}]
    tracker = tracker_after(
        user_event("greet"), user_event("nlu_fallback", "iets met pgb dinges?", ranking=ranking)
    )
    messages, events = run(ActionFallback(), tracker)
    assert "andere manier" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/ask_pgb"
    assert len(messages[0]["buttons"]) == 3
    assert events == []


def test_a_one_word_fallback_asks_back_the_area_it_names():
    entities = [{"entity": "life_domain", "value": "wonen"}]
    tracker = tracker_after(user_event("nlu_fallback", "huur", entities=entities))
    messages, _ = run(ActionFallback(), tracker)
    assert messages[0]["text"] == "Gaat het over wonen?"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/domain_wonen", "/deny"]


def test_second_fallback_in_a_row_offers_a_person():
    tracker = tracker_after(user_event("nlu_fallback", "xx"), user_event("nlu_fallback", "yy"))
    messages, _ = run(ActionFallback(), tracker)
    assert "mens" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/request_human"


def test_restart_says_the_conversation_is_forgotten_and_restarts():
    messages, events = run(ActionRestart(), tracker_after(user_event("restart", "begin opnieuw")))
    assert "opnieuw" in messages[0]["text"]
    assert events[0]["event"] == "restart"

"""The intake form's validation action and the handoff actions, on real trackers and a real store."""

from datetime import datetime, timezone

from rasa_sdk.events import SlotSet

from actions.handoff import (
    ActionAskCorrection,
    ActionCorrectIntake,
    ActionOfferOrganisations,
    ActionShowIntakeSummary,
    ActionSubmitHandoff,
)
from actions.intake import ASK_ACTIONS, ValidateIntakeForm
from tests.unit.actions_support import run, tracker_after, user_event

CONSENT_AT = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc).isoformat()
FILLED = {
    "intake_relation": "ouder",
    "intake_life_domains": ["wonen", "geldzaken"],
    "intake_situation": "Huur achter",
    "intake_what_matters": "Thuis blijven",
    "intake_goal": "Een regeling",
    "intake_network": "niemand",
    "intake_phase": "orienting",
    "intake_urgency": "overgeslagen",
    "intake_supporter_kind": "no_preference",
    "intake_language": "Nederlands",
    "intake_accessibility": "geen",
    "intake_consent": "yes",
    "intake_consent_at": CONSENT_AT,
    "intake_contact_method": "phone",
    "intake_contact_detail": "06 12345678",
}


def form_turn(requested: str, event: dict, **slots):
    tracker = tracker_after(event, slots={"requested_slot": requested, **slots})
    return run(ValidateIntakeForm(), tracker)


def test_an_answer_fills_the_requested_step():
    messages, events = form_turn("intake_goal", user_event("nlu_fallback", "dat ik thuis kan blijven"))
    assert SlotSet("intake_goal", "dat ik thuis kan blijven") in events
    assert messages == []


def test_a_rights_question_mid_intake_is_not_taken_as_an_answer():
    _, events = form_turn("intake_goal", user_event("ask_cost", "kost dit eigenlijk geld?"))
    assert not any(e.get("name") == "intake_goal" for e in events if e.get("event") == "slot")


def test_an_invalid_phone_number_gets_a_friendly_retry():
    messages, events = form_turn(
        "intake_contact_detail",
        user_event("nlu_fallback", "weet ik niet uit mijn hoofd"),
        intake_consent="yes",
        intake_contact_method="phone",
    )
    assert SlotSet("intake_contact_detail", None) in events
    assert "telefoonnummer" in messages[0]["text"]


def test_consent_is_timestamped():
    _, events = form_turn("intake_consent", user_event("affirm", "ja hoor"))
    assert SlotSet("intake_consent", "yes") in events
    assert any(e.get("name") == "intake_consent_at" and e.get("value") for e in events)


def test_without_consent_the_form_asks_no_contact_details():
    answered = {k: v for k, v in FILLED.items() if not k.startswith(("intake_consent", "intake_contact"))}
    _, events = form_turn("intake_consent", user_event("deny", "nee"), **answered)
    assert SlotSet("intake_consent", "no") in events
    assert SlotSet("requested_slot", None) in events


def test_every_step_has_a_question():
    steps = {cls().name()[len("action_ask_") :] for cls in ASK_ACTIONS}
    assert steps == {name for name in FILLED if name != "intake_consent_at"}
    for cls in ASK_ACTIONS:
        messages, _ = run(cls(), tracker_after(user_event("start_intake"), slots=FILLED))
        assert messages[0]["text"]


def test_summary_then_correction_of_one_part():
    messages, _ = run(ActionShowIntakeSummary(), tracker_after(user_event("affirm"), slots=FILLED))
    assert "Huur achter" in messages[0]["text"] and messages[1]["buttons"][1]["payload"] == "/correct_intake"
    messages, _ = run(ActionAskCorrection(), tracker_after(user_event("correct_intake"), slots=FILLED))
    assert any("Wat u wilt bereiken: Een regeling" in b["title"] for b in messages[0]["buttons"])
    choice = [{"entity": "choice", "value": "contact_method"}]
    _, events = run(ActionCorrectIntake(), tracker_after(user_event("choose", "", choice), slots=FILLED))
    assert events == [SlotSet("intake_contact_method", None), SlotSet("intake_contact_detail", None)]


def test_organisations_are_offered_and_remembered():
    messages, events = run(ActionOfferOrganisations(), tracker_after(user_event("affirm"), slots=FILLED))
    offered = events[0]["value"]
    assert events[0]["name"] == "intake_offered" and len(offered) == 3
    assert messages[-1]["buttons"][-1]["title"] == "Geen voorkeur"


def submit(choice: str, **slots):
    slots = {**FILLED, "intake_offered": ["geldwijs-voorbeeldstad", "meedenkers-voorbeeldstad"], **slots}
    tracker = tracker_after(user_event("choose", "", [{"entity": "choice", "value": choice}]), slots=slots)
    return run(ActionSubmitHandoff(), tracker)


def test_the_chosen_organisation_gets_the_handoff_once(configured_store):
    messages, events = submit("meedenkers-voorbeeldstad")
    reference = events[0]["value"]
    assert reference in messages[0]["text"] and "Meedenkers Voorbeeldstad" in messages[0]["text"]
    again, _ = submit("meedenkers-voorbeeldstad")  # a retried message or a double click
    assert reference in again[0]["text"]
    stored = configured_store.latest()
    assert len(stored) == 1 and stored[0].organisation_choice == "chosen"
    assert stored[0].intake.situation == "Huur achter" and stored[0].intake.contact_detail == "06 12345678"
    assert "contact met u opneemt" in stored[0].consent_text


def test_no_preference_stores_the_best_match(configured_store):
    submit("none")
    (stored,) = configured_store.latest()
    assert (stored.organisation_id, stored.organisation_choice) == ("geldwijs-voorbeeldstad", "matched")


def test_the_handoff_carries_the_conversations_language(configured_store):
    submit("none", language="tr")
    (stored,) = configured_store.latest()
    assert stored.conversation_language == "tr"
    # The resident's own words are stored as typed, not translated.
    assert stored.intake.situation == "Huur achter"


def test_the_conversations_language_not_the_language_of_the_last_message(configured_store):
    # The last message was clearly English, in a conversation that stayed Dutch: the handoff is Dutch.
    english = [{"entity": "choice", "value": "none"}, {"entity": "message_language", "value": "en"}]
    slots = {**FILLED, "intake_offered": ["geldwijs-voorbeeldstad"], "language": "nl"}
    run(
        ActionSubmitHandoff(),
        tracker_after(user_event("choose", "no preference at all", english), slots=slots),
    )
    (stored,) = configured_store.latest()
    assert stored.conversation_language == "nl"


def test_a_conversation_without_a_language_or_an_unknown_one_is_dutch(configured_store):
    assert (
        ActionSubmitHandoff.record(tracker_after(user_event("choose"), slots=FILLED)).conversation_language
        == "nl"
    )
    odd = {**FILLED, "language": "klingon"}
    assert (
        ActionSubmitHandoff.record(tracker_after(user_event("choose"), slots=odd)).conversation_language
        == "nl"
    )


def test_without_consent_nothing_is_stored(configured_store):
    slots = {**FILLED, "intake_consent": "no"}
    messages, events = run(ActionSubmitHandoff(), tracker_after(user_event("choose"), slots=slots))
    assert (messages, events) == ([], [])
    assert configured_store.latest() == []


def test_an_unreachable_database_loses_nothing_and_offers_a_retry(unreachable_database):
    messages, events = submit("meedenkers-voorbeeldstad")
    assert events == [] and "niet kwijt" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == '/choose{"choice": "meedenkers-voorbeeldstad"}'


def test_a_phone_number_that_reads_like_a_question_is_still_an_answer():
    messages, events = form_turn(
        "intake_contact_detail",
        user_event("ask_contact_details", "mijn nummer is 06-12345678"),
        intake_consent="yes",
        intake_contact_method="phone",
    )
    assert SlotSet("intake_contact_detail", "06 12345678") in events


def test_a_crisis_interrupts_even_the_contact_step():
    _, events = form_turn(
        "intake_contact_detail",
        user_event("crisis", "ik wil dood"),
        intake_consent="yes",
        intake_contact_method="phone",
    )
    assert not any(e.get("name") == "intake_contact_detail" for e in events)


def test_the_summary_of_an_all_skipped_intake_without_consent():
    skipped = {
        name: "overgeslagen" for name in FILLED if name.startswith("intake_") and "consent" not in name
    }
    messages, _ = run(
        ActionShowIntakeSummary(),
        tracker_after(user_event("deny"), slots={**skipped, "intake_consent": "no"}),
    )
    assert "- Onderwerpen: niet ingevuld" in messages[0]["text"] and "Contact" not in messages[0]["text"]


def test_a_typed_choice_answers_the_question_even_if_it_reads_like_another_question():
    messages, events = form_turn(
        "intake_phase", user_event("ask_objection", "ik ben het niet eens met het besluit")
    )
    assert SlotSet("intake_phase", "disagreeing") in events
    assert "6 weken" in messages[0]["text"]


def test_a_real_question_at_a_choice_step_still_interrupts():
    _, events = form_turn("intake_phase", user_event("ask_pgb", "wat is een pgb eigenlijk"))
    assert not any(e.get("name") == "intake_phase" for e in events)


def after_check_in(requested: str, event: dict, **slots):
    """A form turn whose previous bot action was the distress check-in."""
    tracker = tracker_after(event, slots={"requested_slot": requested, **slots})
    tracker.events.insert(0, {"event": "action", "name": "utter_distress_check_in"})
    return run(ValidateIntakeForm(), tracker)


def test_a_typed_date_at_the_urgency_step_is_the_answer_whatever_topic_it_resembles():
    _, events = form_turn("intake_urgency", user_event("ask_objection", "binnen twee weken"))
    assert SlotSet("intake_urgency", "binnen twee weken") in events


def test_a_typed_description_is_the_answer_even_when_it_names_a_topic():
    _, events = form_turn(
        "intake_situation", user_event("ask_pgb", "mijn moeder heeft een pgb en dat loopt niet goed")
    )
    assert SlotSet("intake_situation", "mijn moeder heeft een pgb en dat loopt niet goed") in events


def test_a_question_without_question_mark_still_interrupts_a_free_text_step():
    _, events = form_turn(
        "intake_urgency", user_event("ask_waiting_time", "hoe lang duurt het voordat iemand belt")
    )
    assert not any(e.get("name") == "intake_urgency" for e in events)


def test_distress_interrupts_every_step():
    _, events = form_turn("intake_goal", user_event("distress", "ik kan het allemaal niet meer aan"))
    assert not any(e.get("name") == "intake_goal" for e in events)


def test_the_answer_to_the_check_in_is_not_taken_as_consent():
    _, events = after_check_in("intake_consent", user_event("deny", "nee"))
    assert not any(e.get("name") == "intake_consent" for e in events)


def test_without_a_check_in_no_is_the_consent_answer():
    _, events = form_turn("intake_consent", user_event("deny", "nee"))
    assert SlotSet("intake_consent", "no") in events


def test_call_me_answers_how_to_be_contacted_though_it_reads_as_asking_for_a_person():
    _, events = form_turn(
        "intake_contact_method", user_event("request_human", "bel mij maar"), intake_consent="yes"
    )
    assert SlotSet("intake_contact_method", "phone") in events


def test_asking_for_a_person_still_comes_first_at_a_free_text_step():
    _, events = form_turn("intake_goal", user_event("request_human", "ik wil liever met een mens praten"))
    assert not any(e.get("name") == "intake_goal" for e in events)

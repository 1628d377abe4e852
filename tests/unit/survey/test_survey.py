"""The satisfaction survey: its validation action on real trackers, and how answers are read."""

import pytest
from rasa_sdk.events import SlotSet

from actions.satisfaction import ASK_ACTIONS, ValidateSatisfactionForm
from bot.intake.replies import handoff_done
from bot.intake.steps import SKIPPED
from bot.survey.questionnaire import NOTHING_TO_IMPROVE, answer, scale_answer
from tests.unit.actions_support import run, tracker_after, user_event


def survey_turn(requested: str, event: dict, **slots):
    return run(ValidateSatisfactionForm(), tracker_after(event, slots={"requested_slot": requested, **slots}))


def choose(value: str) -> dict:
    return user_event("choose", f'/choose{{"choice": "{value}"}}', [{"entity": "choice", "value": value}])


def test_a_button_answers_the_statement_and_the_form_moves_on():
    messages, events = survey_turn("satisfaction_helped", choose("4"))
    assert SlotSet("satisfaction_helped", "4") in events
    assert messages == []


def test_skipping_a_statement_is_remembered_as_skipped():
    _, events = survey_turn("satisfaction_own_choices", user_event("skip", "sla maar over"))
    assert SlotSet("satisfaction_own_choices", SKIPPED) in events


def test_the_improvement_question_keeps_the_residents_words():
    words = "De knoppen waren te klein op mijn telefoon"
    _, events = survey_turn(
        "satisfaction_improvement", user_event("nlu_fallback", words), satisfaction_helped="5"
    )
    assert SlotSet("satisfaction_improvement", words) in events


def test_nothing_to_improve_is_an_answer_without_words():
    _, events = survey_turn("satisfaction_improvement", user_event("deny", "/deny"))
    assert SlotSet("satisfaction_improvement", NOTHING_TO_IMPROVE) in events


@pytest.mark.parametrize("intent", ["crisis", "stop", "restart"])
def test_crisis_stop_and_restart_leave_the_survey_to_the_rules(intent):
    _, events = survey_turn("satisfaction_recommend", user_event(intent, "ik wil niet meer leven"))
    assert not any(e.get("name") == "satisfaction_recommend" for e in events if e.get("event") == "slot")


def test_without_a_requested_survey_question_nothing_is_filled():
    _, events = survey_turn("intake_goal", choose("4"))
    assert events == [] or all(
        e.get("name", "").startswith("intake_") or e.get("name") == "requested_slot"
        for e in events
        if e.get("event") == "slot"
    )


@pytest.mark.parametrize(
    "typed, value",
    [
        ("helemaal mee eens", "5"),
        ("mee eens", "4"),
        ("neutraal", "3"),
        ("niet mee eens", "2"),
        ("oneens", "2"),
        ("helemaal niet mee eens", "1"),
        ("helemaal oneens", "1"),
        ("3", "3"),
        ("goh, lastig", SKIPPED),
        ("", SKIPPED),
    ],
)
def test_typed_answers_to_a_statement(typed, value):
    assert scale_answer(None, typed) == value


def test_a_button_value_outside_the_scale_is_not_an_answer():
    assert scale_answer("9", "") == SKIPPED
    assert answer("helped", "choose", "geldwijs-voorbeeldstad", "") == SKIPPED


def test_a_long_improvement_answer_is_cut_short():
    assert len(answer("improvement", "nlu_fallback", None, "woord " * 500)) == 1000


def test_after_a_handoff_the_survey_is_offered_with_a_way_out(municipality):
    from datetime import date

    from bot.intake.steps import Intake

    offer = handoff_done("WW-ABC234", None, Intake(contact_method="phone"), municipality, date(2026, 11, 23))[
        -1
    ]
    assert "4 korte vragen" in offer.text
    assert [b.payload for b in offer.buttons] == ["/start_satisfaction", "/stop"]


def test_each_question_is_asked_one_at_a_time_with_a_way_out():
    asked = {
        action().name(): run(action(), tracker_after(user_event("start_satisfaction")))[0]
        for action in ASK_ACTIONS
    }
    assert sorted(asked) == [
        "action_ask_satisfaction_helped",
        "action_ask_satisfaction_improvement",
        "action_ask_satisfaction_own_choices",
        "action_ask_satisfaction_recommend",
    ]
    for messages in asked.values():
        (message,) = messages
        payloads = [b["payload"] for b in message["buttons"]]
        assert payloads[-2:] == ["/skip", "/stop"]
    helped = asked["action_ask_satisfaction_helped"][0]
    assert helped["text"].startswith("Vraag 1 van 4") and "geholpen" in helped["text"]
    assert [b["payload"] for b in helped["buttons"]][:5] == ['/choose{"choice": "%s"}' % n for n in "54321"]
    improvement = asked["action_ask_satisfaction_improvement"][0]
    assert improvement["text"].startswith("Vraag 4 van 4") and improvement["buttons"][0]["payload"] == "/deny"

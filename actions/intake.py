"""The intake form: one question at a time; answers interpreted by `bot.intake.steps`."""

from abc import ABC, abstractmethod
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot import contract
from bot.conversation.life_domains import known_domains
from bot.intake import replies as intake_replies
from bot.intake.steps import (
    CHOICE_VALUES,
    Answer,
    Intake,
    asks_a_question,
    interpret,
    parse_choice,
    steps_for,
)

SLOT_PREFIX = contract.INTAKE_SLOT_PREFIX
# Questions of the resident's own: when a message is shaped as a question, the form steps aside
# (rules in data/stories/rules_intake.yml answer them, then the form continues).
INTERRUPTIONS = contract.QUESTION_INTENTS
# Messages that always come first, whatever the step: danger, despair, and the resident's own wish
# to stop. A wish to talk to a person comes first too, unless it answers the step ("bel mij maar"
# when asked how to be contacted).
ALWAYS_INTERRUPT = contract.INTAKE_ALWAYS_INTERRUPT
PERSON = contract.REQUEST_HUMAN
# The answer to "is someone in danger now?" after a distress check-in is not an intake answer.
CHECK_IN = contract.DISTRESS_CHECK_IN
CHECK_IN_ANSWERS = {contract.AFFIRM, contract.DENY}


def interrupts(step: str, answer: Answer, after_check_in: bool = False) -> bool:
    """True when the message is not an answer to the step but something to handle first.

    A typed answer is the step's answer unless it is clearly a question of its own: a step that
    asks for a date or a description must accept "binnen twee weken" even if it reads like a topic.
    """
    if answer.intent in ALWAYS_INTERRUPT or (after_check_in and answer.intent in CHECK_IN_ANSWERS):
        return True
    if answer.choice:
        return False
    # "ik ben het niet eens met het besluit" answers "Waar staat u nu?", though it reads as a question.
    if step in CHOICE_VALUES and parse_choice(step, answer.text):
        return False
    if answer.intent == PERSON:
        return True
    if step == "contact_detail":
        return False
    return answer.intent in INTERRUPTIONS and asks_a_question(answer.text)


def previous_action(tracker: Tracker) -> Optional[str]:
    """The last action before the resident's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def intake_from(tracker: Tracker) -> Intake:
    """The intake so far, from the form's slots."""
    values = {
        name[len(SLOT_PREFIX) :]: value
        for name, value in tracker.slots.items()
        if name.startswith(SLOT_PREFIX)
    }
    return Intake.from_values(values)


def answer_from(tracker: Tracker) -> Answer:
    return Answer(
        text=latest.text(tracker),
        intent=latest.intent(tracker),
        choice=latest.entity(tracker, contract.CHOICE),
        areas=tuple(latest.mentioned_domains(tracker)),
        relation=latest.entity(tracker, contract.RELATION),
    )


def say(dispatcher: CollectingDispatcher, key: Optional[str]) -> None:
    """Sends one of the intake texts, by its (dotted) key in bot/catalogue/nl/intake.yml."""
    if not key:
        return
    text: Any = intake_replies.texts()
    for part in key.split("."):
        text = text[part]
    dispatcher.utter_message(text=text)


class ValidateIntakeForm(latest.TurnLanguageFormValidation):
    def name(self) -> str:
        return "validate_intake_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[str]:
        return [SLOT_PREFIX + step for step in steps_for(tracker.get_slot(contract.INTAKE_CONSENT_SLOT))]

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[EventType]:
        requested = tracker.get_slot(contract.REQUESTED_SLOT)
        answer = answer_from(tracker)
        after_check_in = previous_action(tracker) == CHECK_IN
        if not requested or interrupts(requested[len(SLOT_PREFIX) :], answer, after_check_in):
            return []  # no answer: the form steps aside for the rules
        step = requested[len(SLOT_PREFIX) :]
        mentioned = tracker.get_slot(contract.LIFE_DOMAIN_SLOT) or []
        result = interpret(step, answer, intake_from(tracker), mentioned)
        say(dispatcher, result.retry)
        say(dispatcher, result.note)
        events = [SlotSet(requested, result.value)]
        if step == "consent" and result.value == "yes":
            events.append(SlotSet(contract.INTAKE_CONSENT_AT_SLOT, datetime.now(timezone.utc).isoformat()))
        if step == "life_domains" and answer.intent == contract.DENY:
            events.append(SlotSet(contract.LIFE_DOMAIN_SLOT, []))
        return events

    async def get_validation_events(self, dispatcher, tracker, domain) -> List[EventType]:
        # Answers were interpreted while extracting; pass them on (with any earlier slot fills).
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


class _AskIntakeStep(Action, ABC):
    """Asks one intake step; the wording may depend on what the resident said before."""

    step: str

    @abstractmethod
    def name(self) -> str:
        """Set per step below."""

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        mentioned = known_domains(tracker.get_slot(contract.LIFE_DOMAIN_SLOT) or [])
        dispatcher.utter_message(
            **intake_replies.question(self.step, intake_from(tracker), mentioned).as_message()
        )
        return []


# Rasa asks a form slot with the action `action_ask_<slot>`: one small class per step.
ASK_ACTIONS = [
    type(
        f"ActionAskIntake{step.title().replace('_', '')}",
        (_AskIntakeStep,),
        {"step": step, "name": lambda self, step=step: f"action_ask_{SLOT_PREFIX}{step}"},
    )
    for step in steps_for("yes")
]

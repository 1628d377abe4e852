"""Answers with local details (channels, hours, contact time) from the municipality file."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot.app_context import context
from bot.conversation import answers
from bot.privacy import notice


class _LocalAnswer(Action, ABC):
    """Sends the text one function of `bot.conversation.answers` builds for the current municipality."""

    @abstractmethod
    def answer(self, municipality) -> str:
        """The text to send."""

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=self.answer(context().municipality))
        return []


class ActionContactDetails(_LocalAnswer):
    answer = staticmethod(answers.contact_details)

    def name(self) -> str:
        return "action_contact_details"


class ActionWaitingTime(_LocalAnswer):
    answer = staticmethod(answers.waiting_time)

    def name(self) -> str:
        return "action_waiting_time"


class ActionContactHuman(_LocalAnswer):
    answer = staticmethod(answers.human_contact)

    def name(self) -> str:
        return "action_contact_human"


class ActionOutOfScope(_LocalAnswer):
    answer = staticmethod(answers.out_of_scope)

    def name(self) -> str:
        return "action_out_of_scope"


class ActionAnswerPrivacy(Action):
    """What is kept, where and for how long: it follows the retention settings (bot/privacy/notice.py)."""

    def name(self) -> str:
        return "action_answer_privacy"

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(**notice.answer(context().settings, context().municipality).as_message())
        return []

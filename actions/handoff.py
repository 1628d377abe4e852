"""After the intake: the summary, corrections, fitting organisations and the stored handoff."""

from datetime import date, datetime
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from actions.intake import SLOT_PREFIX, intake_from
from bot import contract
from bot.app_context import context
from bot.conversation.language import conversation_language
from bot.conversation.reply import Reply
from bot.handoff.notifications import targets_for
from bot.handoff.store import HandoffRecord, StoreUnavailable
from bot.intake import replies as intake_replies
from bot.intake.steps import CONSENT_STEP, CONTACT_STEPS, steps_for
from bot.municipality.social_map import match

NO_PREFERENCE = "none"


def send(dispatcher: CollectingDispatcher, replies: List[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(**reply.as_message())


def has_consent(tracker: Tracker) -> bool:
    return tracker.get_slot(contract.INTAKE_CONSENT_SLOT) == "yes"


def chosen(tracker: Tracker) -> Optional[str]:
    return latest.entity(tracker, contract.CHOICE)


class ActionShowIntakeSummary(Action):
    def name(self) -> str:
        return "action_show_intake_summary"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        send(dispatcher, intake_replies.summary(intake_from(tracker), has_consent(tracker)))
        return []


class ActionAskCorrection(Action):
    def name(self) -> str:
        return "action_ask_correction"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        send(dispatcher, [intake_replies.correction_question(intake_from(tracker), has_consent(tracker))])
        return []


class ActionCorrectIntake(Action):
    """Empties the part the resident chose, so the form asks it again."""

    def name(self) -> str:
        return "action_correct_intake"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        step = chosen(tracker)
        if step not in steps_for(tracker.get_slot(contract.INTAKE_CONSENT_SLOT)):
            return []
        # A new contact method needs a new detail; a changed consent asks the contact steps again.
        following = {"contact_method": ("contact_detail",), CONSENT_STEP: CONTACT_STEPS}.get(step, ())
        return [SlotSet(SLOT_PREFIX + name, None) for name in (step, *following)]


class ActionOfferOrganisations(Action):
    def name(self) -> str:
        return "action_offer_organisations"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        municipality = context().municipality
        matches = match(intake_from(tracker), municipality.social_map)
        send(dispatcher, intake_replies.offer(matches, has_consent(tracker), municipality))
        return [SlotSet(contract.INTAKE_OFFERED_SLOT, [m.organisation.id for m in matches])]


class ActionSubmitHandoff(Action):
    """Stores the handoff once per consented intake and tells the resident what happens next."""

    def name(self) -> str:
        return "action_submit_handoff"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        if not has_consent(tracker):
            return []
        municipality = context().municipality
        record = self.record(tracker)
        try:
            stored = context().handoff_store.store(record)
        except StoreUnavailable:
            retry = intake_replies.choose(chosen(tracker) or NO_PREFERENCE)
            send(dispatcher, [intake_replies.handoff_unavailable(municipality, retry)])
            return []
        names = {o.id: o.name for o in municipality.social_map}
        send(
            dispatcher,
            intake_replies.handoff_done(
                stored.reference,
                names.get(stored.organisation_id or ""),
                record.intake,
                municipality,
                date.today(),
            ),
        )
        return [SlotSet(contract.HANDOFF_REFERENCE_SLOT, stored.reference)]

    @staticmethod
    def record(tracker: Tracker) -> HandoffRecord:
        offered = tracker.get_slot(contract.INTAKE_OFFERED_SLOT) or []
        choice = chosen(tracker)
        if choice in offered:
            organisation, how = choice, "chosen"
        elif offered:
            organisation, how = offered[0], "matched"  # no preference: the best match
        else:
            organisation, how = None, "none"
        consent_at = tracker.get_slot(contract.INTAKE_CONSENT_AT_SLOT)
        receiving = next((o for o in context().municipality.social_map if o.id == organisation), None)
        return HandoffRecord(
            conversation_id=tracker.sender_id,
            # One handoff per consented intake: retries and double clicks carry the same key.
            idempotency_key=consent_at,
            organisation_id=organisation,
            organisation_choice=how,
            intake=intake_from(tracker),
            consent_text=intake_replies.texts()["consent"],
            consent_at=datetime.fromisoformat(consent_at),
            notify=targets_for(receiving),
            conversation_language=conversation_language(tracker.slots),
        )

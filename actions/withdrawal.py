"""The resident withdraws the handoff made in this conversation: confirm, then erase their data.

Only the handoff of this conversation (the `handoff_reference` slot) can be withdrawn here, so
nobody can withdraw someone else's request by guessing a reference number.
"""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType

from actions import latest
from actions.handoff import chosen, send
from bot import contract
from bot.app_context import context
from bot.intake import replies as intake_replies
from bot.storage.database import StoreUnavailable


class ActionConfirmWithdrawal(Action):
    def name(self) -> str:
        return "action_confirm_withdrawal"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        reference = tracker.get_slot(contract.HANDOFF_REFERENCE_SLOT)
        if reference:
            send(dispatcher, [intake_replies.withdraw_confirm(reference)])
        else:
            send(dispatcher, [intake_replies.withdraw_none(context().municipality)])
        return []


class ActionWithdrawHandoff(Action):
    def name(self) -> str:
        return "action_withdraw_handoff"

    @latest.in_turn_language
    async def run(self, dispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        reference = tracker.get_slot(contract.HANDOFF_REFERENCE_SLOT)
        if not reference:
            send(dispatcher, [intake_replies.withdraw_none(context().municipality)])
            return []
        confirmed = chosen(tracker) == intake_replies.WITHDRAW or latest.intent(tracker) == contract.AFFIRM
        if not confirmed:
            return []
        try:
            context().handoff_store.withdraw(reference)
        except StoreUnavailable:
            send(dispatcher, [intake_replies.withdraw_unavailable(context().municipality)])
            return []
        send(dispatcher, [intake_replies.withdraw_done(reference)])
        return []

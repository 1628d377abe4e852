"""Setting a message's intent from a rule, on top of what the classifiers decided."""

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, name: str) -> None:
    """Makes `name` the intent with full confidence and puts it first in the ranking."""
    chosen = {"name": name, "confidence": 1.0}
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)

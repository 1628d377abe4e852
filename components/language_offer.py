"""The rules, plus one thing rules cannot say: "whatever was asked, once it is answered, offer to go on
in the language the resident writes in".

A rule names an intent; this offer follows any intent. So the policy is Rasa's rule policy (our lean
version) that, when the rules would now listen, first predicts `action_offer_language` if the latest
message is clearly in another language than the conversation's and that language was not offered
before (bot/conversation/language.py). The answer itself is already in the message's language.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.contract import ACTION_OFFER_LANGUAGE, CHOOSE_LANGUAGE
from bot.conversation.language import language_in, should_offer
from components.rule_policy import LeanRulePolicy


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class LanguageOfferRulePolicy(LeanRulePolicy):
    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> Any:
        if tracker.latest_action_name == ACTION_OFFER_LANGUAGE:
            return self._certain(ACTION_LISTEN_NAME, domain)  # the offer waits for the resident's choice
        prediction = super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        listens = domain.action_names_or_texts[prediction.max_confidence_index] == ACTION_LISTEN_NAME
        if listens and prediction.max_confidence > 0 and self._offers(tracker):
            return self._certain(ACTION_OFFER_LANGUAGE, domain)
        return prediction

    def _certain(self, action: Text, domain: Domain) -> Any:
        probabilities = [0.0] * domain.num_actions
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    @staticmethod
    def _offers(tracker: DialogueStateTracker) -> bool:
        message = tracker.latest_message
        if message is None or (message.intent or {}).get("name") == CHOOSE_LANGUAGE:
            return False
        return should_offer(language_in(message.entities), tracker.current_slot_values())

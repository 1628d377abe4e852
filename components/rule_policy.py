"""Rasa's RulePolicy with the same predictions and less work per prediction (tests/unit/components/test_rule_policy.py
compares the two).

Measured with `make profile` (py-spy over the bench conversations):
- For a debug log line, every prediction formats all states of the conversation as text and deep-copies
  that text, also when debug logging is off. Here only when it is on.
- Right after a message, Rasa first searches the rules on the message's *text* (end-to-end rules):
  it builds the conversation's states once more and tests every rule against them. In that search the
  last state has no intent and its previous action is `action_listen`, so a rule whose last state asks
  for an intent or for another previous action cannot match. When no rule can, the search is skipped.
- A search tests every rule against the conversation's last state first. A rule whose last state
  asks for another previous action fails that test, so the rules are indexed by that action and only
  the rules of the current one (and those that do not name one) are tested.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Text, Tuple

from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

logger = logging.getLogger("rasa.core.policies.rule_policy")  # Rasa's own debug switch for this policy


def _set(value: Any) -> bool:
    return bool(value) and value != SHOULD_NOT_BE_SET


def matches_only_an_intent(rule_states: List[State]) -> bool:
    """True when the rule's last state asks for an intent or for a previous action other than listening:
    it cannot match the state a text search compares it with."""
    last = rule_states[-1]
    previous_action = last.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
    return _set(last.get(USER, {}).get(INTENT)) or (
        _set(previous_action) and previous_action != ACTION_LISTEN_NAME
    )


ANY_ACTION = "*"  # rules whose last state names no previous action by name (or says it must not be set)
NO_ACTION = ""  # rules whose last state has no previous action: a conversation start


def previous_action(state: State) -> Text:
    """The index key of a state: its previous action's name, NO_ACTION or ANY_ACTION."""
    previous = state.get(PREVIOUS_ACTION)
    if not previous:
        return NO_ACTION
    name = previous.get(ACTION_NAME)
    return name if _set(name) else ANY_ACTION


class RuleIndex:
    """Rule keys by the previous action of their last state."""

    def __init__(self, rule_keys: Iterable[Text]) -> None:
        self._keys: Dict[Text, List[Text]] = {}
        for key in rule_keys:
            self._keys.setdefault(previous_action(json.loads(key)[-1]), []).append(key)

    def candidates(self, state: State) -> Dict[Text, None]:
        """The rules that can match a conversation's last state (a superset of those that do)."""
        action = previous_action(state)
        return dict.fromkeys([*self._keys.get(action, ()), *self._keys.get(ANY_ACTION, ())])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class LeanRulePolicy(RulePolicy):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._derived: Dict[Tuple[Text, int], Tuple[Dict[Text, Any], int, Any]] = {}

    @staticmethod
    def format_tracker_states(states: List[Dict]) -> Text:
        return RulePolicy.format_tracker_states(states) if logger.isEnabledFor(logging.DEBUG) else ""

    def _derived_from(
        self, lookup: Dict[Text, Any], what: Text, derive: Callable[[Dict[Text, Any]], Any]
    ) -> Any:
        """`derive(lookup)`, kept while the lookup is the same dict at the same size: training fills the
        lookups in steps. The lookup is kept with it, so its id cannot be another dict's."""
        key = (what, id(lookup))
        kept = self._derived.get(key)
        if kept is None or kept[0] is not lookup or kept[1] != len(lookup):
            kept = self._derived[key] = (lookup, len(lookup), derive(lookup))
        return kept[2]

    def _text_search_can_match(self) -> bool:
        return self._derived_from(
            self.lookup.get(RULES, {}),
            "text search",
            lambda rules: not all(matches_only_an_intent(json.loads(key)) for key in rules),
        )

    def _get_possible_keys(self, lookup: Dict[Text, Any], states: List[State]) -> Set[Text]:
        if not states:
            return super()._get_possible_keys(lookup, states)
        index = self._derived_from(lookup, "index", RuleIndex)
        return super()._get_possible_keys(index.candidates(states[-1]), states)

    def _find_action_from_rules(
        self, tracker: DialogueStateTracker, domain: Domain, use_text_for_last_user_input: bool
    ) -> Tuple[Optional[Text], Optional[Text], bool]:
        if use_text_for_last_user_input and not self._text_search_can_match():
            return None, None, False  # what Rasa's search would find: no rule
        return super()._find_action_from_rules(tracker, domain, use_text_for_last_user_input)

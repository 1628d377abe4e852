"""components/rule_policy.py: LeanRulePolicy predicts exactly what Rasa's RulePolicy predicts."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.core.training import load_data
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain

from bot.settings import PROJECT_ROOT
from components.rule_policy import LeanRulePolicy, RuleIndex, matches_only_an_intent

LISTENED = {"prev_action": {"action_name": "action_listen"}}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def trained(cls, domain: Domain, folder: Path):
    policy = cls.create(
        cls.get_default_config(),
        LocalModelStorage(folder),
        Resource(cls.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )
    policy.train(load_data(str(PROJECT_ROOT / "data" / "stories"), domain, augmentation_factor=0), domain)
    return policy


@pytest.fixture(scope="module")
def policies(domain, tmp_path_factory):
    folder = tmp_path_factory.mktemp("policies")
    return trained(RulePolicy, domain, folder), trained(LeanRulePolicy, domain, folder)


def test_every_step_of_the_test_stories_is_predicted_alike(policies, domain):
    rasa_policy, lean = policies
    stories = load_data(str(PROJECT_ROOT / "tests" / "stories"), domain, augmentation_factor=0)
    compared = 0
    for story in stories:
        for tracker, _ in story.generate_all_prior_trackers():
            ours, theirs = (p.predict_action_probabilities(tracker, domain) for p in (lean, rasa_policy))
            assert (
                ours.probabilities,
                ours.events,
                ours.optional_events,
                ours.is_end_to_end_prediction,
                ours.is_no_user_prediction,
                ours.action_metadata,
            ) == (
                theirs.probabilities,
                theirs.events,
                theirs.optional_events,
                theirs.is_end_to_end_prediction,
                theirs.is_no_user_prediction,
                theirs.action_metadata,
            )
            compared += 1
    assert compared > 400  # every step of every test story


def test_training_learns_the_same_rules(policies):
    def unordered(lookup):  # `rules_not_in_stories` is a list made from a set
        return {name: set(value) if isinstance(value, list) else value for name, value in lookup.items()}

    assert unordered(policies[0].lookup) == unordered(policies[1].lookup)


def test_the_index_offers_every_rule_that_can_match_the_last_state():
    def rule(last_state):
        return json.dumps([{}, last_state])

    after_greeting = rule({"user": {"intent": "greet"}, "prev_action": {"action_name": "utter_greet"}})
    start = rule({})
    any_action = rule({"prev_action": {"action_name": "should_not_be_set"}})
    bot_text = rule({"prev_action": {"action_text": "Hallo!"}})
    index = RuleIndex([after_greeting, start, any_action, bot_text])
    assert set(index.candidates({"prev_action": {"action_name": "utter_greet"}})) == {
        after_greeting,
        any_action,
        bot_text,
    }
    assert set(index.candidates(LISTENED)) == {any_action, bot_text}
    assert set(index.candidates({})) == {start, any_action, bot_text}


def test_the_project_rules_need_no_search_on_message_text(policies):
    assert not policies[1]._text_search_can_match()


def test_a_rule_that_could_match_a_message_text_keeps_the_text_search(policies):
    lean = policies[1]
    text_rule = json.dumps([{"user": {"text": "hallo"}, **LISTENED}])
    assert not matches_only_an_intent(json.loads(text_rule))
    rules = lean.lookup[RULES]
    lean.lookup[RULES] = {**rules, text_rule: "utter_greet"}
    try:
        assert lean._text_search_can_match()
    finally:
        lean.lookup[RULES] = rules
    assert not lean._text_search_can_match()


@pytest.mark.parametrize(
    "last_state, only_intent",
    [
        ({"user": {"intent": "greet"}, **LISTENED}, True),
        ({"prev_action": {"action_name": "utter_greet"}}, True),
        ({"user": {"intent": "should_not_be_set"}, **LISTENED}, False),
        ({"active_loop": {"name": "intake_form"}}, False),
        (LISTENED, False),
    ],
)
def test_which_rules_cannot_match_a_message_text(last_state, only_intent):
    assert matches_only_an_intent([{}, last_state]) is only_intent


def test_states_are_formatted_for_the_debug_log_only(policies):
    states = [{"user": {"intent": "greet"}, **LISTENED}]
    logger = logging.getLogger("rasa.core.policies.rule_policy")
    level = logger.level
    try:
        logger.setLevel(logging.INFO)
        assert LeanRulePolicy.format_tracker_states(states) == ""
        logger.setLevel(logging.DEBUG)
        assert LeanRulePolicy.format_tracker_states(states) == RulePolicy.format_tracker_states(states)
    finally:
        logger.setLevel(level)

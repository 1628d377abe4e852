"""The domain as residents meet it: complete answers, every intent handled."""

import yaml

from bot.settings import PROJECT_ROOT
from tools.nlu_files import TRAINING_FILES, nlu_examples

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
CONTRACT_INTENTS = {
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "bot_challenge",
    "ask_capabilities",
    "request_human",
    "out_of_scope",
    "crisis",
    "ask_what_is_client_support",
    "ask_cost",
    "ask_independence",
    "ask_referral",
    "ask_eligibility",
    "ask_tasks",
    "ask_kitchen_table_talk",
    "ask_bring_someone",
    "ask_objection",
    "ask_pgb",
    "ask_wlz",
    "ask_choose_supporter",
    "ask_privacy",
    "ask_contact_details",
    "ask_waiting_time",
    "start_intake",
    "domain_zorg",
    "domain_psychische_gezondheid",
    "domain_wonen",
    "domain_werk",
    "domain_geldzaken",
    "domain_onderwijs",
    "domain_opvoeding",
    "domain_sociale_contacten",
    "domain_mantelzorg",
}


def test_every_response_is_one_whole_answer():
    # Several unconditional variations are alternatives Rasa picks from at random: a resident
    # would get only part of an answer.
    for name, variants in DOMAIN["responses"].items():
        unconditional = [v for v in variants if "condition" not in v]
        assert len(unconditional) == 1, name


def test_every_contract_intent_is_in_the_domain_with_training_data():
    examples = {intent for path in TRAINING_FILES for intent, _ in nlu_examples(path)}
    assert CONTRACT_INTENTS <= set(DOMAIN["intents"])
    assert CONTRACT_INTENTS <= examples


def test_entity_annotations_use_contract_values():
    import json
    import re

    allowed = {
        "life_domain": {
            "zorg",
            "psychische_gezondheid",
            "wonen",
            "werk",
            "geldzaken",
            "onderwijs",
            "opvoeding",
            "sociale_contacten",
            "mantelzorg",
        },
        "relation": {"zelf", "partner", "ouder", "kind", "familie", "ander"},
        # choose_language: the language asked for (the contract's codes)
        "language": {"nl", "en", "tr", "ar", "pl", "uk"},
    }
    for path in TRAINING_FILES:
        for annotation in re.findall(r"\]\((\{[^}]*\})\)|\](\{[^}]*\})", path.read_text(encoding="utf-8")):
            entity = json.loads(next(a for a in annotation if a))
            assert entity["value"] in allowed[entity["entity"]], (path.name, entity)

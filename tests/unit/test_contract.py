"""bot/contract.py against what it names: domain.yml, the training data, the rules and the database schema."""

import re

import yaml

from bot import contract
from bot.settings import PROJECT_ROOT
from bot.storage import schema
from bot.survey.questionnaire import STEPS as SURVEY_STEPS
from tools.nlu_files import TRAINING_FILES, nlu_examples

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
# Rasa's own names: not listed in domain.yml, yet every conversation can meet them.
RASA_BUILT_IN = {contract.NLU_FALLBACK, contract.REQUESTED_SLOT}
INTENT_NAMES = (
    "GREET",
    "GOODBYE",
    "THANKS",
    "AFFIRM",
    "DENY",
    "BOT_CHALLENGE",
    "ASK_CAPABILITIES",
    "REQUEST_HUMAN",
    "OUT_OF_SCOPE",
    "CRISIS",
    "DISTRESS",
    "WITHDRAW_HANDOFF",
    "STOP",
    "RESTART",
    "START_INTAKE",
)
INTENT_GROUPS = (
    "CONVERSATION_INTENTS",
    "RIGHTS_TOPICS",
    "QUESTION_INTENTS",
    "INTAKE_ALWAYS_INTERRUPT",
    "SURVEY_INTERRUPTIONS",
    "CLOSING_INTENTS",
)


def _rule_intents() -> set:
    found = set()
    for path in (PROJECT_ROOT / "data" / "stories").glob("*.yml"):
        found |= set(re.findall(r"intent:\s*([a-z_+]+)", path.read_text(encoding="utf-8")))
    return found


def test_every_intent_the_contract_names_is_in_the_domain():
    named = {getattr(contract, name) for name in INTENT_NAMES}
    for group in INTENT_GROUPS:
        named |= set(getattr(contract, group))
    assert named - set(DOMAIN["intents"]) == set()
    assert contract.NLU_FALLBACK not in DOMAIN["intents"]


def test_every_rights_topic_of_the_domain_is_in_the_contract_once_with_data_and_a_rule():
    # A new rights question is an intent in domain.yml plus one entry in contract.RIGHTS_TOPICS.
    in_domain = {
        i for i in DOMAIN["intents"] if i.startswith("ask_") and i not in contract.CONVERSATION_INTENTS
    }
    assert in_domain == set(contract.RIGHTS_TOPICS)
    assert len(set(contract.RIGHTS_TOPICS)) == len(contract.RIGHTS_TOPICS)
    examples = {intent for path in TRAINING_FILES for intent, _ in nlu_examples(path)}
    assert set(contract.RIGHTS_TOPICS) <= examples
    assert set(contract.RIGHTS_TOPICS) <= _rule_intents()
    # During the intake every rights question is answered first.
    assert set(contract.RIGHTS_TOPICS) <= contract.QUESTION_INTENTS


def test_the_conversation_intents_are_the_shared_contracts():
    assert contract.CONVERSATION_INTENTS == {
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
        "distress",
        "withdraw_handoff",
    }
    # Danger and despair come first in the intake; distress never leaves the survey on its own.
    assert {contract.CRISIS, contract.DISTRESS} <= contract.INTAKE_ALWAYS_INTERRUPT
    assert contract.CRISIS in contract.SURVEY_INTERRUPTIONS


def test_every_slot_entity_action_and_response_the_contract_names_is_in_the_domain():
    slots = set(DOMAIN["slots"])
    named_slots = {getattr(contract, name) for name in dir(contract) if name.endswith("_SLOT")}
    assert named_slots - RASA_BUILT_IN <= slots
    assert {contract.LIFE_DOMAIN, contract.RELATION} <= set(DOMAIN["entities"])
    intake_slots = {contract.INTAKE_SLOT_PREFIX + step for step in contract.INTAKE_STEPS}
    extra = {contract.INTAKE_CONSENT_SLOT, contract.INTAKE_CONSENT_AT_SLOT, contract.INTAKE_OFFERED_SLOT}
    assert intake_slots | extra == {s for s in slots if s.startswith(contract.INTAKE_SLOT_PREFIX)}
    assert {s for s in slots if s.startswith(contract.SATISFACTION_SLOT_PREFIX)} == {
        contract.SATISFACTION_SLOT_PREFIX + step for step in SURVEY_STEPS
    }
    actions = set(DOMAIN["actions"])
    assert {contract.ACTION_FALLBACK, contract.ACTION_CONTACT_HUMAN} <= actions
    assert {f"action_ask_{slot}" for slot in intake_slots} <= actions
    assert contract.DISTRESS_CHECK_IN in DOMAIN["responses"]


def _check_values(table, name: str) -> tuple:
    constraint = next(c for c in table.constraints if c.name == name)
    return tuple(re.findall(r"'([^']*)'", str(constraint.sqltext)))


def test_the_schema_allows_exactly_the_contracts_roles_and_statuses():
    assert _check_values(schema.accounts, "ck_accounts_role") == contract.ROLES
    assert _check_values(schema.handoffs, "ck_handoffs_status") == contract.HANDOFF_STATUSES
    assert set(contract.ORGANISATION_ROLES) < set(contract.ROLES)


def test_the_migrations_allow_exactly_the_contracts_roles_and_statuses():
    versions = PROJECT_ROOT / "bot" / "storage" / "migrations" / "versions"
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(versions.glob("*.py")))
    # Migrations never change once released: the newest constraint must spell the contract's values.
    assert schema._in("role", contract.ROLES) in text
    assert schema._in("status", contract.HANDOFF_STATUSES) in text


def test_every_code_has_its_label_and_no_label_lacks_a_code():
    # Urgency is free text in the schema (a resident may type a date); the codes are the buttons.
    from bot.web.portal.labels import LABELS

    assert tuple(LABELS["role"]) == contract.ROLES
    assert tuple(LABELS["status"]) == contract.HANDOFF_STATUSES
    assert tuple(LABELS["urgency"]) == contract.URGENCIES
    # One Dutch name per language, for the statistics, the portal and the notification mail.
    assert tuple(LABELS["language"]) == contract.LANGUAGES
    from bot.handoff.notifications import LANGUAGE_NAMES, URGENCY_TEXT

    assert LANGUAGE_NAMES == LABELS["language"]
    from bot.intake.summary import choices as summary_choices

    assert tuple(summary_choices()["urgency"]) == contract.URGENCIES
    # The mail also words an urgency the resident described in their own words, or none.
    assert tuple(URGENCY_TEXT) == (*contract.URGENCIES, "described", "unknown")

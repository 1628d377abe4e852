"""The names code shares with `domain.yml`, the training data and the database: one home for each.

Intents, slots, intake steps, handoff statuses, roles, urgency codes and header names are spelled
here once; code imports them instead of repeating the string. `tests/unit/test_contract.py` checks
every name against `domain.yml` and `bot/storage/schema.py`, and `../shared/contract.md` lists the
names evaluations rely on (kept exactly). Codes only: their Dutch labels live with the texts.
"""

from __future__ import annotations

# --- Languages (shared contract) -----------------------------------------------------------------
DUTCH = "nl"
LANGUAGES = (DUTCH, "en", "tr", "ar", "pl", "uk")
RIGHT_TO_LEFT = frozenset({"ar"})

# --- Intents -------------------------------------------------------------------------------------
GREET = "greet"
GOODBYE = "goodbye"
THANKS = "thanks"
AFFIRM = "affirm"
DENY = "deny"
BOT_CHALLENGE = "bot_challenge"
ASK_CAPABILITIES = "ask_capabilities"
REQUEST_HUMAN = "request_human"
OUT_OF_SCOPE = "out_of_scope"
CRISIS = "crisis"
DISTRESS = "distress"
WITHDRAW_HANDOFF = "withdraw_handoff"
STOP = "stop"
RESTART = "restart"
START_INTAKE = "start_intake"
# Asking for another language (the widget's picker sends it as a button: /choose_language{"language": "tr"})
CHOOSE_LANGUAGE = "choose_language"
# Rasa's own intent for a message the model is not sure about (not listed in domain.yml).
NLU_FALLBACK = "nlu_fallback"

# The conversation intents of the shared contract.
CONVERSATION_INTENTS = frozenset(
    {
        GREET,
        GOODBYE,
        THANKS,
        AFFIRM,
        DENY,
        BOT_CHALLENGE,
        ASK_CAPABILITIES,
        REQUEST_HUMAN,
        OUT_OF_SCOPE,
        CRISIS,
        DISTRESS,
        WITHDRAW_HANDOFF,
    }
)
# The rights topics of the shared contract (questions about client support), in the contract's order.
# A new topic is added here, plus its training data, response and stories.
RIGHTS_TOPICS = (
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
)
# A resident's own questions: during the intake a message shaped as a question with one of these
# intents is answered first, then the form goes on.
QUESTION_INTENTS = frozenset({BOT_CHALLENGE, OUT_OF_SCOPE, ASK_CAPABILITIES, *RIGHTS_TOPICS})
# Messages that come first in the intake, whatever the step: danger, despair, the wish to stop.
INTAKE_ALWAYS_INTERRUPT = frozenset({CRISIS, DISTRESS, STOP, RESTART, CHOOSE_LANGUAGE})
# Messages that leave the satisfaction survey instead of answering it.
SURVEY_INTERRUPTIONS = frozenset({CRISIS, STOP, RESTART, CHOOSE_LANGUAGE})
# How a conversation may end on purpose (statistics: anything else is a drop-off).
CLOSING_INTENTS = frozenset({GOODBYE, STOP})

# --- Entities ------------------------------------------------------------------------------------
LIFE_DOMAIN = "life_domain"
RELATION = "relation"
# a button's coded value: /choose{"choice": ...}
CHOICE = "choice"
# The language asked for (choose_language: the picker's buttons, or typed "can we speak English?")
LANGUAGE_ENTITY = "language"
# The language a message is written in, when language identification is sure (components/language_identifier.py)
MESSAGE_LANGUAGE = "message_language"

# --- Slots ---------------------------------------------------------------------------------------
LIFE_DOMAIN_SLOT = LIFE_DOMAIN
INTAKE_SLOT_PREFIX = "intake_"
INTAKE_CONSENT_SLOT = "intake_consent"
INTAKE_CONSENT_AT_SLOT = "intake_consent_at"
INTAKE_OFFERED_SLOT = "intake_offered"
HANDOFF_REFERENCE_SLOT = "handoff_reference"
MUNICIPALITY_SLOT = "municipality"
# The conversation's language (shared contract): every answer, button and form question is in it.
LANGUAGE_SLOT = "language"
# Languages already offered in this conversation (yes or no): each is offered once.
LANGUAGE_OFFERED_SLOT = "language_offered"
SATISFACTION_SLOT_PREFIX = "satisfaction_"
# Rasa's own slot: the slot a form asks for now (not listed in domain.yml).
REQUESTED_SLOT = "requested_slot"

# --- Intake steps (slot `intake_<step>`) ---------------------------------------------------------
# The steps in the order the form asks them; contact steps follow only after consent.
QUESTION_STEPS = (
    "relation",
    "life_domains",
    "situation",
    "what_matters",
    "goal",
    "network",
    "phase",
    "urgency",
    "supporter_kind",
    "language",
    "accessibility",
)
CONSENT_STEP = "consent"
CONTACT_STEPS = ("contact_method", "contact_detail")
INTAKE_STEPS = QUESTION_STEPS + (CONSENT_STEP,) + CONTACT_STEPS

# --- Urgency codes (intake step `urgency`; their labels are texts) ------------------------------
URGENT = "urgent"
SOON = "soon"
NO_RUSH = "no_rush"
URGENCIES = (URGENT, SOON, NO_RUSH)

# --- Actions and responses code names ------------------------------------------------------------
ACTION_FALLBACK = "action_fallback"
ACTION_CONTACT_HUMAN = "action_contact_human"
DISTRESS_CHECK_IN = "utter_distress_check_in"
ACTION_OFFER_LANGUAGE = "action_offer_language"
ACTION_SWITCH_LANGUAGE = "action_switch_language"

# --- Handoff statuses (table `handoffs`, CHECK ck_handoffs_status) -------------------------------
NEW = "new"
PICKED_UP = "picked_up"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
HANDOFF_STATUSES = (NEW, PICKED_UP, CLOSED, WITHDRAWN)

# --- Portal roles (table `accounts`, CHECK ck_accounts_role) -------------------------------------
SUPPORTER = "supporter"
COORDINATOR = "coordinator"
ADMINISTRATOR = "administrator"
STAFF = "staff"
ROLES = (SUPPORTER, COORDINATOR, ADMINISTRATOR, STAFF)
# Roles that work for one organisation (an account of theirs has one; others have none).
ORGANISATION_ROLES = (SUPPORTER, COORDINATOR)

# --- HTTP headers --------------------------------------------------------------------------------
# The conversation a REST request belongs to; the proxy hashes on it to keep it on one replica.
CONVERSATION_HEADER = "X-Wegwijs-Conversation"
# A webhook notification to an organisation: when, which event, and its HMAC signature.
TIMESTAMP_HEADER = "X-Wegwijs-Timestamp"
EVENT_HEADER = "X-Wegwijs-Event"
SIGNATURE_HEADER = "X-Wegwijs-Signature"

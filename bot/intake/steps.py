"""The intake: a resident's question put in order, step by step (vraagverheldering).

Plain data and validation; the conversation that fills it lives in the Rasa form `intake_form`.
Every step can be skipped: a skipped step holds SKIPPED, so it is not asked again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional, Tuple

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.contract import AFFIRM, CONSENT_STEP, CONTACT_STEPS, DENY, QUESTION_STEPS, URGENCIES
from bot.conversation.life_domains import known_domains

SKIPPED = "overgeslagen"

RELATIONS = ("zelf", "partner", "ouder", "kind", "familie", "ander")
PHASES = ("orienting", "preparing_conversation", "receiving_support", "disagreeing")
SUPPORTER_KINDS = ("volunteer", "professional", "expert_by_experience", "no_preference")
CONTACT_METHODS = ("phone", "email", "letter", "visit")
# The urgency buttons (URGENCIES, bot.contract); a resident may also type a date or explain in their own words.
# Free text a resident typed is kept to a sensible size; a supporter reads it, not a machine.
FREE_TEXT_LIMIT = 1000

# The steps in the order the form asks them (QUESTION_STEPS, CONTACT_STEPS: bot.contract); contact
# steps follow only after consent.
FREE_TEXT_STEPS = ("situation", "what_matters", "goal", "network", "urgency", "language", "accessibility")


@dataclass
class Intake:
    relation: Optional[str] = None
    life_domains: List[str] = field(default_factory=list)
    situation: Optional[str] = None
    what_matters: Optional[str] = None
    goal: Optional[str] = None
    network: Optional[str] = None
    phase: Optional[str] = None
    urgency: Optional[str] = None
    supporter_kind: Optional[str] = None
    language: Optional[str] = None
    accessibility: Optional[str] = None
    contact_method: Optional[str] = None
    contact_detail: Optional[str] = None

    @classmethod
    def from_values(cls, values: Dict[str, object]) -> "Intake":
        """Builds an intake from slot-like values, ignoring unknown keys and empty values."""
        known = {f.name for f in fields(cls)}
        kept: Dict[str, Any] = {k: v for k, v in values.items() if k in known and v not in (None, "", [])}
        # A skipped areas step holds the SKIPPED marker, not a list: keep only real areas.
        areas = kept.get("life_domains")
        kept["life_domains"] = known_domains(areas) if isinstance(areas, list) else []
        return cls(**kept)

    def answered(self, step: str) -> bool:
        value = getattr(self, step)
        return value not in (None, "", [], SKIPPED)

    def given(self, step: str) -> Optional[str]:
        """The answer to a step, or None when it was skipped or not asked."""
        return getattr(self, step) if self.answered(step) else None


def clean_free_text(text: str) -> Optional[str]:
    """A resident's own words: single-spaced, bounded; None when nothing readable is left."""
    from bot.conversation.text import clean_message, has_words

    cleaned = clean_message(text)
    if not has_words(cleaned):
        return None
    return cleaned[:FREE_TEXT_LIMIT]


def validate_phone(text: str) -> Optional[str]:
    """A Dutch (or international) phone number, formatted for a supporter to dial; else None."""
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_email_address(text: str) -> Optional[str]:
    """A syntactically valid e-mail address (no DNS lookup: residents may be offline), else None."""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


_POSTCODE = re.compile(r"\b[1-9][0-9]{3} ?[A-Za-z]{2}\b")


def validate_address(text: str) -> Optional[str]:
    """A postal address with a Dutch postcode and a house number, for a letter or a visit."""
    cleaned = clean_free_text(text)
    if not cleaned or not _POSTCODE.search(cleaned) or not re.search(r"\d", _POSTCODE.sub("", cleaned)):
        return None
    return cleaned


CONTACT_VALIDATORS = {
    "phone": validate_phone,
    "email": validate_email_address,
    "letter": validate_address,
    "visit": validate_address,
}


def validate_contact_detail(method: str, text: str) -> Tuple[Optional[str], str]:
    """(normalised detail or None, the kind of detail asked) for a contact method."""
    return CONTACT_VALIDATORS[method](text), method


# Typed answers to fixed-choice steps: regular expressions for the words residents use.
# Checked in order, so more specific choices come first.
_CHOICE_PATTERNS = {
    "relation": [
        ("zelf", r"\b(me|mij|mijn)zelf\b|\bvoor mij\b|\bik zelf\b|\bikzelf\b|^zelf$"),
        ("ouder", r"\b(moeder|vader|ouders?|mama|papa|mam|pap|schoonmoeder|schoonvader)\b"),
        ("kind", r"\b(zoon|dochter|kind|kinderen)\b"),
        ("partner", r"\b(partner|man|vrouw|echtgeno\w+)\b"),
        (
            "familie",
            r"\b(broer|zus|oma|opa|tante|oom|neef|nicht|familie|kleinkind\w*|kleinzoon|kleindochter)\b",
        ),
        ("ander", r"\b(buur\w*|vriend\w*|kennis|collega|iemand anders|ander)\b"),
    ],
    "phase": [
        ("disagreeing", r"niet eens|bezwaar|besluit|afgewezen|klacht"),
        ("preparing_conversation", r"gesprek|keukentafel|afspraak|melding"),
        ("receiving_support", r"\b(krijg|heb|ontvang) (nu )?al\b|al (hulp|zorg|ondersteuning)"),
        ("orienting", r"ori[eë]nt|rondkijk|kijken|informatie|weet (het )?nog niet"),
    ],
    "supporter_kind": [
        ("no_preference", r"maakt (me )?niet uit|geen voorkeur|allebei|om het even|maakt niks uit"),
        ("expert_by_experience", r"ervaring"),
        ("volunteer", r"vrijwillig"),
        ("professional", r"beroeps|professio|betaald"),
    ],
    "contact_method": [
        ("email", r"e-?mail|\bmail"),
        ("phone", r"\bbel|telefo|mobiel|whatsapp|\bsms"),
        ("letter", r"\bbrief|\bpost\b"),
        ("visit", r"langs|bezoek|thuis|afspraak"),
    ],
}
CHOICE_VALUES = {
    "relation": RELATIONS,
    "phase": PHASES,
    "supporter_kind": SUPPORTER_KINDS,
    "contact_method": CONTACT_METHODS,
}


def parse_choice(step: str, text: str) -> Optional[str]:
    """The choice a typed answer or button value means for a fixed-choice step, else None."""
    plain = (text or "").strip().lower()
    if plain in CHOICE_VALUES[step]:
        return plain
    for value, pattern in _CHOICE_PATTERNS[step]:
        if re.search(pattern, plain):
            return value
    return None


# A question of the resident's own: a question mark, a question word first, or a verb first with its
# subject after it ("kan ik", "kost het"). "kan niet wachten" or "binnen twee weken" are answers.
_QUESTION = re.compile(
    r"\?|^\s*(wat|hoe|wie|waar\w*|waarom|wanneer|welke?|hoeveel|hoelang)\b"
    r"|^\s*(kan|kun|kunt|mag|moet|is|zijn|heb|hebt|heeft|krijg|krijgt|kost|werkt|doet|wordt|ben|bent|zou|gaat)"
    r" (ik|je|jij|u|het|die|dat|deze|de|een|er|hij|zij|ze|we|wij|mijn|men|iemand)\b",
    re.IGNORECASE,
)


def asks_a_question(text: str) -> bool:
    """True when a message is shaped as a question, not as an answer to one."""
    return bool(_QUESTION.search(text or ""))


# The language a resident prefers to talk in with the supporter, by the conversation's language: stored
# under its Dutch name, which the social map's `languages` use too (matching prefers who speaks it).
SPOKEN = {
    "nl": "Nederlands",
    "en": "Engels",
    "tr": "Turks",
    "ar": "Arabisch",
    "pl": "Pools",
    "uk": "Oekraïens",
}
FREE_TEXT_CHOICES = {
    "niemand": "niemand",
    "geen": "geen",
    "nederlands": SPOKEN["nl"],
    **{code: name for code, name in SPOKEN.items() if code != "nl"},
    **{urgency: urgency for urgency in URGENCIES},
}


@dataclass(frozen=True)
class Answer:
    """What the resident sent in reply to an intake question, as the NLU understood it."""

    text: str
    intent: str
    choice: Optional[str] = None  # the value of a button they pressed
    areas: Tuple[str, ...] = ()  # areas of life in the message (intent or entities)
    relation: Optional[str] = None


@dataclass(frozen=True)
class Interpretation:
    """The value for the step (None: ask again), and which friendly message to add."""

    value: object
    retry: Optional[str] = None
    note: Optional[str] = None


def contact_method_of(intake: Intake) -> str:
    """How to contact the resident; a phone call when they skipped that question."""
    method = intake.given("contact_method")
    return method if method in CONTACT_METHODS else "phone"


def steps_for(consent: Optional[str]) -> Tuple[str, ...]:
    """The form's steps: questions, consent, and the contact steps only after a yes."""
    return QUESTION_STEPS + (CONSENT_STEP,) + (CONTACT_STEPS if consent == "yes" else ())


def _fixed_choice(step: str, answer: Answer) -> Interpretation:
    for candidate in (answer.choice, answer.relation if step == "relation" else None, answer.text):
        value = parse_choice(step, candidate) if candidate else None
        if value:
            note = "objection_deadline" if value == "disagreeing" else None
            return Interpretation(value, note=note)
    return Interpretation(None, retry="choice_retry")


def _life_domains(answer: Answer, mentioned: List[str]) -> Interpretation:
    if answer.choice:
        return Interpretation([answer.choice])
    if answer.areas:
        return Interpretation(list(answer.areas))
    if answer.intent == AFFIRM and mentioned:
        return Interpretation(list(mentioned))
    if answer.intent == DENY:
        return Interpretation(None)  # ask again, now with every area to choose from
    return Interpretation(None, retry="choice_retry")


def _consent(answer: Answer) -> Interpretation:
    if answer.intent == AFFIRM or answer.choice == "yes":
        return Interpretation("yes")
    if answer.intent == DENY or answer.choice == "no":
        return Interpretation("no", note="no_consent_note")
    return Interpretation(None, retry="choice_retry")


def _free_text(answer: Answer) -> Interpretation:
    if answer.choice in FREE_TEXT_CHOICES:
        return Interpretation(FREE_TEXT_CHOICES[answer.choice])
    cleaned = clean_free_text(answer.text)
    return Interpretation(cleaned) if cleaned else Interpretation(None, retry="empty_retry")


def interpret(step: str, answer: Answer, intake: Intake, mentioned: List[str]) -> Interpretation:
    """The meaning of an answer to one intake step. `mentioned`: areas told before the intake."""
    if answer.intent == "skip":
        return (
            Interpretation("no", note="no_consent_note") if step == CONSENT_STEP else Interpretation(SKIPPED)
        )
    if step in CHOICE_VALUES:
        return _fixed_choice(step, answer)
    if step == "life_domains":
        return _life_domains(answer, mentioned)
    if step == CONSENT_STEP:
        return _consent(answer)
    if step == "contact_detail":
        detail, method = validate_contact_detail(contact_method_of(intake), answer.text)
        return (
            Interpretation(detail) if detail else Interpretation(None, retry=f"contact_detail_retry.{method}")
        )
    return _free_text(answer)

"""What Wegwijs says during the intake and the handoff, built from the text catalogue (bot/catalogue/nl/intake.yml)."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Optional

import numpy
from babel.dates import format_date

from bot import catalogue, contract
from bot.conversation.fallback import topic_titles
from bot.conversation.life_domains import life_domains
from bot.conversation.reply import Button, Reply
from bot.intake.steps import CONTACT_STEPS, QUESTION_STEPS, Intake, contact_method_of
from bot.intake.summary import labels, readable, summary_text
from bot.municipality.profile import Municipality
from bot.municipality.social_map import Match


def texts() -> Dict[str, Any]:
    return catalogue.entry("intake")


def choose(value: str) -> str:
    """The payload of a button that picks `value` for the current step."""
    return '/choose{"choice": "%s"}' % value


def ask_life_domains(mentioned: List[str]) -> Reply:
    """Confirm the areas the resident already mentioned, or let them pick one."""
    if mentioned:
        areas = texts()["and"].join(life_domains()[d].label for d in mentioned)
        return Reply(
            texts()["life_domains_prefilled"].format(areas=areas),
            [
                Button(texts()["life_domains_prefilled_yes"], "/affirm"),
                Button(texts()["life_domains_prefilled_no"], "/deny"),
            ],
        )
    buttons = [Button(topic_titles()[f"domain_{value}"], choose(value)) for value in life_domains()]
    return Reply(texts()["life_domains_open"], buttons + [Button(texts()["skip"], "/skip")])


def ask_consent() -> Reply:
    return Reply(
        texts()["consent"],
        [Button(texts()["consent_yes"], "/affirm"), Button(texts()["consent_no"], "/deny")],
    )


def _button(spec: Dict[str, str]) -> Button:
    """A button of intake.yml; an urgency button without a title shows the one urgency label (handoff.yml)."""
    title = spec.get("title") or catalogue.first_upper(catalogue.entry("handoff.urgency")[spec["choice"]])
    return Button(title, choose(spec["choice"]) if "choice" in spec else spec["payload"])


def question(step: str, intake: Intake, mentioned: List[str]) -> Reply:
    """The question for one intake step; some depend on what the resident said before."""
    if step == "life_domains":
        return ask_life_domains(mentioned)
    if step == "consent":
        return ask_consent()
    if step == "contact_detail":
        return Reply(texts()["contact_detail"][contact_method_of(intake)])
    spec = texts()["questions"][step]
    buttons = [_button(b) for b in spec.get("buttons", [])]
    speaking = catalogue.current_language()
    if step == "language" and speaking != contract.DUTCH:
        # The language of this conversation first, by its own name: the supporter sees it, matching prefers it.
        buttons.insert(0, Button(catalogue.text("language.name"), choose(speaking)))
    return Reply(spec["text"], buttons)


def summary(intake: Intake, consent: bool) -> List[Reply]:
    steps = QUESTION_STEPS + (CONTACT_STEPS if consent else ())
    return [
        Reply(summary_text(intake, steps)),
        Reply(
            texts()["summary_question"],
            [Button(texts()["summary_yes"], "/affirm"), Button(texts()["summary_change"], "/correct_intake")],
        ),
    ]


def correction_question(intake: Intake, consent: bool) -> Reply:
    """One button per part of the summary, showing what it says now."""
    steps = QUESTION_STEPS + (CONTACT_STEPS if consent else ())
    buttons = [Button(f"{labels()[step]}: {readable(intake, step)}"[:60], choose(step)) for step in steps]
    return Reply(texts()["correction_question"], buttons)


def _organisation_lines(match: Match) -> str:
    organisation = match.organisation
    lines = [
        f"{organisation.name}: {organisation.description}",
        match.explanation(),
        texts()["offer_phone"].format(phone=organisation.contact.phone),
    ]
    if organisation.capacity_note:
        lines.append(organisation.capacity_note)
    return "\n".join(lines)


def offer(matches: List[Match], consent: bool, municipality: Municipality) -> List[Reply]:
    """The fitting organisations; with consent, buttons to choose one (or no preference); without,
    the conversation is erased."""
    desk = municipality.client_support
    erased = [] if consent else [Reply(texts()["erased_without_consent"], erases=True)]
    if not matches:
        return [Reply(texts()["offer_none"].format(desk=desk.name, phone=desk.phone))] + erased
    replies = [Reply(texts()["offer_intro"])] + [Reply(_organisation_lines(m)) for m in matches]
    if not consent:
        return replies + [Reply(texts()["offer_without_consent"])] + erased
    buttons = [Button(m.organisation.name, choose(m.organisation.id)) for m in matches]
    return replies + [
        Reply(texts()["offer_choose"], buttons + [Button(texts()["offer_no_preference"], choose("none"))])
    ]


def contact_deadline(today: date, working_days: int) -> date:
    """The date `working_days` working days (Monday to Friday) after today."""
    return numpy.busday_offset(numpy.datetime64(today, "D"), working_days, roll="forward").astype(date)


def written_date(day: date) -> str:
    """ "maandag 5 mei", "Monday 5 May", ...: Babel's CLDR data, in the pattern of the language being spoken."""
    language = catalogue.current_language()
    return format_date(day, texts()["date_format"], locale=language)


def handoff_done(
    reference: str, organisation_name: Optional[str], intake: Intake, municipality: Municipality, today: date
) -> List[Reply]:
    desk = municipality.client_support
    deadline = contact_deadline(today, municipality.contact_time.working_days)
    contact = readable(intake, "contact_method")
    return [
        Reply(
            texts()["handoff_done"].format(
                organisation=organisation_name or desk.name,
                reference=reference,
                deadline=texts()["deadline"].format(date=written_date(deadline)),
                contact=contact,
            )
        ),
        Reply(
            texts()["handoff_withdraw"].format(desk=desk.name, phone=desk.phone),
            [Button(texts()["handoff_withdraw_button"], "/withdraw_handoff")],
        ),
        satisfaction_offer(),
    ]


WITHDRAW = "withdraw"


def withdraw_confirm(reference: str) -> Reply:
    return Reply(
        texts()["withdraw_confirm"].format(reference=reference),
        [Button(texts()["withdraw_yes"], choose(WITHDRAW)), Button(texts()["withdraw_no"], "/deny")],
    )


def withdraw_done(reference: str) -> Reply:
    """Erases the conversation too (bot/privacy/erasure.py): the words and contact detail it holds."""
    return Reply(texts()["withdraw_done"].format(reference=reference), erases=True)


def withdraw_none(municipality: Municipality) -> Reply:
    desk = municipality.client_support
    return Reply(texts()["withdraw_none"].format(desk=desk.name, phone=desk.phone))


def withdraw_unavailable(municipality: Municipality) -> Reply:
    desk = municipality.client_support
    return Reply(
        texts()["withdraw_unavailable"].format(desk=desk.name, phone=desk.phone),
        [Button(texts()["handoff_retry"], choose(WITHDRAW))],
    )


def satisfaction_offer() -> Reply:
    """The optional satisfaction questions; 'no' stops, which the conversation rules answer."""
    return Reply(
        texts()["satisfaction_offer"],
        [
            Button(texts()["satisfaction_yes"], "/start_satisfaction"),
            Button(texts()["satisfaction_no"], "/stop"),
        ],
    )


def handoff_unavailable(municipality: Municipality, retry_payload: str) -> Reply:
    desk = municipality.client_support
    return Reply(
        texts()["handoff_unavailable"].format(desk=desk.name, phone=desk.phone),
        [Button(texts()["handoff_retry"], retry_payload)],
    )

"""A summary to take along: the resident's own intake summary as a page to print, in their language and
in Dutch side by side, for the conversation with the municipality.

The page holds nothing of its own. Every time it is opened it reads the conversation from Rasa's
tracker (the one place the answers are, bot/web/widget/relay.py) and shows the summary only while the
conversation still holds it: after stop, restart, the offer without consent, a withdrawal
(bot/privacy/erasure.py) or the end of the session there is nothing to show, and the page says so.
The link to it is signed apart from the conversation (tokens.SummaryLinks) and works for a short time.

What the resident typed is shown as typed, in both columns: Wegwijs does not translate it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Dict, Iterable, List, Optional, Tuple

from bot import catalogue, contract
from bot.conversation.language import conversation_language, text_direction
from bot.intake.steps import Intake
from bot.intake.summary import labels, readable
from bot.privacy import erasure

SUMMARY_ACTION = "action_show_intake_summary"
SESSION_STARTED = "session_started"


@dataclass(frozen=True)
class TakeAlong:
    """What the page shows: the intake as the summary showed it, and in which language."""

    intake: Intake
    consent: bool
    language: str

    @property
    def steps(self) -> Tuple[str, ...]:
        # The same parts as the summary in the chat (bot/intake/replies.py summary()).
        return contract.QUESTION_STEPS + (contract.CONTACT_STEPS if self.consent else ())


@dataclass(frozen=True)
class Column:
    """One language's side of the page."""

    language: str
    direction: str
    name: str  # the language's own name: "Türkçe", "Nederlands"
    texts: Dict[str, str]
    rows: List[Tuple[str, str]]  # (label, what the resident said)


def page_languages(language: str) -> List[str]:
    """The resident's language first, then Dutch (for the municipality); Dutch alone when it is Dutch."""
    return [language] if language == contract.DUTCH else [language, contract.DUTCH]


def _current_session(events: Iterable[object]) -> List[dict]:
    """The events since the latest session start (Rasa resets the slots there)."""
    kept: List[dict] = []
    for event in events:
        if not isinstance(event, dict):
            continue
        if event.get("event") == SESSION_STARTED:
            kept = []
        kept.append(event)
    return kept


def _erases(event: dict) -> bool:
    return bool(event.get(erasure.ERASED)) or erasure.erases([event])


def take_along(tracker: object, session_minutes: float, now: Optional[float] = None) -> Optional[TakeAlong]:
    """The summary a tracker (Rasa's HTTP API) still holds, or None: no conversation, no summary shown
    yet, erased since it was shown (stop, restart, no consent, a withdrawal), or the session has ended
    (idle longer than the session time: the retention run erases it)."""
    if not isinstance(tracker, dict):
        return None
    events = _current_session(tracker.get("events") or [])
    times = [e["timestamp"] for e in events if isinstance(e.get("timestamp"), (int, float))]
    now = time.time() if now is None else now
    if not times or now - max(times) > session_minutes * 60:
        return None
    erased_at = max((n for n, event in enumerate(events) if _erases(event)), default=-1)
    shown_at = max(
        (
            n
            for n, event in enumerate(events)
            if event.get("event") == "action" and event.get("name") == SUMMARY_ACTION
        ),
        default=-1,
    )
    if shown_at <= erased_at:
        return None
    slots = tracker.get("slots")
    if not isinstance(slots, dict):
        return None
    prefix = contract.INTAKE_SLOT_PREFIX
    intake = Intake.from_values(
        {name[len(prefix) :]: value for name, value in slots.items() if name.startswith(prefix)}
    )
    if not any(intake.answered(step) for step in contract.QUESTION_STEPS + contract.CONTACT_STEPS):
        return None
    return TakeAlong(
        intake,
        consent=slots.get(contract.INTAKE_CONSENT_SLOT) == "yes",
        language=conversation_language(slots),
    )


def _page_texts(municipality: str, today: date) -> Dict[str, str]:
    from bot.intake.replies import written_date

    return {
        "title": catalogue.text("widget.summary_page.title"),
        "intro": catalogue.text("widget.summary_page.intro", municipality=municipality),
        "made": catalogue.text("widget.summary_page.made", date=written_date(today)),
        "own_words": catalogue.text("widget.summary_page.own_words"),
        "print": catalogue.text("widget.summary_page.print"),
    }


def columns(summary: TakeAlong, municipality: str, today: Optional[date] = None) -> List[Column]:
    today = today or date.today()
    made = []
    for language in page_languages(summary.language):
        with catalogue.speaking(language):
            made.append(
                Column(
                    language=language,
                    direction=text_direction(language),
                    name=catalogue.text("language.name"),
                    texts=_page_texts(municipality, today),
                    rows=[(labels()[step], readable(summary.intake, step)) for step in summary.steps],
                )
            )
    return made


# Why there is no summary to show: the page says it in the resident's language and in Dutch.
GONE, EXPIRED, UNREACHABLE = "gone", "expired", "unreachable"


def notice_columns(reason: str, language: str) -> List[Column]:
    made = []
    for each in page_languages(language):
        with catalogue.speaking(each):
            notices = {
                GONE: catalogue.text("widget.summary_page.gone"),
                EXPIRED: catalogue.text("widget.summary_page.expired"),
                UNREACHABLE: catalogue.text("widget.summary_page.unreachable"),
            }
            made.append(
                Column(
                    language=each,
                    direction=text_direction(each),
                    name=catalogue.text("language.name"),
                    texts={"title": catalogue.text("widget.summary_page.title"), "notice": notices[reason]},
                    rows=[],
                )
            )
    return made


def summary_language(replies: Iterable[dict]) -> Optional[str]:
    """The language of the summary question among the bot's replies (bot/intake/replies.py summary()),
    or None when the summary was not shown in this turn."""
    questions = {
        catalogue.text("intake.summary_question", language): language for language in contract.LANGUAGES
    }
    for reply in replies:
        text = reply.get("text") if isinstance(reply, dict) else None
        if isinstance(text, str) and text in questions:
            return questions[text]
    return None

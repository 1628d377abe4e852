"""Typed text is a command only when it is a button the bot offered in its last message."""

import asyncio

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from serving.typed_commands import commands_only_when_offered

YES_NO = {"buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}]}


def read_as(text: str, *events) -> str:
    """The text Rasa's parse (and the stored message) gets for what the resident sent."""
    seen = []

    async def rasa_parse(message, tracker, only_output_properties):
        seen.append(message.text)
        return {}

    tracker = DialogueStateTracker.from_events("resident", list(events))
    asyncio.run(commands_only_when_offered(rasa_parse)(UserMessage(text, sender_id="resident"), tracker))
    return seen[0]


def test_a_button_of_the_last_bot_message_is_a_command_any_other_slash_text_is_words():
    asked = [UserUttered("hallo"), BotUttered("Klopt dit?", YES_NO), ActionExecuted("action_listen")]
    assert read_as("/affirm", *asked) == "/affirm"
    assert read_as("/start_intake", *asked) == "start_intake"
    assert read_as('/affirm{"intake_phone": "0612345678"}', *asked) == 'affirm{"intake_phone": "0612345678"}'


def test_buttons_of_an_earlier_message_are_not_offered_any_more():
    events = [BotUttered("Klopt dit?", YES_NO), UserUttered("ja"), BotUttered("Goed.")]
    assert read_as("/affirm", *events) == "affirm"
    assert read_as("/affirm") == "affirm"  # a new conversation: nothing offered yet


def test_after_an_undone_turn_the_buttons_before_it_are_still_offered():
    events = [
        UserUttered("hallo"),
        BotUttered("Klopt dit?", YES_NO),
        ActionExecuted("action_listen"),
        UserUttered("/affirm"),
        BotUttered("never shown", {"buttons": [{"title": "x", "payload": "/x"}]}),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
    ]
    assert read_as("/affirm", *events) == "/affirm"
    assert read_as("/x", *events) == "x"


def test_the_widgets_restart_control_is_always_offered():
    assert read_as("/restart", UserUttered("hallo"), BotUttered("Hoi")) == "/restart"


def test_the_widgets_language_picker_is_always_offered_and_nothing_else_of_its_kind():
    picked = '/choose_language{"language": "ar"}'
    assert read_as(picked, UserUttered("hallo"), BotUttered("Hoi")) == picked
    assert read_as('/choose_language{"language": "xx"}', UserUttered("hallo"), BotUttered("Hoi")) != (
        '/choose_language{"language": "xx"}'
    )

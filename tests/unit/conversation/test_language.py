"""Which language a message is in, which language the answers are in, and the offer to switch."""

import pytest

from bot import catalogue
from bot.conversation.language import (
    identify,
    language_in,
    offer,
    picker,
    should_offer,
    switched,
    text_direction,
    turn_language,
)


@pytest.mark.parametrize(
    "message, language",
    [
        ("Ik heb een vraag over mijn huur en de huurtoeslag", "nl"),
        ("Hello, can somebody help me with my rent please", "en"),
        ("Merhaba, belediyeden yardım alabilir miyim acaba?", "tr"),
        ("Dzień dobry, potrzebuję pomocy z czynszem za mieszkanie", "pl"),
        ("مرحبا", "ar"),  # Arabic script: no model needed, even for one word
        ("Доброго дня, мені потрібна допомога", "uk"),
    ],
)
def test_a_clear_message_is_identified(message, language):
    assert identify(message) == language


@pytest.mark.parametrize("message", ["ok", "hallo", "pgb?", "wmo", "ja graag", "", "🙂🙂🙂", "asdf jkl"])
def test_a_short_or_unclear_message_is_not_identified(message):
    assert identify(message) is None


def test_the_answers_follow_the_message_else_the_conversation():
    assert turn_language({"language": "tr"}, None) == "tr"
    assert turn_language({"language": "tr"}, "pl") == "pl"
    assert turn_language({}, None) == "nl"
    assert turn_language({"language": "klingon"}, "xx") == "nl"


def test_the_message_language_is_read_from_the_parse_result():
    entities = [{"entity": "life_domain", "value": "wonen"}, {"entity": "message_language", "value": "uk"}]
    assert language_in(entities) == "uk"
    assert language_in([{"entity": "message_language", "value": "xx"}]) is None


def test_each_language_is_offered_once_and_never_the_current_one():
    assert should_offer("tr", {"language": "nl"})
    assert not should_offer("nl", {"language": "nl"})
    assert not should_offer("tr", {"language": "nl", "language_offered": ["tr"]})
    assert not should_offer(None, {"language": "nl"})


def test_the_offer_is_asked_in_the_offered_language_with_both_ways_as_buttons():
    reply = offer("tr", "nl")
    assert reply.text == catalogue.text("language.offer", "tr")
    assert [b.payload for b in reply.buttons] == [
        '/choose_language{"language": "tr"}',
        '/choose_language{"language": "nl"}',
    ]
    assert reply.buttons[0].title == catalogue.text("language.offer_yes", "tr")


def test_the_switch_is_confirmed_in_the_new_language():
    assert switched("uk").text == catalogue.text("language.switched", "uk")


def test_the_picker_names_every_language_in_its_own_words():
    titles = [b.title for b in picker("nl").buttons]
    assert titles == ["Nederlands", "English", "Türkçe", "العربية", "Polski", "Українська"]


def test_arabic_is_written_right_to_left():
    assert text_direction("ar") == "rtl" and text_direction("pl") == "ltr"

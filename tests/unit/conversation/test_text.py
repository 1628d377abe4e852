import unicodedata

import ujson
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation.text import (
    MODEL_TEXT_LIMIT,
    REPLACEMENT,
    as_text_unless_offered,
    at_the_door,
    clean_message,
    for_model,
    has_words,
    strip_markup,
    within_limit_at_the_door,
)
from tests.fuzz_messages import messages


def test_scripts_and_tags_are_removed_text_kept():
    assert clean_message("<script>alert('x')</script><b>Hallo</b> daar") == "Hallo daar"


def test_entities_are_decoded():
    assert strip_markup("kosten &amp; eigen bijdrage") == "kosten & eigen bijdrage"


def test_plain_text_with_a_less_than_sign_survives():
    assert clean_message("ik heb < 100 euro") == "ik heb < 100 euro"


def test_control_characters_become_spaces():
    assert clean_message("hallo\x00\x1b[31m daar\u200b!") == "hallo [31m daar !"


def test_long_messages_are_cut_at_a_word_for_the_model():
    text = "woord " * 5000
    cut = for_model(text)
    assert len(cut) <= MODEL_TEXT_LIMIT
    assert cut.endswith("woord")


def test_emoji_only_has_no_words():
    assert not has_words(clean_message("😢😢🙏"))
    assert has_words("help 😢")


def test_empty_and_none_are_empty():
    assert clean_message("") == ""
    assert clean_message(None) == ""


# --- at the door: what the widget edge and the REST channel let in ---------------------------------


# Every code point, unpaired surrogates included (hypothesis leaves those out unless asked).
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)


def test_unpaired_surrogates_and_noncharacters_are_replaced():
    assert at_the_door("abc \ud83d def \ude00") == f"abc {REPLACEMENT} def {REPLACEMENT}"
    assert at_the_door("a\ufdd0b\uffffc\U0001fffe") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}"


def test_controls_and_bidi_overrides_go_line_breaks_and_emoji_stay():
    assert (
        at_the_door("\x00hallo\x1b[31m\u202edaar\u2066\r\nnieuwe regel\x7f") == "hallo[31mdaar\nnieuwe regel"
    )
    assert at_the_door("gezin 👨‍👩‍👧 🏳️‍🌈") == "gezin 👨‍👩‍👧 🏳️‍🌈"


def test_text_is_composed_as_nfc():
    assert at_the_door("cliënt") == "cliënt" == unicodedata.normalize("NFC", "cliënt")
    assert at_the_door("e\x00\u0301") == "\u00e9"  # the control between letter and accent goes first


def test_the_length_limit_counts_the_cleaned_text_and_refuses_a_far_longer_one_uncleaned():
    assert within_limit_at_the_door("a\x00b\x00c\x00", 3) == "abc"
    assert within_limit_at_the_door("abcd", 3) is None
    assert within_limit_at_the_door("\x00" * 13, 3) is None  # more than four times the limit


def readable_as_command(text: str) -> bool:
    return YAMLStoryReader.unpack_regex_message(Message({TEXT: text})).get(INTENT) is not None


def test_typed_commands_become_words_unless_the_bot_offered_that_button():
    offered = {"/affirm", '/choose{"choice": "zelf"}'}
    assert as_text_unless_offered('/choose{"choice": "zelf"}', offered) == '/choose{"choice": "zelf"}'
    assert readable_as_command(as_text_unless_offered("/affirm", offered))
    typed = '/start_intake{"intake_phone": "0612345678"}'
    assert as_text_unless_offered(typed, offered) == 'start_intake{"intake_phone": "0612345678"}'
    assert as_text_unless_offered(" / //greet", set()) == "greet"
    assert as_text_unless_offered("/", set()) == ""
    assert as_text_unless_offered("kost het geld?", set()) == "kost het geld?"


def assert_safe_at_the_door(raw: str) -> None:
    cleaned = at_the_door(raw)
    cleaned.encode("utf-8")  # valid Unicode: no unpaired surrogate left
    ujson.dumps({"text": cleaned}, ensure_ascii=False)  # what goes to the action server
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not [ch for ch in cleaned if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    assert at_the_door(cleaned) == cleaned
    assert not readable_as_command(as_text_unless_offered(cleaned, set()))


def test_ten_thousand_fuzzed_messages_come_through_the_door_safe():
    for raw in messages(10_000):
        assert_safe_at_the_door(raw)


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT)
def test_any_text_comes_through_the_door_safe(raw):
    assert_safe_at_the_door(raw)

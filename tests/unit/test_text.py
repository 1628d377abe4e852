from bot.text import MODEL_TEXT_LIMIT, clean_message, for_model, has_words, strip_markup


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

"""The custom NLU components on real Rasa messages."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.crisis_safety_net import CrisisSafetyNet
from components.input_guard import RAW_TEXT, InputGuard


def classified(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={TEXT: text})
    message.set(RAW_TEXT, text)
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(
        INTENT_RANKING_KEY,
        [{"name": intent, "confidence": confidence}, {"name": "crisis", "confidence": 0.1}],
    )
    return message


def test_input_guard_cleans_text_and_keeps_the_raw_message():
    typed = "<b>wat kost</b>\x00 het?" + " lang" * 1000
    (message,) = InputGuard().process([Message(data={TEXT: typed})])
    assert message.get(TEXT).startswith("wat kost het? lang")
    assert len(message.get(TEXT)) <= 2000
    assert message.get(RAW_TEXT) == typed


def test_input_guard_leaves_training_data_alone():
    data = TrainingData([Message(data={TEXT: "  twee  spaties ", INTENT: "greet"})])
    assert InputGuard().process_training_data(data).training_examples[0].get(TEXT) == "  twee  spaties "


def test_safety_net_overrides_any_intent_and_puts_crisis_on_top():
    (message,) = CrisisSafetyNet().process(
        [classified("ik heb schulden en wil dood", "domain_geldzaken", 0.9)]
    )
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0]["name"] == "crisis" and [r["name"] for r in ranking].count("crisis") == 1
    assert message.get("safety_net") == {"category": "suicide"}


def test_safety_net_overrides_the_fallback_too():
    (message,) = CrisisSafetyNet().process([classified("zelfmoort", "nlu_fallback", 0.4)])
    assert message.get(INTENT)["name"] == "crisis"


def test_safety_net_scans_the_whole_raw_message_beyond_the_model_limit():
    long_story = "ik heb een vraag over de wmo. " * 200 + "en eigenlijk wil ik niet meer leven"
    message = classified(long_story[:2000], "ask_kitchen_table_talk", 0.8)
    message.set(RAW_TEXT, long_story)
    (message,) = CrisisSafetyNet().process([message])
    assert message.get(INTENT)["name"] == "crisis"


def test_safety_net_leaves_ordinary_messages_alone():
    (message,) = CrisisSafetyNet().process([classified("wat kost het", "ask_cost", 0.95)])
    assert message.get(INTENT) == {"name": "ask_cost", "confidence": 0.95}
    assert message.get("safety_net") is None


def test_a_message_without_words_reaches_the_model_as_a_placeholder():
    (message,) = InputGuard().process([Message(data={TEXT: "<script>x</script>\x00 😢"})])
    assert message.get(TEXT) == "?"


def test_a_message_without_words_is_a_fallback_not_a_guess():
    (message,) = CrisisSafetyNet().process([classified("😢😢", "greet", 0.6)])
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}


def test_despair_gets_the_distress_check_in_not_the_crisis_interruption():
    (message,) = CrisisSafetyNet().process(
        [classified("ik zie het echt niet meer zitten met al die brieven", "domain_geldzaken", 0.6)]
    )
    assert message.get(INTENT)["name"] == "distress"


def test_the_model_keeps_crisis_when_despair_words_come_with_it():
    (message,) = CrisisSafetyNet().process([classified("ik zie het niet meer zitten", "crisis", 0.8)])
    assert message.get(INTENT)["name"] == "crisis"


def test_keyboard_mashing_is_a_fallback_not_a_yes():
    (message,) = CrisisSafetyNet().process([classified("asdf jklm qwerty", "affirm", 0.5)])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_a_misspelled_word_the_model_is_sure_of_is_kept():
    (message,) = CrisisSafetyNet().process([classified("thnx", "thanks", 0.9)])
    assert message.get(INTENT) == {"name": "thanks", "confidence": 0.9}


@pytest.mark.parametrize("second, expected", [("distress", "distress"), ("domain_wonen", "nlu_fallback")])
def test_a_message_torn_between_distress_and_a_situation_gets_the_check_in(second, expected):
    message = classified("ik weet het allemaal niet meer, ik heb schulden", "nlu_fallback", 0.3)
    message.set(
        INTENT_RANKING_KEY,
        [
            {"name": "nlu_fallback", "confidence": 0.3},
            {"name": "domain_geldzaken", "confidence": 0.49},
            {"name": second, "confidence": 0.48},
        ],
    )
    (message,) = CrisisSafetyNet().process([message])
    assert message.get(INTENT)["name"] == expected

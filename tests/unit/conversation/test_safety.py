"""The keyword safety net: crisis messages are caught, everyday phrases are not."""

import pytest

from bot.conversation.safety import concern, detect, normalise
from tools.nlu_files import REALISTIC_FILE, TRAINING_FILES, nlu_examples


@pytest.mark.parametrize(
    "message, category",
    [
        ("ik wil dood", "suicide"),
        ("Ik denk aan zelfmoort", "suicide"),
        ("suïcidale gedachten, al weken", "suicide"),
        ("ik zie het echt niet meer zitten, ik wil er niet meer zijn", "suicide"),
        ("de pillen liggen klaar op tafel", "suicide"),
        ("ik hoor de buurman zijn kinderen slaan, ze gillen en er vallen klappen", "violence"),
        ("ik heb schulden en ik wil er een eind aan maken", "suicide"),
        ("mijn man slaat me en nu wil de gemeente ook nog mijn huur", "violence"),
        ("ik word mishandelt door mijn zoon", "violence"),
        ("mijn vader ligt bewusteloos in de keuken", "acute"),
        ("ZELFMOORD", "suicide"),
        ("ik denk aan zelfmoordd", "suicide"),
    ],
)
def test_danger_is_detected_with_its_category(message, category):
    alarm = detect(message)
    assert alarm is not None and alarm.category == category


@pytest.mark.parametrize(
    "message",
    [
        "ik ben doodmoe van al die formulieren",
        "ik schrik me dood van die brief van de gemeente",
        "mijn vader is vorig jaar overleden en nu moet ik zijn zaken regelen",
        "dat slaat nergens op, waarom moet ik zo lang wachten",
        "na mijn beroerte kan ik mijn arm niet meer gebruiken",
        "wat een geweldig idee",
        "kan ik mijn paspoort hier aanvragen",
        "ik zorg voor mijn zus sinds onze ouders er niet meer zijn",
        "mijn man heeft na zijn beroerte veel verzorging nodig",
        "mijn zoon is boos en slaat met deuren",
        "ik zie het niet meer zitten met al die formulieren",
    ],
)
def test_everyday_phrases_raise_no_alarm(message):
    assert detect(message) is None


def test_every_crisis_training_example_is_caught_by_the_net_alone():
    crisis = [text for path in TRAINING_FILES for intent, text in nlu_examples(path) if intent == "crisis"]
    missed = [text for text in crisis if detect(text) is None]
    assert len(crisis) >= 80
    assert missed == []


def test_the_net_catches_nearly_all_unseen_crisis_messages():
    crisis = [text for intent, text in nlu_examples(REALISTIC_FILE) if intent == "crisis"]
    caught = sum(detect(text) is not None for text in crisis)
    assert caught / len(crisis) >= 0.95


def test_false_alarms_on_other_messages_stay_rare():
    others = [
        text
        for path in [*TRAINING_FILES, REALISTIC_FILE]
        for intent, text in nlu_examples(path)
        if intent != "crisis"
    ]
    alarms = [text for text in others if detect(text)]
    assert len(alarms) <= len(others) * 0.005, alarms


@pytest.mark.parametrize(
    "message", ["ik zie het niet meer zitten", "ik ben ten einde raad", "ik kan niet meer"]
)
def test_despair_is_a_concern_not_an_alarm(message):
    assert concern(message) and detect(message) is None


def test_ordinary_questions_are_no_concern():
    assert not concern("wat kost een cliëntondersteuner?")


def test_normalise_removes_accents_case_and_punctuation():
    assert normalise("Suïcide!!  Nu?") == "suicide nu"

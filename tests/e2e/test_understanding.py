"""Understanding residents as they write, over REST with the real Rasa and action servers: answers in
the polarity of a yes/no question, a check-in for despair, typed intake answers, gibberish."""

import pytest

from tests.e2e.conftest import payloads, text_of
from tests.e2e.intake_path import press

pytestmark = pytest.mark.e2e
CHECK_IN = "Is er nu iemand in gevaar?"


@pytest.mark.parametrize(
    "question, first_word",
    [
        ("is het gratis?", "Ja"),
        ("kost een cliëntondersteuner iets?", "Nee"),
        ("moet ik betalen voor zo'n ondersteuner?", "Nee"),
        ("heb ik een verwijzing van de huisarts nodig?", "Nee"),
        ("mag ik zelf contact opnemen zonder verwijzing?", "Ja"),
        ("werkt de ondersteuner voor de gemeente?", "Nee"),
        ("is de cliëntondersteuner onafhankelijk?", "Ja"),
        ("mag ik iemand meenemen naar het gesprek?", "Ja"),
        ("moet ik een beperking hebben voor cliëntondersteuning?", "Nee"),
        ("is cliëntondersteuning ook voor mantelzorgers?", "Ja"),
    ],
)
def test_a_yes_no_question_is_answered_yes_or_no_first(resident, question, first_word):
    answer = text_of(resident.says(question))
    assert answer.split()[0].strip(".,") == first_word, answer


def test_an_open_question_gets_the_facts_without_a_yes_or_no(resident):
    answer = text_of(resident.says("wat kost een cliëntondersteuner?"))
    assert "gratis" in answer and answer.split()[0].strip(".,") not in ("Ja", "Nee")


def test_the_supporter_is_said_to_be_independent_of_the_municipality(resident):
    answer = text_of(resident.says("werkt zo iemand eigenlijk gewoon voor de gemeente?"))
    assert (
        answer.startswith("Nee") and "onafhankelijk" in answer and "beslist niet over uw aanvraag" in answer
    )


def test_despair_gets_a_check_in_not_the_emergency_interruption(resident):
    replies = resident.says("ik ben zo moe van alles, ik kan het allemaal niet meer aan")
    text = text_of(replies)
    assert CHECK_IN in text and "0800-0113" in text and "112" not in text
    assert payloads(replies) == ["/affirm", "/deny"]
    assert "Vertel gerust verder" in text_of(resident.says("nee"))
    assert "gratis" in text_of(resident.says("kost het iets?"))


def test_danger_after_the_check_in_gets_the_crisis_answer(resident):
    replies = resident.says("ik ben helemaal op, ik trek het niet meer")
    crisis = text_of(press(resident, replies, "Ja, er is nu gevaar"))
    assert "112" in crisis and "0800-2000" in crisis


def test_despair_in_the_intake_is_checked_in_and_the_same_question_follows(resident):
    resident.says("ik wil graag een clientondersteuner")
    question = text_of(resident.says("voor mezelf"))
    replies = resident.says("sorry, ik trek het gewoon niet meer, al die instanties")
    assert CHECK_IN in text_of(replies)
    after = text_of(press(resident, replies, "Nee, niemand"))
    assert "verder met de vragen" in after and question.splitlines()[-1] in after


def test_every_intake_answer_can_be_typed(resident):
    resident.says("ik heb schulden en de huur is te hoog")
    assert "Voor wie" in text_of(resident.says("ik wil mijn vraag op een rij zetten"))
    typed = [
        "voor mezelf",
        "ja dat klopt",
        "ik krijg steeds aanmaningen en de deurwaarder is geweest",
        "dat ik in mijn huis kan blijven",
        "een regeling voor de huurachterstand",
        "mijn zus helpt soms",
        "ik wil eerst kijken wat er mogelijk is",
        "binnen twee weken",
        "maakt mij niet uit",
        "nederlands",
        "ik hoor slecht",
        "ja dat mag",
        "bel mij maar",
    ]
    for answer in typed:
        resident.says(answer)
    summary = text_of(resident.says("06-12345678"))
    for part in ("binnen twee weken", "mijn zus helpt soms", "de deurwaarder is geweest", "06 12345678"):
        assert part in summary, summary
    assert "organisatie" in text_of(resident.says("ja dat klopt")).lower()


def test_keyboard_mashing_is_not_read_as_yes_or_a_greeting(resident):
    replies = resident.says("asdf jklm qwerty")
    assert "andere manier" in text_of(replies) and "/affirm" not in payloads(replies)


def test_stopping_something_in_ones_own_life_does_not_stop_the_conversation(resident):
    assert "we stoppen hiermee" not in text_of(
        resident.says("ik wil stoppen met roken, kan iemand me helpen?")
    )

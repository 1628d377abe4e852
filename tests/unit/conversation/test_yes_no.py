"""Yes or no first, in the polarity the resident asked (bot/conversation/yes_no.py)."""

import pytest

from bot.conversation.yes_no import NO, OPEN, YES, polarity


@pytest.mark.parametrize(
    "intent, question, expected",
    [
        ("ask_cost", "is het gratis?", YES),
        ("ask_cost", "kost een cliëntondersteuner iets?", NO),
        ("ask_cost", "moet ik betalen voor zo'n ondersteuner?", NO),
        ("ask_cost", "kost het niks?", YES),  # a negation turns it around
        ("ask_cost", "wat kost een cliëntondersteuner?", OPEN),
        ("ask_referral", "heb ik een verwijzing van de huisarts nodig?", NO),
        ("ask_referral", "mag ik zelf contact opnemen zonder verwijzing?", YES),
        ("ask_independence", "werkt de ondersteuner voor de gemeente?", NO),
        ("ask_bring_someone", "mag ik iemand meenemen naar het gesprek?", YES),
        ("ask_eligibility", "moet ik een beperking hebben voor cliëntondersteuning?", NO),
        ("ask_cost", "moet ik daar wat voor doen?", NO),  # a Dutch yes/no question: the intent's default
    ],
)
def test_a_dutch_yes_no_question_gets_its_polarity(intent, question, expected):
    assert polarity(intent, question) == expected


@pytest.mark.parametrize(
    "question",
    ["Czy to jest darmowe dla mnie?", "Чи це безкоштовно для мене?", "Bu hizmet ücretli mi?", "is it free?"],
)
def test_a_question_in_another_language_is_answered_without_a_guessed_yes_or_no(question):
    """The word lists are Dutch: a question mark alone says nothing about the polarity in Polish."""
    assert polarity("ask_cost", question) == OPEN

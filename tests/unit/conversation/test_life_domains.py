import pytest

from bot.conversation.life_domains import domains_in_intent, known_domains, life_domains, situation_messages

CONTRACT_VALUES = [
    "zorg",
    "psychische_gezondheid",
    "wonen",
    "werk",
    "geldzaken",
    "onderwijs",
    "opvoeding",
    "sociale_contacten",
    "mantelzorg",
]


def test_every_contract_area_has_all_texts():
    assert list(life_domains()) == CONTRACT_VALUES
    for domain in life_domains().values():
        assert domain.label and domain.heard and domain.supporter and domain.first_stop


@pytest.mark.parametrize(
    "intent, expected",
    [
        ("domain_wonen", ["wonen"]),
        ("domain_geldzaken+domain_wonen", ["geldzaken", "wonen"]),
        ("ask_cost", []),
        ("domain_ruimtevaart", []),
        ("ask_cost+domain_zorg", ["zorg"]),
    ],
)
def test_areas_are_read_from_single_and_multi_intents(intent, expected):
    assert domains_in_intent(intent) == expected


def test_known_domains_drops_unknown_values_and_repeats():
    assert known_domains(["wonen", "hobby", "wonen", "zorg"]) == ["wonen", "zorg"]


def test_one_area_gets_acknowledgement_supporter_and_first_stop():
    messages = situation_messages(["geldzaken"])
    assert messages[0] == life_domains()["geldzaken"].heard
    assert "schuldhulpverlening" in messages[1]
    assert life_domains()["geldzaken"].supporter in messages[1]


def test_several_areas_are_each_answered_and_named_together():
    messages = situation_messages(["geldzaken", "wonen"])
    assert messages[0] == "Ik lees dat het gaat over geldzaken en wonen."
    assert any("schuldhulpverlening" in m for m in messages)
    assert any("woningcorporatie" in m for m in messages)
    assert "alles samen" in messages[-1]


def test_no_area_gives_no_text():
    assert situation_messages([]) == []

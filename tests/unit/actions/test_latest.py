from actions import latest
from tests.unit.actions_support import tracker_after, user_event


def test_areas_come_from_the_multi_intent_and_from_entities_once_each():
    message = user_event(
        "domain_geldzaken+domain_wonen",
        "schulden en mijn huis",
        entities=[
            {"entity": "life_domain", "value": "geldzaken"},
            {"entity": "life_domain", "value": "wonen"},
        ],
    )
    areas = latest.mentioned_domains(tracker_after(message))
    assert set(areas) >= {"geldzaken", "wonen"} and len(areas) == len(set(areas))


def test_a_message_without_intent_entities_or_text_reads_as_empty():
    bare = tracker_after({"event": "user", "text": None, "parse_data": {}})
    assert (latest.intent(bare), latest.text(bare), latest.entity(bare, "choice")) == ("", "", None)


def test_the_first_value_of_an_entity_is_the_choice():
    message = user_event(
        "choose",
        "/choose",
        entities=[{"entity": "choice", "value": "phone"}, {"entity": "choice", "value": "mail"}],
    )
    assert latest.entity(tracker_after(message), "choice") == "phone"

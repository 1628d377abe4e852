"""Two Rasa replicas share PostgreSQL and Redis: many residents at once, and one conversation's
messages sent at the same moment to both replicas directly (past the proxy's hash), so only the
lock store keeps them apart."""

import json
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle

import pytest

from tests.e2e.conftest import text_of
from tests.scale.conftest import Resident

pytestmark = pytest.mark.scale

# A question and a phrase only its answer contains (the same facts as tests/e2e).
QUESTIONS = [
    ("kost een clientondersteuner geld?", "gratis"),
    ("heb ik een verwijzing van de huisarts nodig", "geen verwijzing nodig"),
    ("wat is een pgb", "persoonsgebonden budget"),
    ("mijn moeder moet misschien naar een verpleeghuis, hoe gaat dat", "CIZ"),
]


def test_messages_sent_at_once_to_both_replicas_are_answered_in_order_and_stored_once(cluster):
    residents = [Resident(cluster, f"burst{n}") for n in range(4)]
    replicas = cycle(cluster.replica_urls)
    sends = [
        (resident, question, answer, next(replicas))
        for resident in residents
        for question, answer in QUESTIONS
    ]
    with ThreadPoolExecutor(max_workers=len(sends)) as pool:
        replies = list(pool.map(lambda s: s[0].post(s[1], s[3]), sends))

    for (_resident, question, answer, _), reply in zip(sends, replies):
        assert reply.status_code == 200, reply.text
        assert answer in text_of(reply.json()), (question, reply.json())
    for resident in residents:
        turns = _turns(cluster.events(resident.sender))
        # Each message once, each turn whole: no turn started before the one before it had ended.
        assert sorted(text for text, _ in turns) == sorted(q for q, _ in QUESTIONS)
        for text, events in turns:
            answer = dict(QUESTIONS)[text]
            assert [e for e in events if e == ("action", "action_listen")] == [events[-1]], (text, events)
            assert any(kind == "bot" and answer in said for kind, said in events), (text, events)


def test_many_residents_through_the_proxy_are_all_answered(cluster):
    residents = [Resident(cluster, f"crowd{n}") for n in range(20)]

    def conversation(resident: Resident) -> list:
        return [text_of(resident.says(question)) for question, _ in QUESTIONS[:3]]

    with ThreadPoolExecutor(max_workers=len(residents)) as pool:
        answers = list(pool.map(conversation, residents))
    for said in answers:
        assert all(answer in text for text, (_, answer) in zip(said, QUESTIONS))
    for resident in residents:
        assert [text for text, _ in _turns(cluster.events(resident.sender))] == [q for q, _ in QUESTIONS[:3]]


def _turns(rows):
    """[(user text, [(kind, what), ...] up to the next user message)] from the stored events."""
    turns = []
    for row in rows:
        data = json.loads(row["data"])
        if row["type_name"] == "user":
            turns.append((data["text"], []))
        elif turns and row["type_name"] == "bot":
            turns[-1][1].append(("bot", data.get("text") or ""))
        elif turns and row["type_name"] == "action":
            turns[-1][1].append(("action", row["action_name"]))
    return turns

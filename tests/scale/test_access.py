"""Who can reach what in the production profile: nginx's public listener leads to the web server only.

The whole topology of `bot serve --profile production` (nginx, two Rasa replicas, an action server,
the web server), over HTTP. Other client addresses are other loopback addresses (127.0.0.x): no test
traffic goes to any other address of the machine.
"""

import uuid

import pytest
import requests
from requests_toolbelt.adapters.source import SourceAddressAdapter

from bot.web.widget.tokens import ConversationTokens
from tests.e2e.conftest import is_loopback, listeners

pytestmark = pytest.mark.scale
DEFAULT_PER_ADDRESS = 60  # WEGWIJS_WIDGET_LIMIT_ADDRESS: "60 per minute;600 per hour"


@pytest.fixture(scope="module")
def site(cluster):
    if "web" not in cluster.processes:
        cluster.start_web()
    return cluster.public_url


def client(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


def test_only_nginxs_public_listener_may_be_beyond_loopback(cluster, site):
    topology = cluster.production.topology
    found = listeners(cluster.processes.values())
    internal = {
        *topology.rasa_ports,
        *topology.action_ports,
        topology.action_proxy_port,
        topology.rasa_proxy_port,
        topology.web_port,
    }
    assert internal | {topology.public_port} <= {port for _, _, port in found}, found
    assert [entry for entry in found if not is_loopback(entry[1]) and entry[2] != topology.public_port] == []


def test_rasas_api_answers_401_without_its_token_on_the_replicas_and_the_internal_proxy(cluster):
    topology = cluster.production.topology
    header = {"X-Wegwijs-Conversation": "someone"}
    for base in [*(f"http://127.0.0.1:{port}" for port in topology.rasa_ports), topology.rasa_url]:
        assert (
            requests.get(f"{base}/conversations/someone/tracker", headers=header, timeout=30).status_code
            == 401
        )
        assert requests.put(f"{base}/model", headers=header, json={}, timeout=30).status_code == 401
    assert (
        requests.get(
            f"{topology.rasa_url}/status",
            params={"token": cluster.production.rasa_token},
            headers=header,
            timeout=30,
        ).status_code
        == 200
    )


def test_the_public_listener_refuses_rasas_rest_channel_and_api_and_the_action_server(cluster, site):
    header = {"X-Wegwijs-Conversation": "someone"}
    assert (
        requests.post(
            f"{site}/webhooks/rest/webhook",
            json={"sender": "someone", "message": "hoi"},
            headers=header,
            timeout=30,
        ).status_code
        == 404
    )
    token = {"token": cluster.production.rasa_token}
    assert (
        requests.get(
            f"{site}/conversations/someone/tracker", params=token, headers=header, timeout=30
        ).status_code
        == 404
    )
    assert (
        requests.post(f"{site}/webhook", json={"next_action": "action_store_handoff"}, timeout=30).status_code
        == 404
    )
    assert requests.get(f"{site}/actions", timeout=30).status_code == 404


def test_a_widget_retry_through_nginx_is_answered_from_the_conversation_and_processed_once(cluster, site):
    post = lambda path, body: requests.post(site + path, json=body, timeout=120)  # noqa: E731
    token = post("/widget/api/conversations", {}).json()["token"]
    message = {"token": token, "message_id": uuid.uuid4().hex, "text": "kost het geld?"}
    first = post("/widget/api/messages", message)
    again = [post("/widget/api/messages", {**message, "retry": True}) for _ in range(3)]
    assert first.status_code == 200 and "gratis" in first.json()["replies"][0]["text"]
    assert [r.status_code for r in again] == [200] * 3
    assert [r.json()["replies"] for r in again] == [first.json()["replies"]] * 3
    conversation = ConversationTokens(cluster.SECRET_KEY).conversation_id(token)
    users = [row for row in cluster.events(conversation) if row["type_name"] == "user"]
    assert len(users) == 1


def test_behind_nginx_a_burst_from_one_address_is_limited_and_a_made_up_forwarded_for_does_not_help(site):
    attacker = client("127.0.0.2")

    def start(session, **headers):
        return session.post(
            f"{site}/widget/api/conversations", json={}, headers=headers, timeout=30
        ).status_code

    answers = [start(attacker) for _ in range(DEFAULT_PER_ADDRESS)]
    assert answers == [200] * DEFAULT_PER_ADDRESS
    assert start(attacker) == 429
    assert start(attacker, **{"X-Forwarded-For": "10.1.2.3"}) == 429  # nginx appends the real address
    assert start(client("127.0.0.3")) == 200
    assert attacker.get(f"{site}/portaal/inloggen", timeout=30).status_code == 200

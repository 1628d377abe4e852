"""Who can reach what in the embedded profile (`make run`), over HTTP against the real servers.

Rasa and the action server start as the Procfile starts them (serving/launch.py). A second web server
with low limits (the `limited` fixture) shows the rate limits, the relay's bounded share of the threads
and expiring tokens. Other client addresses are
other loopback addresses (127.0.0.x): no test traffic goes to any other address of the machine.
"""

import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
import requests
from requests_toolbelt.adapters.source import SourceAddressAdapter

from bot.web.widget.tokens import Conversation, ConversationTokens
from tests.e2e.conftest import PER_ADDRESS, PER_CONVERSATION, is_loopback, listeners

pytestmark = pytest.mark.e2e
SECRET = "e2e-tests-only"  # the servers fixture's WEGWIJS_SECRET_KEY


def client(address: str) -> requests.Session:
    """Requests that come from this loopback address."""
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


def start(session: requests.Session, url: str) -> requests.Response:
    return session.post(f"{url}/widget/api/conversations", json={}, timeout=30)


def say(
    session: requests.Session, url: str, token: str, text: str = "kost het geld?", **extra
) -> requests.Response:
    return session.post(
        f"{url}/widget/api/messages",
        timeout=120,
        json={"token": token, "message_id": uuid.uuid4().hex, "text": text, **extra},
    )


def test_only_the_web_server_listens_beyond_loopback_and_rasa_and_actions_on_loopback(servers):
    found = listeners(servers.processes)
    ports = {port for _, _, port in found}
    assert {servers.rasa_port, servers.action_port, servers.web_port} <= ports, found
    assert [entry for entry in found if not is_loopback(entry[1]) and entry[2] != servers.web_port] == []


def test_rasas_api_answers_401_without_its_token(servers):
    rasa = f"http://127.0.0.1:{servers.rasa_port}"
    for method, path in [
        ("get", "/status"),
        ("get", "/conversations/someone/tracker"),
        ("put", "/model"),
        ("post", "/conversations/someone/tracker/events"),
        ("post", "/model/parse"),
    ]:
        assert requests.request(method, rasa + path, json={}, timeout=30).status_code == 401, path
        assert (
            requests.request(
                method, rasa + path, params={"token": "guessed"}, json={}, timeout=30
            ).status_code
            == 401
        ), path
    assert requests.get(f"{rasa}/status", params={"token": servers.rasa_token}, timeout=30).status_code == 200


def test_the_relays_jwt_opens_only_its_own_conversation(servers):
    rasa = f"http://127.0.0.1:{servers.rasa_port}"

    def bearer(key: str, conversation: str) -> dict:
        claims = {"user": {"username": conversation, "role": "user"}, "exp": int(time.time()) + 60}
        return {"Authorization": "Bearer " + jwt.encode(claims, key, algorithm="HS256")}

    own = requests.get(
        f"{rasa}/conversations/resident-a/tracker",
        headers=bearer(servers.rasa_token, "resident-a"),
        timeout=30,
    )
    assert own.status_code == 200 and own.json()["sender_id"] == "resident-a"
    other = requests.get(
        f"{rasa}/conversations/resident-b/tracker",
        headers=bearer(servers.rasa_token, "resident-a"),
        timeout=30,
    )
    assert other.status_code == 403
    forged = requests.get(
        f"{rasa}/conversations/resident-a/tracker", headers=bearer("guessed" * 5, "resident-a"), timeout=30
    )
    assert forged.status_code == 401
    assert (
        requests.put(
            f"{rasa}/model", json={}, headers=bearer(servers.rasa_token, "resident-a"), timeout=30
        ).status_code
        == 403
    )


def test_the_token_is_on_no_command_line(servers):
    import psutil

    for process in servers.processes:
        command = " ".join(psutil.Process(process.pid).cmdline())
        assert servers.rasa_token not in command and "--auth-token" not in command, command


def test_no_public_route_leads_to_the_action_server_or_rasa(servers):
    web = servers.web_url
    call = {"next_action": "action_store_handoff", "sender_id": "x", "tracker": {}, "domain": {}}
    assert requests.post(f"{web}/webhook", json=call, timeout=30).status_code == 404
    assert requests.get(f"{web}/actions", timeout=30).status_code == 404
    assert (
        requests.post(
            f"{web}/webhooks/rest/webhook", json={"sender": "x", "message": "hoi"}, timeout=30
        ).status_code
        == 404
    )
    assert requests.get(f"{web}/status", timeout=30).status_code == 404


def test_a_burst_from_one_address_is_limited_and_other_addresses_and_the_portal_keep_working(limited):
    attacker = client("127.0.0.2")
    answers = [start(attacker, limited).status_code for _ in range(PER_ADDRESS + 4)]
    assert answers[:PER_ADDRESS] == [200] * PER_ADDRESS and set(answers[PER_ADDRESS:]) == {429}
    refused = start(attacker, limited)
    assert refused.json() == {"error": "rate_limited"} and refused.headers.get("Retry-After")
    # A made-up X-Forwarded-For does not make another client: no proxy is trusted here.
    spoofed = attacker.post(
        f"{limited}/widget/api/conversations", json={}, headers={"X-Forwarded-For": "10.9.8.7"}, timeout=30
    )
    assert spoofed.status_code == 429
    neighbour = client("127.0.0.3")
    token = start(neighbour, limited).json()["token"]
    assert say(neighbour, limited, token).status_code == 200
    assert attacker.get(f"{limited}/portaal/inloggen", timeout=30).status_code == 200


def test_one_conversation_is_limited_wherever_its_messages_come_from(limited):
    token = start(client("127.0.0.4"), limited).json()["token"]
    answers = [
        say(client(f"127.0.0.{5 + n}"), limited, token).status_code for n in range(PER_CONVERSATION + 1)
    ]
    assert answers == [200] * PER_CONVERSATION + [429]
    other = start(client("127.0.0.4"), limited).json()["token"]
    assert say(client("127.0.0.4"), limited, other).status_code == 200


def test_an_expired_token_gets_start_again_and_a_used_one_stays_valid(limited):
    tokens = ConversationTokens(SECRET)
    resident = client("127.0.0.20")
    now = time.time()
    idle = tokens.issue(Conversation("web-" + uuid.uuid4().hex, now - 3 * 3600), now=now - 2 * 3600)
    too_old = tokens.issue(Conversation("web-" + uuid.uuid4().hex, now - 9 * 3600), now=now)
    for token in (idle, too_old):
        answer = say(resident, limited, token)
        assert (answer.status_code, answer.json()) == (401, {"error": "expired"})
    fresh = start(resident, limited).json()["token"]
    answer = say(resident, limited, fresh)
    renewed = answer.json()["token"]
    assert answer.status_code == 200 and tokens.conversation_id(renewed) == tokens.conversation_id(fresh)
    assert say(resident, limited, renewed, text="wat is een pgb").status_code == 200


def test_a_hung_rasa_takes_only_the_relays_share_of_the_threads_the_portal_keeps_answering(servers, limited):
    senders = [client(f"127.0.1.{n}") for n in range(1, 13)]
    tokens = [start(sender, limited).json()["token"] for sender in senders]
    rasa = servers.processes[1]
    os.kill(rasa.pid, signal.SIGSTOP)  # accepts connections, answers nothing: a hung Rasa
    try:
        with ThreadPoolExecutor(max_workers=len(senders)) as pool:
            pending = [pool.submit(say, sender, limited, token) for sender, token in zip(senders, tokens)]
            # Two workers with three relay slots each: at most six wait for Rasa, the others are refused.
            refused = _answered(pending, at_least=len(pending) - 6)
            assert refused and all((a.status_code, a.json()) == (503, {"error": "busy"}) for a in refused)
            assert any(not future.done() for future in pending)  # relays are still waiting for Rasa ...
            # ... and the portal answers (a starved one would wait for the relay timeout, 90 s).
            assert client("127.0.1.99").get(f"{limited}/portaal/inloggen", timeout=30).status_code == 200
            os.kill(rasa.pid, signal.SIGCONT)
            answers = [future.result() for future in pending]
    finally:
        os.kill(rasa.pid, signal.SIGCONT)
    waited = [answer for answer in answers if answer not in refused]
    assert waited and all(answer.status_code == 200 and answer.json()["replies"] for answer in waited)


def _answered(futures, at_least: int, seconds: float = 60) -> list:
    """The answers that came while Rasa hangs, once there are `at_least` of them (a generous deadline)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and sum(f.done() for f in futures) < at_least:
        time.sleep(0.2)
    return [future.result() for future in futures if future.done()]


def test_rasas_rest_channel_bounds_what_comes_with_a_message(servers):
    url = f"http://127.0.0.1:{servers.rasa_port}/webhooks/rest/webhook"
    sender = f"bounds-{uuid.uuid4().hex}"
    refused = [
        {"sender": "x" * 129},
        {"sender": sender, "input_channel": "c" * 33},
        {"sender": sender, "input_channel": "Mijn Kanaal!"},
        {"sender": sender, "metadata": ["a"]},
        {"sender": sender, "metadata": {"blob": "x" * 4096}},
    ]
    for extra in refused:
        answer = requests.post(url, json={"message": "kost het geld?", **extra}, timeout=60)
        assert answer.status_code == 400 and "error" in answer.json(), extra
    ok = requests.post(
        url,
        json={
            "sender": sender,
            "message": "kost het geld?",
            "input_channel": "rest",
            "metadata": {"message_id": uuid.uuid4().hex},
        },
        timeout=60,
    )
    assert ok.status_code == 200 and "gratis" in ok.json()[0]["text"]
    tracker = requests.get(
        f"http://127.0.0.1:{servers.rasa_port}/conversations/{sender}/tracker",
        params={"token": servers.rasa_token},
        timeout=30,
    ).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["kost het geld?"]

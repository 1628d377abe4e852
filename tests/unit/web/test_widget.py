"""The widget's edge with Flask's test client: tokens, limits, CORS, CSP, and Rasa out of reach.

Where Rasa's answer matters, tests/e2e/test_widget*.py talk to the real Rasa server; here a closed
port is the real unreachable server, and a small recording HTTP server shows what the edge sends.
"""

import dataclasses
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest

from bot.settings import _origins, read_settings
from bot.web.app import create_app
from bot.web.widget.relay import CONVERSATION_HEADER, RETRY_CHECK, replies_after
from bot.web.widget.tokens import ConversationTokens

ORIGIN = "https://www.voorbeeldstad.example"
MESSAGE_ID = "0123456789abcdef0123456789abcdef"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def make_client(sqlite_url):
    def make(rasa_url=None, **widget):
        settings = dataclasses.replace(
            read_settings(),
            rasa_url=rasa_url or f"http://127.0.0.1:{closed_port()}",
            database_url=sqlite_url,
            secret_key="unit-tests",
            public_url="http://localhost:8000",
            widget_origins=(ORIGIN,),
            **widget,
        )
        return create_app(settings).test_client()

    return make


@pytest.fixture
def client(make_client):
    return make_client()


def token_of(client) -> str:
    return client.post("/widget/api/conversations", json={}).get_json()["token"]


def send(client, token, text="hallo", message_id=MESSAGE_ID, **extra):
    return client.post(
        "/widget/api/messages", json={"token": token, "message_id": message_id, "text": text, **extra}
    )


class RecordingRasa:
    """Answers like Rasa's REST channel (with `replies`, when given) and keeps what it received."""

    def __init__(self, replies=None):
        self.requests = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                recorder.requests.append((self.path, dict(self.headers), body))
                if self.path.startswith("/conversations/"):  # the retry check: a tracker that has one message
                    answer = json.dumps(
                        {
                            "events": [
                                {
                                    "event": "user",
                                    "text": "kost het geld?",
                                    "metadata": {"message_id": MESSAGE_ID},
                                },
                                {"event": "bot", "text": "Nee, het is gratis.", "data": {}},
                            ]
                        }
                    ).encode()
                elif replies is not None:
                    answer = json.dumps(replies).encode()
                else:
                    answer = json.dumps(
                        [
                            {
                                "recipient_id": body["sender"],
                                "text": "Hallo <b>daar</b>",
                                "buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": 3}],
                            }
                        ]
                    ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def rasa():
    recording = RecordingRasa()
    yield recording
    recording.server.shutdown()
    recording.server.server_close()


def test_the_demo_page_is_a_municipal_page_with_the_widget_and_a_strict_policy(client):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Gemeente Voorbeeldstad" in html
    assert 'src="/widget/wegwijs.js"' in html and 'data-municipality="Voorbeeldstad"' in html
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
    assert client.get("/contact").status_code == 200


def test_the_widget_script_and_stylesheet_are_served(client):
    script = client.get("/widget/wegwijs.js")
    assert script.status_code == 200 and "javascript" in script.content_type
    assert "innerHTML" not in script.get_data(as_text=True)  # text only, ever
    assert client.get("/widget/wegwijs.css").status_code == 200


def test_a_conversation_token_is_issued_and_only_tokens_signed_here_are_accepted(client):
    token = token_of(client)
    conversation = ConversationTokens("unit-tests").conversation_id(token)
    assert conversation and conversation.startswith("web-") and len(conversation) > 20
    assert token_of(client) != token  # every conversation has its own id
    assert ConversationTokens("another-key").conversation_id(token) is None
    forged = ConversationTokens("another-key").issue()
    assert send(client, forged).status_code == 403
    assert send(client, "web-chosen-by-the-page").status_code == 403


def test_the_relay_answers_carry_a_policy_and_are_not_cached(client):
    response = client.post("/widget/api/conversations", json={})
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert (
        response.headers["Cache-Control"] == "no-store"
        and response.headers["X-Content-Type-Options"] == "nosniff"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"text": "hallo", "message_id": "short"},
        {"text": "   ", "message_id": MESSAGE_ID},
        {"text": ["hallo"], "message_id": MESSAGE_ID},
    ],
)
def test_a_malformed_message_is_refused(client, body):
    assert client.post("/widget/api/messages", json={"token": token_of(client), **body}).status_code == 400


def test_a_message_longer_than_the_setting_is_refused_before_rasa(make_client):
    client = make_client(widget_max_length=20)
    token = token_of(client)
    assert client.post("/widget/api/conversations", json={}).get_json()["max_length"] == 20
    response = send(client, token, text="x" * 21)
    assert response.status_code == 413 and response.get_json() == {"error": "too_long"}


def test_an_unreachable_rasa_gives_a_clear_error_code_not_a_hang(client):
    response = send(client, token_of(client))
    assert response.status_code == 502 and response.get_json() == {"error": "unreachable"}


def test_cors_only_for_configured_origins(client):
    preflight = client.options(
        "/widget/api/messages",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == ORIGIN
    assert "POST" in preflight.headers.get("Access-Control-Allow-Methods", "")
    other = client.post("/widget/api/conversations", json={}, headers={"Origin": "https://evil.example"})
    assert other.status_code == 403 and "Access-Control-Allow-Origin" not in other.headers
    other_preflight = client.options(
        "/widget/api/messages",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in other_preflight.headers
    assert (
        client.post("/widget/api/conversations", json={}, headers={"Origin": "http://localhost"}).status_code
        == 200
    )
    allowed = client.post("/widget/api/conversations", json={}, headers={"Origin": ORIGIN})
    assert allowed.headers.get("Access-Control-Allow-Origin") == ORIGIN
    assert "Access-Control-Allow-Credentials" not in allowed.headers  # no cookies cross-origin
    page = client.get("/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in page.headers


def test_the_relay_sends_the_conversation_header_and_passes_on_only_text_and_buttons(rasa, make_client):
    client = make_client(rasa_url=rasa.url)
    token = token_of(client)
    response = send(client, token, text="kost het geld?")
    assert response.status_code == 200
    assert response.get_json()["replies"] == [
        {"text": "Hallo <b>daar</b>", "buttons": [{"title": "Ja", "payload": "/affirm"}]}
    ]
    ((path, headers, body),) = rasa.requests
    conversation = ConversationTokens("unit-tests").conversation_id(token)
    # The answer carries a fresh token for the same conversation (its idle time starts again).
    assert ConversationTokens("unit-tests").conversation_id(response.get_json()["token"]) == conversation
    assert path == "/webhooks/rest/webhook" and headers[CONVERSATION_HEADER] == conversation == body["sender"]
    assert body["message"] == "kost het geld?" and body["metadata"] == {"message_id": MESSAGE_ID}


def test_a_retry_is_answered_from_the_tracker_read_under_rasas_lock(rasa, make_client):
    client = make_client(rasa_url=rasa.url)
    token = token_of(client)
    conversation = ConversationTokens("unit-tests").conversation_id(token)
    assert send(client, token, text="kost het geld?", retry=True).get_json()["replies"] == [
        {"text": "Nee, het is gratis."}
    ]
    ((path, headers, body),) = rasa.requests  # answered from the tracker: not sent to the REST channel again
    assert path == f"/conversations/{conversation}/tracker/events?include_events=ALL"  # no token in the URL
    # Rasa's API is opened by a JWT signed with its token, for this conversation only, for a minute.
    claims = jwt.decode(
        headers["Authorization"].removeprefix("Bearer "), read_settings().rasa_token, algorithms=["HS256"]
    )
    assert claims["user"] == {"username": conversation, "role": "user"} and claims["exp"] - time.time() <= 60
    assert body == [RETRY_CHECK] and headers[CONVERSATION_HEADER] == conversation
    send(
        client, token, text="iets nieuws", message_id="f" * 32, retry=True
    )  # a retry Rasa never saw: sent now
    assert [p for p, _, _ in rasa.requests[1:]] == [path, "/webhooks/rest/webhook"]


def test_replies_after_finds_the_answer_to_one_message_in_a_tracker():
    events = [
        {"event": "user", "text": "a", "metadata": {"message_id": "one"}},
        {"event": "bot", "text": "answer to a", "data": {"buttons": [{"title": "Ja", "payload": "/affirm"}]}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "b", "metadata": {"message_id": "two"}},
        {"event": "bot", "text": "answer to b", "data": {}},
        {"event": "bot", "text": "and more", "data": {"buttons": None}},
    ]
    assert replies_after(events, "one") == [
        {"text": "answer to a", "buttons": [{"title": "Ja", "payload": "/affirm"}]}
    ]
    assert replies_after(events, "two") == [{"text": "answer to b"}, {"text": "and more"}]
    assert replies_after(events, "three") is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", ()),
        (
            "https://www.voorbeeldstad.nl, http://localhost:8080/",
            ("https://www.voorbeeldstad.nl", "http://localhost:8080"),
        ),
    ],
)
def test_widget_origins_setting(raw, expected):
    assert _origins(raw) == expected


@pytest.mark.parametrize("raw", ["www.voorbeeldstad.nl", "https://www.voorbeeldstad.nl/chat", "ftp://x.nl"])
def test_a_widget_origin_that_is_not_an_origin_is_an_error(raw):
    with pytest.raises(ValueError, match="WEGWIJS_WIDGET_ORIGINS"):
        _origins(raw)

"""The widget's relay on the real web server (gunicorn, 2 workers) in front of the real Rasa server."""

import uuid

import pytest
import requests

from bot.web.widget.tokens import ConversationTokens

pytestmark = pytest.mark.e2e
SECRET = "e2e-tests-only"  # the servers fixture's WEGWIJS_SECRET_KEY


def post(servers, path, body):
    return requests.post(servers.web_url + path, json=body, timeout=60)


def test_a_resent_message_is_answered_from_the_conversation_and_processed_once(servers):
    token = post(servers, "/widget/api/conversations", {}).json()["token"]
    message = {"token": token, "message_id": uuid.uuid4().hex, "text": "kost het geld?"}
    first = post(servers, "/widget/api/messages", message)
    # Retries land on either gunicorn worker: the answer comes from Rasa's tracker, not from a worker's memory.
    again = [post(servers, "/widget/api/messages", {**message, "retry": True}) for _ in range(3)]
    assert first.status_code == 200 and "gratis" in first.json()["replies"][0]["text"]
    assert [r.json()["replies"] for r in again] == [first.json()["replies"]] * 3
    conversation = ConversationTokens(SECRET).conversation_id(token)
    tracker_path = f"/conversations/{conversation}/tracker"
    tracker = requests.get(
        f"http://127.0.0.1:{servers.rasa_port}{tracker_path}",
        params={"token": servers.rasa_token},
        timeout=30,
    ).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["kost het geld?"]
    assert (
        requests.get(servers.web_url + tracker_path, timeout=30).status_code == 404
    )  # Rasa's API is not public

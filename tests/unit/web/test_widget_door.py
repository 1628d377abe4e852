"""The widget edge cleans a message before Rasa gets it, and never leaves the resident without a reply."""

from bot.conversation.service_replies import service_message
from tests.unit.web.test_widget import RecordingRasa, make_client, rasa, send, token_of  # noqa: F401  (fixtures)


def test_rasa_gets_the_message_as_valid_clean_text(rasa, make_client):
    client = make_client(rasa_url=rasa.url)
    assert send(client, token_of(client), text="\u202eabc \ud83d\x00 def\r\n").status_code == 200
    ((_, _, body),) = rasa.requests
    assert body["message"] == "abc \ufffd def"


def test_the_length_limit_counts_the_cleaned_text(rasa, make_client):
    client = make_client(rasa_url=rasa.url, widget_max_length=5)
    assert send(client, token_of(client), text="hallo\x00\x00\x00").status_code == 200
    assert send(client, token_of(client), text="hallo!").get_json() == {"error": "too_long"}


def test_a_turn_without_any_message_tells_the_resident_what_to_do(make_client):
    silent = RecordingRasa(replies=[])
    try:
        client = make_client(rasa_url=silent.url)
        answer = send(client, token_of(client)).get_json()
    finally:
        silent.server.shutdown()
        silent.server.server_close()
    assert answer["replies"] == [{"text": service_message("no_reply")}]
    assert "andere woorden" in answer["replies"][0]["text"]


def test_a_body_over_the_web_servers_limit_is_too_long_not_an_error_page(make_client):
    client = make_client()
    answer = send(client, token_of(client), text="x" * 100_000)
    assert answer.status_code == 413 and answer.get_json() == {"error": "too_long"}

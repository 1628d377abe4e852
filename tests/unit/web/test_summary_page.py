"""A summary to take along (bot/web/widget/summary.py): the short-lived link, the printable page in the
resident's language and in Dutch, and nothing left to show once the conversation is erased.

Rasa is a small HTTP server here that answers like Rasa's tracker API (GET /conversations/<id>/tracker)
and REST channel; tests/unit/web/test_widget.py does the same for the relay.
"""

import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from bot import catalogue
from bot.conversation.reply import ERASE_MARK
from bot.web.widget import summary as take_along
from bot.web.widget.relay import CONVERSATION_HEADER
from bot.web.widget.tokens import (
    SUMMARY_LINK_SECONDS,
    ConversationTokens,
    ExpiredLink,
    SummaryLinks,
)
from tests.unit.web.test_widget import make_client, send, token_of  # noqa: F401  (fixtures)

SECRET = "unit-tests"  # make_client's secret key
SITUATION = "Mijn huur is te hoog en ik slaap slecht"
PHONE = "06 12345678"


def tracker(language="tr", consent="yes", shown=True, erased=False, restarted=False, age=0.0):
    """A tracker as Rasa's API returns it: an intake whose summary was shown (or then erased)."""
    now = time.time() - age
    slots = {
        "language": language,
        "intake_relation": "zelf",
        "intake_life_domains": ["wonen"],
        "intake_situation": None if erased else SITUATION,
        "intake_what_matters": "overgeslagen",
        "intake_urgency": "soon",
        "intake_language": "Turks",
        "intake_consent": consent,
        "intake_contact_method": "phone" if consent == "yes" else None,
        "intake_contact_detail": None if erased or consent != "yes" else PHONE,
    }
    if restarted:  # Rasa's restart resets every slot
        slots = {name: None for name in slots}
    events = [
        {"event": "session_started", "timestamp": now - 300},
        {"event": "action", "name": "action_listen", "timestamp": now - 299},
        {"event": "slot", "name": "intake_situation", "value": SITUATION, "timestamp": now - 200},
    ]
    if shown:
        events += [
            {"event": "action", "name": "action_show_intake_summary", "timestamp": now - 100},
            {"event": "bot", "text": "Dit is uw vraag op een rij:", "timestamp": now - 99},
        ]
    if erased:
        events += [
            {"event": "user", "text": None, "timestamp": now - 2},
            {"event": "action", "name": "action_offer_organisations", "timestamp": now - 1},
            {"event": "bot", "text": "gewist", "metadata": {ERASE_MARK: True}, "timestamp": now},
        ]
    if restarted:
        events = [{"event": "restarted", "timestamp": now}]
    return {"sender_id": "web-x", "slots": slots, "events": events}


class FakeRasa:
    """Rasa's tracker API (one `tracker` for every conversation) and REST channel (`replies`)."""

    def __init__(self, tracker=None, replies=None, status=200):
        self.tracker, self.replies, self.status = tracker, replies or [], status
        self.requests = []
        rasa = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body):
                data = json.dumps(body).encode()
                self.send_response(rasa.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                rasa.requests.append(("GET", self.path, dict(self.headers)))
                # An unknown conversation: Rasa starts a session in memory and answers without intake.
                self._answer(rasa.tracker or {"events": [{"event": "session_started"}], "slots": {}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                rasa.requests.append(("POST", self.path, body))
                self._answer([{"recipient_id": body["sender"], **reply} for reply in rasa.replies])

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_rasa():
    made = []

    def make(**kwargs):
        made.append(FakeRasa(**kwargs))
        return made[-1]

    yield make
    for rasa in made:
        rasa.close()


def link(conversation_id="web-abcdefghijklmnopqrstuvwx", language="tr", now=None):
    return "/widget/summary?t=" + SummaryLinks(SECRET).issue(conversation_id, language, now=now)


def columns_of(html):
    return re.findall(r'<section class="column" lang="(\w+)" dir="(\w+)"', html)


# --- the link -----------------------------------------------------------------------------------------


def test_a_link_holds_the_conversation_and_language_and_works_for_a_short_time():
    links = SummaryLinks(SECRET)
    made = float(int(time.time()))  # a link keeps whole seconds
    token = links.issue("web-abc", "tr", now=made)
    assert links.read(token, now=made + 60) == ("web-abc", "tr")
    assert links.read(token, now=made + SUMMARY_LINK_SECONDS) == ("web-abc", "tr")
    with pytest.raises(ExpiredLink) as expired:
        links.read(token, now=made + SUMMARY_LINK_SECONDS + 1)
    assert expired.value.language == "tr"  # the page says so in the resident's language
    with pytest.raises(ExpiredLink):
        links.read(token, now=made - 3600)  # made "in the future": not by a clock a little off
    assert links.read(token, now=made - 30) is not None
    assert SUMMARY_LINK_SECONDS <= 30 * 60


def test_a_link_is_signed_apart_from_the_conversation_token():
    conversations = ConversationTokens(SECRET)
    conversation_token = conversations.issue()
    summary_token = SummaryLinks(SECRET).issue(conversations.conversation_id(conversation_token), "nl")
    assert SummaryLinks(SECRET).read(conversation_token) is None  # a conversation token is no link
    assert conversations.read(summary_token) is None  # and a link cannot write into the conversation
    assert SummaryLinks("another-secret").read(summary_token) is None
    assert SummaryLinks(SECRET).read(summary_token[:-2] + "xx") is None
    assert SummaryLinks(SECRET).read("x" * 400) is None
    assert SummaryLinks(SECRET).read(None) is None


# --- the page -----------------------------------------------------------------------------------------


def test_the_page_shows_the_summary_in_turkish_and_dutch_side_by_side(fake_rasa, make_client):
    rasa = fake_rasa(tracker=tracker("tr"))
    response = make_client(rasa_url=rasa.url).get(link())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert columns_of(html) == [("tr", "ltr"), ("nl", "ltr")]
    turkish, dutch = html.split('<section class="column" lang="nl"')
    for column, language in ((turkish, "tr"), (dutch, "nl")):
        assert catalogue.text("summary.labels.relation", language) in column  # "Kimin için" | "Voor wie"
        assert catalogue.text("summary.choices.relation.zelf", language) in column
        assert catalogue.text("handoff.urgency.soon", language) in column
        assert catalogue.text("life_domains.wonen.label", language) in column
        assert catalogue.text("summary.not_given", language) in column  # the skipped step
        assert catalogue.text("summary.labels.contact_detail", language) in column  # consent: contact too
        assert catalogue.text("widget.summary_page.own_words", language) in column
        assert SITUATION in column and PHONE in column  # the resident's own words, not translated
    assert '<html lang="tr" dir="ltr">' in html
    assert 'href="/widget/summary-page.css"' in html and 'src="/widget/summary-page.js"' in html
    assert "<style" not in html and "<script>" not in html and " style=" not in html  # strict policy


def test_the_page_is_never_cached_indexed_framed_or_passed_on(fake_rasa, make_client):
    rasa = fake_rasa(tracker=tracker("tr"))
    response = make_client(rasa_url=rasa.url).get(link())
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)


def test_a_dutch_conversation_gets_one_column_without_consent_no_contact(fake_rasa, make_client):
    rasa = fake_rasa(tracker=tracker("nl", consent="no"))
    html = make_client(rasa_url=rasa.url).get(link(language="nl")).get_data(as_text=True)
    assert columns_of(html) == [("nl", "ltr")]
    assert "voor uzelf" in html and SITUATION in html
    assert catalogue.text("summary.labels.contact_method", "nl") not in html
    assert catalogue.text("widget.summary_page.own_words", "nl") not in html  # nothing to translate


def test_arabic_is_right_to_left_and_dutch_left_to_right(fake_rasa, make_client):
    rasa = fake_rasa(tracker=tracker("ar"))
    html = make_client(rasa_url=rasa.url).get(link(language="ar")).get_data(as_text=True)
    assert columns_of(html) == [("ar", "rtl"), ("nl", "ltr")]
    assert '<html lang="ar" dir="rtl">' in html
    assert catalogue.text("summary.labels.relation", "ar") in html


def test_the_page_reads_the_conversations_tracker_through_rasas_api_for_this_conversation_only(
    fake_rasa, make_client
):
    rasa = fake_rasa(tracker=tracker("tr"))
    make_client(rasa_url=rasa.url).get(link("web-abcdefghijklmnopqrstuvwx"))
    ((method, path, headers),) = rasa.requests
    assert (method, path) == (
        "GET",
        "/conversations/web-abcdefghijklmnopqrstuvwx/tracker?include_events=AFTER_RESTART",
    )
    assert headers[CONVERSATION_HEADER] == "web-abcdefghijklmnopqrstuvwx"
    claims = jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})
    assert claims["user"] == {"username": "web-abcdefghijklmnopqrstuvwx", "role": "user"}


@pytest.mark.parametrize(
    "state",
    [
        dict(erased=True),  # the offer without consent, stop, a withdrawal: the turn erased it
        dict(restarted=True),  # restart: no intake slots any more
        dict(shown=False),  # no summary shown (yet)
        dict(age=61 * 60),  # the session ended: the retention run erases it
    ],
)
def test_after_erasure_the_page_says_so_plainly_with_404(fake_rasa, make_client, state):
    rasa = fake_rasa(tracker=tracker("tr", **state))
    response = make_client(rasa_url=rasa.url).get(link())
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert catalogue.text("widget.summary_page.gone", "tr") in html
    assert catalogue.text("widget.summary_page.gone", "nl") in html
    assert columns_of(html) == [("tr", "ltr"), ("nl", "ltr")]
    assert SITUATION not in html and "voor uzelf" not in html and "Turks" not in html  # nothing of it


def test_no_conversation_at_all_is_gone_too(fake_rasa, make_client):
    rasa = fake_rasa(tracker=None)  # Rasa holds nothing for it: a session without intake
    response = make_client(rasa_url=rasa.url).get(link(language="pl"))
    assert response.status_code == 404
    assert catalogue.text("widget.summary_page.gone", "pl") in response.get_data(as_text=True)


def test_a_wrong_or_expired_link_is_404_and_never_asks_rasa(fake_rasa, make_client):
    rasa = fake_rasa(tracker=tracker("tr"))
    client = make_client(rasa_url=rasa.url)
    expired = client.get(link(now=time.time() - SUMMARY_LINK_SECONDS - 5))
    assert expired.status_code == 404
    assert catalogue.text("widget.summary_page.expired", "tr") in expired.get_data(as_text=True)
    assert expired.headers["Cache-Control"] == "no-store"
    for wrong in (
        "/widget/summary",
        "/widget/summary?t=nonsense",
        "/widget/summary?t=" + token_of(client),  # the conversation token is not a link
        "/widget/summary?t=" + SummaryLinks("another-secret").issue("web-abc", "tr"),
    ):
        response = client.get(wrong)
        assert response.status_code == 404, wrong
        html = response.get_data(as_text=True)
        assert catalogue.text("widget.summary_page.expired", "nl") in html
        assert SITUATION not in html
    assert rasa.requests == []


def test_an_unreachable_rasa_is_said_plainly(make_client):
    response = make_client().get(link())  # nothing listens at make_client's Rasa address
    assert response.status_code == 502
    assert catalogue.text("widget.summary_page.unreachable", "tr") in response.get_data(as_text=True)


# --- how the resident gets there --------------------------------------------------------------------


def summary_replies(language):
    with catalogue.speaking(language):
        return [
            {"text": "- " + catalogue.text("summary.labels.situation") + ": " + SITUATION},
            {
                "text": catalogue.text("intake.summary_question"),
                "buttons": [
                    {"title": "Ja", "payload": "/affirm"},
                    {"title": "Nee", "payload": "/correct_intake"},
                ],
            },
        ]


def payload_of(token):
    """What anyone can read in a signed token (it is signed, not encrypted)."""
    data = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def test_the_messages_api_gives_a_link_when_the_summary_is_shown_with_nothing_personal_in_it(
    fake_rasa, make_client
):
    rasa = fake_rasa(tracker=tracker("tr"), replies=summary_replies("tr"))
    client = make_client(rasa_url=rasa.url)
    conversation_token = token_of(client)
    answer = send(client, conversation_token, text=SITUATION).get_json()
    url = answer["summary_url"]
    assert answer["summary_expires_in"] == SUMMARY_LINK_SECONDS
    parts = urlsplit(url)
    assert parts.path == "/widget/summary" and list(parse_qs(parts.query)) == ["t"]
    (token,) = parse_qs(parts.query)["t"]
    conversation = ConversationTokens(SECRET).conversation_id(conversation_token)
    # Only the conversation's random id, the language and the time: no words, no contact, not the token.
    assert payload_of(token)[:2] == [conversation, "tr"] and isinstance(payload_of(token)[2], int)
    for personal in (SITUATION, "huur", PHONE, "0612345678", conversation_token):
        assert personal not in url
    page = client.get(url)
    assert page.status_code == 200 and SITUATION in page.get_data(as_text=True)


def test_no_link_when_the_summary_is_not_shown(fake_rasa, make_client):
    rasa = fake_rasa(replies=[{"text": "Hallo"}])
    client = make_client(rasa_url=rasa.url)
    answer = send(client, token_of(client)).get_json()
    assert "summary_url" not in answer


def test_the_summary_question_is_recognised_in_every_language():
    for language in ("nl", "en", "tr", "ar", "pl", "uk"):
        assert take_along.summary_language(summary_replies(language)) == language
    assert take_along.summary_language([{"text": "Hallo"}, {"buttons": []}]) is None


def test_a_fresh_link_for_a_valid_conversation_token_only(make_client):
    client = make_client()
    conversation_token = token_of(client)
    answer = client.post("/widget/api/summary-link", json={"token": conversation_token, "language": "uk"})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    token = parse_qs(urlsplit(answer.get_json()["summary_url"]).query)["t"][0]
    assert SummaryLinks(SECRET).read(token).language == "uk"
    unknown = client.post("/widget/api/summary-link", json={"token": conversation_token, "language": "xx"})
    assert (
        SummaryLinks(SECRET)
        .read(parse_qs(urlsplit(unknown.get_json()["summary_url"]).query)["t"][0])
        .language
        == "nl"
    )
    assert client.post("/widget/api/summary-link", json={"token": "forged"}).status_code == 403
    old = ConversationTokens(SECRET).issue(now=time.time() - 2 * 3600)
    assert client.post("/widget/api/summary-link", json={"token": old}).get_json() == {"error": "expired"}
    assert client.post("/widget/api/summary-link", data="x").status_code == 400


# --- what the page makes of a tracker -----------------------------------------------------------------


def test_a_new_intake_after_an_erased_one_is_shown_again():
    erased = tracker("en", erased=True)
    assert take_along.take_along(erased, 60) is None
    again = {
        **erased,
        "slots": tracker("en")["slots"],
        "events": erased["events"]
        + [{"event": "action", "name": "action_show_intake_summary", "timestamp": time.time()}],
    }
    found = take_along.take_along(again, 60)
    assert found is not None and found.language == "en" and found.consent


def test_only_the_current_session_counts():
    old = tracker("tr")
    new_session = {**old, "events": old["events"] + [{"event": "session_started", "timestamp": time.time()}]}
    assert take_along.take_along(new_session, 60) is None
    assert take_along.take_along(None, 60) is None
    assert take_along.take_along({"events": "nonsense"}, 60) is None

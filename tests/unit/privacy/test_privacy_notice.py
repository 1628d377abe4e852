"""What residents read about what is kept follows the configuration retention runs with."""

import dataclasses
import html

from bot.municipality.profile import load_municipality
from bot.privacy import notice
from bot.settings import read_settings
from bot.web.app import create_app


def _settings(**changes):
    return dataclasses.replace(read_settings(), public_url="https://chat.voorbeeldstad.example", **changes)


def test_by_default_the_chat_says_typed_text_is_erased_when_the_session_ends():
    settings = _settings()
    town = load_municipality(settings.municipality_file)
    text = notice.answer(settings, town).text
    assert (
        f"Typt u {settings.retention.session_minutes} minuten niets?" in text and "wis ik wat u typte" in text
    )
    assert "dagen" not in text and "https://chat.voorbeeldstad.example/privacy" in text


def test_a_municipality_that_keeps_more_says_how_long():
    settings = _settings(conversation_retention_days=14)
    town = load_municipality(settings.municipality_file)
    assert "nog 14 dagen" in notice.answer(settings, town).text
    assert any("14 dagen na het begin" in text for _, text in notice.page(settings, town).sections)


def test_the_privacy_page_the_widget_links_says_what_where_how_long_and_why(sqlite_url):
    settings = _settings(database_url=sqlite_url, secret_key="unit-tests")
    town = load_municipality(settings.municipality_file)
    page = create_app(settings).test_client().get("/privacy")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    for needle in (
        "Wat u typt",
        "Als u toestemming geeft",
        "Waar",
        "Uw rechten",
        town.client_support.phone,
        f"{settings.handoff_retention_days} dagen later",
        f"na {settings.retention.audit_days} dagen",
        f"na {settings.retention.free_text_days} dagen",
        f"{settings.retention.session_minutes} minuten",
    ):
        assert needle in text, needle

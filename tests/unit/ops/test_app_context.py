"""The composition root (bot/app_context.py) and the one settings parser (bot/settings.py)."""

import pytest

from bot.app_context import AppContext, context, use
from bot.settings import read_settings
from bot.web.app import create_app

REDIS = "redis://127.0.0.1:6379/13"
TOKEN = "unit-tests-" + "x" * 24


def test_settings_come_from_the_mapping_given_and_nothing_else(tmp_path):
    settings = read_settings(
        {
            "WEGWIJS_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
            "WEGWIJS_RASA_TOKEN": TOKEN,
            "WEGWIJS_SECRET_KEY": "s",
        }
    )
    assert (
        settings.database_url.endswith("a.db") and settings.rasa_token == TOKEN and settings.secret_key == "s"
    )
    assert settings.profile == "embedded" and settings.production is None


def test_the_production_profile_reads_its_own_settings():
    settings = read_settings(
        {"WEGWIJS_RASA_TOKEN": TOKEN, "WEGWIJS_RASA_REPLICAS": "3"}, profile="production"
    )
    assert settings.profile == "production" and settings.production.rasa_replicas == 3
    assert settings.production.trusted_proxies == 1 and settings.rate_limit_storage.startswith("redis://")


@pytest.mark.parametrize(
    "env, problem",
    [
        ({"WEGWIJS_PROFILE": "productie"}, "WEGWIJS_PROFILE='productie'"),
        (
            {
                "WEGWIJS_PROFILE": "production",
                "WEGWIJS_REDIS_URL": "http://x",
                "WEGWIJS_RATE_LIMIT_STORAGE": REDIS,
            },
            "WEGWIJS_REDIS_URL",
        ),
    ],
)
def test_a_wrong_setting_is_named_at_start(env, problem):
    with pytest.raises(ValueError, match=problem):
        read_settings({"WEGWIJS_RASA_TOKEN": TOKEN, **env})


def test_a_context_opens_its_store_once_and_the_app_works_with_it(tmp_path):
    app_context = AppContext(
        read_settings(
            {
                "WEGWIJS_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
                "WEGWIJS_RASA_TOKEN": TOKEN,
                "WEGWIJS_SECRET_KEY": "s",
            }
        )
    )
    try:
        assert app_context.handoff_store is app_context.handoff_store
        assert app_context.municipality.name == "Voorbeeldstad"
        app = create_app(context=app_context)
        assert app.extensions["wegwijs_db"] is app_context.handoff_store
    finally:
        app_context.close()


def test_the_installed_context_is_the_process_context(app_context):
    assert context() is app_context
    other = AppContext(app_context.settings)
    previous = use(other)
    try:
        assert context() is other
    finally:
        use(previous)

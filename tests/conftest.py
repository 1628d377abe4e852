"""Shared fixtures."""

import pytest

from bot.municipality.profile import Municipality, load_municipality
from bot.settings import DEFAULT_MUNICIPALITY_FILE


@pytest.fixture
def municipality() -> Municipality:
    return load_municipality(DEFAULT_MUNICIPALITY_FILE)

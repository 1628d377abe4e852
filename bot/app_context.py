"""The composition root: what one process of Wegwijs works with, built once from its settings.

    AppContext(settings)    the settings (bot/settings.py, read and checked once), the municipality
                            (loaded from settings.municipality_file on first use) and the handoff store
                            (opened and migrated on first use, not on import)

Every entry point builds one and hands it on: the web server (`bot.web.app:create_app()` builds it
when gunicorn gives none), the CLI (bot/ops/cli.py, once per command), the action server (the actions
read it through `context()`, built on first use). Tests build their own from the settings they need
and pass it in, or install it for the actions with `use()`.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Optional

from bot.handoff.store import HandoffStore
from bot.municipality.profile import Municipality, load_municipality
from bot.settings import Settings, read_settings


class AppContext:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._handoff_store: Optional[HandoffStore] = None

    @classmethod
    def from_environment(cls, profile: Optional[str] = None) -> "AppContext":
        """From the environment and `.env`; a ValueError names a wrong setting."""
        return cls(read_settings(profile=profile))

    @cached_property
    def municipality(self) -> Municipality:
        """The municipality this deployment serves (raises ConfigurationError naming the field)."""
        return load_municipality(self.settings.municipality_file)

    @property
    def handoff_store(self) -> HandoffStore:
        """The handoff store on settings.database_url, migrated when first opened."""
        with self._lock:  # the action server runs actions on threads: one store, migrated once
            if self._handoff_store is None:
                store = HandoffStore(self.settings.database_url)
                store.migrate()
                self._handoff_store = store
            return self._handoff_store

    def close(self) -> None:
        with self._lock:
            store, self._handoff_store = self._handoff_store, None
        if store is not None:
            store.close()


_process: Optional[AppContext] = None
_process_lock = threading.Lock()


def context() -> AppContext:
    """This process's context (the action server's, or whatever an entry point installed with `use`)."""
    global _process
    with _process_lock:
        if _process is None:
            _process = AppContext.from_environment()
        return _process


def use(installed: Optional[AppContext]) -> Optional[AppContext]:
    """Installs the process's context (None: built afresh on next use); returns the one it replaces."""
    global _process
    with _process_lock:
        previous, _process = _process, installed
        return previous

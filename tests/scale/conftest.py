"""The production topology for the scale and fault tests (`make scale`), from tools/cluster.py.

nginx, two Rasa replicas, one action server, a redis-server of the tests' own (so a test can stop
Redis without touching the machine's shared one) and a fresh PostgreSQL database, dropped at the end.
Skipped with a clear message when PostgreSQL or redis-server is not there. One set of processes
serves every test of the session.
"""

from __future__ import annotations

import os
import time
import uuid
from contextlib import ExitStack
from typing import Iterator, List, Optional

import pytest
import requests

from bot.contract import CONVERSATION_HEADER
from bot.settings import PROJECT_ROOT
from tools.cluster import Cluster, RedisServer, Unavailable, scratch_database

POSTGRES_URL = os.getenv("WEGWIJS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    try:
        server = RedisServer(tmp_path_factory.mktemp("redis"))
    except Unavailable as error:
        pytest.skip(f"The scale tests need Redis: {error}")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, redis_server) -> Iterator[Cluster]:
    if not (PROJECT_ROOT / "models" / ".trained").exists():
        pytest.skip("no trained model: run `make train`")
    with ExitStack() as cleanup:
        try:
            database = cleanup.enter_context(scratch_database(POSTGRES_URL))
        except Unavailable as error:
            pytest.skip(f"The scale tests need PostgreSQL (set WEGWIJS_TEST_POSTGRES_URL): {error}")
        running = Cluster(tmp_path_factory.mktemp("cluster"), database, redis_server.url)
        cleanup.callback(running.stop)
        running.start()
        yield running


class Resident:
    """One resident over the REST channel, through nginx unless a replica's URL is given."""

    def __init__(self, cluster: Cluster, name: str) -> None:
        self.cluster = cluster
        self.sender = f"{name}-{uuid.uuid4().hex[:8]}"

    def post(self, text: str, url: Optional[str] = None) -> requests.Response:
        return requests.post(
            url or self.cluster.url,
            json={"sender": self.sender, "message": text},
            headers={CONVERSATION_HEADER: self.sender},
            timeout=120,
        )

    def says(self, text: str) -> List[dict]:
        reply = self.post(text)
        assert reply.status_code == 200, reply.text
        return reply.json()


def wait_for(check, seconds: float, what: str):
    """Polls `check` until it returns something truthy (recovery, not speed: a generous deadline)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = check()
            if found:
                return found
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds} s")

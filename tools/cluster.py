"""The production topology on free ports, started process by process (scale tests and `make bench`).

nginx, Rasa replicas and action servers from bot/ops/serve.py's commands and configuration (the web server
when asked), a fresh PostgreSQL database (dropped afterwards) and, when asked, a redis-server of its
own that a test can stop without touching the machine's shared one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from bot.ops.serve import (
    Production,
    Topology,
    actions_command,
    commands,
    environment,
    nginx_command,
    rasa_command,
    render_nginx,
)
from bot.settings import PROJECT_ROOT

START_SECONDS = 300  # a Rasa replica loads TensorFlow and the model: slow on a busy 2-core machine


class Unavailable(Exception):
    """PostgreSQL or redis-server is not there; the message says which."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_start(ready: Callable[[], object], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        try:
            if ready():
                return
        except (requests.RequestException, OSError, ValueError):
            pass  # not listening yet
        except Exception as error:  # e.g. redis.ConnectionError while redis-server starts
            if "connect" not in type(error).__name__.lower():
                raise
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not start within {START_SECONDS} s")


@contextmanager
def scratch_database(admin_url: str) -> Iterator[URL]:
    """A new PostgreSQL database for one run, dropped afterwards."""
    name = f"wegwijs_scratch_{uuid.uuid4().hex[:8]}"
    # pre-ping: the database server may have restarted since (the fault tests restart it)
    admin = create_engine(
        admin_url, connect_args={"connect_timeout": 3}, isolation_level="AUTOCOMMIT", pool_pre_ping=True
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        raise Unavailable(f"PostgreSQL not reachable at {make_url(admin_url)!r}: {error}") from error
    try:
        yield make_url(admin_url).set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class RedisServer:
    """A redis-server of our own on a free port, to stop and start again."""

    def __init__(self, tmp: Path) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            raise Unavailable("redis-server is not installed (Debian package redis-server)")
        self.binary = binary
        self.port = free_port()
        self.tmp = tmp
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("redis-server is not started")
        return self.process.pid

    def start(self) -> None:
        import redis

        log = open(self.tmp / "redis.log", "ab")
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_start(
            lambda: redis.Redis(port=self.port, socket_timeout=1).ping(), self.process, "redis-server"
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Cluster:
    """nginx in front of Rasa replicas and action servers; `url` is the REST channel on nginx's internal
    listener (the web server's relay uses it too), `public_url` nginx's public one."""

    SECRET_KEY = "scale-tests-only"

    def __init__(
        self, tmp: Path, database: URL, redis_url: str, replicas: int = 2, action_servers: int = 1
    ) -> None:
        self.tmp = tmp
        self.database = database
        topology = Topology(
            "127.0.0.1",
            free_port(),
            tuple(free_port() for _ in range(replicas)),
            tuple(free_port() for _ in range(action_servers)),
            free_port(),
            free_port(),
            free_port(),
        )
        self.production = Production(database, database, redis_url, uuid.uuid4().hex, topology)
        self.env = environment(self.production, {**os.environ, "WEGWIJS_SECRET_KEY": self.SECRET_KEY})
        self.url = f"{topology.rasa_url}/webhooks/rest/webhook"
        self.public_url = topology.public_url
        self.replica_urls = [f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in topology.rasa_ports]
        self.processes: Dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def _start(self, name: str, command: List[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env
        )
        self.processes[name] = process
        return process

    def start(self) -> None:
        topology = self.production.topology
        render_nginx(topology, self.tmp / "nginx")
        self._start("nginx", nginx_command(self.tmp / "nginx"))
        for index in range(len(topology.action_ports)):
            self.start_actions(index)
        replicas = [self._start(f"rasa{n}", rasa_command(port)) for n, port in enumerate(topology.rasa_ports)]
        for process, port in zip(replicas, topology.rasa_ports):
            status = f"http://127.0.0.1:{port}/status?token={self.production.rasa_token}"

            def model_loaded(url: str = status) -> object:
                return requests.get(url, timeout=2).json().get("model_file")

            wait_for_start(model_loaded, process, "a Rasa replica")

    def start_web(self) -> None:
        """The web server (widget, portal) behind nginx's public listener, as `bot serve` starts it."""
        process = self._start("web", commands(self.production, self.tmp / "nginx")["web"])
        wait_for_start(
            lambda: requests.get(f"{self.public_url}/health", timeout=2).ok, process, "the web server"
        )

    def start_actions(self, index: int = 0) -> None:
        port = self.production.topology.action_ports[index]
        process = self._start(f"actions{index}", actions_command(port))
        wait_for_start(
            lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok, process, "an action server"
        )

    def stop_actions(self, index: int = 0) -> None:
        process = self.processes.pop(f"actions{index}")
        process.kill()
        process.wait(30)

    def pids(self) -> Dict[str, int]:
        return {name: process.pid for name, process in self.processes.items() if process.poll() is None}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def events(self, sender: str) -> List[dict]:
        """The conversation as stored in PostgreSQL, in insertion order."""
        engine = create_engine(self.database)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    text(
                        "SELECT type_name, action_name, data FROM events "
                        "WHERE sender_id = :sender ORDER BY id"
                    ),
                    {"sender": sender},
                )
                return [dict(row._mapping) for row in rows]
        finally:
            engine.dispose()

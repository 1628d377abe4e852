"""Starts the real action server and Rasa server (newest model) on free ports for a test session."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
import requests
import yaml

from tools.cluster import RedisServer, Unavailable, free_port
from tools.cluster import wait_for_start as wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Rasa and the action server start as `make run` starts them: internal interface, API behind a token.
LAUNCH = [sys.executable, "-m", "serving.launch"]
# The `limited` web server's rate limits: requests per client address, messages per conversation.
PER_ADDRESS, PER_CONVERSATION = 6, 3


class Servers:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.processes: List[subprocess.Popen] = []
        self.action_port = free_port()
        self.rasa_port = free_port()
        self.web_port = free_port()
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.rasa_token = f"e2e-{uuid.uuid4().hex}"
        self.database_url = f"sqlite:///{tmp / 'handoffs.db'}"
        self.endpoints = tmp / "endpoints.yml"
        # Conversations recorded by the tracker store `make run` uses (endpoints.yml), in a file of the
        # test's own, for the statistics tests.
        self.tracker_db = tmp / "tracker.db"
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
        self.endpoints.write_text(
            yaml.safe_dump(
                {
                    "action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"},
                    "tracker_store": {**endpoints["tracker_store"], "db": str(self.tracker_db)},
                    # the responses in the language of the turn, as `make run` has them
                    "nlg": endpoints["nlg"],
                }
            )
        )

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "WEGWIJS_DATABASE_URL": self.database_url,
            "WEGWIJS_RASA_URL": f"http://127.0.0.1:{self.rasa_port}",
            "WEGWIJS_PUBLIC_URL": self.web_url,
            "WEGWIJS_SECRET_KEY": "e2e-tests-only",
            "WEGWIJS_ENDPOINTS_FILE": str(self.endpoints),
            "WEGWIJS_RASA_TOKEN": self.rasa_token,
        }

    def _start(self, name: str, command: List[str], env: Optional[dict] = None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env or self.env
        )
        self.processes.append(process)
        return process

    def start_actions(self) -> None:
        process = self._start(
            "actions", [*LAUNCH, "actions", "--actions", "actions", "--port", str(self.action_port)]
        )
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{self.action_port}/health", timeout=2).ok,
            process,
            "the action server",
        )

    def stop_actions(self) -> None:
        self.processes[0].terminate()
        self.processes[0].wait(30)

    def start_rasa(self) -> None:
        process = self._start(
            "rasa",
            [
                *LAUNCH,
                "rasa",
                "--port",
                str(self.rasa_port),
                "--model",
                "models",
                "--endpoints",
                str(self.endpoints),
                "--credentials",
                "credentials.yml",
            ],
        )
        status = f"http://127.0.0.1:{self.rasa_port}/status?token={self.rasa_token}"
        wait_until(
            lambda: bool(requests.get(status, timeout=2).json().get("model_file")), process, "the Rasa server"
        )

    def start_web(self, port: Optional[int] = None, **settings: str) -> subprocess.Popen:
        """The web server (portal, widget) as `make run` starts it: gunicorn with the Flask app; another
        one on `port` with other settings (WEGWIJS_...) when given."""
        name = f"web-{port}" if port else "web"
        port = port or self.web_port
        process = self._start(
            name,
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "bot.web.app:create_app()",
            ],
            {**self.env, **settings},
        )
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok, process, "the web server"
        )
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    running = Servers(tmp_path_factory.mktemp("servers"))
    try:
        running.start_actions()
        running.start_rasa()
        running.start_web()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def unthrottled(servers):
    """A second web server in front of the same Rasa with rate limits no test's burst reaches: for
    tests of what the door does with a message, not of how many may come. Its URL."""
    port = free_port()
    process = servers.start_web(
        port,
        WEGWIJS_WIDGET_LIMIT_ADDRESS="100000 per minute",
        WEGWIJS_WIDGET_LIMIT_CONVERSATION="100000 per minute",
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture(scope="session")
def limited(servers, tmp_path_factory):
    """A second web server in front of the same Rasa: low limits, counts in a redis-server of its own (so
    both gunicorn workers share them). Its URL."""
    try:
        redis_server = RedisServer(tmp_path_factory.mktemp("limits-redis"))
    except Unavailable as error:
        pytest.skip(f"needs redis-server: {error}")
    redis_server.start()
    port = free_port()
    process = servers.start_web(
        port,
        WEGWIJS_RATE_LIMIT_STORAGE=redis_server.url.rsplit("/", 1)[0] + "/6",
        WEGWIJS_WIDGET_LIMIT_ADDRESS=f"{PER_ADDRESS} per minute",
        WEGWIJS_WIDGET_LIMIT_CONVERSATION=f"{PER_CONVERSATION} per minute",
        WEGWIJS_WIDGET_RELAY_TIMEOUT="90",
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)
        redis_server.stop()


class Resident:
    """One resident chatting over the REST channel."""

    def __init__(self, servers: Servers, name: str) -> None:
        self.url = f"http://127.0.0.1:{servers.rasa_port}/webhooks/rest/webhook"
        # The sender id has a length limit (the door refuses longer ones); a test name can be long.
        self.sender = f"{name[:64]}-{uuid.uuid4().hex}"

    def says(self, text: str) -> List[dict]:
        reply = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        assert reply.status_code == 200, reply.text
        return reply.json()


@pytest.fixture
def resident(servers, request) -> Resident:
    return Resident(servers, request.node.name)


def listeners(processes) -> List[tuple]:
    """(process name, address, port) of every listening TCP socket of these processes and their children."""
    import psutil

    found = set()
    for process in processes:
        parent = psutil.Process(process.pid)
        for member in [parent, *parent.children(recursive=True)]:
            for connection in member.net_connections(kind="tcp"):
                if connection.status == psutil.CONN_LISTEN:
                    found.add((member.name(), connection.laddr.ip, connection.laddr.port))
    return sorted(found)


def is_loopback(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address).is_loopback


def text_of(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def payloads(replies: List[dict]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]

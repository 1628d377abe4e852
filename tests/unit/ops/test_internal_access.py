"""The settings and start-up checks that keep Rasa and the action servers off the network, and the
widget's expiring tokens. Over HTTP against the running servers: tests/e2e/test_access.py (embedded
profile) and tests/scale/test_access.py (production)."""

import os
import re
import stat
import subprocess
import sys
import time

import pytest

from bot.ops.serve import Topology, procfile_problems, render_nginx
from bot.settings import PROJECT_ROOT, _generated, _internal_host, _rasa_token, _rate_limit, read_settings
from bot.web.widget.tokens import Conversation, ConversationTokens, ExpiredToken
from serving.launch import LaunchError, rasa_argv

NOW = 1_800_000_000


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "8.8.8.8", "2001:4860::8888", "rasa.example", ""])
def test_rasa_and_the_action_servers_never_listen_on_a_public_or_every_interface(address):
    with pytest.raises(ValueError, match="WEGWIJS_INTERNAL_HOST"):
        _internal_host(address)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.3.7", "192.168.1.20", "::1"])
def test_loopback_and_private_addresses_are_internal(address):
    assert _internal_host(address) == address


def test_a_short_rasa_token_is_refused(monkeypatch):
    monkeypatch.setenv("WEGWIJS_RASA_TOKEN", "geheim")
    with pytest.raises(ValueError, match="WEGWIJS_RASA_TOKEN is shorter than 24"):
        _rasa_token(os.environ)


def test_a_generated_secret_is_made_once_and_only_its_owner_can_read_it(tmp_path):
    path = tmp_path / "var" / "rasa_token"
    first = _generated(path, 32)
    assert _generated(path, 32) == first and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["rasa_token"]  # no draft left behind


def test_a_rate_limit_setting_that_is_not_a_limit_names_the_variable(monkeypatch):
    monkeypatch.setenv("WEGWIJS_WIDGET_LIMIT_ADDRESS", "veel")
    with pytest.raises(ValueError, match="WEGWIJS_WIDGET_LIMIT_ADDRESS='veel'"):
        _rate_limit("WEGWIJS_WIDGET_LIMIT_ADDRESS", "60 per minute", os.environ)


def test_the_launcher_gives_rasa_the_internal_interface_and_its_token():
    settings = read_settings()
    argv = rasa_argv("rasa", ["--port", "5005", "--model", "models"])
    assert argv[:2] == ["rasa", "run"] and "--enable-api" in argv
    assert argv[argv.index("--interface") + 1] == settings.internal_host
    assert argv[argv.index("--auth-token") + 1] == settings.rasa_token
    assert argv[argv.index("--jwt-secret") + 1] == settings.rasa_token  # the relay's JWTs


def test_the_action_server_listens_on_the_internal_interface(monkeypatch):
    monkeypatch.setenv("SANIC_HOST", "0.0.0.0")
    assert rasa_argv("actions", ["--port", "5055"]) == ["rasa", "run", "actions", "--port", "5055"]
    assert os.environ["SANIC_HOST"] == read_settings().internal_host


@pytest.mark.parametrize(
    "options",
    [["--interface", "0.0.0.0"], ["-i", "0.0.0.0"], ["--auth-token", "x" * 30], ["--auth-token=" + "x" * 30]],
)
def test_the_launcher_refuses_an_interface_or_token_of_its_own(options):
    with pytest.raises(LaunchError, match="the launcher sets the interface and the API token"):
        rasa_argv("rasa", ["--port", "5005", *options])


def test_the_launcher_does_not_start_rasa_on_a_public_interface():
    env = {**os.environ, "WEGWIJS_INTERNAL_HOST": "0.0.0.0", "PYTHONPATH": str(PROJECT_ROOT)}
    started = subprocess.run(
        [sys.executable, "-m", "serving.launch", "rasa", "--port", "5005"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 2 and "never on a public one or on all (0.0.0.0)" in started.stderr


@pytest.mark.parametrize("command", [["check-config"], ["serve"], ["serve", "--profile", "production"]])
@pytest.mark.parametrize("setting", [("WEGWIJS_INTERNAL_HOST", "0.0.0.0"), ("WEGWIJS_RASA_TOKEN", "kort")])
def test_check_config_and_serve_refuse_a_public_interface_or_a_weak_token(command, setting):
    env = {**os.environ, setting[0]: setting[1], "PYTHONPATH": str(PROJECT_ROOT)}
    checked = subprocess.run(
        [sys.executable, "-m", "bot.ops.cli", *command],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 2 and setting[0] in checked.stderr


def test_a_procfile_that_starts_rasa_itself_or_shows_the_token_is_refused(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        "rasa: .venv/bin/rasa run --enable-api --port 5005\n"
        "actions: .venv/bin/python -m serving.launch actions --auth-token=abc\n"
        "web: .venv/bin/gunicorn --bind 127.0.0.1:8000 'bot.web.app:create_app()'\n"
    )
    problems = procfile_problems(procfile)
    assert len(problems) == 2
    assert problems[0].startswith("rasa: starts Rasa directly") and problems[1].startswith(
        "actions: the API token"
    )
    assert procfile_problems(PROJECT_ROOT / "Procfile") == []  # make run's own


def test_nginxs_public_listener_leads_to_the_web_server_only(tmp_path):
    config = render_nginx(Topology.default(2, 2, "192.0.2.10", 443), tmp_path).read_text()
    servers = re.split(r"\n    server \{", config)[1:]
    public = [block for block in servers if "listen 192.0.2.10:443;" in block]
    assert len(public) == 1 and re.findall(r"proxy_pass (\S+);", public[0]) == ["http://web"]
    internal = [block for block in servers if block not in public]
    assert all(re.search(r"listen 127\.0\.0\.1:\d+;", block) for block in internal) and len(internal) == 2


def test_a_token_expires_after_the_idle_time_and_after_the_longest_conversation():
    tokens = ConversationTokens("unit", idle_seconds=60, max_seconds=3600)
    now = time.time()
    fresh = tokens.issue()
    conversation = tokens.read(fresh)
    assert conversation.id.startswith("web-")
    with pytest.raises(ExpiredToken):
        tokens.read(tokens.issue(conversation, now=now - 61))
    with pytest.raises(ExpiredToken):
        tokens.read(tokens.issue(Conversation(conversation.id, now - 3601), now=now))
    renewed = tokens.issue(conversation, now=now)
    assert tokens.read(renewed) == conversation and tokens.conversation_id(renewed) == conversation.id
    assert tokens.conversation_id(tokens.issue(conversation, now=now - 61)) is None


def test_only_well_formed_tokens_signed_here_are_read():
    tokens = ConversationTokens("unit")
    signed = ConversationTokens("unit")._serializer
    assert tokens.read(ConversationTokens("other").issue()) is None
    assert tokens.read(signed.dumps(["chosen-by-the-page", NOW, NOW])) is None
    assert tokens.read(signed.dumps("web-old-style-token")) is None
    assert tokens.read("x" * 201) is None and tokens.read(None) is None

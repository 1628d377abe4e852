"""`bot serve --profile production`: Wegwijs scaled out with Rasa's own means, on one machine.

  nginx (public port)  --everything but /webhooks/-->  web (gunicorn: widget, demo pages, portal)
  nginx (internal, 5005)  --hash on X-Wegwijs-Conversation-->  Rasa replicas (REST channel and API)
  Rasa replicas: one Sanic worker each, conversations in PostgreSQL (SQLTrackerStore), locks in Redis,
                 HTTP API behind a token (serving/launch.py keeps it off the command line)
  nginx (internal, 5055)  --round robin-->  action servers (handoffs in PostgreSQL)
Everything but the public port listens on WEGWIJS_INTERNAL_HOST (127.0.0.1, or a private address).

The profile is chosen by WEGWIJS_PROFILE (`.env`); `embedded` (the default) is `make run`: one Rasa
server, SQLite. Its settings are read and checked by bot/settings.py (Settings.production), never here. This module renders deploy/nginx.conf.j2 and a Procfile into build/production/ and
hands both to honcho; the test harness (tests/scale/) uses the same pieces to start and kill processes.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple
from urllib.parse import unquote, urlparse

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.engine import URL, make_url

from bot.settings import PROJECT_ROOT, Settings

DEPLOY_DIR = PROJECT_ROOT / "deploy"
RUN_DIR = PROJECT_ROOT / "build" / "production"
BIN = Path(sys.executable).parent
NGINX_TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# PostgreSQL connections per process. Rasa's SQLTrackerStore runs its queries synchronously on the
# event loop, so a replica (one Sanic worker) uses one connection at a time: 2 + 2 leaves room for a
# slow commit. The handoff store (action servers, web workers) keeps SQLAlchemy's default, 5 + 10.
SQL_POOL_SIZE = 2
SQL_MAX_OVERFLOW = 2
HANDOFF_POOL_CONNECTIONS = 5 + 10
WEB_WORKERS = 2
# superuser_reserved_connections (3) plus an operator's psql and a migration.
RESERVED_CONNECTIONS = 5


class ServeError(Exception):
    """The production profile cannot start; the message says what to set or install."""


@dataclass(frozen=True)
class Topology:
    """Where every process listens. All but the public port are bound to the internal host."""

    public_host: str
    public_port: int
    rasa_ports: Tuple[int, ...]
    action_ports: Tuple[int, ...]
    action_proxy_port: int
    web_port: int
    # The web server's relay reaches the replicas here: the default of WEGWIJS_RASA_URL, so `bot chat` does too.
    rasa_proxy_port: int = 5005
    internal_host: str = "127.0.0.1"

    @classmethod
    def default(
        cls,
        replicas: int,
        action_servers: int,
        public_host: str,
        public_port: int,
        internal_host: str = "127.0.0.1",
    ) -> "Topology":
        return cls(
            public_host,
            public_port,
            tuple(range(5006, 5006 + replicas)),
            tuple(range(5056, 5056 + action_servers)),
            5055,
            8000,
            5005,
            internal_host,
        )

    @property
    def public_url(self) -> str:
        return f"http://{self.public_host}:{self.public_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.internal_host}:{self.rasa_proxy_port}"

    def connections_needed(self) -> int:
        return (
            len(self.rasa_ports) * (SQL_POOL_SIZE + SQL_MAX_OVERFLOW)
            + (len(self.action_ports) + WEB_WORKERS) * HANDOFF_POOL_CONNECTIONS
        )


@dataclass(frozen=True)
class Production:
    database: URL  # handoffs; also the conversations unless WEGWIJS_TRACKER_DATABASE_URL says otherwise
    tracker_database: URL
    redis_url: str
    rasa_token: str
    topology: Topology
    # nginx is one proxy that sets X-Forwarded-For; a load balancer in front of it makes two.
    trusted_proxies: int = 1


def _postgresql(raw: str, name: str) -> URL:
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        raise ServeError(f"The production profile keeps its data in PostgreSQL: set {name}=postgresql://...")
    return url


def production_from(settings: Settings) -> Production:
    """The production profile from settings read for it (Settings.production); its data in PostgreSQL."""
    if settings.production is None:
        raise ServeError("these settings are not the production profile's (WEGWIJS_PROFILE=production)")
    production = settings.production
    database = _postgresql(settings.database_url, "WEGWIJS_DATABASE_URL")
    tracker = _postgresql(production.tracker_database_url, "WEGWIJS_TRACKER_DATABASE_URL")
    topology = Topology.default(
        replicas=production.rasa_replicas,
        action_servers=production.action_servers,
        public_host=production.public_host,
        public_port=production.public_port,
        internal_host=settings.internal_host,
    )
    return Production(
        database, tracker, production.redis_url, settings.rasa_token, topology, production.trusted_proxies
    )


def environment(production: Production, base: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The environment of every process: deploy/endpoints.production.yml reads the ${...} values."""
    tracker, redis, topology = (
        production.tracker_database,
        urlparse(production.redis_url),
        production.topology,
    )
    return {
        **(os.environ if base is None else base),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "WEGWIJS_PROFILE": "production",
        "WEGWIJS_DATABASE_URL": production.database.render_as_string(hide_password=False),
        "WEGWIJS_RASA_URL": topology.rasa_url,
        "WEGWIJS_RASA_TOKEN": production.rasa_token,
        "WEGWIJS_TRUSTED_PROXIES": str(production.trusted_proxies),
        # The widget's and the login's rate limits count in Redis, for every web worker together.
        "WEGWIJS_RATE_LIMIT_STORAGE": production.redis_url,
        "WEGWIJS_TRACKER_HOST": tracker.host or "127.0.0.1",
        "WEGWIJS_TRACKER_PORT": str(tracker.port or 5432),
        "WEGWIJS_TRACKER_DB": tracker.database or "postgres",
        "WEGWIJS_TRACKER_USER": tracker.username or "postgres",
        "WEGWIJS_TRACKER_PASSWORD": tracker.password or "",
        "WEGWIJS_REDIS_HOST": redis.hostname or "127.0.0.1",
        "WEGWIJS_REDIS_PORT": str(redis.port or 6379),
        "WEGWIJS_REDIS_DB": redis.path.strip("/") or "1",
        "WEGWIJS_REDIS_PASSWORD": unquote(redis.password or ""),
        "WEGWIJS_ACTION_URL": f"http://{topology.internal_host}:{topology.action_proxy_port}/webhook",
        "SQL_POOL_SIZE": str(SQL_POOL_SIZE),
        "SQL_MAX_OVERFLOW": str(SQL_MAX_OVERFLOW),
        # One Sanic worker per replica: the proxy can pick a replica, not a worker inside one.
        "SANIC_WORKERS": "1",
        "WEGWIJS_INTERNAL_HOST": topology.internal_host,
    }


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise ServeError("nginx is not installed: run `make production-setup` (Debian's nginx package)")
    return found


def render_nginx(topology: Topology, run_dir: Path) -> Path:
    for name in NGINX_TEMP_DIRS:
        (run_dir / name).mkdir(parents=True, exist_ok=True)
    templates = Environment(
        loader=FileSystemLoader(DEPLOY_DIR), undefined=StrictUndefined, keep_trailing_newline=True
    )
    config = run_dir / "nginx.conf"
    config.write_text(templates.get_template("nginx.conf.j2").render(run_dir=run_dir, **topology.__dict__))
    return config


def rasa_command(port: int) -> List[str]:
    """Interface and API token come from the environment (serving/launch.py), never from here."""
    return [
        sys.executable,
        "-m",
        "serving.launch",
        "rasa",
        "--port",
        str(port),
        "--model",
        "models",
        "--endpoints",
        str(DEPLOY_DIR / "endpoints.production.yml"),
        "--credentials",
        str(DEPLOY_DIR / "credentials.production.yml"),
    ]


def actions_command(port: int) -> List[str]:
    return [sys.executable, "-m", "serving.launch", "actions", "--actions", "actions", "--port", str(port)]


def nginx_command(run_dir: Path) -> List[str]:
    return [
        nginx_binary(),
        "-p",
        str(run_dir),
        "-c",
        str(run_dir / "nginx.conf"),
        "-e",
        str(run_dir / "nginx-error.log"),
    ]


def commands(production: Production, run_dir: Path) -> Dict[str, List[str]]:
    topology = production.topology
    processes = {"proxy": nginx_command(run_dir)}
    processes.update({f"rasa{n}": rasa_command(port) for n, port in enumerate(topology.rasa_ports, 1)})
    processes.update(
        {f"actions{n}": actions_command(port) for n, port in enumerate(topology.action_ports, 1)}
    )
    processes["web"] = [
        str(BIN / "gunicorn"),
        "--workers",
        str(WEB_WORKERS),
        "--threads",
        "4",
        "--bind",
        f"{topology.internal_host}:{topology.web_port}",
        "bot.web.app:create_app()",
    ]
    # Retention on a schedule of its own, reading the store the replicas write (bot/privacy/retention.py).
    processes["retention"] = [str(BIN / "bot"), "retention", "run"]
    return processes


def check_services(production: Production) -> None:
    """PostgreSQL and Redis answer, and PostgreSQL has connections for every process's pool."""
    import redis
    from sqlalchemy import create_engine, text

    engine = create_engine(production.tracker_database, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            limit = int(connection.execute(text("SHOW max_connections")).scalar())
    except Exception as error:
        raise ServeError(
            f"PostgreSQL is not reachable at {production.tracker_database!r}: {error}"
        ) from error
    finally:
        engine.dispose()
    needed = production.topology.connections_needed()
    if needed > limit - RESERVED_CONNECTIONS:
        raise ServeError(
            f"The processes' connection pools need up to {needed} PostgreSQL connections, but "
            f"max_connections is {limit} ({RESERVED_CONNECTIONS} kept free): start fewer "
            "replicas or action servers, or raise max_connections"
        )
    try:
        redis.Redis.from_url(production.redis_url, socket_timeout=5).ping()
    except redis.RedisError as error:
        raise ServeError(f"Redis is not reachable at {production.redis_url}: {error}") from error


def serve_production(settings: Settings, run_dir: Path = RUN_DIR) -> int:
    production = production_from(settings)
    check_services(production)
    render_nginx(production.topology, run_dir)
    procfile = run_dir / "Procfile"
    procfile.write_text(
        "".join(f"{name}: {shlex.join(command)}\n" for name, command in commands(production, run_dir).items())
    )
    print(
        f"Wegwijs (production profile) starts on {production.topology.public_url}: "
        f"{len(production.topology.rasa_ports)} Rasa replicas, "
        f"{len(production.topology.action_ports)} action servers, nginx in front."
    )
    honcho = str(BIN / "honcho")
    os.chdir(PROJECT_ROOT)
    os.execve(
        honcho, [honcho, "start", "-f", str(procfile), "-d", str(PROJECT_ROOT)], environment(production)
    )
    return 0  # not reached


def procfile_problems(procfile: Path) -> List[str]:
    """What in `make run`'s Procfile would open Rasa or the action server to the network or show the
    API token: they start through serving/launch.py, which binds them to WEGWIJS_INTERNAL_HOST and gives
    Rasa its token, never on a command line."""
    problems = []
    for line in procfile.read_text().splitlines():
        name, _, command = line.partition(":")
        words = shlex.split(command, comments=True)
        if any(word.split("=", 1)[0] == "--auth-token" for word in words):
            problems.append(f"{name}: the API token is on the command line, where `ps` shows it")
        if any(Path(word).name == "rasa" for word in words) and "run" in words:
            problems.append(
                f"{name}: starts Rasa directly (on 0.0.0.0, API without a token); "
                "use `python -m serving.launch rasa|actions ...`"
            )
    return problems


def serve_embedded() -> int:
    problems = procfile_problems(PROJECT_ROOT / "Procfile")
    if problems:
        raise ServeError("; ".join(problems))
    honcho = str(BIN / "honcho")
    os.chdir(PROJECT_ROOT)
    os.execv(honcho, [honcho, "start", "--no-prefix", "-f", str(PROJECT_ROOT / "Procfile")])
    return 0  # not reached


def serve(settings: Settings) -> int:
    """Starts the profile the settings were read for (WEGWIJS_PROFILE, or `bot serve --profile`)."""
    return serve_production(settings) if settings.profile == "production" else serve_embedded()

"""The production profile's pieces: settings, nginx configuration, connection budget, atomic Redis
tickets, the REST channel's failure watch. The whole topology is tested in tests/scale/."""

import asyncio
import subprocess
import time
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.engine import make_url

from bot.conversation.service_replies import service_message
from bot.ops.serve import (
    Production,
    ServeError,
    Topology,
    check_services,
    environment,
    production_from,
    render_nginx,
)
from bot.settings import read_settings

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/1"


def production(replicas=2, action_servers=2, redis=REDIS) -> Production:
    url = make_url("postgresql://wegwijs:s%40cret@db.example:5433/wegwijs")
    return Production(url, url, redis, "token", Topology.default(replicas, action_servers, "127.0.0.1", 8080))


def test_production_needs_postgresql():
    settings = read_settings({"WEGWIJS_DATABASE_URL": "sqlite:///var/wegwijs.db"}, profile="production")
    with pytest.raises(ServeError, match="WEGWIJS_DATABASE_URL=postgresql"):
        production_from(settings)


def test_replica_count_is_checked():
    # Read once at the start of every process: a wrong value stops it there, naming the variable.
    with pytest.raises(ValueError, match="WEGWIJS_RASA_REPLICAS='zero'"):
        read_settings(
            {"WEGWIJS_DATABASE_URL": POSTGRES, "WEGWIJS_RASA_REPLICAS": "zero"}, profile="production"
        )


def test_environment_gives_the_endpoints_file_its_values():
    env = environment(production(redis="redis://:pw@cache.example:6380/3"), {})
    assert (env["WEGWIJS_TRACKER_HOST"], env["WEGWIJS_TRACKER_PORT"], env["WEGWIJS_TRACKER_PASSWORD"]) == (
        "db.example",
        "5433",
        "s@cret",
    )
    assert (env["WEGWIJS_REDIS_HOST"], env["WEGWIJS_REDIS_PORT"], env["WEGWIJS_REDIS_DB"]) == (
        "cache.example",
        "6380",
        "3",
    )
    assert env["WEGWIJS_REDIS_PASSWORD"] == "pw" and env["SANIC_WORKERS"] == "1"
    assert env["WEGWIJS_ACTION_URL"] == "http://127.0.0.1:5055/webhook"


def test_nginx_hashes_on_the_conversation_and_does_not_proxy_the_rasa_api(tmp_path):
    config = render_nginx(production(replicas=3).topology, tmp_path).read_text()
    assert "hash $http_x_wegwijs_conversation consistent;" in config
    assert all(f"server 127.0.0.1:{port} " in config for port in (5006, 5007, 5008, 5056, 5057))
    assert "/model" not in config and "/conversations" not in config
    check = subprocess.run(
        [
            "nginx",
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


def test_pools_that_do_not_fit_max_connections_refuse_to_start():
    def local(replicas: int) -> Production:
        topology = Topology.default(replicas, replicas, "127.0.0.1", 8080)
        return Production(make_url(POSTGRES), make_url(POSTGRES), REDIS, "t", topology)

    try:
        check_services(local(2))
    except ServeError as error:
        pytest.skip(f"local PostgreSQL or Redis not reachable: {error}")
    with pytest.raises(ServeError, match="max_connections"):
        check_services(local(16))


def test_unreachable_redis_is_named():
    with pytest.raises(ServeError, match="Redis is not reachable"):
        check_services(
            Production(
                make_url(POSTGRES), make_url(POSTGRES), "redis://127.0.0.1:1/1", "t", production().topology
            )
        )


@pytest.fixture
def lock_store():
    import redis
    from rasa.utils.endpoints import EndpointConfig

    from serving.redis_lock_store import AtomicRedisLockStore

    try:
        redis.Redis(socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable on 127.0.0.1:6379: {error}")
    prefix = f"test{uuid.uuid4().hex[:8]}"
    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix=prefix))
    yield store
    for key in store.red.scan_iter(f"{prefix}:*"):
        store.red.delete(key)


def test_tickets_taken_at_once_from_two_stores_are_all_different(lock_store):
    from rasa.utils.endpoints import EndpointConfig

    from serving.redis_lock_store import AtomicRedisLockStore

    other = AtomicRedisLockStore(
        EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix=lock_store.key_prefix.split(":")[0])
    )
    stores = [lock_store, other] * 40
    with ThreadPoolExecutor(max_workers=16) as pool:
        tickets = list(pool.map(lambda store: store.issue_ticket("conversation"), stores))
    assert sorted(tickets) == list(range(len(stores)))


def test_a_released_ticket_leaves_the_others_and_the_last_one_removes_the_lock(lock_store):
    first, second = lock_store.issue_ticket("c"), lock_store.issue_ticket("c")
    lock_store.cleanup("c", first)
    assert lock_store.get_lock("c").now_serving == second
    lock_store.cleanup("c", second)
    assert lock_store.get_lock("c") is None


def test_the_lock_reads_as_rasas_own_ticket_lock_and_expired_tickets_go(lock_store):
    assert lock_store.issue_ticket("c", lock_lifetime=-1) == 0  # expired at once
    assert lock_store.issue_ticket("c", lock_lifetime=30) == 0  # Rasa numbers from the last unexpired one
    assert lock_store.issue_ticket("c", lock_lifetime=30) == 1
    lock = lock_store.get_lock("c")
    assert [ticket.number for ticket in lock.tickets] == [0, 1] and lock.now_serving == 0
    assert all(time.time() + 25 < ticket.expires <= time.time() + 30 for ticket in lock.tickets)
    lock_store.finish_serving("c", 0)
    lock_store.finish_serving("c", 1)
    assert lock_store.get_lock("c").tickets == deque()  # finished, not deleted

    async def serve(order: list, name: str) -> None:
        async with lock_store.lock("d", wait_time_in_seconds=0.01):
            order.append(name)
            await asyncio.sleep(0.05)

    async def both() -> list:
        order: list = []
        await asyncio.gather(serve(order, "first"), serve(order, "second"))
        return order

    assert asyncio.run(both()) == ["first", "second"]  # Rasa's own lock(): one after the other, in order
    assert lock_store.get_lock("d") is None


def test_a_failed_action_call_is_noted_for_the_message_being_handled():
    import aiohttp
    from rasa.utils.endpoints import EndpointConfig

    from serving.rest_channel import WatchedActionEndpoint, _failed_calls

    async def call() -> list:
        failed: list = []
        _failed_calls.set(failed)
        endpoint = WatchedActionEndpoint.wrapping(EndpointConfig(url="http://127.0.0.1:1/webhook"))
        with pytest.raises(aiohttp.ClientConnectionError):  # nothing listens on port 1
            await endpoint.request(json={}, method="post")
        return failed

    assert asyncio.run(call()) == ["ClientConnectorError"]


def test_service_messages_name_the_desk_and_the_emergency_numbers(municipality):
    for kind in ("action_failed", "unavailable"):
        text = service_message(kind)
        assert municipality.client_support.phone in text and "112" in text and "0800-0113" in text


ANSWERS = [
    {},
    {"events": []},
    {"responses": [{"text": None}]},
    {"events": "none"},
    [],
    {"events": [1]},
    {
        "events": [
            {"event": "slot", "name": "a", "value": None, "timestamp": None},
            {"event": "bot", "text": "Hoi"},
        ],
        "responses": [{"text": "Hoi", "buttons": [{"title": "Ja", "payload": "/affirm"}]}],
    },
    {"events": [{"event": "slot", "value": 1}]},
    {"events": [{"event": "slot", "name": 3, "value": 1}]},
    {"events": [{"event": "user", "text": 3}]},
    {"events": [{"event": "user", "text": "hallo", "parse_data": {"intent": {"name": "greet"}}}]},
    {"events": [{"event": "action", "name": "utter_x", "policy": None, "confidence": "high"}]},
    {
        "events": [
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "x"},
            {"event": "restart"},
        ]
    },
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": "a", "value": 1, "timestamp": "now"}]},
    {"events": [{"event": "entities", "entities": [{"start": "0", "end": 1, "entity": "x", "value": "y"}]}]},
    {"events": [{"event": "bot", "text": "Hoi", "metadata": []}]},
    {"responses": "none"},
]


def test_action_results_are_checked_against_rasas_schema():
    from jsonschema import ValidationError, validate
    from rasa.core.actions.action import RemoteAction

    from serving import action_results

    action_results.install()
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(
        {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": []}
    )
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"name": "no event type"}]})
    # the same verdict as Rasa's own check of the whole schema, answer by answer
    schema = RemoteAction.action_response_format_spec()
    for answer in ANSWERS:
        try:
            validate(answer, schema)
            expected = True
        except ValidationError:
            expected = False
        try:
            action._validate_action_result(answer)
            actual = True
        except ValidationError:
            actual = False
        assert actual == expected, answer

"""The REST channel of Wegwijs (`POST /webhooks/rest/webhook`): Rasa's own, but failures are said.

Stock Rasa 3.6 answers a REST client with HTTP 200 and whatever was said so far (often `[]`) when
- a custom action fails (action server down, error, timeout): it logs, drops the action's events and
  goes on, so the conversation moves past a step that never happened;
- the tracker store fails: it silently falls back to an empty in-memory tracker, so the resident
  starts over and nothing of that turn reaches the database;
- the lock store (Redis) fails.
It also logs the resident's message text on a failure. Here instead:
- a failed custom action undoes the whole turn (Rasa's own UserUtteranceReverted), and the resident
  gets a friendly Dutch "please send it again" (HTTP 200). Sending it again, once the action server is
  back, runs the same step; the handoff store's idempotency key keeps that from storing twice;
- an unreachable tracker store or lock store: nothing is processed or stored, the resident gets the
  "Wegwijs werkt nu even niet" message with HTTP 503, and one log line names the part that failed;
- no message text is ever logged;
- every message is cleaned at the door (bot.conversation.text.at_the_door) and bounded in length before Rasa
  stores it; text starting with "/" is a command only when it is a button the bot just offered;
- a custom-action call that never reached the action server is sent again on a fresh connection,
  and a turn that still ends without a message gets a Dutch "ask it again" (never an empty answer);
- the header X-Wegwijs-Conversation (the proxy hashes on it to keep a conversation on one replica)
  must, when present, equal the JSON `sender`;
- what comes with the message is bounded (`_out_of_bounds`): a short sender, an input channel that is
  a name (it becomes a column of the statistics), metadata as a small JSON object. This channel is
  not public (nginx does not proxy it), but every client on the internal network can reach it.
Registered in credentials.yml; its name stays `rest`, so the URL does not change.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import traceback
from typing import Any, Awaitable, Callable, List, Optional, Text

import aiohttp
import ujson
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUtteranceReverted
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from sanic import Blueprint, response
from sanic.config import DEFAULT_CONFIG as SANIC_DEFAULTS
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.app_context import context
from bot.contract import CONVERSATION_HEADER
from bot.conversation.service_replies import service_message
from bot.conversation.text import MESSAGE_ID, at_the_door, within_limit_at_the_door
from serving import action_results
from serving.graph_runner import SequentialGraphRunner
from serving.typed_commands import commands_only_when_offered

action_results.install()

logger = logging.getLogger(__name__)

# A conversation id: the widget's are far shorter (Rasa's sender_id column holds 255 characters).
MAX_SENDER_LENGTH = 128
INPUT_CHANNEL = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_METADATA_BYTES = 2048  # the widget sends a message id; nothing a client sends needs more
# The action server (rasa_sdk on Sanic) closes a connection idle this long. A kept connection idle
# for half of that is not used again, so a call is not written into a connection being closed.
SERVER_KEEP_ALIVE_SECONDS = float(SANIC_DEFAULTS["KEEP_ALIVE_TIMEOUT"])  # type: ignore[arg-type]  # a number in Sanic's defaults
CLIENT_KEEP_ALIVE_SECONDS = SERVER_KEEP_ALIVE_SECONDS / 2
# A call that never reached the action server (a connection closed under it, refused while the
# server restarts) is sent again after these waits, on a fresh connection.
RESEND_WAITS_SECONDS = (0.0, 0.5, 1.5)
NOT_REACHED = (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)
# Set per message: the custom-action calls that failed while handling it.
_failed_calls: contextvars.ContextVar[Optional[List[str]]] = contextvars.ContextVar(
    "failed_calls", default=None
)
# Set while a call is sent again: it goes over a session (and connection) of its own.
_fresh_connection: contextvars.ContextVar[bool] = contextvars.ContextVar("fresh_connection", default=False)


class TrackerStoreUnavailable(Exception):
    """The tracker store (PostgreSQL or SQLite) could not read or write the conversation."""


def _refuse_fallback(error: Exception) -> None:
    """FailSafeTrackerStore's error callback: fail the message instead of using an empty tracker."""
    raise TrackerStoreUnavailable(type(error).__name__) from error


class _OpenSession:
    """Lends Rasa's `async with endpoint.session()` a client session that stays open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_: Any) -> None:
        return None


class WatchedActionEndpoint(EndpointConfig):
    """The action endpoint, noting failed calls for the message being handled, over kept-open connections.

    A 400 is not a failure: it is how a form's validation rejects an answer (ActionExecutionRejection).
    Rasa opens a new client session, and so a new connection, for every action call; this endpoint
    keeps one session, made the way Rasa makes it (measured: about 2% of a turn's CPU). A connection
    it keeps is one the action server may close: see `_request_until_reached`."""

    _open: Optional[aiohttp.ClientSession] = None
    _loop: Optional[asyncio.AbstractEventLoop] = None

    @classmethod
    def wrapping(cls, endpoint: EndpointConfig) -> "WatchedActionEndpoint":
        watched = cls.__new__(cls)
        watched.__dict__.update(endpoint.__dict__)
        return watched

    def session(self) -> Any:
        if _fresh_connection.get():
            return self._new_session()  # closed, with its connection, when Rasa's call is done
        loop = asyncio.get_running_loop()  # a session belongs to the loop it was made on
        if self._open is None or self._open.closed or self._loop is not loop:
            self._open, self._loop = self._new_session(), loop
        return _OpenSession(self._open)

    def _new_session(self) -> aiohttp.ClientSession:
        """Made as Rasa makes it (headers, auth, timeout), with an idle limit below the action server's."""
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )
        return aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=CLIENT_KEEP_ALIVE_SECONDS),
        )

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        if "json" in kwargs:
            # The whole conversation goes with every call: ujson encodes it with half the CPU the json
            # module's encoder took (that was 5% of a turn). Rasa sets the content type.
            kwargs["data"] = ujson.dumps(kwargs.pop("json"), ensure_ascii=False).encode()
        try:
            return await self._request_until_reached(*args, **kwargs)
        except ClientResponseError as error:
            if error.status != 400:
                self._note(f"HTTP {error.status}")
            raise
        except Exception as error:
            self._note(type(error).__name__)
            raise

    async def _request_until_reached(self, *args: Any, **kwargs: Any) -> Any:
        """Sends a call again when it never reached the action server. Actions that store something are
        idempotent (the handoff store's key), so a call that did arrive after all is stored once."""
        try:
            return await super().request(*args, **kwargs)
        except NOT_REACHED as error:
            not_reached = error
        for wait in RESEND_WAITS_SECONDS:
            logger.warning(
                "Action server not reached (%s): the call is sent again on a new connection.",
                type(not_reached).__name__,
            )
            await asyncio.sleep(wait)
            token = _fresh_connection.set(True)
            try:
                return await super().request(*args, **kwargs)
            except NOT_REACHED as error:
                not_reached = error
            finally:
                _fresh_connection.reset(token)
        raise not_reached

    @staticmethod
    def _note(what: str) -> None:
        failed = _failed_calls.get()
        if failed is not None:
            failed.append(what)


def _prepare(agent: Agent) -> None:
    """Once per loaded model (a new model brings a new processor): run its graph without dask, watch
    the action endpoint, let typed text be a command only when offered, and make tracker store errors
    fail the message. `_on_tracker_store_error` is the callback FailSafeTrackerStore takes in its
    constructor; Rasa's agent creates it without one."""
    processor = agent.processor
    if type(processor.graph_runner) is DaskGraphRunner:
        processor.graph_runner = SequentialGraphRunner.replacing(processor.graph_runner)
    if processor.action_endpoint and not isinstance(processor.action_endpoint, WatchedActionEndpoint):
        processor.action_endpoint = WatchedActionEndpoint.wrapping(processor.action_endpoint)
    if not getattr(processor.parse_message, "checks_commands", False):
        processor.parse_message = commands_only_when_offered(processor.parse_message)
    store = agent.tracker_store
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _refuse_fallback


async def handle(agent: Agent, message: UserMessage) -> List[str]:
    """Rasa's Agent.handle_message, plus: a turn with a failed custom action is undone under the same
    lock. Returns the failed calls (empty: all went well)."""
    _prepare(agent)
    failed: List[str] = []
    token = _failed_calls.set(failed)
    try:
        async with agent.lock_store.lock(message.sender_id):
            await agent.processor.handle_message(message)
            if failed:
                tracker = await agent.processor.get_tracker(message.sender_id)
                # Rasa's rewind also drops the listen before the message: listen again, as
                # Rasa's own fallback actions do after a rewind.
                tracker.update(UserUtteranceReverted())
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await agent.processor.save_tracker(tracker)
    finally:
        _failed_calls.reset(token)
    return failed


def _brief(error: BaseException) -> str:
    """Type and first line only: database errors go on with the SQL parameters, i.e. the resident's words."""
    lines = str(error).splitlines()
    return f"{type(error).__name__}: {lines[0][:200]}" if lines else type(error).__name__


def _out_of_bounds(body: Any) -> Optional[str]:
    """What is wrong with the parts around the message, if anything (never repeating what was sent)."""
    channel = body.get("input_channel")
    if channel is not None and not (isinstance(channel, str) and INPUT_CHANNEL.match(channel)):
        return "'input_channel' must be a name: a-z, 0-9 and _, at most 32 characters"
    metadata = body.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict) and len(ujson.dumps(metadata).encode()) <= MAX_METADATA_BYTES
    ):
        return f"'metadata' must be a JSON object of at most {MAX_METADATA_BYTES} bytes"
    return None


def _say(kind: str, status: int) -> HTTPResponse:
    return response.json([{"recipient_id": None, "text": service_message(kind)}], status=status)


class WegwijsRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("wegwijs_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request)

        return webhook

    async def _receive(self, request: Request) -> HTTPResponse:
        malformed = self._malformed(request) or _out_of_bounds(request.json)
        if malformed:
            return response.json({"error": malformed}, status=400)
        sender, text = (
            request.json["sender"],
            within_limit_at_the_door(request.json["message"], context().settings.widget_max_length),
        )
        if text is None:
            return _say("too_long", 413)
        agent: Optional[Agent] = request.app.ctx.agent
        if agent is None or not agent.is_ready():
            logger.error("No model loaded: the message was not processed.")
            return _say("unavailable", 503)
        collector = CollectingOutputChannel()
        message = UserMessage(
            text, collector, sender, input_channel=self.name(), metadata=self._message_id(request)
        )
        return await self._process(agent, message, collector)

    @staticmethod
    def _malformed(request: Request) -> Optional[str]:
        """What is wrong with a request no resident's widget sends, for the client's developer."""
        body = request.json
        if not isinstance(body, dict):
            return "a JSON object is required"
        sender = body.get("sender")
        # The sender is stored as the conversation's key: valid text that fits Rasa's column.
        if (
            not isinstance(sender, str)
            or not sender
            or len(sender) > MAX_SENDER_LENGTH
            or at_the_door(sender) != sender
        ):
            return f"'sender' is required: text without control characters, at most {MAX_SENDER_LENGTH} characters"
        if not isinstance(body.get("message"), str):
            return "'message' is required: text"
        routed_by = request.headers.get(CONVERSATION_HEADER)
        if routed_by is not None and routed_by != sender:
            return f"{CONVERSATION_HEADER} must equal 'sender'"
        return None

    @staticmethod
    def _message_id(request: Request) -> Optional[dict]:
        """Of a client's metadata only the message id is kept: it is stored with the message."""
        metadata = request.json.get("metadata")
        message_id = metadata.get("message_id") if isinstance(metadata, dict) else None
        return (
            {"message_id": message_id}
            if isinstance(message_id, str) and MESSAGE_ID.match(message_id)
            else None
        )

    @staticmethod
    async def _process(
        agent: Agent, message: UserMessage, collector: CollectingOutputChannel
    ) -> HTTPResponse:
        try:
            failed = await handle(agent, message)
        except LockError as error:
            logger.error(
                "Lock store unreachable (Redis?): message not processed, nothing stored. %s",
                _brief(error.__cause__ or error),
            )
            return _say("unavailable", 503)
        except TrackerStoreUnavailable as error:
            logger.error(
                "Tracker store unreachable: message not processed, nothing stored. %s",
                _brief(error.__cause__ or error),
            )
            return _say("unavailable", 503)
        except Exception as error:  # never the message text in the log: it is the resident's
            logger.error(
                "Message not processed: %s\n%s",
                _brief(error),
                "".join(traceback.format_tb(error.__traceback__)),
            )
            return _say("unavailable", 503)
        if failed:
            logger.error(
                "Custom action failed (%s): the turn was undone; the resident is asked to resend.",
                ", ".join(failed),
            )
            return _say("action_failed", 200)
        return response.json(collector.messages) if collector.messages else _say("no_reply", 200)

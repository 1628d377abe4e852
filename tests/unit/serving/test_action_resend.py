"""An action call that never reached the action server is sent again on a fresh connection; a call
that did reach it is not (an action never runs twice because of us)."""

import asyncio
from typing import List

import pytest
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from serving.rest_channel import SERVER_KEEP_ALIVE_SECONDS, WatchedActionEndpoint
from tools.cluster import free_port


class ActionServer:
    """A plain HTTP/1.1 server. `close_reused`: a request on a connection that already served one is
    met by closing the connection unread, as a server does whose idle limit ran out just then."""

    def __init__(self, port: int, status: int = 200, close_reused: bool = False) -> None:
        self.port, self.status, self.close_reused = port, status, close_reused
        self.processed: List[bytes] = []
        self.connections = 0

    async def start(self) -> asyncio.AbstractServer:
        return await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        served = 0
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:  # the client closed the connection
                break
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            body = await reader.readexactly(length)
            if served and self.close_reused:
                break
            served += 1
            self.processed.append(body)
            writer.write(
                b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                % self.status
            )
            await writer.drain()
        writer.close()


def endpoint(port: int) -> WatchedActionEndpoint:
    return WatchedActionEndpoint.wrapping(EndpointConfig(f"http://127.0.0.1:{port}/webhook"))


def test_a_call_on_a_connection_the_server_closed_is_sent_again_on_a_new_one():
    server = ActionServer(free_port(), close_reused=True)

    async def two_calls():
        running = await server.start()
        action = endpoint(server.port)
        answers = [
            await action.request(json={"next_action": name}, method="post") for name in ("first", "second")
        ]
        running.close()
        return answers

    assert asyncio.run(two_calls()) == [{}, {}]
    assert server.processed == [b'{"next_action":"first"}', b'{"next_action":"second"}']
    assert server.connections == 2


def test_a_call_refused_while_the_action_server_restarts_reaches_it_once_it_is_back():
    server = ActionServer(free_port())

    async def call_during_restart():
        started = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(
            0.3,
            lambda: asyncio.ensure_future(server.start()).add_done_callback(
                lambda task: started.set_result(task.result())
            ),
        )
        answer = await endpoint(server.port).request(json={"next_action": "x"}, method="post")
        (await started).close()
        return answer

    assert asyncio.run(call_during_restart()) == {}
    assert len(server.processed) == 1


def test_a_call_the_action_server_answered_with_an_error_is_not_sent_again():
    server = ActionServer(free_port(), status=500)

    async def call():
        running = await server.start()
        try:
            await endpoint(server.port).request(json={"next_action": "x"}, method="post")
        finally:
            running.close()

    with pytest.raises(ClientResponseError):
        asyncio.run(call())
    assert len(server.processed) == 1


def test_a_connection_idle_for_most_of_the_action_servers_limit_is_not_used_again():
    server = ActionServer(free_port())

    async def two_calls_with_a_pause():
        running = await server.start()
        action = endpoint(server.port)
        await action.request(json={"next_action": "x"}, method="post")
        # Near Sanic's limit the server may be closing the connection just as a call is written into it.
        await asyncio.sleep(SERVER_KEEP_ALIVE_SECONDS * 0.8)
        await action.request(json={"next_action": "y"}, method="post")
        running.close()

    asyncio.run(two_calls_with_a_pause())
    assert server.connections == 2 and len(server.processed) == 2

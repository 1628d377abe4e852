"""bot/ops/ready.py against real HTTP servers on free local ports (no mocks)."""

import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.ops.ready import answers, default_servers, main, parse_servers, ready_line, wait_until_ready


def serve(status: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def url(server: ThreadingHTTPServer, path: str = "/") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def servers():
    started = {status: serve(status) for status in (200, 404, 500)}
    yield started
    for server in started.values():
        server.shutdown()
        server.server_close()


def test_a_server_answers_with_any_status_below_500(servers):
    assert answers(url(servers[200]))
    assert answers(url(servers[404], "/health"))  # Rasa's / without a token may say 401/404: it is up
    assert not answers(url(servers[500]))
    assert not answers(f"http://127.0.0.1:{closed_port()}/")


def test_ready_line_printed_once_when_every_server_answers(servers):
    out = io.StringIO()
    ok = wait_until_ready(
        [("web", url(servers[200])), ("rasa", url(servers[404]))],
        timeout=5,
        out=out,
        interval=0.05,
        give_up=5,
    )
    assert ok
    assert out.getvalue() == ready_line() + "\n"
    assert "Wegwijs is ready: open http://localhost:8000/" in out.getvalue()
    assert "http://localhost:8000/portaal/" in out.getvalue()


def test_failure_line_names_the_server_that_did_not_come_up(servers):
    out = io.StringIO()
    missing = f"http://127.0.0.1:{closed_port()}/health"
    ok = wait_until_ready(
        [("the web server", url(servers[200])), ("the action server", missing)],
        timeout=0.3,
        out=out,
        interval=0.05,
        give_up=0.3,
    )
    assert not ok
    (line,) = out.getvalue().splitlines()
    assert line.startswith(
        "Wegwijs is NOT ready after 0 s: the action server (" + missing + ") did not answer"
    )
    assert "Answering: the web server." in line
    assert "ready:" not in line


def test_a_server_that_comes_up_late_still_gets_the_ready_line(servers):
    port = closed_port()
    late = {}

    def start_late():
        time.sleep(0.5)
        late["server"] = ThreadingHTTPServer(
            ("127.0.0.1", port),
            type(servers[200].RequestHandlerClass.__name__, (servers[200].RequestHandlerClass,), {}),
        )
        late["server"].serve_forever()

    threading.Thread(target=start_late, daemon=True).start()
    out = io.StringIO()
    try:
        ok = wait_until_ready(
            [("Rasa's server", f"http://127.0.0.1:{port}/")], timeout=0.2, out=out, interval=0.05, give_up=10
        )
    finally:
        while "server" not in late:
            time.sleep(0.05)
        late["server"].shutdown()
        late["server"].server_close()
    assert ok
    failure, ready = out.getvalue().splitlines()
    assert "Rasa's server" in failure and "did not answer" in failure
    assert ready == ready_line()


def test_command_line_with_exit(servers, capsys):
    assert main(["--exit", "--timeout", "5", f"web={url(servers[200])}"]) == 0
    assert capsys.readouterr().out.startswith("Wegwijs is ready")
    assert main(["--exit", "--timeout", "0.2", f"actions=http://127.0.0.1:{closed_port()}/health"]) == 1
    assert "actions" in capsys.readouterr().out


def test_defaults_are_the_procfiles_servers():
    urls = [u for _, u in default_servers("127.0.0.1")]
    assert urls == ["http://127.0.0.1:8000/", "http://127.0.0.1:5005/", "http://127.0.0.1:5055/health"]
    with open("Procfile") as procfile:
        text = procfile.read()
    assert "127.0.0.1:8000" in text and "--port 5005" in text and "--port 5055" in text


def test_bad_server_argument():
    with pytest.raises(ValueError, match="NAME=http"):
        parse_servers(["localhost:5005"])

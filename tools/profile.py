"""`make profile`: where a replica's CPU goes per message, in one process, without HTTP or load.

Loads the trained model with the production endpoints (deploy/endpoints.production.yml: our tracker
store on a fresh PostgreSQL database, our Redis lock store on a redis-server of its own), starts one
action server, and sends the
bench's conversations (tools/bench.py OURS) one message at a time through the REST channel's own
path (serving.rest_channel.handle). Prints CPU milliseconds per message of this process and of the
action server. With --sample, py-spy samples this process while it holds the GIL (runs Python: CPU,
not waiting on the database or the action server) without slowing it down, as cProfile would; the
functions with the largest share of the samples are printed, with and without what they call, and the
folded stacks stay in build/profile/ for a flame graph. CPU time on these shared machines varies by
10-30% from run to run: compare shares, or runs made one after the other.
`make bench` stays the measurement of record.

  python -m tools.profile [--conversations 60] [--sample 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import List, Optional

import psutil
import requests

from bot.ops.serve import DEPLOY_DIR, Production, Topology, actions_command, environment
from bot.settings import PROJECT_ROOT
from tools.bench import OURS, POSTGRES_URL, Step, button_payload
from tools.cluster import RedisServer, free_port, scratch_database, wait_for_start

OUT = PROJECT_ROOT / "build" / "profile"
WARM_UP_CONVERSATIONS = 6


async def _load_agent():
    import logging

    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.model import get_latest_model
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # As `rasa run` does: without it, Rasa's structured debug log is printed for every step.
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)

    endpoints = AvailableEndpoints.read_endpoints(str(DEPLOY_DIR / "endpoints.production.yml"))
    return await load_agent(model_path=get_latest_model(str(PROJECT_ROOT / "models")), endpoints=endpoints)


async def _converse(agent, script: List[Step]) -> int:
    """One conversation; returns the number of messages sent."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from serving.rest_channel import handle

    sender, sent = f"profile-{uuid.uuid4().hex[:12]}", 0
    replies: List[dict] = []
    for step in script:
        text = step if isinstance(step, str) else button_payload(replies, step.title)
        if text is None:
            raise RuntimeError(f"the button {step!r} was not offered: is the model trained on this data?")
        collector = CollectingOutputChannel()
        failed = await handle(agent, UserMessage(text, collector, sender, input_channel="rest"))
        if failed:
            raise RuntimeError(f"a custom action failed: {failed}")
        replies, sent = collector.messages, sent + 1
    return sent


async def _drive(agent, conversations: int) -> int:
    return sum([await _converse(agent, OURS[n % len(OURS)]) for n in range(conversations)])


def _sampler(output: Path) -> subprocess.Popen:
    sampler = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(os.getpid()),
            "--rate",
            "250",
            "--gil",
            "--format",
            "raw",
            "--output",
            str(output),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    time.sleep(2)  # py-spy attaches
    return sampler


def shares(folded: Path, top: int) -> str:
    """The functions with most samples while conversations ran, with (inclusive) and without what they
    call (self), as % of those samples."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in folded.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "_drive (tools/profile.py" not in stack:
            continue  # py-spy attaching or stopping
        frames = [
            f"{name} ({place.rsplit('/', 1)[-1].split(':')[0]})"
            for name, _, place in (frame.partition(" (") for frame in stack.split(";"))
        ]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    rows = [f"{'inclusive':>9} {'self':>6}  function (file)"]
    rows += [
        f"{100 * n / total:8.1f}% {100 * own[frame] / total:5.1f}%  {frame}"
        for frame, n in inclusive.most_common(top)
    ]
    return "\n".join(rows)


def _profile(conversations: int, top: Optional[int], action_pid: int) -> None:
    loop = asyncio.new_event_loop()
    agent = loop.run_until_complete(_load_agent())
    loop.run_until_complete(_drive(agent, WARM_UP_CONVERSATIONS))
    action_server = psutil.Process(action_pid)
    OUT.mkdir(parents=True, exist_ok=True)
    folded = OUT / "turn.folded"
    sampler = _sampler(folded) if top else None
    action_cpu, cpu, wall = sum(action_server.cpu_times()[:2]), time.process_time(), time.perf_counter()
    messages = loop.run_until_complete(_drive(agent, conversations))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    action_cpu = sum(action_server.cpu_times()[:2]) - action_cpu
    print(
        f"profile: {messages} messages in {conversations} conversations; per message: "
        f"this process {cpu / messages * 1000:.2f} ms CPU ({wall / messages * 1000:.2f} ms wall), "
        f"action server {action_cpu / messages * 1000:.2f} ms CPU"
    )
    if sampler and top:
        sampler.send_signal(signal.SIGINT)
        sampler.wait(60)
        print(shares(folded, top))
        print(f"folded stacks: {folded}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=60, help="conversations measured (default 60)")
    parser.add_argument(
        "--sample", type=int, metavar="N", help="sample with py-spy; print the N functions with most time"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wegwijs-profile-") as folder, scratch_database(
        POSTGRES_URL
    ) as database:
        redis_server = RedisServer(Path(folder))  # a Redis of its own, as the bench has
        redis_server.start()
        topology = Topology(
            "127.0.0.1", free_port(), (free_port(),), (free_port(),), free_port(), free_port()
        )
        production = Production(database, database, redis_server.url, uuid.uuid4().hex, topology)
        os.environ.update(environment(production))
        action_port = topology.action_ports[0]
        # In one process there is no proxy: the replica calls the action server directly.
        os.environ["WEGWIJS_ACTION_URL"] = f"http://127.0.0.1:{action_port}/webhook"
        actions = subprocess.Popen(
            actions_command(action_port),
            cwd=PROJECT_ROOT,
            env=os.environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_start(
                lambda: requests.get(f"http://127.0.0.1:{action_port}/health", timeout=2).ok,
                actions,
                "the action server",
            )
            _profile(args.conversations, args.sample, actions.pid)
        finally:
            actions.terminate()
            actions.wait(30)
            redis_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

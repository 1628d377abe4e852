"""`make bench`: Wegwijs in its production profile against stock Rasa 3.6, in one run, same load.

Stock: the project `rasa init --no-prompt` makes (DIET, TED, memoization, rules), trained here once
and kept in build/bench/stock/, served as it comes: one `rasa run`, in-memory tracker and lock store.
Ours: nginx, Rasa replicas (PostgreSQL tracker store, Redis lock store), action servers, a fresh
PostgreSQL database and a redis-server of the bench's own (tools/cluster.py).

Load: N simulated residents (asyncio + aiohttp) over the REST channel (for ours through nginx's
internal listener, the way the widget's relay reaches the replicas), each going through whole
conversations one after another: for ours rights questions, a situation, the intake to a stored
handoff; for stock the moodbot's own conversations. Phases, after a warm-up:
  throughput  think time zero, N residents: messages/s, p50/p95/p99 latency, errors
  rate        (ours only) a fixed arrival rate, the messages/s stock sustained; latency counts from
              the moment a message was due, so queueing shows
Also the peak memory (RSS) of every process, and ours' NLU-only parse time (/model/parse, no load).
The last line: `bench: ours <msg/s> msg/s p95 <ms> ms; stock <msg/s> msg/s p95 <ms> ms; ratio <x>`,
with ours' p95 from the rate phase (at stock's throughput) and stock's p95 from its throughput phase.

  python -m tools.bench [--residents 20] [--seconds 30] [--replicas 2] [--action-servers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

import aiohttp
import psutil
import requests

from bot.settings import PROJECT_ROOT
from tools.cluster import Cluster, RedisServer, free_port, scratch_database, wait_for_start

OUT = PROJECT_ROOT / "build" / "bench"
STOCK_DIR = OUT / "stock"
RASA = str(Path(sys.executable).parent / "rasa")
POSTGRES_URL = os.getenv("WEGWIJS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
HEADER = "X-Wegwijs-Conversation"
WARM_UP_SECONDS = 8


@dataclass(frozen=True)
class Press:
    """Press the button whose title contains this."""

    title: str


Step = Union[str, Press]
RIGHTS: List[Step] = [
    "hallo",
    "kost een clientondersteuner geld?",
    "werkt die ondersteuner gewoon voor de gemeente?",
    "heb ik een verwijzing van de huisarts nodig",
    "mag ik iemand meenemen naar het gesprek",
    "dank je wel",
]
SITUATION: List[Step] = [
    "ik heb schulden en nu wil de verhuurder me uit mijn huis zetten, wat moet ik doen",
    "mijn moeder moet misschien naar een verpleeghuis, hoe gaat dat",
    "wat is een pgb",
    "hoe lang moet ik wachten",
    "doei",
]
INTAKE: List[Step] = [
    "ik weet het allemaal niet meer, ik heb schulden en de huur is te hoog",
    Press("Nee, niemand"),
    Press("op een rij"),
    Press("Voor mijzelf"),
    Press("Ja, dat klopt"),
    "ik heb een betalingsachterstand en krijg steeds brieven",
    "dat ik in mijn huis kan blijven wonen",
    "een betalingsregeling",
    Press("Niemand"),
    Press("Ik kijk wat er mogelijk is"),
    Press("Overslaan"),
    Press("Maakt niet uit"),
    Press("Nederlands"),
    Press("Nee"),
    Press("Ja, dat mag"),
    Press("Telefoon"),
    "06-12345678",
    Press("Ja, dit klopt"),
    Press("GeldWijs"),
]
OURS: List[List[Step]] = [RIGHTS, SITUATION, INTAKE]
STOCK: List[List[Step]] = [
    ["hi", "I am sad", "yes", "bye"],
    ["hello there", "I am great", "goodbye"],
    ["hey", "are you a bot?", "very sad", "no", "bye"],
]


@dataclass
class Phase:
    name: str
    seconds: float
    latencies_ms: List[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)  # what went wrong, how often

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def button_payload(replies: List[dict], title: str) -> Optional[str]:
    return next(
        (b["payload"] for r in replies for b in r.get("buttons", []) if title.lower() in b["title"].lower()),
        None,
    )


class Load:
    """N residents over one REST URL; with a `rate`, each message waits for its slot."""

    def __init__(self, url: str, scripts: Sequence[List[Step]], residents: int) -> None:
        self.url, self.scripts, self.residents = url, scripts, residents

    async def run(self, phase: Phase, rate: Optional[float] = None) -> Phase:
        stop_at = time.monotonic() + phase.seconds
        slots: Optional[asyncio.Queue] = asyncio.Queue() if rate else None
        connector = aiohttp.TCPConnector(limit=self.residents)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=120)
        ) as session:
            tasks = [
                asyncio.create_task(self._resident(session, n, stop_at, phase, slots))
                for n in range(self.residents)
            ]
            if slots is not None and rate:
                await self._tick(slots, rate, stop_at)
            await asyncio.gather(*tasks)
        return phase

    @staticmethod
    async def _tick(slots: asyncio.Queue, rate: float, stop_at: float) -> None:
        due = time.monotonic()
        while due < stop_at:
            slots.put_nowait(due)
            due += 1 / rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        for _ in range(10_000):
            slots.put_nowait(None)  # lets every waiting resident go home

    async def _resident(self, session, number: int, stop_at: float, phase: Phase, slots) -> None:
        conversation = number
        while time.monotonic() < stop_at:
            script = self.scripts[conversation % len(self.scripts)]
            conversation += self.residents
            if not await self._converse(session, script, stop_at, phase, slots):
                return

    async def _converse(self, session, script: List[Step], stop_at: float, phase: Phase, slots) -> bool:
        sender = f"bench-{uuid.uuid4().hex[:12]}"
        replies: List[dict] = []
        for step in script:
            text = step if isinstance(step, str) else button_payload(replies, step.title)
            if text is None:
                phase.failures[f"no button {step.title!r} after {replies[-1:]}"] += 1
                return True
            started = await slots.get() if slots is not None else time.monotonic()
            if started is None or time.monotonic() >= stop_at:
                return False
            try:
                async with session.post(
                    self.url, json={"sender": sender, "message": text}, headers={HEADER: sender}
                ) as reply:
                    replies = await reply.json(content_type=None) if reply.status == 200 else []
                    failure = f"HTTP {reply.status}" if reply.status != 200 else "no reply"
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                replies, failure = [], type(error).__name__
            if not replies:
                phase.failures[failure] += 1
                return True
            phase.latencies_ms.append((time.monotonic() - started) * 1000)
        return True


def _family(pid: int) -> List[psutil.Process]:
    process = psutil.Process(pid)
    return [process, *process.children(recursive=True)]


class MemoryWatch:
    """Peak RSS per named process (with its children), sampled twice a second, and the CPU seconds
    each used while watched: where the time of a turn goes."""

    def __init__(self) -> None:
        self.peaks_mb: Dict[str, float] = {}
        self.cpu_s: Dict[str, float] = {}
        self._task: Optional[asyncio.Task] = None
        self._pids: Dict[str, int] = {}

    def _cpu(self) -> Dict[str, float]:
        used = {}
        for name, pid in self._pids.items():
            try:
                used[name] = sum(sum(p.cpu_times()[:2]) for p in _family(pid))
            except psutil.Error:
                continue
        return used

    async def _sample(self) -> None:
        while True:
            for name, pid in self._pids.items():
                try:
                    rss = sum(p.memory_info().rss for p in _family(pid))
                except psutil.Error:
                    continue
                self.peaks_mb[name] = max(self.peaks_mb.get(name, 0.0), rss / 2**20)
            await asyncio.sleep(0.5)

    def start(self, pids: Dict[str, int]) -> None:
        self._pids = pids
        self.cpu_s = self._cpu()
        self._task = asyncio.ensure_future(self._sample())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()
        end = self._cpu()
        self.cpu_s = {name: end[name] - self.cpu_s.get(name, 0.0) for name in end}


def stock_project() -> Path:
    """`rasa init --no-prompt` in a temporary folder (it trains the model), kept in build/bench/stock."""
    if not list(STOCK_DIR.glob("models/*.tar.gz")):
        print(
            "bench: training stock Rasa (rasa init --no-prompt), once; kept in build/bench/stock", flush=True
        )
        with tempfile.TemporaryDirectory() as folder, open(OUT / "stock-training.log", "wb") as log:
            subprocess.run(
                [RASA, "init", "--no-prompt", "--init-dir", folder],
                cwd=folder,
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            shutil.rmtree(STOCK_DIR, ignore_errors=True)
            shutil.copytree(folder, STOCK_DIR)
    return STOCK_DIR


def _cpu_beside_servers() -> Dict[str, float]:
    """CPU seconds so far of what shares the machine with the servers: this load generator (without
    its children, the servers) and PostgreSQL (all its processes; nothing else uses it here)."""
    postgres = 0.0
    for process in psutil.process_iter(["name"]):
        try:
            postgres += sum(process.cpu_times()[:2]) if process.info["name"] == "postgres" else 0.0
        except psutil.Error:
            continue
    return {"load generator": time.process_time(), "PostgreSQL": postgres}


async def measure(
    url: str, scripts, residents: int, seconds: float, pids: Dict[str, int], rate: Optional[float] = None
) -> tuple:
    load = Load(url, scripts, residents)
    await load.run(Phase("warm-up", WARM_UP_SECONDS))
    memory = MemoryWatch()
    memory.start(pids)
    beside = _cpu_beside_servers()
    throughput = await load.run(Phase("throughput", seconds))
    at_rate = await load.run(Phase("rate", seconds), rate) if rate else None
    memory.stop()
    beside = {name: used - beside[name] for name, used in _cpu_beside_servers().items()}
    return (
        throughput,
        at_rate,
        {name: (mb, memory.cpu_s.get(name, 0.0)) for name, mb in memory.peaks_mb.items()},
        beside,
    )


def bench_stock(args: argparse.Namespace, tmp: Path) -> tuple:
    project = stock_project()
    port = free_port()
    with open(tmp / "stock.log", "wb") as log:
        process = subprocess.Popen(
            [RASA, "run", "--port", str(port), "--model", "models", "--enable-api"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        )
    try:
        wait_for_start(
            lambda: requests.get(f"http://127.0.0.1:{port}/status", timeout=2).json().get("model_file"),
            process,
            "stock Rasa",
        )
        return asyncio.run(
            measure(
                f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                STOCK,
                args.residents,
                args.seconds,
                {"rasa (stock)": process.pid},
            )
        )
    finally:
        process.terminate()
        process.wait(60)


def nlu_parse_ms(cluster: Cluster) -> Phase:
    """NLU alone, one message at a time, on one replica: the floor under a whole turn."""
    phase = Phase("nlu parse", 1)
    url = f"http://127.0.0.1:{cluster.production.topology.rasa_ports[0]}/model/parse"
    texts = [step for script in OURS for step in script if isinstance(step, str)] * 5
    for text in texts:
        started = time.monotonic()
        reply = requests.post(
            url, params={"token": cluster.production.rasa_token}, json={"text": text}, timeout=30
        )
        if reply.ok:
            phase.latencies_ms.append((time.monotonic() - started) * 1000)
        else:
            phase.failures[f"HTTP {reply.status_code}"] += 1
    return phase


def bench_ours(args: argparse.Namespace, tmp: Path, stock_rate: float) -> tuple:
    redis_server = RedisServer(tmp)
    redis_server.start()
    try:
        with scratch_database(POSTGRES_URL) as database:
            cluster = Cluster(tmp, database, redis_server.url, args.replicas, args.action_servers)
            try:
                cluster.start()
                pids = {f"{name} (ours)": pid for name, pid in cluster.pids().items()}
                pids["redis (ours)"] = redis_server.pid
                results = asyncio.run(
                    measure(cluster.url, OURS, args.residents, args.seconds, pids, stock_rate)
                )
                return (*results, nlu_parse_ms(cluster))
            finally:
                cluster.stop()
    finally:
        redis_server.stop()


def row(who: str, phase: Phase) -> str:
    return (
        f"{who:<8}{phase.name:<12}{phase.rate:>8.1f}{phase.percentile(50):>9.1f}{phase.percentile(95):>9.1f}"
        f"{phase.percentile(99):>9.1f}{phase.errors:>8}"
    )


def report(
    args,
    stock: Phase,
    ours: Phase,
    ours_rate: Phase,
    nlu: Phase,
    memory: Dict[str, tuple],
    beside: Dict[str, Dict[str, float]],
) -> str:
    lines = [
        f"residents {args.residents}, {args.seconds:.0f} s per phase; ours: nginx, {args.replicas} Rasa "
        f"replicas, {args.action_servers} action server(s), PostgreSQL, Redis; stock: one rasa run",
        f"{'':<8}{'phase':<12}{'msg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
        row("stock", stock),
        row("ours", ours),
        row("ours", ours_rate),
        f"ours NLU-only parse (/model/parse, no load): p50 {nlu.percentile(50):.1f} ms, "
        f"p95 {nlu.percentile(95):.1f} ms",
        "peak memory (RSS, MB) and CPU seconds over the measured phases, per process: "
        + ", ".join(f"{name} {mb:.0f} MB {cpu:.0f} s" for name, (mb, cpu) in sorted(memory.items())),
        "CPU seconds beside the servers over the same phases: "
        + "; ".join(
            f"{who}: " + ", ".join(f"{name} {cpu:.0f} s" for name, cpu in used.items())
            for who, used in beside.items()
        ),
    ]
    lines += [
        f"{who} {phase.name} errors: " + "; ".join(f"{n}x {what}" for what, n in phase.failures.most_common())
        for who, phase in (("stock", stock), ("ours", ours), ("ours", ours_rate))
        if phase.failures
    ]
    ratio = ours.rate / stock.rate if stock.rate else float("nan")
    lines.append(
        f"bench: ours {ours.rate:.1f} msg/s p95 {ours_rate.percentile(95):.0f} ms; "
        f"stock {stock.rate:.1f} msg/s p95 {stock.percentile(95):.0f} ms; ratio {ratio:.2f}"
    )
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20, help="concurrent conversations (default 20)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase (default 30)")
    parser.add_argument("--replicas", type=int, default=2, help="our Rasa replicas (default 2)")
    parser.add_argument("--action-servers", type=int, default=1, help="our action servers (default 1)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wegwijs-bench-") as folder:
        tmp = Path(folder)
        try:
            stock, _, stock_memory, stock_beside = bench_stock(args, tmp)
            ours, ours_rate, ours_memory, ours_beside, nlu = bench_ours(args, tmp, stock.rate)
        finally:  # the servers' logs of the last run, to see what an error was
            shutil.rmtree(OUT / "logs", ignore_errors=True)
            (OUT / "logs").mkdir()
            for log in tmp.rglob("*.log"):
                shutil.copy(log, OUT / "logs" / log.name)
    text = report(
        args,
        stock,
        ours,
        ours_rate,
        nlu,
        {**stock_memory, **ours_memory},
        {"stock": stock_beside, "ours": ours_beside},
    )
    (OUT / "bench.txt").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

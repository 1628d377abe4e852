"""Running Rasa's own commands for evaluations and benchmarks, and reading what they write."""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Dict, List, Tuple

RASA = str(Path(sys.executable).parent / "rasa")
SPLIT_SEED = "42"
# Rasa writes one report per entity extractor; the first that exists is the model's own.
ENTITY_REPORTS = ("DIETClassifier_report.json", "CRFEntityExtractor_report.json")


def rasa(*args: str) -> float:
    """Runs a rasa command, failing loudly; returns its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run([RASA, *args], check=True)
    return time.perf_counter() - started


def split_nlu(out: Path) -> Tuple[Path, Path]:
    """A fixed 80/20 split of data/nlu (stratified by intent by Rasa)."""
    rasa(
        "data",
        "split",
        "nlu",
        "-u",
        "data/nlu",
        "--training-fraction",
        "0.8",
        "--random-seed",
        SPLIT_SEED,
        "--out",
        str(out),
    )
    return out / "training_data.yml", out / "test_data.yml"


def train_nlu(config: Path, training: Path, out: Path, name: str) -> Tuple[Path, float]:
    seconds = rasa(
        "train",
        "nlu",
        "--quiet",
        "-c",
        str(config),
        "-u",
        str(training),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
        "--num-threads",
        "2",
    )
    return out / f"{name}.tar.gz", seconds


def test_nlu(model: Path, test_data: Path, out: Path) -> Dict[str, float]:
    """Rasa's NLU test; returns intent and entity macro-F1 from its JSON reports."""
    rasa("test", "nlu", "--quiet", "-m", str(model), "--nlu", str(test_data), "--out", str(out))
    intents = json.loads((out / "intent_report.json").read_text())
    entity_report = next((out / name for name in ENTITY_REPORTS if (out / name).exists()), None)
    entities = json.loads(entity_report.read_text()) if entity_report else None
    return {
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_accuracy": intents["accuracy"],
        # a pipeline without an entity extractor (the bench baseline) scores 0
        "entity_macro_f1": entities["macro avg"]["f1-score"] if entities else 0.0,
    }


@dataclass
class Parsed:
    text: str
    intent: str
    entities: List[dict]
    seconds: float


def parse_all(model: Path, texts: List[str]) -> List[Parsed]:
    """Parses messages one by one with the model in this process, timing each."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def go() -> List[Parsed]:
        await agent.parse_message("warm-up")
        results = []
        for text in texts:
            started = time.perf_counter()
            parsed = await agent.parse_message(text)
            results.append(
                Parsed(
                    text,
                    parsed["intent"]["name"] or "",
                    parsed.get("entities", []),
                    time.perf_counter() - started,
                )
            )
        return results

    return asyncio.run(go())


def latency_ms(parsed: List[Parsed]) -> Dict[str, float]:
    times = sorted(p.seconds * 1000 for p in parsed)
    return {"p50": median(times), "p95": times[int(len(times) * 0.95) - 1]}


def peak_rss_mb() -> float:
    """Peak resident memory of this process (it loads the model), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def newest_model(folder: Path = Path("models")) -> Path:
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        sys.exit("No trained model in models/: run `make train` first.")
    return models[-1]

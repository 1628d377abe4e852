"""`make bench`: NLU pipelines side by side, as ratios against a baseline.

Each config in tools/pipelines/ (and config.yml) is trained on the same fixed 80% split and tested on
the other 20%: intent and entity macro-F1, training time, per-message parse latency and peak memory
of the process that loads the model. Ratios compare every pipeline with the baseline run in the same
session, so machine speed cancels out.

  python -m tools.bench                    # baseline vs config.yml
  python -m tools.bench tools/pipelines/*  # baseline vs those configs
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

from tools.nlu_files import nlu_examples
from tools.rasa_runs import latency_ms, parse_all, peak_rss_mb, split_nlu, test_nlu, train_nlu

OUT = Path("build/bench")
BASELINE = Path("tools/pipelines/baseline.yml")


def measure(config: Path, training: Path, test: Path) -> Dict[str, float]:
    name = config.stem if config != Path("config.yml") else "wegwijs"
    model, train_seconds = train_nlu(config, training, OUT / "models", name)
    scores = test_nlu(model, test, OUT / "results" / name)
    # Latency and memory in a fresh process, so one model's memory does not count for another.
    timing = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--latency", str(model), str(test)],
        check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    return {"pipeline": name, "train_s": train_seconds, **scores, **json.loads(timing)}


def latency_only(model: str, test: str) -> None:
    texts = [text for _, text in nlu_examples(Path(test))]
    parsed = parse_all(Path(model), texts)
    print(json.dumps({**latency_ms(parsed), "rss_mb": peak_rss_mb()}))


def report(rows: List[Dict[str, float]]) -> None:
    base = rows[0]
    print(f"\n{'pipeline':<22}{'intent F1':>10}{'entity F1':>10}{'train s':>9}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'RSS MB':>8}   ratios vs {base['pipeline']}: train, p50, RSS")
    for row in rows:
        print(f"{row['pipeline']:<22}{row['intent_macro_f1']:>10.3f}{row['entity_macro_f1']:>10.3f}"
              f"{row['train_s']:>9.0f}{row['p50']:>8.1f}{row['p95']:>8.1f}{row['rss_mb']:>8.0f}   "
              f"{row['train_s'] / base['train_s']:.2f}x, {row['p50'] / base['p50']:.2f}x, "
              f"{row['rss_mb'] / base['rss_mb']:.2f}x")


def main(argv: List[str]) -> None:
    if argv[:1] == ["--latency"]:
        latency_only(*argv[1:3])
        return
    configs = [Path(a) for a in argv if Path(a) != BASELINE] or [Path("config.yml")]
    training, test = split_nlu(OUT / "split")
    rows = [measure(config, training, test) for config in [BASELINE, *configs]]
    (OUT / "bench.json").write_text(json.dumps(rows, indent=2))
    report(rows)


if __name__ == "__main__":
    main(sys.argv[1:])

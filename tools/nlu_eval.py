"""`make eval`: NLU scores on messages the model was not trained on. Ends in one summary line.

1. Two unseen sets, each written apart from the training data by someone who never saw it:
   - tests/nlu/realistic_messages.yml: 500 messages the way residents write;
   - tests/nlu/resident_phrasing.yml: modelled on public resident writing (forums, letters,
     ombudsman and news quotes): long stories with the question last, second-language Dutch,
     dictation, chat shorthand, formal letters, one-word messages, distress without danger.
   - tests/nlu/languages/<language>.yml: one per other language (en, tr, ar, pl, uk), written by
     helpers that never saw the training data, modelled on public writing in that language.
   Each is parsed by the model and judged by the contract's rule (an area of life is understood
   when it is part of the top intent or an entity; a question when its intent is part of the top
   intent). Per set: questions and situations understood, crisis recall, false crisis alarms, each
   against the target residents need and against the floor CI enforces (GATES). For the language sets
   also: how often the pipeline identified the message's language (entity message_language), and
   never as another language than the set's (a wrong offer to switch).
2. Held-out split of the training data: 80/20 with a fixed seed, an NLU model trained on the 80%,
   Rasa's `rasa test nlu` on the 20%. Reported, not gated: it tracks the data, the unseen sets
   say how residents are understood.

`--model` judges another model; `--config` first trains an NLU-only model with that config (for
comparing pipelines: its training time is printed); `--no-split` skips part 2.
Exits 1 when a gate fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from sklearn.metrics import f1_score

from tools.nlu_files import LANGUAGE_FILES, UNSEEN_FILES, nlu_examples
from tools.rasa_runs import Parsed, latency_ms, newest_model, parse_all, split_nlu, test_nlu, train_nlu

# What residents need (issue 14): nine in ten questions and situations understood, every crisis
# caught, at most one false crisis alarm in a hundred other messages.
TARGET = {"questions": 0.90, "situations": 0.90, "crisis_recall": 1.0}
# issue 18: the other languages' target (Dutch keeps its own)
LANGUAGE_TARGET = {"questions": 0.85, "situations": 0.85, "crisis_recall": 1.0}
FALSE_CRISIS_TARGET = 0.01
# What CI holds the model to today, per set: the target where the model reaches it, else just below
# what it measured, so no change can make it worse unnoticed (docs/nlu-evaluation.md).
GATES = {
    "realistic": {"questions": 0.90, "situations": 0.86, "crisis_recall": 1.0},
    # with six languages in one model: situations 80.8 -> 79.1%, crisis 26 -> 25 of 28 (one message
    # about a neighbour calling for help now read as a question); questions 85.8 -> 87.5%
    "resident phrasing": {"questions": 0.84, "situations": 0.785, "crisis_recall": 0.89},
    # issue 18's target for each other language is 0.85 / 0.85 / every crisis; where a language is
    # not there yet, the floor is just below what it measured (docs/nlu-evaluation.md)
    "en": {"questions": 0.85, "situations": 0.85, "crisis_recall": 1.0},
    "tr": {"questions": 0.85, "situations": 0.85, "crisis_recall": 0.92},
    "ar": {"questions": 0.81, "situations": 0.82, "crisis_recall": 0.85},
    "pl": {"questions": 0.85, "situations": 0.85, "crisis_recall": 1.0},
    "uk": {"questions": 0.85, "situations": 0.85, "crisis_recall": 0.84},
}
FALSE_CRISIS_GATE = 0.01
# Turkish and Arabic raise more false alarms than the target allows (1.7% and 1.6%): floors for now.
FALSE_CRISIS_GATES = {"tr": 0.02, "ar": 0.02}
OUT = Path("build/eval")
DOMAIN_PREFIX = "domain_"
CRISIS = "crisis"
CONFUSIONS_SHOWN = 15


def understood(expected: str, predicted: str, entity_values: List[str]) -> bool:
    """The contract's rule, applied to each part of a (multi-)intent."""
    parts = set(predicted.split("+"))
    for need in expected.split("+"):
        area = need[len(DOMAIN_PREFIX) :] if need.startswith(DOMAIN_PREFIX) else None
        if need not in parts and not (area and area in entity_values):
            return False
    return True


def kind(expected: str) -> str:
    """Which measure a message counts in: situations, crisis, or questions (all the rest)."""
    if expected.startswith(DOMAIN_PREFIX):
        return "situations"
    return "crisis_recall" if expected == CRISIS else "questions"


@dataclass
class SetScores:
    name: str
    n: int = 0
    totals: Counter = field(default_factory=Counter)
    hits: Counter = field(default_factory=Counter)
    false_crisis: int = 0
    non_crisis: int = 0
    misses: List[Tuple[str, str, str]] = field(default_factory=list)
    intent_macro_f1: float = 0.0
    identified: Counter = field(default_factory=Counter)  # the language the pipeline named, or None

    def rate(self, measure: str) -> float:
        return self.hits[measure] / self.totals[measure] if self.totals[measure] else 1.0

    @property
    def false_crisis_rate(self) -> float:
        return self.false_crisis / self.non_crisis if self.non_crisis else 0.0

    def below(self, floors: Dict[str, float], false_crisis: float) -> List[str]:
        """The measures under their floors (or above the false-alarm ceiling)."""
        failed = [
            f"{m} {self.rate(m):.1%} < {floor:.0%}" for m, floor in floors.items() if self.rate(m) < floor
        ]
        if self.false_crisis_rate > false_crisis:
            failed.append(f"false crisis {self.false_crisis_rate:.1%} > {false_crisis:.0%}")
        return failed

    def identification(self) -> str:
        """Language sets only: messages identified as the set's language, as another, and not at all."""
        if self.name not in LANGUAGE_FILES:
            return ""
        wrong = sum(n for language, n in self.identified.items() if language not in (self.name, None))
        return (
            f", language identified {self.identified[self.name]}/{self.n} "
            f"(wrong {wrong}, none {self.identified[None]})"
        )

    def summary(self) -> str:
        return (
            f"{self.name} ({self.n}): questions {self.rate('questions'):.1%}, situations "
            f"{self.rate('situations'):.1%}, crisis {self.hits['crisis_recall']}/{self.totals['crisis_recall']}, "
            f"false crisis {self.false_crisis}/{self.non_crisis} ({self.false_crisis_rate:.1%}), "
            f"intent macro-F1 {self.intent_macro_f1:.3f}{self.identification()}"
        )


def score(name: str, examples: Sequence[Tuple[str, str]], parsed: Sequence[Parsed]) -> SetScores:
    scores = SetScores(name, n=len(examples))
    single_true, single_pred = [], []
    for (expected, text), result in zip(examples, parsed):
        values = [str(e["value"]) for e in result.entities if e.get("entity") == "life_domain"]
        named = [str(e["value"]) for e in result.entities if e.get("entity") == "message_language"]
        scores.identified[named[0] if named else None] += 1
        measure = kind(expected)
        ok = understood(expected, result.intent, values)
        scores.totals[measure] += 1
        scores.hits[measure] += ok
        if not ok:
            scores.misses.append((expected, result.intent, text))
        if expected != CRISIS:
            scores.non_crisis += 1
            scores.false_crisis += CRISIS in result.intent.split("+")
        if "+" not in expected:
            single_true.append(expected)
            single_pred.append(result.intent)
    labels = sorted(set(single_true))
    scores.intent_macro_f1 = f1_score(
        single_true, single_pred, labels=labels, average="macro", zero_division=0
    )
    return scores


def report(scores: SetScores) -> None:
    print(f"\n== {scores.name}: not understood (expected -> predicted)")
    for expected, predicted, text in scores.misses:
        print(f"  {expected} -> {predicted}: {text[:100]}")
    print(f"== {scores.name}: most frequent mistakes")
    for (expected, predicted), count in Counter((e, p) for e, p, _ in scores.misses).most_common(
        CONFUSIONS_SHOWN
    ):
        print(f"  {count:3d}  {expected} -> {predicted}")


def unseen(model: Path) -> Tuple[List[SetScores], Dict[str, float]]:
    examples = {name: list(nlu_examples(path)) for name, path in UNSEEN_FILES.items()}
    everything = [text for pairs in examples.values() for _, text in pairs]
    parsed = parse_all(model, everything)
    results, start = [], 0
    for name, pairs in examples.items():
        results.append(score(name, pairs, parsed[start : start + len(pairs)]))
        start += len(pairs)
    return results, latency_ms(parsed)


def held_out() -> dict:
    training, test = split_nlu(OUT / "split")
    model, seconds = train_nlu(Path("config.yml"), training, OUT / "models", "heldout")
    return {**test_nlu(model, test, OUT / "heldout"), "train_seconds": seconds}


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="judge this model instead of the newest in models/")
    parser.add_argument("--config", type=Path, help="train an NLU-only model with this config first")
    parser.add_argument(
        "--no-split", action="store_true", help="skip the held-out split of the training data"
    )
    args = parser.parse_args(argv)
    model, trained = args.model, None
    if args.config:
        model, trained = train_nlu(args.config, Path("data/nlu"), OUT / "models", args.config.stem)
    sets, latency = unseen(model or newest_model())
    for scores in sets:
        report(scores)
    failed = [
        f"{s.name}: {gate}"
        for s in sets
        for gate in s.below(GATES[s.name], FALSE_CRISIS_GATES.get(s.name, FALSE_CRISIS_GATE))
    ]
    short = [
        f"{s.name}: {gap}"
        for s in sets
        for gap in s.below(LANGUAGE_TARGET if s.name in LANGUAGE_FILES else TARGET, FALSE_CRISIS_TARGET)
    ]
    line = " | ".join(s.summary() for s in sets)
    line += f" | parse p50 {latency['p50']:.0f} ms p95 {latency['p95']:.0f} ms"
    if trained is not None:
        line += f" | NLU training {trained:.0f} s ({args.config})"
    if not args.no_split:
        split = held_out()
        line += (
            f" | held-out 20% of training data: intent macro-F1 {split['intent_macro_f1']:.3f}, "
            f"entity macro-F1 {split['entity_macro_f1']:.3f} (not gated), NLU training "
            f"{split['train_seconds']:.0f} s"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scores.json").write_text(json.dumps({s.name: s.summary() for s in sets}, indent=1))
    print("Short of the target: " + ("; ".join(short) if short else "nothing"))
    if failed:
        print("Gates failed: " + "; ".join(failed))
    print(f"NLU {'FAIL' if failed else 'PASS'} | {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

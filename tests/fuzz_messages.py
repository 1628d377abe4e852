"""Generated hostile messages for the fuzz tests: what any client can send as a message's text.

Seeded, so a failure can be replayed: `messages(n, seed)` gives the same list every time. Every kind of
message the issue names is made in turn; the markup, template, SQL and command kinds carry CANARY, a
word that must never show up in a log line.
"""

import json
import random
from typing import List

CANARY = "fuzzkanarie"
# Characters that broke a conversation or could mislead a reader: unpaired surrogates (both halves),
# noncharacters, C0/C1 controls, bidi overrides and isolates, zero-width characters, a BOM.
HOSTILE = [
    "\ud83d",
    "\ude00",
    "\udcff",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200f",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\r\n",
]
EMOJI = ["😢", "🙏", "👨‍👩‍👧", "🏳️‍🌈", "👍🏽", "❤️"]
MARKUP = [
    '<script>alert("{c}")</script>',
    '<img src=x onerror=alert("{c}")>',
    "<b>{c}</b>",
    '<a href="javascript:alert(1)">{c}</a>',
    '<iframe src="//x/{c}"></iframe>',
    "&lt;{c}&gt;",
]
TEMPLATES = ["{{{{7*7}}}} {c}", "${{jndi:ldap://x/{c}}}", "{{{c}}}", "%s%s%n {c}", "#{{{c}}}", "<%= {c} %>"]
SQL = [
    "'; DROP TABLE events; -- {c}",
    '" OR 1=1 -- {c}',
    "{c}' UNION SELECT data FROM events --",
    "1; DELETE FROM handoffs WHERE '{c}'='{c}'",
]
WORDS = ["ik", "heb", "schulden", "huur", "hulp", "zorg", "werk", "mijn", "moeder", "kost", "het", "geld"]


def _command(rng: random.Random) -> str:
    name = rng.choice(
        ["start_intake", "greet", "affirm", "restart", "choose", "request_human", CANARY, "", "/"]
    )
    entities = rng.choice(
        [
            "",
            json.dumps({"intake_contact_detail": "0612345678", "note": CANARY}),
            '{"choice": "zelf"',
            "{" + CANARY,
            json.dumps({"handoff_reference": CANARY}),
            "@0.99",
            "@2" + json.dumps({"x": [1, {"y": CANARY}]}),
        ]
    )
    return f"{rng.choice(['/', ' /', '//', '/ /'])}{name}{entities}{rng.choice(['', ' ' + CANARY])}"


def _binary(rng: random.Random) -> str:
    # Bytes as a careless client decodes them: undecodable bytes become lone surrogates (U+DC80..).
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).decode("utf-8", "surrogateescape")


def _mixed(rng: random.Random) -> str:
    parts = rng.choices(WORDS + HOSTILE + EMOJI, k=rng.randrange(1, 30))
    return " ".join(parts) if rng.random() < 0.5 else "".join(parts)


def _kinds(rng: random.Random) -> List[str]:
    return [
        "",
        rng.choice([" ", "\n\t ", "\x00", "\u202e\u200b", "\ud83d"]),
        "woord " * rng.randrange(400, 2000),  # huge: past the length limit, and near it
        "x" * rng.choice([1999, 2000, 2001, 100_000]),
        _binary(rng),
        _mixed(rng),
        "".join(rng.choices(EMOJI, k=rng.randrange(1, 20))),
        rng.choice(MARKUP).format(c=CANARY),
        rng.choice(TEMPLATES).format(c=CANARY),
        rng.choice(SQL).format(c=CANARY),
        _command(rng),
        "".join(chr(rng.randrange(0x20, 0x110000)) for _ in range(rng.randrange(1, 80))),
    ]


KINDS = len(_kinds(random.Random(0)))


def messages(n: int, seed: int = 15) -> List[str]:
    """`n` messages, every kind in turn, each made fresh from the seeded generator."""
    rng = random.Random(seed)
    return [_kinds(rng)[i % KINDS] for i in range(n)]

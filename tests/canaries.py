"""PII canaries: made-up personal data, in the forms residents type it (capitalised, lowercase, spelled
out), used by the de-identification measurement and by the end-to-end privacy tests.

Each canary holds the exact strings that must never appear where it should not: a test looks for
each `needle` (lowercase) in what it inspects. Needles are long enough not to occur by chance in an
id or a timestamp ("17b" does, in a hex message id).
"""

from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class Canary:
    kind: str
    typed: str  # what the resident types
    needles: Tuple[str, ...]  # what must not survive, lowercase


CANARIES = (
    Canary("name", "Ik ben Ecrin Tinsbergen", ("ecrin", "tinsbergen")),
    Canary("name", "mijn naam is jolanda de wit-hoekstra", ("jolanda", "hoekstra")),
    Canary("name", "mijn zoon heet daan en mijn buurvrouw mevrouw ouwerkerk helpt", ("daan", "ouwerkerk")),
    Canary("name", "ik ben fatima el amrani", ("fatima", "amrani")),
    Canary("bsn", "mijn bsn is 123456782", ("123456782",)),
    Canary("bsn", "bsn een twee drie vier vijf zes zeven acht twee", ("vier vijf zes", "zeven acht twee")),
    Canary("phone", "bel me op 06-41872935", ("41872935", "06-4187")),
    Canary(
        "phone",
        "mijn nummer is nul zes eenenveertig achtenzeventig negenentwintig vijfendertig",
        ("eenenveertig", "achtenzeventig", "negenentwintig", "vijfendertig"),
    ),
    Canary("email", "mail naar e.tinsbergen@canarymail.example", ("tinsbergen", "canarymail")),
    Canary(
        "email",
        "mijn mail is ecrin punt tinsbergen apenstaartje gmail punt com",
        ("ecrin", "tinsbergen", "apenstaartje"),
    ),
    Canary("address", "ik woon op de Zilverschoonstraat 17b, 3521 KX Utrecht", ("zilverschoon", "3521 kx")),
    Canary("address", "adres is lijsterbeslaan 4 in hoogezand", ("lijsterbes", "hoogezand")),
    Canary("address", "kom maar langs op de kerkweg nummer drieëntwintig", ("kerkweg", "drieëntwintig")),
    Canary("birth", "geboren op 14-03-1961", ("14-03-1961", "03-1961")),
    Canary(
        "birth",
        "ik ben geboren op veertien maart negentienhonderdeenenzestig",
        ("veertien", "negentienhonderdeenenzestig"),
    ),
)


def leaked(text: str) -> list:
    """The needles of every canary that occur in `text` (case-insensitive)."""
    lowered = text.lower()
    return [needle for canary in CANARIES for needle in canary.needles if needle in lowered]

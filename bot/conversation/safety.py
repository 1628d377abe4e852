"""Keyword safety net for acute danger.

The NLU model decides most crisis messages; this net makes sure none slips through, whatever else a
message says. Recall matters more than precision here: a missed alarm can cost a life. But an alarm on
ordinary despair teaches residents to ignore it, so the net has two levels: `detect` finds acute
danger (the crisis interruption), `concern` finds despair that may hide danger (the distress
check-in, which asks whether someone is in danger now). Everyday expressions that only look
alarming ("doodmoe") are removed before matching.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Pattern

import yaml

from bot.content import CONTENT_DIR

# One phrase list per language (bot/content/safety/<language>.yml); every message is matched against
# all of them, whatever the conversation's language: danger is caught in the words the resident uses.
# The regex patterns below are Dutch; the other languages have phrases only.
KEYWORDS_DIR = CONTENT_DIR / "safety"
CATEGORIES = ("suicide", "violence", "acute")
CONCERN = "concern"

# Everyday expressions that only sound alarming, beyond the fixed phrases in the keywords file.
_HARMLESS_FORMS = re.compile(
    r"\b(dood ?moe|dood ?op|doodsaai|doodgewoon|doodleuk|doodnormaal|doodstil"
    r"|(schrik|schrok|lach|lachte|verveel|verveelde|werk|werkte|ergerde?) (me|mij|ik me|ik mij) (rot|dood)"
    r"|dood van de (honger|dorst)|over mijn dode lichaam|slaat nergens op|sla(at|g)? (een )?alarm"
    r"|(klok|hart|motor) slaat|slaat (aan|af|op|toe|over|terug)"
    r"|reageert (niet|nergens|nooit) (meer )?op"
    # "het hoeft niet meer" about a request, not about living
    r"|(aanvraag|annuleren|afsluiten|intrekken|afspraak)( \w+){0,5} het hoeft niet meer"
    r"|het hoeft niet meer( \w+){0,5} (aanvraag|annuleren|afsluiten|intrekken|afspraak))\b"
)

# Flexible forms the fixed phrases cannot list (a word or two in between, verb forms).
_PATTERNS = {
    "suicide": [
        r"zelf ?m[oa]or[dt]\w*",
        r"se?lf ?moor[dt]\w*",
        r"zelmoor[dt]\w*",
        r"zelfdoding",
        r"\bsuic\w*",
        r"\b(wil|wou|wilde|zou|ga|wil gewoon|wil echt|will?) (\w+ ){0,2}dood\b",
        r"\bdood (wil|willen|gaan)\b",
        r"niet meer (willen )?(leven|bestaan|wakker (worden|te worden))",
        r"\b(wil|wilde) (er )?niet meer (zijn|leven|bestaan|wakker)",
        r"\b(ik|wil|wilde) (\w+ ){0,2}er (niet meer|geen zin meer in) (te )?zijn",
        r"(een )?eind(e)? aan (mijn|m'n|me) leven",
        r"er (een )?eind(e)? aan (te )?maken",
        r"(mijn|m'n) leven (te )?(beeindigen|stoppen)",
        r"uit het leven (stappen|te stappen)",
        r"(mezelf|mijzelf|mij zelf) (\w+ ){0,2}(iets )?(aandoen|aan te doen|aangedaan)",
        r"\b(me|mij) iets (aandoen|aan te doen|aangedaan)",
        r"(me|mij|mezelf|mijzelf) (van kant|ophangen|op te hangen|snijden|kapot maken)",
        r"van kant (te )?maken",
        r"zelfbeschadig\w*",
        r"automutil\w*",
        r"snij(d|den)? (me|mij|mezelf|mijzelf)",
        r"pillen (\w+ ){0,2}(gespaard|verzameld|sparen|innemen|ingenomen)",
        r"voor (de|een) trein (springen|te springen|spring)",
        r"van (een|het|de) (flat|dak|brug) (af )?(springen|te springen|spring)",
        r"spring\w* (\w+ ){0,3}(van|voor|onder|uit) (het |de |een )?(balkon|flat|dak|brug|trein|metro|raam)",
        r"\b(wil|wou|wilde|zou) (\w+ ){0,3}(er )?niet meer (zijn|bestaan)\b",
        r"\b(ben ik|ik ben) er (\w+ ){0,2}niet meer\b(?! (zo|zeker|bij|aan|in|over|mee|van|voor|blij|bang))",
        r"\bpillen (\w+ ){0,2}(klaar\w*|gekocht|genomen|geslikt)",
        r"\bmet (mijn|de|al mijn) pillen\b",
        r"\b(brieven|brief) (\w+ ){0,4}(klaar|geschreven)\b",
        r"afscheidsbericht\w*",
        r"\blaatste bericht\b",
        r"\b(sta|zit|ben|staat|zat) (\w+ ){0,2}(op|bij) (het|de) (spoor|brug|dak|rails|water)\b",
        r"\bdak van de flat\b",
        r"\bplek bij het (water|spoor)\b",
        r"\b(mes|scheermes|jachtgeweer|geweer) (\w+ ){0,4}(gepakt|gehaald|gebruiken|in (mijn|zijn|haar) hand)",
        r"\bscheermes\b",
        r"\b(het|mijn) plan (\w+ )?klaar\b",
        r"\bvoorbij met (mij|me)\b",
        r"\bna (vanavond|vannacht|morgen) (\w+ ){0,3}niks meer nodig\b",
        r"\bniet tot (die|de|mijn) afspraak\b",
        r"\b(spijt|sorry) (\w+ ){0,4}((houdt|hou) van (ons|jullie|je|jou)|van (ons|jullie|je|jou) (houdt|hou))\b",
        r"\b(uitgezocht|weet (al )?) hoe ik het (ga )?doen\b",
        r"\bafscheid (\w+ ){0,4}zonder dat (ze|hij|zij) het weet",
        r"\beinde? aan (\w+ )?(te )?(maken|maakt|maak)\b",
        r"\beinde? aan (haar|zijn|mijn|m'n|me|hun) leven",
        r"manier om dood te gaan",
        r"niet (te )?overleven",
        r"afscheidsbrie\w*",
        r"(slapen|slaap) voor altijd",
        r"of ik er (\w+ ){0,2}nog (ben|zal zijn)",
        r"\btouw\b",
        r"\bsnij(d|dt|den)\b",
        r"\bgesneden\b",
        r"in (mijn|haar|zijn|m'n) (polsen|pols|armen|benen)",
        r"krassen (op|in) (mijn|haar|zijn|m'n) (armen|benen|polsen)",
        r"\b(iets|wat) aan(doet|doen|te doen|gedaan)\b",
        r"(geen|niet meer) (zin|reden) (meer )?(om )?(in )?(te )?(leven|het leven)",
        r"leven (heeft|is) geen zin",
        r"\b113\b",
    ],
    "violence": [
        r"\b(slaat|sloeg|slaan|schopt|schopte|trapt|trapte|wurgt|wurgde|stompt|duwt|duwde|knijpt)"
        r" ((me|mij|ons|haar|hem)\b|(mijn|de kinder|het kind)\w*)",
        r"\bslaat (hij|ze|zij)\b",
        r"\b(gaat|komt) (\w+ ){0,2}slaan\b",
        r"\bgooit (\w+ )?met (dingen|spullen|borden|glazen|meubels)\b",
        r"\b(tegen de grond|door de kamer|aan (haar|zijn|mijn) haren) (\w+ ){0,2}(gegooid|geduwd|getrokken)",
        r"\b(gillen|huilen|schreeuw\w*) (\w+ ){0,8}(klap|klappen)\b|\b(klap|klappen) (\w+ ){0,6}(gillen|huilen)\b",
        r"\b(laat|liet) (me|mij|haar|hem|ons) niet (naar buiten|weg|gaan)\b",
        r"\bniemand (mag )?bellen\b",
        r"\bvastgehouden\b",
        r"\bdeur op slot (gedaan|gedraaid)\b",
        r"\b(komt (me|mij|ons)|(me|mij|ons) komt) (\w+ )?halen\b",
        r"\b(ophouden|stoppen) (\w+ ){0,4}(klap|klappen)\b",
        r"\b(opgesloten|sluit (zich|zichzelf)) in (mijn|zijn|haar|de) (kamer|badkamer)\b",
        r"\bbang voor (mezelf|mijzelf)\b",
        r"\b(roept|riep|roepen) (\w+ ){0,4}om hulp\b",
        r"\bgeslagen\b",
        r"\bmishandel\w*",
        r"\bmisbruikt[e]?\b",
        r"huiselijk geweld",
        r"\bgeweld\b",
        r"aanrand\w*",
        r"verkracht\w*",
        r"seksueel (\w+ )?(misbruik|lastig)",
        r"(bedreigd|bedreigt|dreigt|dreigde) (\w+ ){0,3}(mes|wapen|pistool|vermoorden|dood|af te maken|iets aan te doen)",
        r"\b(vermoorden|vermoord|doodmaken)\b",
        r"\bdood (te )?maken\b",
        r"\b(me|mij|haar|hem|ons|jou) af (te )?maken\b",
        r"\bsla+g?t (me|mij|ons|haar|hem)\b",
        r"bont en blauw",
        r"brandplek\w*",
        r"\bgeknepen\b",
        r"doodsbang",
        r"\baan (me|mij|haar|hem) (zit|zitten|zat)\b",
        r"\bsluit (me|mij|hem|haar|ons) op\b",
        r"krijgt (\w+ ){0,3}geen eten",
        r"niet (meer )?veilig (thuis|in huis|bij (hem|haar|mijn))",
        r"\bveilig thuis\b",
        r"\bdurf\w* (\w+ ){0,2}niet (meer )?(naar huis|terug)\b",
        r"blauwe plekken",
    ],
    "acute": [
        r"bewusteloos",
        r"ademt (niet|nauwelijks)",
        r"reageert (niet|nergens) meer",
        r"\bniet meer wakker te krijgen",
        r"overdosis",
        r"levensgevaar",
        r"acuut gevaar",
        r"(ik ben|ben ik|we zijn|wij zijn|hij is|zij is|ze is|kind is|kinderen zijn) (nu )?in gevaar",
        r"(heeft|krijgt|krijg|heb) ((nu|net|volgens mij|denk ik|waarschijnlijk) )*(een )?(hartaanval|beroerte|hartstilstand)",
        r"bloedt (heel )?(erg|veel|hevig)",
        r"\b112\b",
        r"ademt (heel )?(slecht|raar|moeilijk)",
        r"wordt blauw",
        r"blauw (rond|om) (de|zijn|haar) (mond|lippen)",
    ],
}
# Despair that may or may not be danger: the distress check-in, never the interruption itself.
_CONCERN_PATTERNS = [r"zie (ik )?het (\w+ ){0,2}niet (meer )?zitten", r"levensmoe\w*", r"\bgeen uitweg\b"]


def _phrases(words: List[str]) -> Pattern:
    alternatives = sorted((re.escape(normalise(w)) for w in words), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b")


def _keywords() -> Dict[str, List[str]]:
    """Every language's phrases, per kind."""
    merged: Dict[str, List[str]] = {kind: [] for kind in ("harmless", *CATEGORIES, CONCERN)}
    for path in sorted(KEYWORDS_DIR.glob("*.yml")):
        for kind, phrases in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if kind not in merged:
                raise ValueError(f"{path}: unknown kind {kind!r} (one of {', '.join(merged)})")
            merged[kind].extend(phrases or [])
    return merged


@lru_cache(maxsize=1)
def _matchers() -> Dict[str, List[Pattern]]:
    keywords = _keywords()
    matchers = {"harmless": [_phrases(keywords["harmless"]), _HARMLESS_FORMS]}
    for category in CATEGORIES:
        matchers[category] = [_phrases(keywords[category])] + [re.compile(p) for p in _PATTERNS[category]]
    matchers[CONCERN] = [_phrases(keywords[CONCERN])] + [re.compile(p) for p in _CONCERN_PATTERNS]
    return matchers


# Long single words that residents often misspell; matched with a small edit distance.
_FUZZY_WORDS = {
    "zelfmoord": "suicide",
    "zelfdoding": "suicide",
    "suicidaal": "suicide",
    "mishandeling": "violence",
    "mishandeld": "violence",
    "verkrachting": "violence",
    "bewusteloos": "acute",
    "zelfbeschadiging": "suicide",
}
_FUZZY_CUTOFF = 0.84


@dataclass(frozen=True)
class Alarm:
    category: str  # suicide, violence or acute
    matched: str


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[^\w']+", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


def _plain(text: str) -> str:
    """The normalised message with the harmless phrases cut out."""
    plain = normalise(text)
    for harmless in _matchers()["harmless"]:
        plain = harmless.sub(" ", plain)
    return plain


def concern(text: str) -> bool:
    """True when a message voices despair that may hide danger (see the module's docstring)."""
    plain = _plain(text)
    return any(pattern.search(plain) for pattern in _matchers()[CONCERN])


def detect(text: str) -> Optional[Alarm]:
    """An Alarm when the message signals acute danger, else None."""
    matchers = _matchers()
    plain = _plain(text)
    for category in CATEGORIES:
        for pattern in matchers[category]:
            found = pattern.search(plain)
            if found:
                return Alarm(category=category, matched=found.group(0))
    for word in set(plain.split()):
        if len(word) >= 8:
            close = difflib.get_close_matches(word, _FUZZY_WORDS, n=1, cutoff=_FUZZY_CUTOFF)
            if close:
                return Alarm(category=_FUZZY_WORDS[close[0]], matched=word)
    return None

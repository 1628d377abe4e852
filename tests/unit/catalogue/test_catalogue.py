"""The text catalogue (bot/catalogue) is the only home of the texts people read outside domain.yml.

(a) No Dutch sentence as a string literal in Python, nor written into a template: a string with two or
    more common Dutch function words is a text and belongs in bot/catalogue/<language>/.
(b) Every key the code and the templates ask for exists in every language, and every key is asked for.
(c) A missing key fails loudly, naming the key.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import yaml

from bot import catalogue, contract
from bot.catalogue import CATALOGUE_DIR, MissingText
from bot.settings import PROJECT_ROOT

SOURCE_DIRS = ("bot", "actions", "serving", "components")
# Not texts for residents, supporters or staff: the operator's terminal tools (bilingual on purpose,
# Dutch / English, for whoever runs the server) and database migrations (SQL).
EXEMPT = ("bot/ops/", "bot/storage/migrations/")
DUTCH = frozenset(
    "de het een en van voor niet met uw u is zijn op te naar ook wordt kunt ik dat dit deze er "
    "geen wat wij heeft kan mag bij om als dan maar hoe waar".split()
)
# A pattern matched against what residents type (safety net, intake, yes/no) holds Dutch words but is
# no text: regex syntax gives it away.
REGEX = re.compile(r"\\[bswdB]|\(\?|\)[?*+]|\|\w|\w\||\[\^")
LOOKUP = re.compile(r"""\bcatalogue\.(?:text|entry)\(\s*["']([\w.]+)["']""")
TEMPLATE_LOOKUP = re.compile(r"""\b(?:text|entry)\(\s*["']([\w.]+)["']""")


def dutch_literals(source: str) -> List[Tuple[int, str]]:
    """(line, text) of each string constant in `source` that reads as Dutch; docstrings, regexes and
    log messages (English, for operators) are left out."""
    tree = ast.parse(source)
    skip: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger", "logging")
        ):
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            # A list of patterns: one element that is plainly a regex makes its plain-looking siblings patterns too.
            strings = [
                item for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)
            ]
            if any(REGEX.search(item.value) for item in strings):
                skip.update(id(item) for item in strings)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [value for value in node.values if isinstance(value, ast.Constant)]
            skip.update(id(part) for part in parts)
            if id(node) not in skip and _reads_dutch(" {} ".join(str(part.value) for part in parts)):
                found.append((node.lineno, "f-string"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and _reads_dutch(node.value)
        ):
            found.append((node.lineno, node.value))
    return sorted(found)


def _reads_dutch(value: str) -> bool:
    if REGEX.search(value):
        return False
    words = set(re.findall(r"[a-zà-ÿ]+", value.lower()))
    return len(words & DUTCH) >= 2


def _python_files() -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if not relative.startswith(EXEMPT):
                yield path


def _templates() -> Iterator[Path]:
    return iter(sorted((PROJECT_ROOT / "bot" / "web").rglob("templates/**/*.html")))


def test_no_dutch_text_is_a_python_literal():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}: {text!r}"
        for path in _python_files()
        for line, text in dutch_literals(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "Dutch texts belong in bot/catalogue/nl/*.yml:\n" + "\n".join(offenders)


# What a browser shows of a template besides its Jinja and its tags.
TEMPLATE_MARKUP = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<script.*?</script>|<style.*?</style>|<[^>]*>", re.S
)


def dutch_in_template(source: str) -> List[str]:
    return [" ".join(part.split()) for part in TEMPLATE_MARKUP.split(source) if _reads_dutch(part)]


def test_no_dutch_text_is_written_into_a_template():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {text!r}"
        for path in _templates()
        for text in dutch_in_template(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "Template texts belong in bot/catalogue/nl/*.yml, read with text(...):\n" + "\n".join(offenders)
    )
    assert dutch_in_template('<p>{{ text("widget.pages.home.stel_uw_vraag") }}</p><p>Dat weet ik niet.</p>')


@pytest.mark.parametrize(
    "source",
    [
        'def answer():\n    return "Dat weet ik niet."\n',
        'REASON = "Deze aanmelding is er niet, of u mag haar niet zien."\n',
        'def heard(label):\n    return f"Ik lees dat het gaat over {label} en nog meer van u."\n',
    ],
)
def test_a_dutch_literal_is_found(source):
    assert dutch_literals(source)


@pytest.mark.parametrize(
    "source",
    [
        'def answer():\n    """Dat weet ik niet: een docstring is voor ontwikkelaars."""\n    return text("a.b")\n',
        'log.warning("Retention failed for %s", part)\n',
        'PATTERN = r"\\b(ik|wil) (\\w+ ){0,2}niet meer (te )?zijn"\n',
        'ERROR = "the database is not reachable, try again later"\n',
        'PATTERNS = [r"\\bpillen\\b", r"manier om dood te gaan"]\n',
    ],
)
def test_docstrings_logs_regexes_and_english_are_not_texts(source):
    assert not dutch_literals(source)


def _used_keys() -> Set[str]:
    used = set()
    for path in _python_files():
        used.update(LOOKUP.findall(path.read_text(encoding="utf-8")))
    for path in _templates():
        used.update(TEMPLATE_LOOKUP.findall(path.read_text(encoding="utf-8")))
    return used


def _leaves(node, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix


def _languages() -> List[str]:
    return sorted(
        path.name for path in CATALOGUE_DIR.iterdir() if path.is_dir() and not path.name.startswith("_")
    )


def test_the_code_and_the_templates_ask_for_keys_through_the_catalogue():
    assert len(_used_keys()) > 30  # the scan finds the lookups at all


@pytest.mark.parametrize("language", _languages())
def test_every_key_used_exists_in_every_language(language):
    missing = []
    for key in sorted(_used_keys()):
        if language != "nl" and catalogue.staff_only(key):
            continue
        try:
            catalogue.entry(key, language)
        except MissingText:
            missing.append(key)
    assert not missing, f"bot/catalogue/{language} lacks: {', '.join(missing)}"


def test_every_catalogue_key_is_used():
    used = _used_keys()
    unused = [
        leaf
        for leaf in _leaves(catalogue.catalogue("nl"))
        if not any(leaf == key or leaf.startswith(key + ".") for key in used)
    ]
    assert not unused, "Keys nobody asks for (remove them, or use them): " + ", ".join(unused)


def _resident_leaves(language: str) -> Set[str]:
    return {leaf for leaf in _leaves(catalogue.catalogue(language)) if not catalogue.staff_only(leaf)}


@pytest.mark.parametrize("language", _languages())
def test_every_language_has_the_same_keys_for_residents(language):
    assert _resident_leaves(language) == _resident_leaves("nl")


def test_there_is_a_catalogue_for_every_language_of_the_contract():
    assert _languages() == sorted(contract.LANGUAGES)


def _placeholders(text: str) -> List[str]:
    return sorted(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("language", [code for code in contract.LANGUAGES if code != contract.DUTCH])
def test_every_response_exists_in_every_language_with_the_same_variants(language):
    """serving/nlg.py answers from these: the same conditions pick a variant, the same buttons are sent."""
    dutch = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    other = catalogue.responses(language)
    assert set(other) == set(dutch)
    for name, variants in dutch.items():
        assert len(other[name]) == len(variants), name
        for mine, theirs in zip(variants, other[name]):
            assert theirs.get("condition") == mine.get("condition"), name
            assert [b["payload"] for b in theirs.get("buttons", [])] == [
                b["payload"] for b in mine.get("buttons", [])
            ], name
            assert _placeholders(theirs["text"]) == _placeholders(mine["text"]), name
            assert theirs["text"] != mine["text"], f"{name} is not written in {language}"


@pytest.mark.parametrize("language", [code for code in contract.LANGUAGES if code != contract.DUTCH])
def test_every_text_keeps_its_placeholders_in_every_language(language):
    for leaf in _resident_leaves("nl"):
        dutch = catalogue.entry(leaf, "nl")
        if isinstance(dutch, str):
            assert _placeholders(catalogue.entry(leaf, language)) == _placeholders(dutch), leaf


def test_a_missing_key_fails_loudly_naming_it():
    with pytest.raises(MissingText, match=r"'portal\.urgency_of_the_moon'.*portal\.yml"):
        catalogue.text("portal.urgency_of_the_moon")
    with pytest.raises(MissingText, match="no_such_area"):
        catalogue.entry("no_such_area.title")
    with pytest.raises(MissingText, match="not a text"):
        catalogue.text("handoff.urgency")
    with pytest.raises(MissingText, match="klingon"):
        catalogue.text("handoff.urgency.urgent", language="klingon")


def test_a_text_is_filled_in():
    assert (
        catalogue.text("handoff.mail.subject", reference="WW-1234") == "Nieuwe aanmelding WW-1234 in Wegwijs"
    )
    assert catalogue.text("handoff.urgency.urgent") == "zo snel mogelijk"


def test_no_text_has_a_placeholder_named_language():
    """text(key, language=..., **values): a {language} in a text could never be filled in."""
    clashes = [
        leaf
        for leaf in _leaves(catalogue.catalogue("nl"))
        if isinstance(catalogue.entry(leaf), str) and "{language}" in catalogue.entry(leaf)
    ]
    assert not clashes


WIDGET_SCRIPT = PROJECT_ROOT / "bot" / "web" / "widget" / "static" / "wegwijs.js"
JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def test_the_widget_script_holds_no_dutch_text_and_asks_only_for_catalogue_texts():
    source = WIDGET_SCRIPT.read_text(encoding="utf-8")
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("//", "*", "/*")))
    assert [s for s in JS_STRING.findall(code) if _reads_dutch(s)] == []
    asked = set(re.findall(r"\btexts\.(\w+)", source)) | {
        size for size in re.findall(r'name: "(\w+)"', source)
    }
    from bot.web.widget.views import widget_texts

    assert asked <= set(widget_texts("nl"))


def test_the_served_widget_script_carries_the_catalogue_texts_of_every_language():
    from bot.web.widget.views import TEXTS_SLOT, _script

    served = _script()
    assert TEXTS_SLOT not in served
    for language in contract.LANGUAGES:
        assert catalogue.text("widget.script.launcher", language) in served
        assert catalogue.text("language.name", language) in served


@pytest.mark.parametrize("language", [code for code in contract.LANGUAGES if code != contract.DUTCH])
def test_texts_only_staff_read_are_not_kept_in_other_languages(language):
    """Staff read Dutch: a translation of a staff text would never be shown, and would go stale."""
    assert [leaf for leaf in _leaves(catalogue.catalogue(language)) if catalogue.staff_only(leaf)] == []

"""The chat widget in real headless Chromium on the demo page, against the real web, Rasa and action servers.

One browser for the session; each test gets a fresh context (its own sessionStorage). Screenshots and
the axe-core result go to build/screenshots/ and build/axe/ as test artefacts.
"""

import json
import re
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect, sync_playwright

from bot.web.widget.tokens import Conversation, ConversationTokens
from tests.e2e.conftest import PER_CONVERSATION, ROOT, free_port

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = ROOT / "build" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SECRET = "e2e-tests-only"  # the servers fixture's WEGWIJS_SECRET_KEY
REPLY_TIMEOUT_MS = 60_000
SCRIPT_TEXT = '<script>window.__wegwijsPwned = 1</script><img src=x onerror="window.__wegwijsPwned = 2">'


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make browser`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, width=1280, height=900, **options) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL", **options)
    page = context.new_page()
    page.set_default_timeout(REPLY_TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    PAGE_ERRORS[page] = errors
    return page


PAGE_ERRORS: dict = {}


def close(page: Page) -> None:
    """Closes the page's context; a JavaScript error on the page fails the test."""
    errors = PAGE_ERRORS.pop(page)
    page.context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, servers):
    page = new_page(browser)
    yield page
    close(page)


class Widget:
    """What a resident sees and does, through the page only."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name="Chat met Wegwijs")
        self.panel = page.get_by_role("dialog", name="Wegwijs")
        self.input = page.get_by_label("Uw bericht")

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()

    def wait_for_reply(self) -> None:
        self.page.wait_for_function(
            "() => !document.querySelector('.ww-typing') "
            "&& document.querySelector('.ww-send').getAttribute('aria-disabled') === 'false'"
        )

    def say(self, text: str) -> str:
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_reply()
        return self.latest_replies()

    def press(self, title_part: str) -> str:
        self.page.locator(".ww-choice", has_text=re.compile(re.escape(title_part), re.I)).first.click()
        self.wait_for_reply()
        return self.latest_replies()

    def latest_replies(self) -> str:
        """The bot's messages since the resident's last message, as the page shows them."""
        return self.page.evaluate("""() => {
            const items = [...document.querySelectorAll('.ww-log > li.ww-msg')];
            const last = items.map(i => i.classList.contains('ww-msg--user')).lastIndexOf(true);
            return items.slice(last + 1).map(i => i.querySelector('.ww-bubble').innerText).join('\\n');
        }""")

    def user_messages(self) -> list:
        return self.page.locator(".ww-msg--user .ww-bubble").all_inner_texts()

    def conversation_id(self, server_url: str) -> str:
        saved = json.loads(self.page.evaluate(f"() => sessionStorage.getItem('wegwijs:{server_url}')"))
        return ConversationTokens(SECRET).conversation_id(saved["token"])


def user_events(servers, conversation_id: str) -> list:
    tracker = requests.get(
        f"http://127.0.0.1:{servers.rasa_port}/conversations/{conversation_id}/tracker",
        params={"token": servers.rasa_token},
        timeout=30,
    ).json()
    return [e for e in tracker["events"] if e["event"] == "user"]


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_a_full_conversation_from_a_rights_question_to_a_reference_number(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    expect(page.get_by_text("U praat met een computer, niet met een mens.")).to_be_visible()
    assert "gratis" in widget.say("kost een clientondersteuner geld?")
    assert "Is er nu iemand in gevaar?" in widget.say(
        "ik weet het allemaal niet meer, ik heb schulden en de huur is te hoog"
    )
    widget.press("Nee, niemand")
    assert "Voor wie" in widget.press("op een rij")
    assert "Klopt dat?" in widget.press("Voor mijzelf")
    widget.press("Ja, dat klopt")
    assert "belangrijkste" in widget.say("ik heb een betalingsachterstand en krijg steeds brieven")
    widget.say("dat ik in mijn huis kan blijven wonen")
    assert "Wie helpt" in widget.say("een betalingsregeling")
    widget.press("Niemand")
    widget.press("Ik kijk wat er mogelijk is")
    widget.press("Overslaan")
    widget.press("Maakt niet uit")
    widget.press("Nederlands")
    assert "bewaren wij uw antwoorden" in widget.press("Nee")
    widget.press("Ja, dat mag")
    widget.press("Telefoon")
    summary = widget.say("06-12345678")
    assert "Dit is uw vraag op een rij" in summary and "06 12345678" in summary
    screenshot(page, "widget-mid-conversation")
    assert "GeldWijs Voorbeeldstad" in widget.press("Ja, dit klopt")
    done = widget.press("GeldWijs")
    assert re.search(r"referentienummer is WW-[A-Z0-9]{6}", done), done
    assert widget.user_messages()[-1].startswith(
        "GeldWijs"
    )  # a button's title shows as the resident's message
    expect(page.locator(".ww-live")).to_contain_text("WW-")


def test_before_the_first_message_the_widget_links_the_privacy_page(page, servers):
    page.goto(servers.web_url + "/")
    Widget(page).open()
    link = page.locator(".ww-notice a")
    expect(link).to_contain_text("Wat we bewaren en hoe lang")
    assert page.locator(".ww-msg--user").count() == 0
    page.goto(link.get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy: wat Wegwijs bewaart")
    expect(page.get_by_text("Typt u 60 minuten niets?")).to_be_visible()


def test_axe_finds_no_wcag_21_aa_violation_on_the_open_widget(browser, servers):
    page = new_page(browser, bypass_csp=True)  # axe-core is injected as an inline script
    page.add_init_script(SPEECH_STUB)  # so the read-aloud buttons and setting are there to check
    results = {}
    try:
        page.goto(servers.web_url + "/")
        widget = Widget(page)
        expect(widget.launcher).to_be_visible()
        screenshot(page, "widget-closed")
        widget.open()
        screenshot(page, "widget-open")
        widget.say("hallo")  # a reply with buttons: more of the widget to check
        page.add_script_tag(path=str(AXE))
        for step in ("Normale tekst", "Grootste tekst"):
            page.get_by_role("button", name=step).click()
            results[step] = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
            )
    finally:
        close(page)
    for step, result in results.items():
        name = "widget" if step == "Normale tekst" else "widget-largest-text"
        report = ROOT / "build" / "axe" / f"{name}.json"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(
            json.dumps({k: result[k] for k in ("violations", "incomplete", "passes")}, indent=1)
        )
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == [], (step, violations)
        assert any(p["id"] == "color-contrast" for p in result["passes"])


def test_keyboard_only_open_choose_and_escape_back_to_the_launcher(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('ww-launcher')"):
            break
    else:
        raise AssertionError("the launcher is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()
    page.keyboard.type("hallo")
    page.keyboard.press("Enter")
    widget.wait_for_reply()
    page.keyboard.press("Shift+Tab")  # from the text box back to the reply's last button
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent,"
        " getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused[:2] == ["ww-choice", "Met een mens praten"] and focused[2] == "solid"  # visible focus
    page.keyboard.press("Enter")
    widget.wait_for_reply()
    assert "0123-456 789" in widget.latest_replies()
    expect(widget.input).to_be_focused()
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()


@pytest.mark.parametrize("width, height", [(320, 640), (320, 256)], ids=["320px-phone", "400pct-zoom"])
def test_usable_at_320_pixels_and_at_400_percent_zoom(browser, servers, width, height):
    page = new_page(browser, width=width, height=height)
    try:
        page.goto(servers.web_url + "/")
        widget = Widget(page)
        widget.open()
        box = widget.panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] <= height
        for control in (
            widget.input,
            page.get_by_role("button", name="Versturen"),
            page.get_by_role("button", name="Chat sluiten"),
        ):
            expect(control).to_be_in_viewport()
        assert "gratis" in widget.say("kost het geld?")
        assert page.evaluate("() => document.querySelector('.ww-panel').scrollWidth") <= width
        if width == 320 and height == 640:
            screenshot(page, "widget-320px")
    finally:
        close(page)


def test_a_typed_script_is_shown_as_text_and_never_run(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say(SCRIPT_TEXT)
    assert widget.user_messages() == [SCRIPT_TEXT]
    assert page.evaluate("() => window.__wegwijsPwned") is None
    assert page.locator(".ww-log img, .ww-log script").count() == 0


def test_the_conversation_survives_going_to_another_page_and_only_new_replies_are_announced(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    assert "gratis" in widget.say("kost het geld?")
    page.get_by_role("link", name="Contact", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact")
    widget = Widget(page)
    expect(widget.panel).to_be_visible()
    assert widget.user_messages() == ["kost het geld?"]
    expect(page.locator(".ww-msg--bot", has_text="gratis").first).to_be_visible()
    expect(page.locator(".ww-live")).to_have_text("")  # the history is not read out again
    widget.say("heb ik een verwijzing nodig?")
    expect(page.locator(".ww-live")).to_contain_text("geen verwijzing nodig")
    expect(page.locator(".ww-live")).not_to_contain_text("gratis")
    page.get_by_role("button", name="Opnieuw beginnen").click()
    widget.wait_for_reply()
    assert widget.user_messages() == []


def test_an_unreachable_server_gives_a_dutch_message_and_a_retry(page, servers):
    page_url = servers.web_url + "/proef/onbereikbaar"
    page.route(
        page_url,
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                f'<!doctype html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1></main>'
                f'<script src="{servers.web_url}/widget/wegwijs.js" data-server="http://127.0.0.1:{free_port()}"></script>'
                f"</body></html>"
            ),
        ),
    )
    page.goto(page_url)
    widget = Widget(page)
    widget.open()
    widget.say("hallo")
    expect(page.get_by_role("alert")).to_contain_text("Het lukt nu niet om Wegwijs te bereiken")
    retry = page.get_by_role("button", name="Opnieuw proberen")
    expect(retry).to_be_visible()
    retry.click()
    widget.wait_for_reply()
    expect(page.get_by_role("alert")).to_be_visible()
    assert widget.user_messages() == ["hallo"]  # shown once, still waiting to be sent


def test_a_lost_answer_is_retried_with_the_same_message_id_and_processed_once(page, servers):
    lost = []

    def lose_the_first_answer(route):
        if lost:
            return route.continue_()
        route.fetch()  # the edge and Rasa do get the message ...
        lost.append(route.request.post_data_json["message_id"])
        route.abort("connectionreset")  # ... but the answer never reaches the browser

    page.route("**/widget/api/messages", lose_the_first_answer)
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say("kost het geld?")
    expect(page.get_by_role("alert")).to_contain_text("Probeer het zo nog eens")
    with page.expect_request("**/widget/api/messages") as retried:
        page.get_by_role("button", name="Opnieuw proberen").click()
    assert (
        retried.value.post_data_json["message_id"] == lost[0]
        and retried.value.post_data_json["retry"] is True
    )
    widget.wait_for_reply()
    assert "gratis" in widget.latest_replies()
    expect(page.get_by_role("alert")).to_be_hidden()
    sent = [
        e
        for e in user_events(servers, widget.conversation_id(servers.web_url))
        if e["text"] == "kost het geld?"
    ]
    assert len(sent) == 1 and sent[0]["metadata"]["message_id"] == lost[0]


def test_an_expired_conversation_says_start_again_and_the_button_starts_a_new_one(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    assert "gratis" in widget.say("kost het geld?")
    old = widget.conversation_id(servers.web_url)
    # Two hours without a message: the token in the tab is no longer accepted.
    store = f"wegwijs:{servers.web_url}"
    idle = ConversationTokens(SECRET).issue(
        Conversation(old, time.time() - 3 * 3600), now=time.time() - 2 * 3600
    )
    page.evaluate(
        """([key, token]) => {
        const saved = JSON.parse(sessionStorage.getItem(key));
        sessionStorage.setItem(key, JSON.stringify({...saved, token}));
    }""",
        [store, idle],
    )
    page.reload()
    widget = Widget(page)
    widget.say("wat is een pgb")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Dit gesprek is gestopt, omdat het lang stil was. Begin opnieuw.")
    alert.get_by_role("button", name="Opnieuw beginnen").click()
    widget.wait_for_reply()
    expect(alert).to_be_hidden()
    expect(widget.input).to_have_value("wat is een pgb")  # not lost: ready to send in the new conversation
    assert widget.user_messages() == []
    assert widget.conversation_id(servers.web_url) not in (None, old)
    assert "wat is een pgb" not in [e["text"] for e in user_events(servers, old)]


def test_a_resident_who_sends_too_fast_is_asked_to_wait_and_the_message_is_kept(page, limited):
    page.goto(limited + "/")  # the web server with low limits: 3 messages per conversation per minute
    widget = Widget(page)
    widget.open()
    for _ in range(PER_CONVERSATION):
        assert "gratis" in widget.say("kost het geld?")
    widget.say("wat is een pgb")
    expect(page.get_by_role("alert")).to_contain_text(
        "U stuurt veel berichten kort na elkaar. Wacht een minuut."
    )
    expect(page.get_by_role("button", name="Opnieuw proberen")).to_be_visible()
    assert widget.user_messages()[-1] == "wat is een pgb"  # kept: the retry button sends it


def test_a_double_click_sends_once(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.input.fill("hallo")
    page.get_by_role("button", name="Versturen").dblclick()
    widget.wait_for_reply()
    # Two clicks on the same quick reply, faster than any hand: the second finds the message on its way.
    page.evaluate("() => { const b = document.querySelector('.ww-choice'); b.click(); b.click(); }")
    widget.wait_for_reply()
    assert widget.user_messages() == ["hallo", "Wat is cliëntondersteuning?"]
    texts = [e["text"] for e in user_events(servers, widget.conversation_id(servers.web_url))]
    assert texts.count("hallo") == 1 and texts.count("/ask_what_is_client_support") == 1


def test_a_colour_pair_below_aa_gets_readable_text(page, servers):
    page.goto(servers.web_url + "/")
    page.wait_for_function("() => window.Wegwijs")
    assert page.evaluate("() => Wegwijs.readableColors('#1d4f91', '#ffffff').corrected") is False
    corrected = page.evaluate("() => Wegwijs.readableColors('#ffdd00', '#ffffff')")
    assert corrected["corrected"] is True and corrected["text"] == "#000000"
    assert page.evaluate("() => Wegwijs.contrastRatio('#ffdd00', '#000000')") >= 4.5


def test_leaving_the_page_while_waiting_resends_on_the_next_page_and_rasa_processes_it_once(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say("hallo")
    with page.expect_request("**/widget/api/messages"):
        widget.input.fill("kost het geld?")
        widget.input.press("Enter")
    page.get_by_role("link", name="Contact", exact=True).click()  # before the answer is in
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact")
    widget = Widget(page)
    expect(page.locator(".ww-msg--bot", has_text="het kost u niets")).to_have_count(1)
    assert widget.user_messages() == ["hallo", "kost het geld?"]
    texts = [e["text"] for e in user_events(servers, widget.conversation_id(servers.web_url))]
    assert texts.count("kost het geld?") == 1, texts


def test_links_in_bot_text_are_safe_links_and_dash_lines_a_list(page, servers):
    # The real bot seldom sends a link, so this one answer is written here; the widget renders it as usual.
    reply = {
        "replies": [
            {
                "text": "Kijk op https://www.voorbeeldstad.example/hulp. Niet op javascript:alert(1)\n"
                "- Eerste punt\n- Tweede <b>punt</b>",
                "buttons": [{"title": "Verder", "payload": "/affirm"}],
            }
        ]
    }
    page.route("**/widget/api/messages", lambda route: route.fulfill(json=reply))
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say("een link graag")
    link = page.locator(".ww-msg--bot a")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "https://www.voorbeeldstad.example/hulp")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator(".ww-msg--bot li")).to_have_text(["Eerste punt", "Tweede <b>punt</b>"])
    expect(page.locator(".ww-msg--bot")).to_contain_text("javascript:alert(1)")
    expect(page.get_by_role("button", name="Verder")).to_be_visible()


def test_a_server_that_does_not_answer_gives_the_dutch_message_after_the_client_timeout(page, servers):
    def short_timeout(route):  # the real conversation, with a client timeout of one second
        started = route.fetch().json()
        route.fulfill(json={**started, "timeout_ms": 1000})

    page.route("**/widget/api/conversations", short_timeout)
    page.route("**/widget/api/messages", lambda route: None)  # the answer never comes
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.input.fill("hallo")
    widget.input.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Het lukt nu niet om Wegwijs te bereiken")
    expect(page.get_by_role("button", name="Opnieuw proberen")).to_be_visible()
    expect(page.locator(".ww-typing")).to_have_count(0)


# Headless Chromium has no voices: a recording stand-in for the browser's speech synthesis. window.__voices
# is what getVoices() returns (none unless a test sets it).
SPEECH_STUB = """
window.__spoken = [];
window.__voices = [];
class FakeUtterance { constructor(text) { this.text = text; this.lang = ""; this.voice = null; } }
const fakeSynthesis = {
  speak(u) { window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name }); },
  cancel() {}, pause() {}, resume() {}, getVoices() { return window.__voices; },
  addEventListener() {}, removeEventListener() {}, speaking: false, pending: false, paused: false,
};
Object.defineProperty(window, "speechSynthesis", { value: fakeSynthesis, configurable: true });
Object.defineProperty(window, "SpeechSynthesisUtterance", { value: FakeUtterance, configurable: true });
"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"
FIXED_REPLY = {"replies": [{"text": "Cliëntondersteuning is gratis.", "buttons": []}]}


def spoken(page: Page) -> list:
    return page.evaluate("() => window.__spoken")


def test_the_read_aloud_button_speaks_the_message_in_dutch_and_says_when_there_is_no_dutch_voice(
    page, servers
):
    page.add_init_script(SPEECH_STUB)
    page.route("**/widget/api/messages", lambda route: route.fulfill(json=FIXED_REPLY))
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say("kost het geld?")
    assert spoken(page) == []  # off by default: nothing is read without a click
    message = page.locator(".ww-msg--bot").last
    message.get_by_role("button", name="Lees voor").click()
    assert spoken(page) == [{"text": "Cliëntondersteuning is gratis.", "lang": "nl-NL", "voice": None}]
    expect(message.get_by_role("status")).to_have_text("Uw browser heeft geen Nederlandse stem.")
    # With a Dutch voice: that voice reads, and there is no message about it.
    page.evaluate(
        "() => { window.__voices = [{name: 'English', lang: 'en-US'}, {name: 'Nederlands', lang: 'nl-NL'}]; }"
    )
    widget.say("en nog eens?")
    message = page.locator(".ww-msg--bot").last
    message.get_by_role("button", name="Lees voor").click()
    assert spoken(page)[-1] == {
        "text": "Cliëntondersteuning is gratis.",
        "lang": "nl-NL",
        "voice": "Nederlands",
    }
    expect(message.get_by_text("Uw browser heeft geen Nederlandse stem.")).to_have_count(0)


def test_with_read_new_messages_on_a_new_reply_is_spoken_without_a_click(page, servers):
    page.add_init_script(SPEECH_STUB)
    page.route("**/widget/api/messages", lambda route: route.fulfill(json=FIXED_REPLY))
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    setting = page.get_by_label("Lees nieuwe berichten voor")
    expect(setting).not_to_be_checked()  # off by default
    widget.say("hallo")
    assert spoken(page) == []
    setting.check()
    widget.say("kost het geld?")
    assert spoken(page) == [{"text": "Cliëntondersteuning is gratis.", "lang": "nl-NL", "voice": None}]
    page.reload()  # remembered for the conversation; the history is not read again
    expect(Widget(page).panel).to_be_visible()
    expect(page.get_by_label("Lees nieuwe berichten voor")).to_be_checked()
    assert spoken(page) == []


def test_without_speech_synthesis_there_is_no_read_aloud_button_or_setting(page, servers):
    page.add_init_script(NO_SPEECH)
    page.route("**/widget/api/messages", lambda route: route.fulfill(json=FIXED_REPLY))
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say("hallo")
    expect(page.locator(".ww-msg--bot")).to_contain_text("gratis")
    expect(page.get_by_role("button", name="Lees voor")).to_have_count(0)
    expect(page.get_by_label("Lees nieuwe berichten voor")).to_have_count(0)
    expect(
        page.get_by_role("button", name="Grootste tekst")
    ).to_be_visible()  # text size works without speech


def test_the_largest_text_step_at_320_pixels_is_larger_and_still_usable(browser, servers):
    page = new_page(browser, width=320, height=640)
    try:
        page.goto(servers.web_url + "/")
        widget = Widget(page)
        widget.open()
        normal = page.get_by_role("button", name="Normale tekst")
        largest = page.get_by_role("button", name="Grootste tekst")
        expect(normal).to_have_attribute("aria-pressed", "true")
        size = "() => parseFloat(getComputedStyle(document.querySelector('.ww-input')).fontSize)"
        normal_size = page.evaluate(size)
        largest.click()
        expect(largest).to_have_attribute("aria-pressed", "true")
        expect(normal).to_have_attribute("aria-pressed", "false")
        assert page.evaluate(size) > normal_size
        assert "gratis" in widget.say("kost het geld?")
        overflow = page.evaluate(
            "() => { const p = document.querySelector('.ww-panel');"
            " return [p.scrollWidth, p.clientWidth, document.querySelector('.ww-scroller').scrollWidth,"
            " document.querySelector('.ww-scroller').clientWidth, document.documentElement.scrollWidth]; }"
        )
        assert overflow[0] <= overflow[1] and overflow[2] <= overflow[3], overflow  # no sideways scrolling
        for control in (widget.input, page.get_by_role("button", name="Versturen")):
            expect(control).to_be_visible()
            expect(control).to_be_in_viewport()
        screenshot(page, "widget-320px-largest-text")
        page.reload()  # remembered in this tab
        expect(page.get_by_role("button", name="Grootste tekst")).to_have_attribute("aria-pressed", "true")
    finally:
        close(page)


def test_each_message_has_its_language_and_direction(page, servers):
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    widget.say("kost het geld?")
    messages = page.locator(".ww-log > li.ww-msg")
    assert messages.count() >= 2
    attributes = messages.evaluate_all(
        "items => items.map(i => [i.getAttribute('lang'), i.getAttribute('dir')])"
    )
    assert set(map(tuple, attributes)) == {("nl", "ltr")}
    # the text takes its direction from its own letters (a message may be in another language)
    assert set(page.locator(".ww-bubble").evaluate_all("items => items.map(i => i.dir)")) == {"auto"}


LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "pl": "Polski",
    "uk": "Українська",
}


def choose_language(widget: Widget, code: str) -> None:
    """The picker, as a resident uses it: by the language's own name; the bot confirms in that language."""
    widget.page.get_by_role("combobox").select_option(label=LANGUAGE_NAMES[code])
    widget.wait_for_reply()
    widget.input = widget.page.locator("#ww-input")  # its label is in the new language now


def test_a_conversation_in_turkish_from_the_picker_to_an_answer(page, servers):
    from bot import catalogue

    page.add_init_script(SPEECH_STUB)
    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    choose_language(widget, "tr")  # before the first message
    expect(page.locator(".ww-msg--bot .ww-bubble").last).to_have_text(
        catalogue.text("language.switched", "tr")
    )
    expect(page.get_by_label(catalogue.text("widget.script.inputLabel", "tr"))).to_be_visible()
    expect(page.get_by_role("button", name=catalogue.text("widget.script.send", "tr"))).to_be_visible()
    answer = widget.say("Bu hizmet ücretli mi, para ödemem gerekiyor mu?")
    assert "ücret" in answer.lower()
    assert page.locator(".ww-msg").last.get_attribute("lang") == "tr"
    page.locator(".ww-msg--bot").last.get_by_role(
        "button", name=catalogue.text("widget.script.readAloud", "tr")
    ).click()
    assert spoken(page)[-1]["lang"] == "tr-TR"
    page.reload()  # the language is kept with the conversation
    expect(page.get_by_role("combobox")).to_have_value("tr")
    screenshot(page, "widget-turkish")


def test_arabic_reads_right_to_left(page, servers):
    from bot import catalogue

    page.goto(servers.web_url + "/")
    widget = Widget(page)
    widget.open()
    choose_language(widget, "ar")
    panel = page.locator(".ww-panel")
    expect(panel).to_have_attribute("dir", "rtl")
    expect(panel).to_have_attribute("lang", "ar")
    answer = widget.say("هل هذه الخدمة مجانية؟ هل يجب أن أدفع شيئا؟")
    assert answer and not answer.isascii()
    direction = page.evaluate(
        "() => getComputedStyle(document.querySelector('.ww-msg--bot .ww-bubble')).direction"
    )
    assert direction == "rtl"
    assert catalogue.text("widget.script.send", "ar") in page.locator(".ww-send").inner_text()
    screenshot(page, "widget-arabic-rtl")


@pytest.mark.parametrize("code", ["en", "tr", "ar", "pl", "uk"])
def test_axe_finds_no_violation_with_the_widget_open_in_each_language(browser, servers, code):
    page = new_page(browser, bypass_csp=True)
    page.add_init_script(SPEECH_STUB)
    try:
        page.goto(servers.web_url + "/")
        widget = Widget(page)
        widget.open()
        choose_language(widget, code)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
    finally:
        close(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == [], (code, violations)

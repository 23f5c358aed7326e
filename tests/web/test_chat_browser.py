"""The patient chat in a real browser (Debian's Chromium through Playwright) against the running bot.

One bot (action server, Rasa server, web front) for the module; every test has its own
browser profile (so its own conversation id) and may not reach anything off this machine.
"""
from __future__ import annotations

import http.server
import json
import re
import threading
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from scripts.bot_process import free_port
from tests.web.conftest import _local, started_bot

pytestmark = pytest.mark.bot

HOSPITAL_PORT = free_port()
HOSPITAL = f"http://localhost:{HOSPITAL_PORT}"      # a stand-in for the hospital's own site (embedding test)
HOSPITAL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Facial nerve clinic</title>
<script src="{web_url}/chat/widget.js" defer></script></head>
<body><header><p>The hospital</p></header>
<main><h1>Facial nerve clinic</h1><p>Welcome to the clinic's page.</p></main></body></html>"""
WAIT = 30_000                          # ms, for one bot reply

# The answer to each open question (requested_slot): clicked when it is one of the bot's
# buttons, typed otherwise.
ANSWERS = {
    "consent": "Yes, I agree",
    "neuro_symptoms": "No, none of these",
    "affected_side": "Left",
    "paralysis_extent": "A little",
    "onset": "3 weeks ago",
    "onset_speed": "Suddenly",
    "course": "Getting better",
    "recurrence": "No, first time",
    "cause": "I don't know",
    "prior_treatments": "Nothing yet",
    "eye_closure": "Yes, fully",
    "eye_symptoms": "None of these",
    "speech_difficulty": "No",
    "eating_difficulty": "No",
    "eating_problems": "None",
    "synkinesis": "No",
    "ear_symptoms": "None of these",
    "goals": "To smile again",
    "patient_name": "Ada Testperson",
    "date_of_birth": "1 February 1990",
    "phone": "010 0000 4321",
    "email": "none",
    "confirm": "Yes, that's right",
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    yield from started_bot(tmp_path_factory.mktemp("chat-bot"), {"CHAT_EMBED_ORIGINS": HOSPITAL})


@pytest.fixture(scope="module")
def hospital_site(bot):
    """The hospital's own site on another origin (a real local server: Chromium does not let a
    faked public page reach this machine)."""
    body = HOSPITAL_PAGE.format(web_url=bot.web_url).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", HOSPITAL_PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield HOSPITAL
    server.shutdown()
    server.server_close()


class Requests:
    """Every request a page makes; the origins it may talk to."""

    def __init__(self, context, allowed: set[str]) -> None:
        self.urls: list[str] = []
        self.allowed = allowed
        context.on("request", lambda request: self.urls.append(request.url))

    def assert_only_allowed(self) -> None:
        origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.urls if u.startswith("http")}
        assert origins and origins <= self.allowed, f"requests to other sites: {origins - self.allowed}"
        assert all(u.startswith(("http://127.0.0.1", "http://localhost", "data:", "about:")) for u in self.urls)


def origin(url: str) -> str:
    return f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"


class ChatPage:
    def __init__(self, page, bot) -> None:
        self.page, self.bot = page, bot
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, url: str | None = None):
        self.page.goto(url or self.bot.web_url + "/chat/")
        self.page.get_by_role("log").get_by_text("Before we start", exact=False).wait_for(timeout=WAIT)
        self.idle()
        return self.page

    @property
    def box(self):
        return self.page.get_by_role("textbox", name="Your message")

    def bot_count(self) -> int:
        return self.page.locator(".ic-msg--bot").count()

    def idle(self) -> None:
        self.page.wait_for_function(
            "() => document.querySelector('[role=log]').getAttribute('aria-busy') !== 'true'", timeout=WAIT)

    def wait_reply(self, before: int) -> None:
        self.page.wait_for_function(
            """n => document.querySelectorAll('.ic-msg--bot').length > n
                   && document.querySelector('[role=log]').getAttribute('aria-busy') !== 'true'""",
            arg=before, timeout=WAIT)

    def reply_button(self, name: str):
        return self.page.locator(".ic-replies").get_by_role("button", name=name, exact=True)

    def say(self, text: str, tap: bool = False) -> str:
        """Click the bot's button for `text` if there is one, else type it and press Enter."""
        before = self.bot_count()
        button = self.reply_button(text)
        if button.count():
            (button.tap if tap else button.click)()
            how = "clicked"
        else:
            self.box.fill(text)
            self.box.press("Enter")
            how = "typed"
        self.wait_reply(before)
        return how

    @property
    def sender(self) -> str:
        return self.page.evaluate("() => localStorage.getItem('intake-chat:sender')")

    def asked(self):
        query = urllib.parse.urlencode({"token": self.bot.token, "include_events": "NONE"})
        url = f"{self.bot.rasa_url}/conversations/{self.sender}/tracker?{query}"
        with urllib.request.urlopen(url, timeout=30) as resp:
            return json.loads(resp.read())["slots"].get("requested_slot")

    def answer_until(self, stop, limit: int = 40) -> list[str]:
        """Answer each open question from ANSWERS until `stop(field)` is true."""
        hows = []
        for _ in range(limit):
            field = self.asked()
            if stop(field):
                return hows
            assert field in ANSWERS, f"unexpected question {field!r}"
            hows.append(self.say(ANSWERS[field]))
        pytest.fail("the conversation did not end")

    def no_horizontal_scroll(self) -> None:
        widths = self.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"horizontal scroll: {widths}"

    def axe(self, where: str) -> int:
        results = Axe().run(self.page)
        assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"
        return results.violations_count

    def texts(self, selector: str) -> list[str]:
        return self.page.locator(selector).all_inner_texts()


@pytest.fixture
def chat(context, bot):
    page = context.new_page()
    requests = Requests(context, {origin(bot.web_url)})
    chat = ChatPage(page, bot)
    yield chat
    assert not chat.errors, chat.errors
    requests.assert_only_allowed()


@pytest.fixture
def phone_context(browser):
    """A phone (375 x 667, touch), with the same no-requests-off-this-machine rule as `context`."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    context.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
    yield context
    context.close()


# ---- the tests ------------------------------------------------------------------------------------
def test_whole_conversation_by_clicking_and_typing_with_a_reload(chat):
    page = chat.open()
    log = page.get_by_role("log")
    # The privacy notice comes before the first question, and the bot asks consent first.
    assert page.locator(".ic-privacy").is_visible()
    assert page.locator(".ic-privacy").evaluate(
        "(notice) => notice.compareDocumentPosition(document.querySelector('.ic-msg')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert chat.asked() == "consent"
    chat.axe("at the start")

    hows = chat.answer_until(lambda field: field == "onset_speed")
    assert hows == ["clicked", "clicked", "clicked", "clicked", "typed"]
    assert chat.reply_button("Suddenly").is_visible()
    chat.axe("in the middle of the conversation")

    # Reload in the middle: same conversation, the history shown again, the open question's buttons too.
    sender = chat.sender
    shown = chat.texts(".ic-msg .ic-text")
    page.reload()
    log.get_by_text("How fast did it come on", exact=False).wait_for(timeout=WAIT)
    chat.idle()
    assert chat.sender == sender
    assert chat.texts(".ic-msg .ic-text") == shown
    assert chat.texts(".ic-msg--user .ic-text") == ["Yes, I agree", "No, none of these", "Left", "A little", "3 weeks ago"]
    assert chat.reply_button("Suddenly").is_visible()

    hows += chat.answer_until(lambda field: field is None)
    assert "clicked" in hows[5:] and "typed" in hows[5:]
    readback = log.get_by_text("Here is what I have", exact=False)
    assert readback.is_visible() and "Side: left" in readback.inner_text()
    ending = log.locator(".ic-msg--bot").last
    assert "Thank you, that's everything" in ending.inner_text()
    assert "What happens next" in ending.inner_text()
    assert page.locator(".ic-replies").count() == 0
    assert not page.locator(".ic-msg--pending").count()
    assert chat.bot.token not in page.content()        # Rasa's token stays on the server


def test_emergency_message_is_set_apart(chat):
    page = chat.open()
    chat.say("Yes, I agree")
    chat.say("my left arm has gone weak")
    alert = page.get_by_role("alert").filter(has_text="stroke")
    assert alert.count() == 1
    assert alert.get_by_role("heading", name="Emergency").is_visible()
    assert alert.locator("svg.ic-icon").count() == 1
    style = alert.evaluate("(a) => { const s = getComputedStyle(a); return [s.borderTopColor, s.borderLeftWidth, s.backgroundColor]; }")
    assert style[0] == "rgb(179, 38, 30)" and float(style[1].rstrip("px")) >= 10
    normal = page.locator(".ic-msg--bot:not(.ic-msg--emergency)").first.evaluate(
        "(m) => getComputedStyle(m).backgroundColor")
    assert style[2] != normal
    # It stays set apart after a reload.
    page.reload()
    page.get_by_role("alert").filter(has_text="stroke").wait_for(timeout=WAIT)
    chat.axe("with the emergency message")


def test_keyboard_only(chat):
    page = chat.open()
    for _ in range(15):                      # Tab to the message box
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('textarea')"):
            break
    else:
        pytest.fail("Tab never reached the message box")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert ring[0] != "none" and float(ring[1].rstrip("px")) >= 2
    before = chat.bot_count()
    page.keyboard.type("Yes I agree")
    page.keyboard.press("Shift+Enter")       # a new line, not sent
    assert chat.bot_count() == before and chat.box.input_value() == "Yes I agree\n"
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    chat.wait_reply(before)
    assert chat.asked() == "neuro_symptoms"
    for _ in range(10):                      # back to the bot's buttons
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.textContent") == "No, none of these":
            break
    else:
        pytest.fail("Shift+Tab never reached the answer buttons")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert ring[0] != "none" and float(ring[1].rstrip("px")) >= 2
    before = chat.bot_count()
    page.keyboard.press("Space")
    chat.wait_reply(before)
    assert chat.texts(".ic-msg--user .ic-text")[-1] == "No, none of these"
    assert page.evaluate("() => document.activeElement.matches('textarea')")    # back where the next answer goes
    assert chat.asked() == "affected_side"
    page.keyboard.type("Left")
    before = chat.bot_count()
    page.keyboard.press("Enter")
    chat.wait_reply(before)
    assert chat.asked() == "paralysis_extent"


def test_talk_to_a_person_and_free_typing_are_always_there(chat):
    page = chat.open()
    person = page.get_by_role("button", name="Talk to a person")
    assert person.is_visible()
    chat.say("Yes, I agree")
    assert chat.box.is_editable()
    before = chat.bot_count()
    person.click()
    chat.wait_reply(before)
    assert chat.texts(".ic-msg--user .ic-text")[-1] == "I'd like to talk to a person"
    assert "stopped the questions" in chat.texts(".ic-msg--bot .ic-text")[-1]
    assert chat.box.is_editable()


def test_clear_this_chat_from_this_device(chat):
    page = chat.open()
    chat.say("Yes, I agree")
    first = chat.sender
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear this chat from this device").click()
    page.wait_for_function("(old) => localStorage.getItem('intake-chat:sender') !== old", arg=first)
    page.get_by_role("log").get_by_text("Before we start", exact=False).wait_for(timeout=WAIT)
    chat.idle()
    assert chat.sender != first and chat.texts(".ic-msg--user .ic-text") == []
    page.reload()
    page.get_by_role("log").get_by_text("Before we start", exact=False).wait_for(timeout=WAIT)
    assert chat.texts(".ic-msg--user .ic-text") == [] and chat.asked() == "consent"


def test_typing_indicator_is_shown_and_announced_once(chat):
    page = chat.open()
    held = []
    page.route("**/chat/api/message", lambda route: held.append(route))
    chat.reply_button("Yes, I agree").click()
    page.wait_for_function("() => document.querySelector('.ic-typing--on')")
    status = page.locator(".ic-typing")
    assert status.get_attribute("role") == "status"
    assert status.inner_text().strip() == "The assistant is typing"
    assert page.get_by_role("log").get_attribute("aria-busy") == "true"
    assert chat.box.is_editable()                     # typing is possible while waiting
    page.wait_for_timeout(1500)
    assert status.inner_text().strip() == "The assistant is typing"    # not repeated or changed
    dots = page.locator(".ic-dots span").first
    assert dots.evaluate("(d) => getComputedStyle(d).animationName") == "ic-blink"
    page.emulate_media(reduced_motion="reduce")
    assert dots.evaluate("(d) => getComputedStyle(d).animationName") == "none"
    held[0].continue_()
    page.unroute("**/chat/api/message")
    page.wait_for_function("() => !document.querySelector('.ic-typing--on')", timeout=WAIT)
    assert status.inner_text().strip() == ""
    assert "safety check" in chat.texts(".ic-msg--bot .ic-text")[-1]


def test_dropped_connection_keeps_the_message_and_sends_it_later(chat):
    page = chat.open()
    chat.say("Yes, I agree")
    # The connection drops: the message stays on screen, marked, and a clear notice is shown.
    page.context.set_offline(True)
    chat.box.fill("No, none of these")
    chat.box.press("Enter")
    notice = page.locator(".ic-notice")
    notice.get_by_text("We can't reach the assistant right now", exact=False).wait_for(timeout=WAIT)
    assert "your message is kept" in notice.inner_text()
    assert page.locator(".ic-msg--pending").get_by_text("Not sent yet", exact=False).is_visible()
    assert chat.box.is_editable()
    page.context.set_offline(False)                   # back: sent without the patient doing anything
    page.get_by_role("log").get_by_text("Which side of the face", exact=False).wait_for(timeout=WAIT)
    assert not page.locator(".ic-msg--pending").count() and notice.inner_text().strip() == ""
    assert chat.asked() == "affected_side"

    # The server can't reach the bot (503) and the patient reloads: the message is kept and sent later.
    page.route("**/chat/api/**", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body=json.dumps({"error": "assistant_unavailable", "message": "down"})))
    chat.box.fill("Left")
    chat.box.press("Enter")
    page.locator(".ic-msg--pending").wait_for(timeout=WAIT)
    page.reload()
    page.locator(".ic-msg--pending").get_by_text("Left").wait_for(timeout=WAIT)
    assert "can't reach the assistant" in page.locator(".ic-notice").inner_text()
    page.unroute("**/chat/api/**")
    page.get_by_role("log").get_by_text("Can you move that side", exact=False).wait_for(timeout=WAIT)
    assert chat.texts(".ic-msg--user .ic-text") == ["Yes, I agree", "No, none of these", "Left"]
    assert chat.asked() == "paralysis_extent"


def test_phone_sized_screen(phone_context, bot):
    requests = Requests(phone_context, {origin(bot.web_url)})
    chat = ChatPage(phone_context.new_page(), bot)
    page = chat.open()
    chat.no_horizontal_scroll()
    assert chat.say("Yes, I agree", tap=True) == "clicked"
    assert chat.say("No, none of these", tap=True) == "clicked"
    chat.say("Left", tap=True)
    # A long word and a long message wrap instead of widening the page.
    chat.say("My-face-feels-heavy-and-tight-on-the-left-side-since-the-operation-" * 3 + " a little")
    chat.no_horizontal_scroll()
    for name in ("Send", "Talk to a person"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 44
    font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.ic-text')).fontSize)")
    assert font >= 18
    chat.axe("on a phone")
    assert not chat.errors
    requests.assert_only_allowed()


@pytest.mark.parametrize("width,zoom", [(640, 2), (1280, 2), (320, 1)])
def test_text_at_200_percent_and_narrow_screens(context, bot, width, zoom):
    """Text at 200% (the page's root font size doubled) and a 320 px wide window reflow without sideways scrolling."""
    requests = Requests(context, {origin(bot.web_url)})
    chat = ChatPage(context.new_page(), bot)
    chat.page.set_viewport_size({"width": width, "height": 800})
    page = chat.open()
    page.evaluate("(zoom) => { document.documentElement.style.fontSize = (100 * zoom) + '%'; }", zoom)
    chat.no_horizontal_scroll()
    chat.say("Yes, I agree")
    chat.say("No, none of these")
    chat.no_horizontal_scroll()
    sizes = page.evaluate("""() => [...document.querySelectorAll('.ic-text, .ic-button, .ic-input, .ic-privacy')]
                                   .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert min(sizes) >= 18 * zoom           # large text by default, and all of it grows
    # Nothing is cut off: every button is inside the window.
    for right in page.locator(".ic-button").evaluate_all("(bs) => bs.map(b => b.getBoundingClientRect().right)"):
        assert right <= width + 0.5
    assert not chat.errors
    requests.assert_only_allowed()


def test_widget_embedded_on_the_hospital_site(context, bot, hospital_site):
    """One script tag on another site: a launcher, a dialog, Escape closes it and gives focus back."""
    page = context.new_page()
    requests = Requests(context, {hospital_site, origin(bot.web_url)})
    chat = ChatPage(page, bot)
    page.goto(f"{hospital_site}/clinic.html")
    launcher = page.get_by_role("button", name="Chat with us")
    launcher.click()
    dialog = page.get_by_role("dialog", name="Chat with the intake assistant")
    assert dialog.is_visible()
    dialog.get_by_text("Before we start", exact=False).wait_for(timeout=WAIT)
    chat.idle()
    assert page.evaluate("() => document.activeElement.matches('.ic-dialog textarea')")
    chat.say("Yes, I agree")
    chat.axe("the dialog on another site")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Chat with us"
    launcher.click()                                   # the same conversation again
    assert "safety check" in chat.texts(".ic-msg--bot .ic-text")[-1]
    assert re.fullmatch(r"[0-9a-f-]{36}", chat.sender)
    page.get_by_role("button", name="Close").click()
    assert not dialog.is_visible()
    assert not chat.errors
    requests.assert_only_allowed()

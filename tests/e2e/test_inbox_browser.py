"""The sales desk in two headless Chromium windows against a running Parley (#20).

A visitor in the web chat widget asks for a person; the handoff appears in the
salesperson's open inbox without a reload; the salesperson claims it and replies; the
reply appears in the widget, with who joined, without a reload; the visitor answers and
it appears in the salesperson's conversation, not to the bot; the salesperson hands back
and the bot answers again. Screenshots of each step go to results/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest

from bot import passwords
from channels.webchat import SessionSigner
from tests.browser import chromium, require_chromium, screenshot
from tests.e2e.conftest import Stack, launch
from tests.studio.studio_server import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DANA = {"name": "Dana Reyes", "email": "dana@bigco-widgets.com", "phone": "skip",
        "company": "BigCo Widgets", "role": "VP of Marketing",
        "need": "we lose web leads because nobody follows up quickly"}  # fmt: skip


@pytest.fixture(scope="module")
def live(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("inbox-browser"), trained_model)
    running.store.studio.create_user(
        "sam@example.com", "Sam", "sales", passwords.hash_password(PASSWORD)
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture
def visitor() -> Iterator[Any]:
    with chromium(900, 900) as driver:
        yield cast(Any, driver)


@pytest.fixture
def salesperson() -> Iterator[Any]:
    with chromium() as driver:
        yield cast(Any, driver)


def texts(driver: Any, selector: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def idle(driver: Any) -> bool:
    return not driver.find_element(By.CSS_SELECTOR, ".parley-chat__send").get_attribute("disabled")


def say(driver: Any, text: str, *, answered: bool = True) -> str:
    """Type into the widget; the bot's answer (its new bubbles), when one is expected."""
    before = len(texts(driver, ".parley-chat__msg--bot"))
    driver.find_element(By.CSS_SELECTOR, ".parley-chat__input").send_keys(text)
    driver.find_element(By.CSS_SELECTOR, ".parley-chat__send").click()
    if not answered:
        WebDriverWait(driver, 60).until(idle)
        return ""
    WebDriverWait(driver, 90).until(
        lambda d: idle(d) and len(texts(d, ".parley-chat__msg--bot")) > before,
        message=f"the bot did not answer {text!r}",
    )
    return " | ".join(texts(driver, ".parley-chat__msg--bot")[before:]).lower()


def visitor_sender(driver: Any, stack: Stack) -> str:
    session = driver.execute_script(
        "return Object.keys(localStorage).filter(k => k.startsWith('parley-chat:')"
        " && !k.endsWith(':updated') && !k.endsWith(':who')).map(k => localStorage[k])[0];"
    )
    return SessionSigner(stack.settings.webchat_secret.value).sender_of(session)


def ask_for_a_person(driver: Any, stack: Stack) -> None:
    """The whole way, as a visitor types it: ask, give the details the form asks for,
    confirm them, say yes to being written to, skip the qualifying questions."""
    reply = say(driver, "can I talk to a real person please")
    sender = visitor_sender(driver, stack)
    for _ in range(16):
        if "passed our conversation" in reply:
            return
        requested = str(stack.tracker_slots(sender).get("requested_slot") or "")
        if requested.startswith("lead_"):
            reply = say(driver, DANA[requested.removeprefix("lead_")])
        elif requested.startswith("qual_"):
            reply = say(driver, "skip")
        elif "here's what i have" in reply:
            reply = say(driver, "yes that's right")
        else:
            reply = say(driver, "yes")
    raise AssertionError(f"no handoff; the bot last said {reply!r}")


def sign_in(driver: Any, stack: Stack) -> str:
    studio = f"http://127.0.0.1:{stack.settings.studio.port}"
    driver.get(f"{studio}/login?next=/inbox")
    driver.find_element(By.NAME, "email").send_keys("sam@example.com")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # "/login?next=/inbox" ends with "/inbox" too: wait for the inbox's own path.
    WebDriverWait(driver, 30).until(lambda d: urlsplit(d.current_url).path == "/inbox")
    return studio


def test_a_salesperson_takes_over_a_web_chat_live(
    live: Stack, visitor: Any, salesperson: Any
) -> None:
    sign_in(salesperson, live)
    assert "Nobody is waiting" in salesperson.page_source
    visitor.get(f"{live.settings.rasa_url}/webhooks/webchat/")
    WebDriverWait(visitor, 60).until(lambda d: texts(d, ".parley-chat__msg--bot"))

    ask_for_a_person(visitor, live)
    # The inbox, open all along, shows the handoff without a reload.
    WebDriverWait(salesperson, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#inbox-queue a")
    )
    assert "Dana Reyes" in salesperson.find_element(By.ID, "inbox-queue").text
    screenshot(salesperson, "inbox-01-handoff-arrived")

    salesperson.find_element(By.CSS_SELECTOR, "#inbox-queue a").click()
    assert "can I talk to a real person please" in salesperson.page_source
    salesperson.find_element(By.XPATH, "//button[text()='Claim']").click()
    WebDriverWait(salesperson, 30).until(lambda d: "You hold this conversation" in d.page_source)
    salesperson.find_element(By.ID, "reply-body").send_keys("Hi Dana, Sam from sales here.")
    salesperson.find_element(By.XPATH, "//button[text()='Send reply']").click()
    WebDriverWait(salesperson, 30).until(lambda d: "Hi Dana, Sam from sales here." in d.page_source)

    # The widget shows who joined and the reply, under Sam's name, without a reload.
    WebDriverWait(visitor, 30).until(lambda d: texts(d, ".parley-chat__msg--agent"))
    assert "Sam joined the conversation" in texts(visitor, ".parley-chat__event")
    [reply] = texts(visitor, ".parley-chat__msg--agent")
    assert reply.startswith("Sam") and "Hi Dana, Sam from sales here." in reply
    screenshot(visitor, "inbox-02-reply-in-the-widget")

    # The visitor's answer goes to the salesperson, live, and not to the bot.
    bot_before = texts(visitor, ".parley-chat__msg--bot")
    say(visitor, "great, can we talk pricing for 40 seats?", answered=False)
    WebDriverWait(salesperson, 30).until(
        lambda d: "great, can we talk pricing for 40 seats?" in texts(d, "#lines .line-person")[-1]
    )
    assert texts(visitor, ".parley-chat__msg--bot") == bot_before
    screenshot(salesperson, "inbox-03-answer-in-the-inbox")

    # Handed back: the widget says Sam left, and the bot answers again.
    salesperson.find_element(By.XPATH, "//button[text()='Hand back to the bot']").click()
    WebDriverWait(visitor, 30).until(
        lambda d: "Sam left the conversation" in texts(d, ".parley-chat__event")
    )
    assert say(visitor, "thanks, what else can you do?")
    screenshot(visitor, "inbox-04-bot-again")

    visitor.refresh()  # and on reload, the whole conversation as it happened
    WebDriverWait(visitor, 30).until(lambda d: texts(d, ".parley-chat__msg--agent"))
    assert "Sam joined the conversation" in texts(visitor, ".parley-chat__event")

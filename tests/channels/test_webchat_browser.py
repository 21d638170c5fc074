"""The web chat widget in Debian's headless Chromium against a real stack.

Open the demo page, hold a lead-capture conversation by typing and clicking buttons,
reload, see the history, and find the lead in the profile store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from bot.store import Contact
from channels.webchat import SessionSigner
from tests.browser import chromium, require_chromium
from tests.e2e.conftest import Stack, launch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def browser_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("browser"), trained_model)
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    with chromium() as driver:
        yield cast(WebDriver, driver)


def bot_lines(driver: WebDriver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".parley-chat__msg--bot")]


def wait_for_bot(driver: WebDriver, words: str, timeout: float = 60) -> None:
    WebDriverWait(driver, timeout).until(
        lambda d: (
            any(words in line.lower() for line in bot_lines(d)[-3:])
            and not d.find_element(By.CSS_SELECTOR, ".parley-chat__send").get_attribute("disabled")
        ),
        message=f"bot never said {words!r}",
    )


def type_message(driver: WebDriver, text: str, expect: str) -> None:
    box = driver.find_element(By.CSS_SELECTOR, ".parley-chat__input")
    box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, ".parley-chat__send").click()
    wait_for_bot(driver, expect)


def click_button(driver: WebDriver, title: str, expect: str) -> None:
    buttons = driver.find_elements(By.CSS_SELECTOR, ".parley-chat__button")
    (button,) = [b for b in buttons if b.text == title]
    button.click()
    wait_for_bot(driver, expect)


def test_lead_capture_in_the_browser_survives_a_reload(
    browser_stack: Stack, browser: WebDriver
) -> None:
    page = f"{browser_stack.settings.rasa_url}/webhooks/webchat/"
    browser.get(page)
    wait_for_bot(browser, "what can i do for you")
    log = browser.find_element(By.CSS_SELECTOR, "[role=log]")
    assert log.get_attribute("aria-live") == "polite"
    assert (
        browser.find_element(By.CSS_SELECTOR, "label[for]").get_attribute("textContent")
        == "Your message"
    )

    click_button(browser, "Book a demo", "what's your name")
    type_message(browser, "Dana Reyes", "email")
    type_message(browser, "dana@webchat-test.io", "phone")
    click_button(browser, "Skip", "which company")
    type_message(browser, "Acme Widgets", "role")
    type_message(browser, "Head of Growth", "solve")
    type_message(browser, "follow up faster with web leads", "is that right")
    click_button(browser, "Yes, that's right", "email you")
    click_button(browser, "Yes, that's fine", "how many people")

    browser.refresh()
    wait_for_bot(browser, "how many people")
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".parley-chat__msg--person")]
    assert "Book a demo" in shown and "dana@webchat-test.io" in shown
    assert browser.find_elements(
        By.CSS_SELECTOR, ".parley-chat__button"
    )  # the open question's buttons

    session = browser.execute_script(
        "return Object.keys(localStorage).filter(k => !k.endsWith(':updated')).map(k => localStorage[k])[0]"
    )
    sender = SessionSigner(browser_stack.settings.webchat_secret.value).sender_of(session)
    contact: Contact | None = browser_stack.store.contacts.for_identity("web", sender)
    assert contact is not None
    assert (contact.name, contact.email, contact.company) == (
        "Dana Reyes",
        "dana@webchat-test.io",
        "Acme Widgets",
    )
    assert contact.lead_status == "confirmed"
    assert browser_stack.store.consent.state(contact.id)["email"].granted

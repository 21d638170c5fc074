"""An admin takes over a conversation a salesperson holds, in two headless Chromium
windows against a real studio (#20): the salesperson's open conversation says so without
a reload, and a reply from them is then refused. No Rasa model is needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from tests.browser import chromium, require_chromium, screenshot
from tests.studio.studio_server import PASSWORD, StudioServer, start_studio
from tests.studio.test_inbox import handed_off, page

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[StudioServer]:
    server = start_studio(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def ben() -> Iterator[Any]:
    with chromium() as driver:
        yield cast(Any, driver)


@pytest.fixture
def ann() -> Iterator[Any]:
    with chromium() as driver:
        yield cast(Any, driver)


def open_as(driver: Any, studio: StudioServer, email: str, path: str) -> None:
    driver.get(f"{studio.url}/login?next={path}")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # The address changes as the redirect starts, before the conversation's page is in:
    # wait for the page itself, not only its address.
    WebDriverWait(driver, 30).until(
        lambda d: (
            "/inbox/c/" in d.current_url
            and d.execute_script("return document.readyState") == "complete"
            and bool(d.find_elements(By.ID, "inbox-live"))
        )
    )


def test_the_holder_sees_an_admin_take_over_live(studio: StudioServer, ben: Any, ann: Any) -> None:
    handed_off(studio)
    studio.add_user("ben@example.com", "sales", "Ben")
    studio.add_user("ann@example.com", "admin", "Ann")
    open_as(ben, studio, "ben@example.com", page())
    ben.find_element(By.XPATH, "//button[text()='Claim']").click()
    WebDriverWait(ben, 30).until(lambda d: "You hold this conversation" in d.page_source)

    open_as(ann, studio, "ann@example.com", page())
    ann.find_element(By.XPATH, "//button[text()='Take over from Ben']").click()
    WebDriverWait(ann, 30).until(lambda d: "You hold this conversation" in d.page_source)

    # Ben's page, open all along, tells him without a reload.
    WebDriverWait(ben, 30).until(
        lambda d: (
            "Ann took over this conversation from Ben." in d.find_element(By.ID, "inbox-live").text
        )
    )
    assert "Ann took over this conversation from Ben." in ben.find_element(By.ID, "lines").text
    screenshot(ben, "inbox-take-over-seen-by-the-holder")
    ben.find_element(By.ID, "reply-body").send_keys("Ben here again")
    ben.find_element(By.XPATH, "//button[text()='Send reply']").click()
    WebDriverWait(ben, 30).until(lambda d: "Ann holds this conversation" in d.page_source)
    assert all(m.body != "Ben here again" for m in studio.store.inbox.messages("web-ada"))

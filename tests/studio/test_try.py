"""The Try page against a real draft bot: the studio starts Rasa and an action server for
its draft, chats and calls go to them, and nothing reaches the real profile store.

One studio (and one draft bot) serves the whole module; the last test stops the studio
and checks that the draft bot's processes went with it. The draft is an unchanged copy of
the project's content, so its model is the one `trained_model` made: nothing trains here.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest

from bot import conversation_tests, rasa_model
from bot.store import ProfileStore
from studio.sandbox import CHANGED, Sandbox
from studio.try_panel import SANDBOX
from studio.workspace import Workspace
from tests.browser import chromium, has_chromium, screenshot
from tests.e2e.conftest import rest_id
from tests.studio.studio_server import PASSWORD, StudioClient, StudioServer, start_studio

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
READY_SECONDS = 180


@dataclass
class TryStudio:
    server: StudioServer
    stopped: bool = False

    @property
    def sandbox(self) -> Sandbox:
        runner = self.server._runner
        assert runner is not None
        return runner.app[SANDBOX]

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.stop()


@pytest.fixture(scope="module")
def try_studio(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TryStudio]:
    running = TryStudio(start_studio(tmp_path_factory.mktemp("try")))
    draft = Workspace.for_settings(running.server.settings).ensure().root
    # The draft's model is the project's: the unchanged draft needs no training.
    assert rasa_model.model_path(draft, running.server.settings.models_dir) == trained_model
    yield running
    running.stop()


@pytest.fixture(scope="module")
def marketer(try_studio: TryStudio) -> StudioClient:
    return try_studio.server.signed_in("marketer")


def conversation_of(page: str) -> str:
    found = re.search(r'data-conversation="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def wait_until_ready(client: StudioClient) -> dict[str, Any]:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.http.get("/api/try/status").json()
        assert status["state"] != "failed", status
        if status["state"] == "ready":
            return status
        time.sleep(1)
    raise AssertionError(f"the draft bot was not ready within {READY_SECONDS} s")


def chat(client: StudioClient, conversation: str, text: str) -> list[dict[str, Any]]:
    reply = client.post_json("/api/try/message", {"conversation": conversation, "text": text})
    assert reply.status_code == 200, reply.text
    messages: list[dict[str, Any]] = reply.json()["messages"]
    return messages


def said(messages: list[dict[str, Any]]) -> str:
    return " | ".join(m["text"] for m in messages).lower()


def step(client: StudioClient, path: str, body: dict[str, str]) -> dict[str, Any]:
    reply = client.post_json(path, body)
    assert reply.status_code == 200, reply.text
    answer: dict[str, Any] = reply.json()
    return answer


def heard(answer: dict[str, Any]) -> str:
    return " | ".join(line["text"] for line in answer["heard"]).lower()


def test_the_page_and_who_may_use_it(try_studio: TryStudio, marketer: StudioClient) -> None:
    page = marketer.get("/try")
    assert page.status_code == 200
    assert "Start the draft bot" in page.text and "<script>" not in page.text
    conversation = conversation_of(page.text)
    refused = marketer.post_json("/api/try/message", {"conversation": conversation, "text": "hi"})
    assert refused.status_code == 409 and "not running" in refused.json()["error"]
    malformed = marketer.post_json("/api/try/message", {"conversation": "../x", "text": "hi"})
    assert malformed.status_code == 400

    analyst = try_studio.server.signed_in("analyst")
    assert analyst.get("/try").status_code == 403
    assert (
        analyst.post_json(
            "/api/try/message", {"conversation": conversation, "text": "hi"}
        ).status_code
        == 403
    )
    assert analyst.post_json("/api/try/start", {}).status_code == 403
    stranger = try_studio.server.client()
    anonymous = stranger.post_json("/api/try/message", {"text": "hi"})
    assert anonymous.status_code == 401 and anonymous.json()["error"]
    assert stranger.http.get("/api/try/status").status_code == 401


def test_starting_the_draft_bot_and_chatting_with_it(
    try_studio: TryStudio, marketer: StudioClient
) -> None:
    started = marketer.post_json("/api/try/start", {})
    assert started.status_code == 200, started.text
    assert started.json()["state"] in ("starting", "ready")
    assert "studio.try_started" in [
        e.action for e in try_studio.server.store.privacy.audit_entries()
    ]
    wait_until_ready(marketer)
    conversation = conversation_of(marketer.get("/try").text)

    greeting = chat(marketer, conversation, "hi")
    assert "automated assistant" in said(greeting)
    buttons = [b for m in greeting for b in m["buttons"]]
    assert buttons and all(b["title"] and b["payload"] for b in buttons)
    assert "what's your name" in said(chat(marketer, conversation, "I'd like to see a demo"))
    assert "email" in said(chat(marketer, conversation, "Dana Reyes"))

    # The try-out went to the draft bot's own store, never to the real one.
    assert try_studio.server.store.contacts.count() == 0
    user = try_studio.server.store.studio.user_with_hash("marketer@example.com")
    assert user is not None
    bot = try_studio.sandbox.bot_settings
    assert bot is not None and bot.database_url != try_studio.server.settings.database_url
    sandbox_store = ProfileStore.from_url(bot.database_url)
    try:
        sender = f"studio-{user[0].id}-{conversation}"
        contact = sandbox_store.contacts.for_identity("rest", rest_id(sender))
        assert contact is not None and contact.name == "Dana Reyes"
    finally:
        sandbox_store.dispose()


def test_a_new_conversation_starts_over(try_studio: TryStudio, marketer: StudioClient) -> None:
    wait_until_ready(marketer)
    first = conversation_of(marketer.get("/try").text)
    chat(marketer, first, "I'd like to see a demo")
    second = step(marketer, "/api/try/reset", {"conversation": first})["conversation"]
    assert second != first
    assert "automated assistant" in said(chat(marketer, second, "hello"))


def test_a_phone_call_to_the_draft_bot(try_studio: TryStudio, marketer: StudioClient) -> None:
    wait_until_ready(marketer)
    conversation = {"conversation": conversation_of(marketer.get("/try").text)}
    greeting = step(marketer, "/api/try/call/start", conversation)
    assert "automated assistant" in heard(greeting) and "press 1" in heard(greeting)
    assert not greeting["ended"] and greeting["single_key"]
    assert "name" in heard(step(marketer, "/api/try/call/press", {**conversation, "digits": "1"}))
    answer = step(marketer, "/api/try/call/say", {**conversation, "speech": "Dana Reyes"})
    assert "email" in heard(answer) and not answer["ended"]
    bad_keys = marketer.post_json("/api/try/call/press", {**conversation, "digits": "12a"})
    assert bad_keys.status_code == 400
    hung_up = step(marketer, "/api/try/call/hangup", conversation)
    assert hung_up["ended"] and "you hung up" in heard(hung_up)
    after = marketer.post_json("/api/try/call/say", {**conversation, "speech": "hello?"})
    assert after.status_code == 409
    assert try_studio.server.store.contacts.count() == 0


def test_running_the_conversation_tests_against_the_draft_bot(
    try_studio: TryStudio, marketer: StudioClient
) -> None:
    workspace = Workspace.for_settings(try_studio.server.settings)
    failing = (
        '  - name: "The bot is expected to ask for a fax"\n'
        "    steps:\n"
        '      - person: "I\'d like a demo"\n'
        '      - bot_says: "fax"\n'
    )
    workspace.write(conversation_tests.FILE, workspace.read(conversation_tests.FILE) + failing)
    shipped = len(conversation_tests.load(workspace.root / conversation_tests.FILE)) - 1
    page = marketer.get("/content/tests")
    assert marketer.post("/content/tests/run", {}).status_code == 303
    assert try_studio.sandbox.status().running  # a run starts the draft bot when need be
    busy = marketer.post("/content/tests/run", {})
    assert busy.status_code in (303, 409)  # 303 only when the run was already over
    deadline = time.monotonic() + READY_SECONDS
    while (run := marketer.http.get("/api/content/tests/run").json())["state"] in (
        "starting",
        "running",
    ):
        assert time.monotonic() < deadline, run
        time.sleep(1)
    assert run["state"] == "done", run
    assert (run["passed"], run["failed"], run["total"]) == (shipped, 1, shipped + 1)
    failed = run["results"][-1]
    assert (failed["passed"], failed["step"], failed["expected"]) == (
        False,
        2,
        "the bot says 'fax'",
    )
    assert "your name" in failed["actual"].lower()
    page = marketer.get("/content/tests")
    assert "failed at step 2" in page.text and page.text.count(">passed<") == shipped
    assert "studio.conversation_tests_run" in [
        e.action for e in try_studio.server.store.privacy.audit_entries()
    ]
    # The tests are not something the bot reads: editing them needs no restart.
    assert not marketer.http.get("/api/try/status").json()["changed"]
    workspace.reset()


def test_a_changed_draft_asks_for_a_restart(try_studio: TryStudio, marketer: StudioClient) -> None:
    wait_until_ready(marketer)
    workspace = Workspace.for_settings(try_studio.server.settings)
    # Scoring is read by the action server, not trained: a restart needs no training.
    workspace.write("scoring.yml", workspace.read("scoring.yml") + "\n# tried in the studio\n")
    status = marketer.http.get("/api/try/status").json()
    assert status["changed"] and status["message"] == CHANGED
    old_pids = try_studio.sandbox.pids()
    restarted = marketer.post_json("/api/try/start", {})
    assert restarted.status_code == 200 and restarted.json()["state"] in ("starting", "ready")
    assert not wait_until_ready(marketer)["changed"]
    assert not set(old_pids) & set(try_studio.sandbox.pids())
    assert all(not alive(pid) for pid in old_pids)


@pytest.mark.skipif(
    not has_chromium() and not os.environ.get("CI"),
    reason="Debian's chromium/chromium-driver are not installed",
)
def test_the_page_in_a_browser(try_studio: TryStudio) -> None:
    """The page's script runs under the strict CSP: start, chat, press a bot button, call."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium(console=True) as opened:
        driver = cast(Any, opened)
        wait = WebDriverWait(driver, 120)
        try_studio.server.signed_in("marketer")  # the user exists
        driver.get(f"{try_studio.server.url}/login?next=/try")
        driver.find_element(By.NAME, "email").send_keys("marketer@example.com")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD + "\n")
        wait.until(lambda d: d.find_element(By.ID, "try-state").text == "ready")
        assert "Restart" in driver.find_element(By.ID, "try-start").text

        driver.find_element(By.ID, "chat-text").send_keys("hello\n")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-log .try-buttons button"))
        assert "automated assistant" in driver.find_element(By.ID, "chat-log").text
        before = len(driver.find_elements(By.CSS_SELECTOR, "#chat-log .try-bot"))
        driver.find_elements(By.CSS_SELECTOR, "#chat-log .try-buttons button")[0].click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#chat-log .try-bot")) > before)

        driver.find_element(By.ID, "call-start").click()
        wait.until(lambda d: "press 1" in d.find_element(By.ID, "call-log").text.lower())
        driver.find_element(By.CSS_SELECTOR, '#keypad button[data-key="1"]').click()
        wait.until(lambda d: "name" in d.find_element(By.ID, "call-log").text.lower())
        driver.find_element(By.ID, "call-hangup").click()
        wait.until(lambda d: "call ended" in d.find_element(By.ID, "call-log").text)
        assert driver.find_element(By.ID, "try-error").get_attribute("hidden") is not None
        problems = [
            e["message"]
            for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
        ]
        assert not problems, problems
        screenshot(driver, "studio-try")


def test_a_crashed_draft_bot_says_so_and_starts_again(
    try_studio: TryStudio, marketer: StudioClient
) -> None:
    wait_until_ready(marketer)
    actions, rasa = try_studio.sandbox.pids()
    os.killpg(rasa, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while (status := marketer.http.get("/api/try/status").json())["state"] != "failed":
        assert time.monotonic() < deadline, status
        time.sleep(0.5)
    assert "rasa server stopped unexpectedly" in status["message"]
    assert not alive(actions) and try_studio.sandbox.pids() == []
    conversation = conversation_of(marketer.get("/try").text)
    refused = marketer.post_json("/api/try/message", {"conversation": conversation, "text": "hi"})
    assert refused.status_code == 409
    assert marketer.post_json("/api/try/start", {}).status_code == 200
    wait_until_ready(marketer)


def test_stopping_the_studio_stops_the_draft_bot(
    try_studio: TryStudio, marketer: StudioClient
) -> None:
    wait_until_ready(marketer)
    pids = try_studio.sandbox.pids()
    assert len(pids) == 2 and all(alive(pid) for pid in pids)
    try_studio.stop()
    assert not any(alive(pid) for pid in pids)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True

"""Conversation tests in the studio (conversation_tests.yml): the list, one test at a
time in a line format, and running them against the draft bot.

Saving follows the other content editors: the whole new file is built, read back by
the bot's own loader (`bot.conversation_tests`), checked with the draft's validation on
a temporary copy and written only when nothing is wrong; otherwise the form comes back
with each problem next to its field (a step's problem by its line) and the draft is
untouched. Forms carry the fingerprint of the file they were made from.

A run starts the draft bot when it is not running the current draft (studio.sandbox),
then plays every test against it in a thread of its own: starting the bot can take
minutes (training), and the studio's event loop must not wait for it. The page polls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from aiohttp import web

from bot import conversation_tests as ct
from bot.conversation_runs import TestResult, run_tests
from bot.errors import ParleyError
from bot.settings import Settings
from bot.store import ProfileStore
from studio.content import SAVED, FormError, clean_text, errors_by_field, read_or_empty, save
from studio.policy_editors import BASE, STALE, Stale, check_base, fingerprint, workspace
from studio.sandbox import Sandbox
from studio.try_panel import SANDBOX
from studio.validation import Problem
from studio.web import audit, form, in_thread, redirect, render, requires, user_of
from studio.workspace import Workspace

routes = web.RouteTableDef()
HOME = "/content/tests"
FILE = ct.FILE
# Starting the draft bot may train a model first: a few minutes, on a busy machine more.
READY_SECONDS = 1800.0
POLL_SECONDS = 0.5
RunState = Literal["starting", "running", "done", "failed"]


# ------------------------------------------------------------------ reading the draft


def current_text(ws: Workspace) -> str:
    return read_or_empty(ws, FILE)


def tests_of(text: str) -> list[ct.ConversationTest]:
    """The draft's tests; a file broken by hand raises ConversationTestsError."""
    return ct.parse(text)


def broken_message(error: ct.ConversationTestsError) -> str:
    return f"{FILE} in the draft cannot be read ({error}). Fix it by hand."


# ------------------------------------------------------------------ one test


@dataclass
class TestForm:
    """What the test form shows: `number` is the test's place (1-based), 0 when new."""

    __test__ = False  # not a pytest test class, whatever its name

    number: int
    name: str = ""
    lines: str = ""

    @classmethod
    def of(cls, number: int, test: ct.ConversationTest) -> TestForm:
        return cls(number, test.name, ct.lines_of(test.steps))

    @classmethod
    def posted(cls, number: int, values: Mapping[str, str]) -> TestForm:
        return cls(
            number, " ".join(values.get("name", "").split()), clean_text(values.get("lines"))
        )


def save_test(ws: Workspace, posted: TestForm, values: Mapping[str, str]) -> list[Problem]:
    """Add (`number` 0) or replace a test; the problems, none when it was written."""

    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        tests = tests_or_form_error(text)
        if posted.number > len(tests):
            raise refused("", "This test was removed from the draft.")
        mine = posted.number - 1 if posted.number else len(tests)
        try:
            steps, starts = ct.steps_from_lines(posted.lines)
        except ct.ConversationTestsError as error:
            raise FormError([on_field("lines", [str(p) for p in error.problems])]) from error
        data = [{"name": t.name, "steps": [s.to_data() for s in t.steps]} for t in tests]
        data[mine : mine + 1] = [{"name": posted.name, "steps": steps}]
        return {FILE: ct.dump(checked(data, mine, starts))}

    return save(ws, build)


def delete_test(ws: Workspace, number: int, values: Mapping[str, str]) -> list[Problem]:
    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        tests = tests_or_form_error(text)
        if not 1 <= number <= len(tests):
            raise refused("", "This test was removed from the draft.")
        return {FILE: ct.dump(t for i, t in enumerate(tests, 1) if i != number)}

    return save(ws, build)


def checked(
    data: list[dict[str, Any]], mine: int, starts: Sequence[int]
) -> list[ct.ConversationTest]:
    """The tests as the bot reads them. Problems of test `mine` go to its name or its
    lines (a step's by the line it starts on); others' to the top of the page."""
    try:
        return ct.tests_from_data({"tests": data})
    except ct.ConversationTestsError as error:
        names = [p.message for p in error.problems if p.test == mine and p.about_name]
        lines = [
            _with_line(p, starts) for p in error.problems if p.test == mine and not p.about_name
        ]
        others = [Problem(FILE, "", str(p)) for p in error.problems if p.test != mine]
        found = [on_field("name", names)] if names else []
        found += [on_field("lines", lines)] if lines else []
        raise FormError(found + others) from error


def _with_line(problem: ct.Problem, starts: Sequence[int]) -> str:
    if problem.step is not None and problem.step < len(starts):
        return f"line {starts[problem.step]}: {problem.message}"
    return problem.message


def on_field(name: str, messages: Sequence[str]) -> Problem:
    """Every problem of a field in one message: the page shows one per field."""
    return Problem(FILE, name, "; ".join(messages))


def tests_or_form_error(text: str) -> list[ct.ConversationTest]:
    try:
        return tests_of(text)
    except ct.ConversationTestsError as error:
        raise refused("", broken_message(error)) from error


def refused(field: str, message: str) -> FormError:
    return FormError([Problem(FILE, field, message)])


# ------------------------------------------------------------------ running against the draft


class RunBusy(ParleyError):
    def __str__(self) -> str:
        return "the tests are already running: wait for them to finish"


@dataclass
class TestRun:
    __test__ = False  # not a pytest test class, whatever its name

    number: int
    author: str
    names: list[str]
    started_at: datetime
    state: RunState = "starting"
    message: str = "Getting the draft bot ready…"
    results: list[TestResult] = field(default_factory=list)
    finished_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.state in ("starting", "running")

    def as_json(self) -> dict[str, Any]:
        return {
            "run": self.number, "state": self.state, "message": self.message,
            "author": self.author, "total": len(self.names),
            "passed": sum(r.passed for r in self.results),
            "failed": sum(not r.passed for r in self.results),
            "results": [r.as_json() for r in self.results],
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }  # fmt: skip


class TestRunner:
    """One run at a time for the studio; the run happens in a thread, the page polls."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.current: TestRun | None = None
        self._lock = threading.Lock()
        self._runs = 0

    def start(self, tests: list[ct.ConversationTest], author: str) -> TestRun:
        with self._lock:
            if self.current is not None and self.current.running:
                raise RunBusy()
            self._runs += 1
            run = TestRun(self._runs, author, [t.name for t in tests], datetime.now(timezone.utc))
            self.current = run
        threading.Thread(
            target=self._run,
            args=(run, tests),
            daemon=True,
            name=f"conversation-tests-{run.number}",
        ).start()
        return run

    def _run(self, run: TestRun, tests: list[ct.ConversationTest]) -> None:
        try:
            bot = self._ready_bot(run)
            run.state, run.message = "running", f"Running {len(tests)} tests against the draft bot…"
            store = ProfileStore.from_url(bot.database_url)
            try:
                run_tests(tests, bot, store, on_result=run.results.append)
            finally:
                store.dispose()
            failed = sum(not r.passed for r in run.results)
            run.state = "done"
            run.message = f"{len(tests) - failed} passed, {failed} failed."
        except Exception as error:  # the page shows every failure; nothing escapes a thread
            run.state, run.message = "failed", f"The tests could not run: {error}"
        finally:
            run.finished_at = datetime.now(timezone.utc)

    def _ready_bot(self, run: TestRun) -> Settings:
        """The draft bot, started (or restarted, when the draft changed) if need be."""
        status = self.sandbox.status()
        if status.state != "ready" or status.changed:
            self.sandbox.start()
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            status = self.sandbox.status()
            bot = self.sandbox.bot_settings
            if bot is not None and not status.changed:
                return bot
            if not status.running:
                raise RuntimeError(f"{status.message} {status.progress}".strip())
            run.message = f"{status.message} {status.progress}".strip()
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"the draft bot was not ready within {READY_SECONDS:.0f} s")


RUNNER = web.AppKey("conversation_tests_runner", TestRunner)


def setup(app: web.Application) -> None:
    # The Try page's draft bot: one per studio, shared by trying and testing.
    app[RUNNER] = TestRunner(app[SANDBOX])


# ------------------------------------------------------------------ pages


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    steps: int
    result: TestResult | None


def rows_of(tests: Sequence[ct.ConversationTest], run: TestRun | None) -> list[Row]:
    by_name = {r.name: r for r in run.results} if run else {}
    return [Row(i, t.name, len(t.steps), by_name.get(t.name)) for i, t in enumerate(tests, 1)]


def list_page(
    request: web.Request,
    text: str,
    problems: Sequence[Problem] = (),
    *,
    notice: str = "",
    status: int = 200,
) -> web.Response:
    try:
        tests, broken = tests_of(text), ""
    except ct.ConversationTestsError as error:
        tests, broken = [], broken_message(error)
    _, general = errors_by_field(list(problems), set())
    run = request.app[RUNNER].current
    saved = SAVED if request.query.get("saved") == "1" else ""
    return render(
        request, "content/tests.html", status=status, rows=rows_of(tests, run), broken=broken,
        run=run, general=general, notice=notice or saved, base=fingerprint(text),
        most=ct.MAX_TESTS,
    )  # fmt: skip


def test_page(
    request: web.Request,
    shown: TestForm,
    base: str,
    problems: Sequence[Problem] = (),
    *,
    status: int = 200,
) -> web.Response:
    errors, general = errors_by_field(list(problems), {"name", "lines"})
    saved = request.query.get("saved") == "1"
    return render(
        request, "content/test.html", status=status, test=shown, errors=errors,
        general=general, base=base, notice=SAVED if saved else "", fields=ct.STORED_FIELDS,
    )  # fmt: skip


def number_of(request: web.Request) -> int:
    number = int(request.match_info["number"])
    if not 1 <= number <= ct.MAX_TESTS:
        raise web.HTTPNotFound()
    return number


def broken_page(request: web.Request, error: ct.ConversationTestsError) -> web.Response:
    return render(request, "error.html", status=409, message=broken_message(error))


@routes.get(HOME)
@requires("content.edit")
async def tests_list(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    return list_page(request, text)


@routes.get(f"{HOME}/new")
@requires("content.edit")
async def new_page(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    return test_page(request, TestForm(0), fingerprint(text))


@routes.post(f"{HOME}/new")
@requires("content.edit")
async def new_save(request: web.Request) -> web.Response:
    return await _save(request, 0)


@routes.get(HOME + "/{number:\\d+}")
@requires("content.edit")
async def edit_page(request: web.Request) -> web.Response:
    number = number_of(request)
    text = await in_thread(current_text, workspace(request))
    try:
        tests = tests_of(text)
    except ct.ConversationTestsError as error:
        return broken_page(request, error)
    if number > len(tests):
        raise web.HTTPNotFound()
    return test_page(request, TestForm.of(number, tests[number - 1]), fingerprint(text))


@routes.post(HOME + "/{number:\\d+}")
@requires("content.edit")
async def edit_save(request: web.Request) -> web.Response:
    return await _save(request, number_of(request))


async def _save(request: web.Request, number: int) -> web.Response:
    values = dict(await form(request))
    posted = TestForm.posted(number, values)
    ws = workspace(request)
    try:
        problems = await in_thread(save_test, ws, posted, values)
    except Stale:
        text = await in_thread(current_text, ws)
        return list_page(request, text, [Problem(FILE, "", STALE)], status=409)
    if problems:
        base = values.get(BASE) or fingerprint(await in_thread(current_text, ws))
        return test_page(request, posted, base, problems, status=400)
    await audit(request, "studio.content_saved", posted.name, file=FILE, created=not number)
    saved = number or len(tests_of(await in_thread(current_text, ws)))
    return redirect(f"{HOME}/{saved}?saved=1")


@routes.post(HOME + "/{number:\\d+}/delete")
@requires("content.edit")
async def delete(request: web.Request) -> web.Response:
    number = number_of(request)
    values = dict(await form(request))
    ws = workspace(request)
    try:
        problems, status = await in_thread(delete_test, ws, number, values), 400
    except Stale:
        problems, status = [Problem(FILE, "", STALE)], 409
    if problems:
        text = await in_thread(current_text, ws)
        return list_page(request, text, problems, status=status)
    await audit(request, "studio.content_saved", str(number), file=FILE, deleted=True)
    return redirect(f"{HOME}?saved=1")


@routes.post(f"{HOME}/run")
@requires("content.edit")
async def run(request: web.Request) -> web.Response:
    await form(request)
    text = await in_thread(current_text, workspace(request))
    try:
        tests = tests_of(text)
    except ct.ConversationTestsError as error:
        return list_page(request, text, [Problem(FILE, "", broken_message(error))], status=409)
    if not tests:
        return list_page(request, text, notice="There are no tests to run: add one first.")
    try:
        started = request.app[RUNNER].start(tests, f"studio:{user_of(request).email}")
    except RunBusy as error:
        return list_page(request, text, notice=f"Not started: {error}.", status=409)
    await audit(
        request, "studio.conversation_tests_run", "draft", run=started.number, tests=len(tests)
    )
    return redirect(HOME)


@routes.get("/api/content/tests/run")
@requires("content.edit")
async def run_status(request: web.Request) -> web.Response:
    found = request.app[RUNNER].current
    return web.json_response(found.as_json() if found else {"state": "idle"})


__all__ = ["routes", "setup"]

"""Publishing: the draft (or an older version) becomes what the running bot does.

A publish validates the content, trains a model for it (Rasa's cache makes a change of
responses or form order a repackaging, not a retraining), runs the story tests and the
marketers' conversation tests (on a bot of its own, started on the new model), swaps the model on every running Rasa server with `PUT /model` (conversations live in
the tracker store, so none is dropped), writes the content files the action server,
the campaign workers and a later restart read, and records a version. A failure at any
step before the swap changes nothing; a failed swap puts the servers already swapped
back on the previous model.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from bot import conversation_tests, rasa_model
from bot.conversation_runs import TestResult, failures, run_tests
from bot.conversation_tests import ConversationTest
from bot.errors import ParleyError
from bot.settings import Settings
from bot.stack import rasa_auth
from bot.store import ProfileStore, StudioVersion
from studio.repackage import repackage, repackageable
from studio.sandbox import Sandbox
from studio.training_progress import TrainingProgress
from studio.workspace import content_files, write_files

logger = logging.getLogger(__name__)
TEST_STORIES = "tests/test_stories.yml"
STEPS = (
    ("validate", "Validate the content"),
    ("train", "Train the model"),
    ("test", "Run the story tests"),
    ("conversations", "Run the marketers' conversation tests"),
    ("swap", "Swap the model on the running bot"),
    ("install", "Install the content files"),
    ("record", "Record the version"),
)


class PublishBusy(ParleyError):
    def __str__(self) -> str:
        return "a publish is already running: wait for it to finish"


class PublishFailed(ParleyError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


Validator = Callable[[Path], list[str]]


@dataclass
class Step:
    name: str
    label: str
    state: str = "waiting"  # waiting, running, done, skipped, failed
    detail: str = ""
    seconds: float | None = None


@dataclass
class PublishJob:
    number: int
    kind: str  # publish or rollback
    author: str
    note: str
    started_at: datetime
    steps: list[Step] = field(default_factory=lambda: [Step(n, label) for n, label in STEPS])
    state: str = "running"  # running, done, failed
    error: str = ""
    version: int | None = None
    log: deque[str] = field(default_factory=lambda: deque(maxlen=60))
    finished_at: datetime | None = None
    training: TrainingProgress | None = None  # while (and after) a model is trained

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def as_json(self) -> dict[str, Any]:
        done: float = sum(s.state in {"done", "skipped"} for s in self.steps)
        if self.training is not None and self.step("train").state == "running":
            done += self.training.fraction  # training is most of a publish that trains
        until = self.finished_at or datetime.now(timezone.utc)
        return {
            "job": self.number, "kind": self.kind, "state": self.state, "error": self.error,
            "version": self.version, "author": self.author, "note": self.note,
            "progress": round(done / len(self.steps), 3),
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "elapsed": round((until - self.started_at).total_seconds(), 1),
            "training": self.training.as_json() if self.training else None,
            "steps": [{"name": s.name, "label": s.label, "state": s.state, "detail": s.detail,
                       "seconds": s.seconds} for s in self.steps],
            "log": list(self.log)[-8:],
        }  # fmt: skip


def status_file(settings: Settings) -> Path:
    return settings.data_dir / "studio" / "publish-status.json"


def read_status(settings: Settings) -> dict[str, Any] | None:
    """The latest publish as the studio last wrote it; None before the first."""
    try:
        status: dict[str, Any] = json.loads(status_file(settings).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return status


class Publisher:
    """One publish at a time per studio; the job runs in a thread, the page polls it."""

    def __init__(self, settings: Settings, store: ProfileStore, validator: Validator) -> None:
        self.settings, self.store, self.validator = settings, store, validator
        self.current: PublishJob | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._jobs = 0
        self._saved_at = 0.0

    @property
    def builds(self) -> Path:
        return self.settings.data_dir / "studio" / "builds"

    def start(
        self, files: Mapping[str, str], author: str, note: str, rolled_back_from: int | None = None
    ) -> PublishJob:
        with self._lock:
            if self.current is not None and self.current.state == "running":
                raise PublishBusy()
            self._jobs += 1
            job = PublishJob(
                self._jobs,
                "rollback" if rolled_back_from else "publish",
                author,
                note,
                datetime.now(timezone.utc),
            )
            self.current = job
        self._thread = threading.Thread(
            target=self._run,
            args=(job, dict(files), rolled_back_from),
            daemon=True,
            name=f"publish-{job.number}",
        )
        self._thread.start()
        return job

    def wait(self, timeout: float) -> None:
        """For shutdown and tests: let a running publish finish."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, job: PublishJob, files: dict[str, str], rolled_back_from: int | None) -> None:
        # One folder, emptied by each publish: a failed build can be looked at until the
        # next one, and builds never pile up.
        build = self.builds / "current"
        try:
            shutil.rmtree(build, ignore_errors=True)
            write_files(build, files, remove_others=False)
            problems = self._timed(job, "validate", lambda: self._validate(build))
            job.step("validate").detail = problems
            trained = self._timed(job, "train", lambda: self._train(job, build))
            self._timed(job, "test", lambda: self._test(job, build, trained))
            self._timed(job, "conversations", lambda: self._conversations(job, build, trained))
            self._timed(job, "swap", lambda: self._swap(job, trained))
            self._timed(job, "install", lambda: self._install(files))
            version = self._timed(
                job, "record", lambda: self._record(job, files, build, rolled_back_from)
            )
            job.version = version.number
            job.state = "done"
        except Exception as error:  # the job reports every failure; nothing escapes a thread
            failed = next((s for s in job.steps if s.state == "running"), None)
            if failed is not None:
                failed.state = "failed"
            job.state = "failed"
            job.error = (
                str(error) if isinstance(error, ParleyError) else f"{type(error).__name__}: {error}"
            )
            logger.warning("publish %d failed: %s", job.number, job.error)
        finally:
            # A failed build stays for inspection until the next publish.
            job.finished_at = datetime.now(timezone.utc)
            self._save_status(job, now=True)

    def _timed(self, job: PublishJob, name: str, work: Callable[[], Any]) -> Any:
        step = job.step(name)
        step.state, started = "running", time.monotonic()
        self._save_status(job, now=True)
        result = work()
        step.seconds = round(time.monotonic() - started, 1)
        if step.state == "running":
            step.state = "done"
        return result

    @property
    def status_file(self) -> Path:
        return status_file(self.settings)

    def _save_status(self, job: PublishJob, *, now: bool = False) -> None:
        """Where `parley publish-status` reads the job (the studio may run elsewhere on
        the same data directory): written at each step and at most once a second while
        training, atomically, and a failure to write never fails the publish."""
        moment = time.monotonic()
        if not now and moment - self._saved_at < 1.0:
            return
        self._saved_at = moment
        try:
            self.status_file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.status_file.with_suffix(".tmp")
            temporary.write_text(json.dumps(job.as_json()), encoding="utf-8")
            os.replace(temporary, self.status_file)
        except OSError as error:
            logger.warning("could not write %s: %s", self.status_file, error)

    def _validate(self, build: Path) -> str:
        problems = self.validator(build)
        if problems:
            shown = "; ".join(problems[:5]) + (
                f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            )
            raise PublishFailed(f"the content has problems: {shown}")
        return "no problems"

    def _train(self, job: PublishJob, build: Path) -> Path:
        step = job.step("train")
        target = rasa_model.model_path(build, self.settings.models_dir)
        if target.is_file():
            step.state, step.detail = (
                "skipped",
                "not needed: a model for exactly this content exists",
            )
            return target
        live_root = self.settings.content_root
        live = rasa_model.model_path(live_root, self.settings.models_dir)
        if live.is_file() and repackageable(live_root, build):
            repackage(live, build, target)
            rasa_model.prune_old_models(target, keep=[live])
            step.detail = (
                "no retraining: only wording or form questions changed, so the "
                "live model was repackaged with the new domain"
            )
            return target
        restored: list[str] = []
        job.training = progress = TrainingProgress()

        def output(line: str) -> None:
            job.log.append(line[-300:])
            if "from cache" in line or "Restored component" in line:
                restored.append(line)
            progress.feed(line)
            step.detail = progress.describe()
            self._save_status(job)

        try:
            trained = rasa_model.train(
                build, self.settings.models_dir, on_output=output, keep=[live]
            )
        except rasa_model.TrainingFailed as error:
            raise PublishFailed(
                f"training failed (exit code {error.exit_code}): {' | '.join(list(job.log)[-3:])}"
            ) from error
        step.detail = (
            f"{len(restored)} trained components reused from Rasa's cache"
            if restored
            else "trained"
        )
        return trained

    def _test(self, job: PublishJob, build: Path, trained: Path) -> None:
        step = job.step("test")
        stories = build / TEST_STORIES
        if not stories.is_file():
            step.state, step.detail = "skipped", f"no {TEST_STORIES}"
            return
        out = build / "test-results"
        command = [sys.executable, "-m", "rasa", "test", "core", "--model", str(trained),
                   "--stories", str(stories), "--fail-on-prediction-errors", "--out", str(out)]  # fmt: skip
        result = subprocess.run(
            command,
            cwd=build,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
            env=rasa_model.rasa_env(self.settings.models_dir),
        )
        if result.returncode != 0:
            failed = out / "failed_test_stories.yml"
            names = [
                line.split(":", 1)[1].strip()
                for line in (failed.read_text().splitlines() if failed.is_file() else [])
                if line.strip().startswith("- story:")
            ]
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise PublishFailed(
                "the story tests failed: "
                + (
                    f"{len(names)} stories predicted wrongly ({', '.join(names[:5])})"
                    if names
                    else " | ".join(tail)
                )
            )
        step.detail = f"{_count_stories(stories)} test conversations passed"

    def _conversations(self, job: PublishJob, build: Path, trained: Path) -> None:
        """The marketers' tests against a bot of the build's own: its content, the new
        model, its own empty store, on loopback. It is gone before the swap."""
        step = job.step("conversations")
        tests = conversation_tests.load(build / conversation_tests.FILE)
        if not tests:
            step.state, step.detail = "skipped", f"no tests in {conversation_tests.FILE}"
            return
        step.detail = "starting a bot for the new content"
        results = self._play(job, tests, build, trained)
        failed = failures(results)
        if failed:
            shown = "; ".join(r.summary() for r in failed[:3]) + (
                f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
            )
            raise PublishFailed(
                f"{len(failed)} of {len(tests)} marketers' conversation tests failed: {shown}"
            )
        step.detail = f"{len(tests)} conversation tests passed"

    def _play(
        self, job: PublishJob, tests: list[ConversationTest], build: Path, trained: Path
    ) -> list[TestResult]:
        bot = Sandbox(self.settings, content=build, home=self.builds / "bot")
        try:
            try:
                served = bot.serve(trained)
            except RuntimeError as error:  # the sandbox says which part and why
                reason = str(error).partition("\n")[0]
                raise PublishFailed(
                    f"the bot for the conversation tests did not start: {reason}"
                ) from error
            job.step("conversations").detail = f"running {len(tests)} tests"
            store = ProfileStore.from_url(served.database_url)
            try:
                return run_tests(tests, served, store, on_result=lambda r: _heard(job, r))
            finally:
                store.dispose()
        finally:
            bot.stop()

    def _swap(self, job: PublishJob, trained: Path) -> None:
        step = job.step("swap")
        previous = rasa_model.model_path(self.settings.content_root, self.settings.models_dir)
        swapped: list[str] = []
        with httpx.Client(timeout=300) as http:
            for url in self.settings.studio.rasa_urls:
                try:
                    self._load(http, url, trained)
                except PublishFailed:
                    for done in swapped:  # put them back: one model across the fleet
                        try:
                            self._load(http, done, previous)
                        except PublishFailed as error:
                            logger.error(
                                "could not put %s back on %s: %s", done, previous.name, error
                            )
                    raise
                swapped.append(url)
                step.detail = f"{len(swapped)} of {len(self.settings.studio.rasa_urls)} servers on {trained.name}"

    def _load(self, http: httpx.Client, url: str, trained: Path) -> None:
        auth = rasa_auth(self.settings)  # a header: a token in a URL ends up in logs
        try:
            # Parley's swap (channels/ops.py) loads beside the serving model; Rasa's own
            # PUT /model would hold up every conversation on the server while it loads.
            answer = http.put(
                f"{url}/parley/model", headers=auth, json={"model_file": str(trained)}
            )
            if answer.status_code >= 300:
                raise PublishFailed(
                    f"{url} refused the model: HTTP {answer.status_code} {answer.text[:200]}"
                )
            status = http.get(f"{url}/status", headers=auth).json()
        except (httpx.HTTPError, ValueError) as error:
            raise PublishFailed(f"{url} could not load the model: {error}") from error
        if Path(str(status.get("model_file", ""))).name != trained.name:
            raise PublishFailed(
                f"{url} reports model {status.get('model_file')!r}, not {trained.name}"
            )

    def _install(self, files: Mapping[str, str]) -> None:
        write_files(self.settings.content_root, dict(files), remove_others=True)

    def _record(
        self, job: PublishJob, files: Mapping[str, str], build: Path, rolled_back_from: int | None
    ) -> StudioVersion:
        fingerprint = rasa_model.fingerprint(build)
        version = self.store.studio.add_version(
            job.author, job.note, files, fingerprint, rolled_back_from
        )
        self.store.privacy.record_audit(
            job.author,
            "studio.published",
            str(version.number),
            {"kind": job.kind, "fingerprint": fingerprint, "rolled_back_from": rolled_back_from},
        )
        job.step("record").detail = f"version {version.number}"
        return version


def ensure_baseline(settings: Settings, store: ProfileStore) -> StudioVersion | None:
    """Version 1 is the content as it was before the studio's first publish, so that the
    first publish, too, can be rolled back."""
    if store.studio.versions(limit=1):
        return None
    files = content_files(settings.content_root)
    return store.studio.add_version(
        "parley",
        "The content before the studio's first publish",
        files,
        rasa_model.fingerprint(settings.content_root),
    )


def _heard(job: PublishJob, result: TestResult) -> None:
    job.log.append(f"conversation test {result.summary()}")


def _count_stories(path: Path) -> int:
    return sum(
        1
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- story:")
    )

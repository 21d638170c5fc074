"""The draft bot: the studio's draft served by a private Rasa and action server.

Marketers try a change before publishing it. The sandbox makes a model for the draft
when there is none (a change of wording only repackages the live model, in seconds;
anything else trains), then runs
its own action server and Rasa server on free loopback ports. Its conversations and
profiles go to SQLite files of its own, and every outside service (mail, CRM, Telegram,
Twilio's API, handoffs) is switched off, so a try-out never reaches a real person or the
real profile store. One sandbox serves the whole studio; each user's conversations are
separated by sender id.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Literal

from bot import conversation_tests, rasa_model
from bot.runner import ChildSpec, free_port, is_healthy, tail
from bot.settings import Secret, Settings
from bot.stack import action_server, rasa_server
from bot.store import upgrade
from studio.repackage import repackage, repackageable
from studio.workspace import Workspace, content_files

State = Literal["stopped", "training", "starting", "ready", "failed"]
POLL_SECONDS = 0.25
STOP_GRACE_SECONDS = 10.0
STARTUP_SECONDS = 240.0
# Twilio's API is pointed at a closed loopback port: nothing a try-out does can send an SMS.
NOWHERE = "http://127.0.0.1:9"
# Settings a child would otherwise take from the studio's environment or the .env file:
# blank, they switch the CRM, Telegram, SMTP and signed handoffs off.
BLANK_SECRETS = (
    "HUBSPOT_ACCESS_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
    "PARLEY_SMTP_PASSWORD",
    "PARLEY_HANDOFF_SECRET",
)
# Training runs in a child of its own so that a stop can end it (and Rasa under it).
TRAIN = """import sys
from pathlib import Path
from bot.rasa_model import train
try:
    train(Path(sys.argv[1]), Path(sys.argv[2]), keep=[Path(sys.argv[3])])
except Exception as error:
    sys.exit(str(error))
"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHANGED = "The draft changed: restart the draft bot"


@dataclass(frozen=True)
class Status:
    state: State
    message: str
    progress: str = ""
    changed: bool = False

    @property
    def running(self) -> bool:
        return self.state in ("training", "starting", "ready")

    def as_json(self) -> dict[str, object]:
        return {
            "state": self.state,
            "message": self.message,
            "progress": self.progress,
            "changed": self.changed,
            "running": self.running,
        }


class Cancelled(Exception):
    """The sandbox was stopped or restarted while this start was under way."""


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]


def draft_signature(root: Path) -> str:
    """What a draft bot is built from: the model's fingerprint and every other content
    file the bot reads (consent, qualification, scoring, booking, campaigns)."""
    digest = hashlib.sha256(rasa_model.fingerprint(root).encode())
    for relative, text in content_files(root).items():
        # Tests are not read by the bot: editing them needs no restart.
        if not relative.startswith("tests/") and relative != conversation_tests.FILE:
            digest.update(f"{relative}\0{text}\0".encode())
    return digest.hexdigest()[:24]


def sandbox_settings(settings: Settings, draft: Path, home: Path) -> Settings:
    """The studio's settings turned into a private bot's: the draft's content, its own
    ports, stores and tokens, and no outside services."""
    rasa_port = free_port()
    return replace(
        settings,
        content_root=draft,
        data_dir=home,
        bind_host="127.0.0.1",  # a try-out bot is for the studio only, never the network
        database_url=f"sqlite:///{home / 'parley.db'}",
        tracker_store_url=f"sqlite:///{home / 'tracker.db'}",
        rasa_port=rasa_port,
        actions_port=free_port(),
        actions_host="127.0.0.1",
        # Its own secrets: the draft's Rasa calls the draft's action server, nothing else.
        actions_secret=Secret(secrets.token_urlsafe(24)),
        rasa_token=Secret(secrets.token_urlsafe(24)),
        consent_file=_draft_file(draft, settings.consent_file),
        qualification_file=_draft_file(draft, settings.qualification_file),
        scoring_file=_draft_file(draft, settings.scoring_file),
        booking_file=_draft_file(draft, settings.booking_file),
        knowledge_file=_draft_file(draft, settings.knowledge_file),
        routing_file=_draft_file(draft, settings.routing_file),
        lead_fields_file=_draft_file(draft, settings.lead_fields_file),
        # The call simulator signs webhooks with this token; Twilio itself is never called.
        twilio=replace(
            settings.twilio,
            auth_token=Secret(secrets.token_urlsafe(24)),
            public_url=f"http://127.0.0.1:{rasa_port}",
            account_sid="",
            sms_from="",
            whatsapp_from="",
            api_base_url=NOWHERE,
        ),
        telegram=replace(settings.telegram, bot_token=None, webhook_secret=None),
        mail=replace(settings.mail, host="", password=None),
        handoff=replace(settings.handoff, url="", secret=None),
        crm=replace(settings.crm, hubspot_token=None),
        campaigns=replace(settings.campaigns, directory=draft / "campaigns"),
        ops=replace(settings.ops, redis_url=None),
        webchat_origins=(),
    )


def _draft_file(draft: Path, live: Path) -> Path:
    """The draft's copy of a content file; the live one when it lives outside the content
    (a PARLEY_*_FILE elsewhere), since the draft has no copy of it then."""
    copy = draft / live.name
    return copy if copy.is_file() else live


def child_spec(spec: ChildSpec) -> ChildSpec:
    """A child of the draft bot: outside services off (it listens on loopback only, as
    `sandbox_settings` says)."""
    return replace(spec, env={**spec.env, **dict.fromkeys(BLANK_SECRETS, "")})


def log_tail(path: Path, lines: int = 15) -> str:
    """The end of a child's log, as shown on the page: no terminal colour codes."""
    return ANSI.sub("", tail(path, lines))


def last_line(path: Path) -> str:
    """The newest line of a log: for Rasa's training, the newest state of a progress bar
    (they redraw with carriage returns, so the log's last "line" can be megabytes)."""
    try:
        with path.open("rb") as log:
            log.seek(max(0, path.stat().st_size - 4096))
            text = log.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    text = ANSI.sub("", text).replace("\r", "\n")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


class Sandbox:
    """Starts, watches and stops the draft bot; safe to call from any thread."""

    def __init__(
        self, settings: Settings, *, content: Path | None = None, home: Path | None = None
    ) -> None:
        """The studio's draft bot; with `content`, a bot for that content tree instead
        (a publish's build), kept under `home`."""
        self.settings = settings
        self.workspace = Workspace.for_settings(settings)
        self.content = content
        self.home = home or settings.data_dir / "studio" / "sandbox"
        self._lock = threading.Lock()
        # Two users pressing Start at once: one start at a time, or both would run bots.
        self._starting = threading.Lock()
        self._generation = 0
        self._state: State = "stopped"
        self._message = "The draft bot is not running."
        self._detail = ""
        self._since = time.monotonic()
        self._children: list[Child] = []
        self._training: Child | None = None
        self._thread: threading.Thread | None = None
        self._signature = ""
        self._bot: Settings | None = None

    # ------------------------------------------------------------------ reading

    @property
    def bot_settings(self) -> Settings | None:
        """The running draft bot's settings (ports, tokens), or None unless it is ready."""
        with self._lock:
            return self._bot if self._state == "ready" else None

    @property
    def generation(self) -> int:
        """Changes on every start and stop: what was tied to an older bot is void."""
        return self._generation

    def pids(self) -> list[int]:
        with self._lock:
            found = [c.process.pid for c in self._children]
            return found + ([self._training.process.pid] if self._training else [])

    @property
    def root(self) -> Path:
        """The content the bot serves: the draft, unless it was given its own."""
        return self.content or self.workspace.root

    def signature(self) -> str:
        if self.content is not None:
            return draft_signature(self.content)
        with self.workspace.lock:
            self.workspace.ensure()
            return draft_signature(self.workspace.root)

    def status(self) -> Status:
        self._notice_deaths()
        with self._lock:
            state, message, started = self._state, self._message, self._signature
            progress = self._progress()
        changed = state in ("training", "starting", "ready") and started != self.signature()
        return Status(
            state, CHANGED if changed and state == "ready" else message, progress, changed
        )

    def _progress(self) -> str:
        elapsed = int(time.monotonic() - self._since)
        so_far = f"{elapsed // 60}:{elapsed % 60:02d} so far"
        if self._state == "training" and self._training is not None:
            return f"{so_far}. {last_line(self._training.log_path)}".strip()
        if self._state == "starting":
            return so_far
        return self._detail

    def _notice_deaths(self) -> None:
        """A child that died takes the draft bot down: the page says so, with its log."""
        with self._lock:
            dead = next((c for c in self._children if c.process.poll() is not None), None)
            if self._state != "ready" or dead is None:
                return
            self._set(
                "failed",
                f"The draft bot's {dead.name} stopped unexpectedly.",
                log_tail(dead.log_path),
            )
            children, self._children, self._bot = self._children, [], None
        _terminate(children)

    # ------------------------------------------------------------------ starting

    def start(self) -> Status:
        """Start the draft bot, or restart it (with the current draft). A start already
        under way for an unchanged draft is left to finish."""
        with self._starting:
            self._start()
        return self.status()

    def _start(self) -> None:
        signature = self.signature()
        with self._lock:
            busy = self._state in ("training", "starting")
            if busy and self._signature == signature:
                return
        self.stop()
        self.home.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._signature = signature
            self._set("starting", "Getting the draft bot ready…")
            self._thread = threading.Thread(
                target=self._run, args=(generation,), name="studio-sandbox", daemon=True
            )
            self._thread.start()

    def serve(self, model: Path) -> Settings:
        """Start the bot on `model` in this thread and return its settings once it
        answers: for a publish, which has its model already and waits for the bot."""
        with self._starting:
            self.stop()
            self.home.mkdir(parents=True, exist_ok=True)
            signature = self.signature()
            with self._lock:
                self._generation += 1
                generation = self._generation
                self._signature = signature
            try:
                self._serve(generation, model)
            except BaseException:
                self._stop_children(generation)
                raise
        bot = self.bot_settings
        if bot is None:
            raise RuntimeError(f"the bot for {self.root} stopped while it started")
        return bot

    def _set(self, state: State, message: str, detail: str = "") -> None:
        self._state, self._message, self._detail = state, message, detail
        self._since = time.monotonic()

    def _update(self, generation: int, state: State, message: str, detail: str = "") -> None:
        with self._lock:
            if generation != self._generation:
                raise Cancelled()
            self._set(state, message, detail)

    def _run(self, generation: int) -> None:
        try:
            trained = self._ensure_model(generation)
            self._serve(generation, trained)
        except Cancelled:
            return
        except Exception as error:  # any failure is shown on the page
            with contextlib.suppress(Cancelled):
                reason, _, detail = str(error).partition("\n")
                self._update(
                    generation, "failed", f"The draft bot could not start: {reason}", detail
                )
            self._stop_children(generation)

    def _ensure_model(self, generation: int) -> Path:
        root, models = self.root, self.settings.models_dir
        target = rasa_model.model_path(root, models)
        if target.is_file():
            return target
        live_root = self.settings.content_root
        live = rasa_model.model_path(live_root, models)
        if live.is_file() and repackageable(live_root, root):
            # Only wording changed: the live model with the draft's domain, in seconds.
            self._update(
                generation, "training", "Only wording changed: repackaging the live model."
            )
            repackage(live, root, target)
            rasa_model.prune_old_models(target, keep=[live])
            return target
        self._update(generation, "training", "Training the draft's model: a few minutes.")
        # The live model is never pruned to make room for a draft's.
        argv = [sys.executable, "-c", TRAIN, str(root), str(models), str(live)]
        child = self._spawn(generation, "training", argv, {}, training=True)
        code = child.process.wait()
        child.log.close()
        with self._lock:
            self._training = None
            if generation != self._generation:
                raise Cancelled()
        if code != 0:
            raise RuntimeError(f"training failed (exit code {code})\n{log_tail(child.log_path)}")
        # The draft may have changed while training: serve the newest model that exists.
        current = rasa_model.model_path(root, models)
        return current if current.is_file() else target

    def _serve(self, generation: int, trained: Path) -> None:
        self._update(generation, "starting", "Starting the draft bot (about a minute)…")
        for pattern in ("parley.db*", "tracker.db*"):
            # Every start begins with empty stores: no profile from an earlier try-out.
            for path in self.home.glob(pattern):
                path.unlink(missing_ok=True)
        bot = sandbox_settings(self.settings, self.root, self.home)
        upgrade(bot.database_url)
        for spec in (action_server(bot), rasa_server(bot, trained)):
            spec = child_spec(spec)
            child = self._spawn(generation, spec.name, list(spec.argv), spec.env)
            self._wait_healthy(generation, child, spec)
        with self._lock:
            if generation != self._generation:
                raise Cancelled()
            self._bot = bot
            self._set("ready", f"The draft bot is running ({trained.name}).")

    def _spawn(
        self,
        generation: int,
        name: str,
        argv: list[str],
        env: Mapping[str, str],
        *,
        training: bool = False,
    ) -> Child:
        log_dir = self.home / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{name.replace(' ', '-')}.log"
        # Under the lock: a stop that has begun never misses a child spawned after it.
        with self._lock:
            if generation != self._generation:
                raise Cancelled()
            log = log_path.open("wb")
            process = subprocess.Popen(
                argv, cwd=self.settings.project_root, env={**os.environ, **env,
                "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            child = Child(name, process, log_path, log)
            if training:
                self._training = child
            else:
                self._children.append(child)
            return child

    def _wait_healthy(self, generation: int, child: Child, spec: ChildSpec) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not is_healthy(spec.health_url, headers=spec.health_headers):
            if generation != self._generation:
                raise Cancelled()
            if child.process.poll() is not None:
                raise RuntimeError(
                    f"its {child.name} exited with code {child.process.returncode}\n"
                    f"{log_tail(child.log_path)}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"its {child.name} did not answer within {STARTUP_SECONDS:.0f} s"
                )
            time.sleep(POLL_SECONDS)

    # ------------------------------------------------------------------ stopping

    def stop(self) -> None:
        """Stop the draft bot and any training for it; returns when they are gone."""
        with self._lock:
            self._generation += 1
            children, self._children = self._children, []
            training, self._training = self._training, None
            thread, self._thread = self._thread, None
            self._bot = None
            if self._state != "failed":
                self._set("stopped", "The draft bot is not running.")
        _terminate([*children, *([training] if training else [])])
        if thread is not None and thread is not threading.current_thread():
            thread.join(STOP_GRACE_SECONDS * 3)

    def _stop_children(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            children, self._children = self._children, []
            self._bot = None
        _terminate(children)


def _terminate(children: list[Child]) -> None:
    """SIGTERM to each child's process group at once, SIGKILL to what is left after the
    grace period: `parley run` gives the studio only so long to stop."""
    for child in children:
        if child.process.poll() is None:
            _signal(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal(child, signal.SIGKILL)
            child.process.wait()
        child.log.close()


def _signal(child: Child, sig: signal.Signals) -> None:
    # The child may be gone between the poll and the signal.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.process.pid, sig)

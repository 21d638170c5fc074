"""`parley run`: the whole embedded stack in one command."""

from __future__ import annotations

import signal
import socket
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from bot import privacy, rasa_model
from bot.errors import ParleyError, StoreUnavailable
from bot.journal import ConsentJournal
from bot.runner import ChildFailed, Supervisor
from bot.settings import Settings
from bot.stack import action_server, api_server, campaign_worker, rasa_server, studio_server
from bot.store import ProfileStore, migrate
from cli.commands.scale import Layout, check_scalable, start_scaled


@dataclass
class PortInUse(ParleyError):
    port: int

    def __str__(self) -> str:
        return (
            f"port {self.port} is already in use (is Parley already running?); "
            "stop that process or set PARLEY_RASA_PORT / PARLEY_ACTIONS_PORT / PARLEY_WORKER_PORT / PARLEY_API_PORT"
        )


@dataclass
class ModelMissing(ParleyError):
    path: Path

    def __str__(self) -> str:
        return f"no trained model at {self.path}; run `parley train` first"


def ensure_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise PortInUse(port)


def prepare(settings: Settings, *, train_if_stale: bool) -> Path:
    """Migrate the profile store, settle pending privacy work, ensure a current model."""
    migrate.upgrade(settings.database_url)
    housekeeping(settings)
    root = settings.content_root
    if rasa_model.is_stale(root, settings.models_dir):
        if not train_if_stale:
            raise ModelMissing(rasa_model.model_path(root, settings.models_dir))
        print("The model is missing or out of date: training it now (about 2-3 minutes).")
    return rasa_model.train(root, settings.models_dir)


def start_stack(
    supervisor: Supervisor, settings: Settings, model_path: Path, replicas: int = 1
) -> Layout | None:
    """Start every process; for a scaled stack, say where each replica listens."""
    ports = (
        settings.actions_port,
        settings.rasa_port,
        settings.campaigns.worker_port,
        settings.api.port,
        settings.studio.port,
    )
    for port in ports:
        ensure_port_free(port)
    if replicas > 1:
        return start_scaled(supervisor, settings, model_path, replicas)
    # None of them needs another to be up to start, so they load side by side: the Rasa
    # server's model load hides the others' imports.
    supervisor.start_all(
        [
            action_server(settings),
            rasa_server(settings, model_path),
            campaign_worker(settings),
            api_server(settings),
            studio_server(settings),
        ]
    )
    return None


def housekeeping(settings: Settings) -> None:
    """Replay consent changes an outage held back; finish pending conversation erasures.
    (Handoff and booking deliveries are the campaign worker's to send.)"""
    store = ProfileStore.from_url(settings.database_url)
    try:
        replayed = ConsentJournal.for_settings(settings).replay(store)
        if replayed:
            print(f"recorded {replayed} consent changes held back by an earlier outage")
        privacy.sweep_trackers(store, settings)
    except StoreUnavailable as error:
        print(f"parley: housekeeping postponed: {error}")
    finally:
        store.dispose()


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_stack(settings: Settings, *, train_if_stale: bool = True, replicas: int = 1) -> int:
    check_scalable(settings, replicas)  # before minutes of training, not after
    model_path = prepare(settings, train_if_stale=train_if_stale)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    with Supervisor(settings.data_dir / "logs", settings.project_root) as supervisor:
        try:
            start_stack(supervisor, settings, model_path, replicas)
            print(ready_banner(settings))
            supervisor.watch(tick=lambda: housekeeping(settings))
        except ChildFailed as failure:
            print(f"parley: {failure}")
            return 1
        except KeyboardInterrupt:
            print("\nstopping Parley...")
    return 0


def ready_banner(settings: Settings) -> str:
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    return (
        f"\nParley is ready.\n"
        f"  Web chat:  {settings.rasa_url}/webhooks/webchat/\n"
        f"  Talk to it in this terminal:  ./parley shell   (in another terminal)\n"
        f"  Or over REST:  curl -s {url} -H 'Content-Type: application/json' "
        f'-d \'{{"sender": "me", "message": "hi"}}\'\n'
        f"  Profiles:  ./parley contacts list\n"
        f"  REST API:  http://127.0.0.1:{settings.api.port}/api/openapi.json   "
        f"(tokens: ./parley api-token create NAME --scopes read)\n"
        f"  Campaigns:  ./parley campaigns list   (worker health: "
        f"http://127.0.0.1:{settings.campaigns.worker_port}/health)\n"
        f"  Studio:  http://127.0.0.1:{settings.studio.port}/{_setup_hint(settings)}\n"
        f"  Profile store: {settings.database_url}\n"
        f"Press Ctrl-C to stop."
    )


def _setup_hint(settings: Settings) -> str:
    token = settings.data_dir / "studio_setup_token"
    if not token.is_file():
        return ""
    return f"setup   (no users yet: create the first admin with the setup token {token.read_text().strip()})"


PARTS = ("rasa", "actions", "worker", "api", "studio")


def serve_part(settings: Settings, part: str) -> int:
    """One part of Parley in the foreground, for scale-out under your own orchestration.

    The schema must be current (`parley db upgrade`, once per release) and, for `rasa`,
    the model trained (`parley train`): replicas never migrate or train on their own.
    """
    specs = {
        "actions": lambda: action_server(settings),
        "worker": lambda: campaign_worker(settings),
        "api": lambda: api_server(settings),
        "studio": lambda: studio_server(settings),
        "rasa": lambda: rasa_server(settings, current_model(settings)),
    }
    spec = specs[part]()
    signal.signal(signal.SIGTERM, _raise_interrupt)
    with Supervisor(settings.data_dir / "logs", settings.project_root) as supervisor:
        try:
            supervisor.start(spec)
            print(f"parley: {spec.name} is serving; Ctrl-C stops it")
            supervisor.watch()
        except ChildFailed as failure:
            print(f"parley: {failure}")
            return 1
        except KeyboardInterrupt:
            print(f"\nstopping {spec.name}...")
    return 0


def current_model(settings: Settings) -> Path:
    root = settings.content_root
    path = rasa_model.model_path(root, settings.models_dir)
    if rasa_model.is_stale(root, settings.models_dir):
        raise ModelMissing(path)
    return path

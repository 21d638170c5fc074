"""Nobody but Rasa reaches the action server (#17).

An action call names any conversation it likes: whoever may call `/webhook` can run
`action_show_my_data` for a stranger's phone number. The action server is started as
`parley run` starts it (bot/stack.py, under the supervisor), with the channels bound to
every interface, and an outsider calls it the way the issue describes.
"""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.runner import Supervisor, free_port
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.stack import action_server
from bot.store import Contact, ProfileStore, migrate

PHONE = "+14155550142"
SIOCGIFADDR = 0x8915


@dataclass
class Running:
    settings: Settings
    store: ProfileStore
    victim: Contact

    @property
    def webhook(self) -> str:
        return f"{self.settings.actions_url}/webhook"

    def show_my_data(self, headers: dict[str, str]) -> httpx.Response:
        tracker = {
            "sender_id": PHONE,
            "slots": {},
            "events": [],
            "latest_message": {
                "text": "what do you know about me",
                "metadata": {"parley_channel": "sms"},
            },
        }
        body = {
            "next_action": "action_show_my_data",
            "sender_id": PHONE,
            "tracker": tracker,
            "domain": {},
            "version": "3.6.21",
        }
        return httpx.post(self.webhook, json=body, headers=headers, timeout=30)

    def runs(self) -> float:
        """How often action_show_my_data has run (the server's own metrics)."""
        text = httpx.get(f"{self.settings.actions_url}/metrics", timeout=10).text
        prefix = 'parley_actions_total{action="action_show_my_data"} '
        return sum(
            float(line[len(prefix) :]) for line in text.splitlines() if line.startswith(prefix)
        )


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    data_dir = tmp_path_factory.mktemp("actions")
    # The channels face the world; the action server must not follow them.
    environ = {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_BIND_HOST": "0.0.0.0",
        "PARLEY_ACTIONS_PORT": str(free_port()),
    }
    settings = load_settings(environ=environ, dotenv=data_dir / "no.env")
    migrate.upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    victim = store.leads.update_fields(
        "sms",
        PHONE,
        {"name": "Priya Raman", "company": "Victim Holdings", "phone": PHONE},
        "sms-victim",
    )
    with Supervisor(data_dir / "logs", PROJECT_ROOT, say=lambda _: None) as supervisor:
        supervisor.start(action_server(settings))
        yield Running(settings, store, victim)
    store.dispose()


def _reveals(reply: httpx.Response) -> bool:
    return any(secret in reply.text for secret in ("Priya", "Victim Holdings", PHONE))


def test_an_unsigned_action_call_is_refused_and_runs_nothing(running: Running) -> None:
    before = running.runs()
    reply = running.show_my_data({})
    assert reply.status_code == 401
    assert reply.json()["error"] == "unauthorized"
    assert "PARLEY_ACTIONS_SECRET" in reply.json()["detail"]
    assert not _reveals(reply)
    assert running.runs() == before


@pytest.mark.parametrize(
    "authorization",
    ["Bearer wrong-secret-0123456789abcdef", "Basic cmFzYTpyYXNh", "Bearer", "bearer x"],
)
def test_a_wrongly_signed_action_call_is_refused_and_runs_nothing(
    running: Running, authorization: str
) -> None:
    before = running.runs()
    reply = running.show_my_data({"Authorization": authorization})
    assert reply.status_code == 401
    assert not _reveals(reply)
    assert running.runs() == before


def test_the_secret_in_the_url_opens_nothing(running: Running) -> None:
    secret = running.settings.actions_secret.value
    reply = httpx.post(f"{running.webhook}?token={secret}", json={}, timeout=10)
    assert reply.status_code == 401


def test_listing_the_actions_needs_the_secret_too(running: Running) -> None:
    url = f"{running.settings.actions_url}/actions"
    assert httpx.get(url, timeout=10).status_code == 401
    signed = {"Authorization": f"Bearer {running.settings.actions_secret.value}"}
    listed = httpx.get(url, headers=signed, timeout=10)
    assert listed.status_code == 200
    assert {"name": "action_show_my_data"} in listed.json()


def test_probes_and_metrics_stay_open(running: Running) -> None:
    for path in ("/health", "/ready", "/metrics"):
        assert httpx.get(f"{running.settings.actions_url}{path}", timeout=10).status_code == 200


def test_a_call_with_rasas_secret_runs_the_action(running: Running) -> None:
    before = running.runs()
    signed = {"Authorization": f"Bearer {running.settings.actions_secret.value}"}
    reply = running.show_my_data(signed)
    assert reply.status_code == 200, reply.text
    said = reply.json()["responses"]
    assert [r["response"] for r in said] == ["utter_my_data"]
    assert "Priya Raman" in said[0]["summary"]
    assert running.runs() == before + 1


def test_the_secret_is_generated_per_machine_and_kept_private(running: Running) -> None:
    kept = running.settings.data_dir / "actions_secret"
    assert kept.read_text(encoding="utf-8").strip() == running.settings.actions_secret.value
    assert kept.stat().st_mode & 0o077 == 0
    assert len(running.settings.actions_secret.value) >= 32


def test_the_action_server_listens_on_loopback_only(running: Running) -> None:
    port = running.settings.actions_port
    assert _listening(port) == ["127.0.0.1"]
    outside = _addresses_of_this_machine()
    if not outside:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    for address in outside:
        with socket.socket() as probe:
            probe.settimeout(2)
            assert probe.connect_ex((address, port)) != 0, f"reachable on {address}:{port}"


def _listening(port: int) -> list[str]:
    """The local addresses of the sockets listening on `port` (IPv4 and IPv6)."""
    found = []
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(_address(address, width))
    return found


def _address(hex_address: str, width: int) -> str:
    raw = bytes.fromhex(hex_address)
    # /proc writes each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, width, 4))
    return str(ipaddress.ip_address(words))


def _addresses_of_this_machine() -> list[str]:
    """Every non-loopback IPv4 address of this machine's interfaces (no traffic sent)."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name[:15].encode())
            try:
                answer = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, request)
            except OSError:
                continue  # an interface without an IPv4 address
            address = socket.inet_ntoa(answer[20:24])
            if not ipaddress.ip_address(address).is_loopback:
                found.append(address)
    return found

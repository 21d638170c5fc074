"""Rasa's calls to the action server go through one kept-alive session
(channels/action_session.py), with Rasa's headers, timeout and errors."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
import rasa.core.run
from aiohttp import web
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.settings import PROJECT_ROOT
from channels import action_session
from channels.action_session import KeptAliveEndpoint

HEADERS = {"Authorization": "Bearer test-secret"}
# The fake action server and the calls to it share the fixtures' loop.
pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class FakeActionServer:
    """An action server answering every call with no events, or `status`."""

    port: int
    status: int = 200
    peers: list[tuple[str, int]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhook", self._webhook)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def _webhook(self, request: web.Request) -> web.Response:
        self.peers.append(
            request.transport.get_extra_info("peername") if request.transport else ("", 0)
        )
        self.authorizations.append(request.headers.get("Authorization"))
        body = await request.json()
        if self.status == 400:
            rejected = {"action_name": body["next_action"], "error": "not now"}
            return web.json_response(rejected, status=400)
        return web.json_response({"events": [], "responses": []}, status=self.status)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def server() -> AsyncIterator[FakeActionServer]:
    fake = FakeActionServer(_free_port())
    await fake.start()
    yield fake
    await fake.stop()


def kept_alive(url: str) -> KeptAliveEndpoint:
    return KeptAliveEndpoint.like(
        EndpointConfig(url=url, headers=dict(HEADERS), enable_selective_domain=True)
    )


async def run_action(endpoint: EndpointConfig, name: str = "action_help") -> list[Any]:
    domain = Domain.empty()
    tracker = DialogueStateTracker("visitor-1", domain.slots)
    nlg = TemplatedNaturalLanguageGenerator({})
    events = await RemoteAction(name, endpoint).run(CollectingOutputChannel(), nlg, tracker, domain)
    return list(events)


async def test_calls_share_one_connection(server: FakeActionServer) -> None:
    endpoint = kept_alive(server.url)
    for _ in range(5):
        assert await run_action(endpoint) == []
    assert len(server.peers) == 5 and len(set(server.peers)) == 1
    assert server.authorizations == [HEADERS["Authorization"]] * 5
    # Rasa's own endpoint opens a connection for every call.
    for _ in range(3):
        await run_action(EndpointConfig(url=server.url, headers=dict(HEADERS)))
    assert len(set(server.peers[5:])) == 3
    await action_session.close_sessions()


async def test_the_session_is_rasas_but_for_its_connector() -> None:
    config = EndpointConfig(url="http://127.0.0.1:1/webhook", headers=dict(HEADERS),
                            basic_auth={"username": "u", "password": "p"})  # fmt: skip
    ours, rasas = KeptAliveEndpoint.like(config)._new_session(), config.session()
    try:
        assert ours.timeout == rasas.timeout
        assert dict(ours.headers) == dict(rasas.headers)
        assert ours.auth == rasas.auth
        assert isinstance(ours.connector, aiohttp.TCPConnector)
        assert ours.connector._keepalive_timeout == action_session.IDLE_S
    finally:
        await ours.close()
        await rasas.close()


async def test_an_action_server_that_is_down_gives_rasas_error(
    server: FakeActionServer,
) -> None:
    endpoint = kept_alive(server.url)
    assert await run_action(endpoint) == []
    await server.stop()  # the kept connection goes with it
    with pytest.raises(RasaException, match="Couldn't connect to the server"):
        await run_action(endpoint)
    await server.start()  # back on the same port: the next call reaches it
    assert await run_action(endpoint) == []
    await action_session.close_sessions()
    with pytest.raises(RasaException, match="Couldn't connect to the server"):
        await run_action(kept_alive(f"http://127.0.0.1:{_free_port()}/webhook"))
    await action_session.close_sessions()


async def test_a_rejection_and_a_failure_are_rasas(server: FakeActionServer) -> None:
    endpoint = kept_alive(server.url)
    server.status = 400
    with pytest.raises(ActionExecutionRejection):
        await run_action(endpoint, "validate_lead_form")
    server.status = 500
    with pytest.raises(RasaException, match="Failed to execute custom action 'action_help'"):
        await run_action(endpoint)
    server.status = 200
    assert await run_action(endpoint) == []
    assert len(set(server.peers)) == 1  # an error answer does not cost the connection
    await action_session.close_sessions()


async def test_installed_the_action_endpoint_is_kept_alive_and_closed_at_shutdown(
    server: FakeActionServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    action_session.install()
    endpoints_file = PROJECT_ROOT / "endpoints.yml"
    for variable in re.findall(r"\$\{(\w+)\}", endpoints_file.read_text("utf-8")):
        monkeypatch.setenv(variable, "x")
    monkeypatch.setenv("PARLEY_ACTION_ENDPOINT_URL", server.url)
    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file))
    endpoint = endpoints.action
    assert isinstance(endpoint, KeptAliveEndpoint)
    assert endpoint.url == server.url and endpoint.kwargs["enable_selective_domain"] is True
    assert endpoint.headers == {"Authorization": "Bearer x"}
    assert not isinstance(endpoints.tracker_store, KeptAliveEndpoint)
    assert await run_action(endpoint) == []
    session = endpoint._shared
    assert session is not None and not session.closed
    app = SimpleNamespace(ctx=SimpleNamespace())  # no agent: Rasa's part has nothing to close
    await rasa.core.run.close_resources(app, None)
    assert session.closed

"""One HTTP session, kept alive, for the Rasa server's calls to the action server.

Rasa 3.6 opens a new aiohttp session for every request to an endpoint
(`EndpointConfig.request`), so every custom action and form validation pays a new
session, a new TCP connection and its teardown (#21 item 2). `install` makes the
action endpoint read from endpoints.yml a `KeptAliveEndpoint`: the same configuration
(URL, headers, parameters, auth, timeout), whose requests go through one session per
event loop with a pool of kept-alive connections. Rasa's own `request` still sends
every call and reads every answer, so errors are Rasa's: an action server that is down
still raises Rasa's "Couldn't connect" error, a 400 still rejects the action.

Connections idle longer than IDLE_S are dropped before reuse, well inside the action
server's keep-alive (Sanic closes idle connections after 5 s), so a call never goes out
on a connection the server is closing. The sessions are closed when the server stops
(after Rasa's own `close_resources`).
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

# Below the action server's keep-alive timeout (Sanic's default, 5 s).
IDLE_S = 2.0

_installed = False
_open: list[aiohttp.ClientSession] = []


class _Borrowed:
    """`async with` hands out the shared session and leaves it open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


class KeptAliveEndpoint(EndpointConfig):
    """An endpoint whose requests share one session per event loop."""

    _shared: aiohttp.ClientSession | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def like(cls, config: EndpointConfig) -> KeptAliveEndpoint:
        endpoint = cls.__new__(cls)
        endpoint.__dict__.update(config.__dict__)
        return endpoint

    def session(self) -> Any:  # Rasa's `request` only enters it with `async with`
        loop = asyncio.get_running_loop()
        if self._shared is None or self._shared.closed or self._loop is not loop:
            self._shared = self._new_session()
            self._loop = loop
            _open.append(self._shared)
        return _Borrowed(self._shared)

    def _new_session(self) -> aiohttp.ClientSession:
        """Rasa's session (`EndpointConfig.session`: headers, auth, timeout) on a
        connector that keeps its connections."""
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        return aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_S),
        )


async def close_sessions() -> None:
    """Close the sessions opened on the running loop (the server is stopping)."""
    loop = asyncio.get_running_loop()
    for session in [s for s in _open if s._loop is loop]:
        _open.remove(session)
        await session.close()


def install() -> None:
    """Give the Rasa server's action endpoint one kept-alive session (idempotent)."""
    global _installed
    if _installed:
        return
    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints

    rasa_read = AvailableEndpoints.read_endpoints.__func__
    rasa_close = rasa.core.run.close_resources

    def read_endpoints(cls: type[AvailableEndpoints], endpoint_file: str) -> AvailableEndpoints:
        endpoints = rasa_read(cls, endpoint_file)
        if endpoints.action is not None:
            endpoints.action = KeptAliveEndpoint.like(endpoints.action)
        return endpoints

    async def close_resources(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        try:
            await rasa_close(app, loop)
        finally:
            await close_sessions()

    AvailableEndpoints.read_endpoints = classmethod(read_endpoints)
    # serve_application registers `close_resources` by its module-level name.
    rasa.core.run.close_resources = close_resources
    _installed = True

"""The API's /api/metrics: open to loopback, a read token from elsewhere, and requests
counted by route template and status class, never by raw path."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot.api.app import Problem, authenticate, build_app, metrics
from tests.unit.test_api import Api, _start


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from _start(tmp_path)


def _requests(text: str, route: str, status: str) -> float:
    prefix = f'parley_http_requests_total{{route="{route}",status="{status}"}} '
    found = [line.removeprefix(prefix) for line in text.splitlines() if line.startswith(prefix)]
    return float(found[0]) if found else 0.0


def test_api_metrics_answer_loopback_without_a_token(api: Api) -> None:
    reply = httpx.get(f"{api.url}/api/metrics", timeout=10)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    assert "parley_http_requests_total" in reply.text


def test_api_metrics_count_requests_by_route_template(api: Api) -> None:
    route = "/api/v1/contacts/{contact_id}"
    before = httpx.get(f"{api.url}/api/metrics", timeout=10).text
    token = api.token("read")
    assert api.get("/api/v1/contacts/no-such-contact-42", token).status_code == 404
    assert api.get("/api/v1/contacts/no-such-contact-43", None).status_code == 401
    assert api.get("/api/v1/no-such-route", token).status_code == 404
    after = httpx.get(f"{api.url}/api/metrics", timeout=10).text
    assert _requests(after, route, "4xx") == _requests(before, route, "4xx") + 2
    assert _requests(after, "unmatched", "4xx") == _requests(before, "unmatched", "4xx") + 1
    assert "no-such-contact" not in after


class _RemoteTransport(asyncio.Transport):
    """A connection from another machine, for the one check loopback cannot make."""

    def get_extra_info(self, name: str, default: object = None) -> object:
        return ("203.0.113.7", 40000) if name == "peername" else default


def test_api_metrics_need_a_token_from_elsewhere(api: Api) -> None:
    request = make_mocked_request("GET", "/api/metrics", app=build_app(api.store, "US"),
                                  transport=_RemoteTransport())  # fmt: skip

    async def reached(_: web.Request) -> web.StreamResponse:
        raise AssertionError("the handler ran without authentication")

    with pytest.raises(Problem) as refused:
        asyncio.run(authenticate(request, reached))
    assert refused.value.status == 401


def _remote(api: Api, token: str) -> web.StreamResponse:
    request = make_mocked_request("GET", "/api/metrics", app=build_app(api.store, "US"),
                                  headers={"Authorization": f"Bearer {token}"},
                                  transport=_RemoteTransport())  # fmt: skip
    return asyncio.run(authenticate(request, metrics))


def test_api_metrics_from_elsewhere_take_the_read_scope(api: Api) -> None:
    assert _remote(api, api.token("read")).status == 200
    with pytest.raises(Problem) as refused:
        _remote(api, api.token("write"))
    assert refused.value.status == 403

"""The API's /api/metrics: Prometheus' own bearer token or an API token with read scope,
from anywhere including loopback, and requests counted by route template and status
class, never by raw path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import build_app
from bot.settings import Secret
from bot.store import ProfileStore, upgrade
from tests.unit.test_api import Api, _serve

METRICS_TOKEN = "prometheus-scrape-token-0123456789"


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    store = ProfileStore.from_url(url)
    app = build_app(store, "US", rate=1000.0, burst=1000, metrics_token=Secret(METRICS_TOKEN))
    base, stop = _serve(app)
    yield Api(base, store)
    stop()
    store.dispose()


def _scrape(api: Api, token: str | None = METRICS_TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{api.url}/api/metrics", headers=headers, timeout=10)


def _requests(text: str, route: str, status: str) -> float:
    prefix = f'parley_http_requests_total{{route="{route}",status="{status}"}} '
    found = [line.removeprefix(prefix) for line in text.splitlines() if line.startswith(prefix)]
    return float(found[0]) if found else 0.0


def test_api_metrics_answer_prometheus_token(api: Api) -> None:
    reply = _scrape(api)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    assert "parley_http_requests_total" in reply.text


def test_api_metrics_refuse_loopback_without_a_token(api: Api) -> None:
    for token in (None, "wrong-token-0123456789abcdef", METRICS_TOKEN + "x"):
        reply = _scrape(api, token)
        assert reply.status_code == 401, token
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert "parley_http_requests_total" not in reply.text


def test_api_metrics_take_an_api_token_with_read_scope(api: Api) -> None:
    assert _scrape(api, api.token("read")).status_code == 200
    refused = _scrape(api, api.token("write"))
    assert refused.status_code == 403 and "parley_http" not in refused.text


def test_api_metrics_need_a_token_when_none_is_configured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    store = ProfileStore.from_url(url)
    base, stop = _serve(build_app(store, "US"))
    try:
        anonymous = httpx.get(f"{base}/api/metrics", timeout=10)
        empty = httpx.get(f"{base}/api/metrics", headers={"Authorization": "Bearer -"}, timeout=10)
    finally:
        stop()
        store.dispose()
    assert anonymous.status_code == 401 and empty.status_code == 401


def test_api_metrics_count_requests_by_route_template(api: Api) -> None:
    route = "/api/v1/contacts/{contact_id}"
    before = _scrape(api).text
    token = api.token("read")
    assert api.get("/api/v1/contacts/no-such-contact-42", token).status_code == 404
    assert api.get("/api/v1/contacts/no-such-contact-43", None).status_code == 401
    assert api.get("/api/v1/no-such-route", token).status_code == 404
    after = _scrape(api).text
    assert _requests(after, route, "4xx") == _requests(before, route, "4xx") + 2
    assert _requests(after, "unmatched", "4xx") == _requests(before, "unmatched", "4xx") + 1
    assert "no-such-contact" not in after

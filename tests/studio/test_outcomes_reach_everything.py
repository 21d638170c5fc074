"""Outcomes recorded anywhere reach scoring and the dashboard (#20 "Tests"): one store,
sales won through the REST API on loopback, `parley contacts outcome` and a fake
HubSpot deals API; `parley scoring train` counts them as real outcomes with the AUC on
them, and the studio's dashboard shows the conversions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from api.app import build_app
from bot.crm import HubSpotConnector, pull_outcomes
from bot.settings import Secret
from bot.store import ProfileStore
from cli.main import main
from tests.studio.studio_server import StudioServer, start_studio
from tests.studio.test_dashboard import funnel_row
from tests.unit.test_api import Api, _serve
from tests.unit.test_crm_hubspot import TOKEN, FakeHubSpot, hubspot  # noqa: F401 (a fixture)

NOW = datetime.now(timezone.utc)
pytestmark = pytest.mark.slow  # a synthetic history of 400 leads, trained on: ~40 s


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StudioServer]:
    server = start_studio(tmp_path)
    # `parley ...` commands below work on the studio's own store.
    monkeypatch.setenv("PARLEY_DATA_DIR", str(server.settings.data_dir))
    monkeypatch.setenv("DATABASE_URL", server.settings.database_url)
    monkeypatch.setenv("PARLEY_TRACKER_STORE_URL", server.settings.tracker_store_url)
    yield server
    server.stop()


@pytest.fixture
def api(studio: StudioServer) -> Iterator[Api]:
    base, stop = _serve(build_app(studio.store, "US", rate=1000.0, burst=1000))
    yield Api(base, studio.store)
    stop()


def _telegram_lead(store: ProfileStore, n: int) -> str:
    return store.leads.update_fields("telegram", f"tg-{n}", {
        "name": f"Lead {n}", "email": f"lead{n}@buyer.example"}, f"tg-{n}").id  # fmt: skip


def _confirm_history(store: ProfileStore, count: int) -> None:
    """Sales confirm `count` leads of the synthetic history, with the outcome it drew."""
    # Outcomes come by contact id, a random one: the real ones may be among the first.
    synthetic = [o for o in store.leads.outcomes() if o.source == "synthetic"]
    for outcome in synthetic[:count]:
        store.leads.record_outcome(outcome.contact_id, outcome.outcome, source="api",
                                   recorded_by="api-token:crm", reason="confirmed by sales")  # fmt: skip


def test_outcomes_from_api_cli_and_hubspot_reach_training_and_the_dashboard(
    studio: StudioServer,
    api: Api,
    hubspot: FakeHubSpot,  # noqa: F811 (the fixture imported above)
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scoring", "synthesize", "--contacts", "400", "--seed", "3"]) == 0
    store = studio.store
    analyst = studio.signed_in("analyst")
    converted = funnel_row(analyst.get("/dashboard?period=all").text, "telegram")[-1]
    by_api, by_cli, by_hubspot = (_telegram_lead(store, n) for n in (1, 2, 3))

    posted = httpx.post(f"{api.url}/api/v1/contacts/{by_api}/outcome",
                        json={"outcome": "won", "value": "900.00", "currency": "EUR"},
                        headers={"Authorization": f"Bearer {api.token('write')}"}, timeout=10)  # fmt: skip
    assert posted.status_code == 201, posted.text
    assert main(["contacts", "outcome", "lead2@buyer.example", "--won", "--value", "500",
                 "--currency", "EUR", "--reason", "annual plan"]) == 0  # fmt: skip
    hubspot.deal("77", "closedwon", NOW - timedelta(hours=1), ("lead3@buyer.example",),
                 amount="1200", deal_currency_code="eur")  # fmt: skip
    connector = HubSpotConnector(Secret(TOKEN), hubspot.url)
    try:
        assert pull_outcomes(store, connector, NOW).recorded == 1
    finally:
        connector.close()
    sources = {c: store.leads.outcome(c).source for c in (by_api, by_cli, by_hubspot)}  # type: ignore[union-attr, arg-type]
    assert sources == {by_api: "api", by_cli: "cli", by_hubspot: "hubspot"}

    _confirm_history(store, 37)
    real = [o for o in store.leads.outcomes() if o.source in ("api", "cli", "hubspot")]
    won = sum(o.outcome == "won" for o in real)
    assert len(real) == 40
    capsys.readouterr()
    assert main(["scoring", "train"]) == 0
    trained = capsys.readouterr().out
    assert f"40 real outcomes ({won} won, {40 - won} lost)" in trained, trained
    assert "ROC AUC on real outcomes" in trained

    page = analyst.get("/dashboard?period=all").text
    assert funnel_row(page, "telegram")[-1] == converted + 3

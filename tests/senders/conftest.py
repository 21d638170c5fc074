"""Loopback fakes of the providers (Twilio, Telegram) and settings that point at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from tests.channels.conftest import fake_twilio  # noqa: F401 (fixture)
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "senders-test-token-0123456789"
SMS_FROM = "+15005550006"
PUBLIC_URL = "https://bot.example.test"
TG_TOKEN = "654321:SENDERS-token-abcdefghijklmnopq"

SettingsFor = Callable[..., Settings]


@pytest.fixture(scope="module")
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TG_TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture
def settings_for(tmp_path: Path) -> SettingsFor:
    def make(**env: str) -> Settings:
        environ = {"PARLEY_DATA_DIR": str(tmp_path), "PARLEY_COMPANY_NAME": "Acme Test Co"}
        return load_settings(environ={**environ, **env}, dotenv=tmp_path / "none.env")

    return make


@pytest.fixture
def twilio_settings(settings_for: SettingsFor, fake_twilio: FakeTwilio) -> Settings:  # noqa: F811
    return settings_for(
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_SMS_FROM=SMS_FROM,
        PARLEY_PUBLIC_URL=PUBLIC_URL,
        TWILIO_API_BASE_URL=fake_twilio.url,
    )

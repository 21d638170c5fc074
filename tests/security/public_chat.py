"""One production-mode Parley for the public chat endpoints' security tests (#17).

REST needs its bearer token, web chat accepts identities signed with IDENTITY_SECRET,
127.0.0.1 is a trusted proxy (so a test can name any client address in
X-Forwarded-For), the chat limits are small, and SMS and Telegram run against loopback
fakes. Session-scoped: every file in tests/security that imports `chat_stack` shares it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.channels import conftest as texting
from tests.channels import test_telegram as telegram_tests
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack, launch

REST_TOKEN = "rest-token-for-security-tests-0123456789"
IDENTITY_SECRET = "site-identity-secret-for-tests-0123456789abcdef-0123456789abcdef"
CONVERSATION_BURST = 6
ADDRESS_BURST = 8


@contextmanager
def exported(env: dict[str, str]) -> Iterator[None]:
    """Settings the children must see even where `parley run` does not pass them on."""
    before = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def launch_with(data_dir: Path, trained_model: Path, **env: str) -> Stack:
    with exported(env):
        return launch(data_dir, trained_model, **env)


def chat_env() -> dict[str, str]:
    return {
        "PARLEY_ENV": "production",
        "PARLEY_REST_TOKEN": REST_TOKEN,
        "PARLEY_WEBCHAT_IDENTITY_SECRET": IDENTITY_SECRET,
        "PARLEY_TRUSTED_PROXIES": "127.0.0.1",
        # One token back every ten seconds: nothing refills during a test.
        "PARLEY_CHAT_CONVERSATION_BURST": str(CONVERSATION_BURST),
        "PARLEY_CHAT_CONVERSATION_RATE": "0.1",
        "PARLEY_CHAT_ADDRESS_BURST": str(ADDRESS_BURST),
        "PARLEY_CHAT_ADDRESS_RATE": "0.1",
    }


@pytest.fixture(scope="session")
def chat_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def chat_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(telegram_tests.TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def chat_stack(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    chat_twilio: FakeTwilio,
    chat_telegram: FakeTelegram,
) -> Iterator[Stack]:
    running = launch_with(
        tmp_path_factory.mktemp("chat-security"),
        trained_model,
        **chat_env(),
        TWILIO_ACCOUNT_SID=texting.ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=texting.AUTH_TOKEN,
        TWILIO_SMS_FROM=texting.SMS_FROM,
        TWILIO_WHATSAPP_FROM=texting.WHATSAPP_FROM,
        PARLEY_PUBLIC_URL=texting.PUBLIC_URL,
        TWILIO_API_BASE_URL=chat_twilio.url,
        **telegram_tests.telegram_env(chat_telegram),
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def rest_post(
    stack: Stack, body: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    """A REST call with exactly these headers (none: the right token)."""
    sent = stack.rest_headers() if headers is None else headers
    return httpx.post(stack.webhook, json=body, headers=sent, timeout=60)


def webchat_url(stack: Stack, path: str) -> str:
    return f"{stack.settings.rasa_url}/webhooks/webchat{path}"

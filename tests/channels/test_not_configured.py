"""Without a Twilio auth token the channel refuses everything: it never takes unsigned traffic."""

from __future__ import annotations

import pytest

from tests.channels.conftest import post_signed
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("path", ["/webhooks/twilio/webhook", "/webhooks/twilio/status"])
def test_unconfigured_twilio_answers_403(unconfigured_stack: Stack, path: str) -> None:
    params = {"MessageSid": "SM1", "From": "+14155550100", "Body": "hi"}
    reply = post_signed(unconfigured_stack, path, params)
    assert reply.status_code == 403 and "not configured" in reply.text

"""Action-server responses are checked as Rasa checks them, with a prepared validator."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from channels import action_responses

GOOD = {
    "events": [{"event": "slot", "name": "lead_name", "value": "Dana", "timestamp": None}],
    "responses": [{"response": "utter_ask_lead_email"}],
}


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    action_responses.install()


def test_a_well_formed_response_passes() -> None:
    assert RemoteAction._validate_action_result.__module__ == action_responses.__name__
    assert RemoteAction("action_submit_lead", None)._validate_action_result(GOOD)
    assert RemoteAction("action_help", None)._validate_action_result({})


@pytest.mark.parametrize(
    "response",
    [
        {"events": "not a list"},
        {"responses": 3},
        {"events": [{"event": "slot"}]},  # a SlotSet without its name
    ],
)
def test_a_malformed_response_fails_as_in_rasa(response: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_submit_lead", None)._validate_action_result(response)

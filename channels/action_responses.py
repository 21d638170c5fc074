"""Checking the action server's answers without checking the checker each time.

Rasa 3.6 validates every action-server response with `jsonschema.validate`, which first
checks Rasa's response schema against JSON Schema's metaschema: 27 ms on 2 cores, paid
by every custom action and form validation, 30-60 ms of a Parley turn (#21, bench/README).
The schema is Rasa's constant, so `install` checks it once and validates each response
with one compiled validator (under 1 ms). A response that does not match goes through
Rasa's own check, which raises the ValidationError Rasa always raised, message and all.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Make `RemoteAction` validate responses with a prepared validator (idempotent)."""
    global _installed
    if _installed:
        return
    from jsonschema import validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    checker = validators.validator_for(schema)
    checker.check_schema(schema)
    validator = checker(schema)
    rasa_validate = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if best_match(validator.iter_errors(result)) is None:
            return True
        return rasa_validate(self, result)

    RemoteAction._validate_action_result = validate_action_result
    _installed = True

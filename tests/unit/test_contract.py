"""Actions registered with rasa-sdk, the domain and the responses agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSE_USE = re.compile(r"""response\s*=\s*["'](utter_\w+)["']|["'](utter_\w+)["']""")
# An action is a name, or a name with its options (`send_domain: true`).
ACTIONS = [a if isinstance(a, str) else next(iter(a)) for a in DOMAIN["actions"]]


def registered_actions() -> set[str]:
    executor = ActionExecutor()
    executor.register_package("actions")
    return set(executor.actions)


def test_registered_actions_match_domain_actions() -> None:
    assert registered_actions() == set(ACTIONS)


def test_every_response_the_code_uses_exists() -> None:
    used = set()
    for path in (ROOT / "actions").rglob("*.py"):
        for match in RESPONSE_USE.finditer(path.read_text(encoding="utf-8")):
            used.add(match.group(1) or match.group(2))
    missing = used - set(DOMAIN["responses"])
    assert used and not missing, f"responses used in actions but not in domain.yml: {missing}"


def test_every_form_slot_has_a_question() -> None:
    """A response, or an action when the question is built at run time (meeting times)."""
    for form in DOMAIN["forms"].values():
        for slot in form["required_slots"]:
            asked_by = {f"utter_ask_{slot}", f"action_ask_{slot}"}
            assert asked_by & {*DOMAIN["responses"], *ACTIONS}, slot


def test_every_story_and_rule_utterance_exists() -> None:
    used = set()
    for path in [*(ROOT / "data").glob("*.yml"), ROOT / "tests" / "test_stories.yml"]:
        used.update(re.findall(r"action:\s*(utter_\w+)", path.read_text(encoding="utf-8")))
    assert used <= set(DOMAIN["responses"]), used - set(DOMAIN["responses"])

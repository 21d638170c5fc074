"""validate_draft: Parley's lints and Rasa's own validation, on copies of the content."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import yaml

from bot.settings import PROJECT_ROOT
from studio.validation import ACTION_VALUES, Problem, lint_domain, validate_draft
from tests.studio.studio_server import copy_content


def domain_of(root: Path) -> Any:
    return yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))


def write_domain(root: Path, domain: Any) -> None:
    (root / "domain.yml").write_text(yaml.safe_dump(domain, sort_keys=False), encoding="utf-8")


def test_the_project_content_has_no_problems(tmp_path: Path) -> None:
    # A false positive here would block every save in the studio.
    assert validate_draft(copy_content(tmp_path)) == []


def test_a_story_with_a_missing_response_gets_rasas_error(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    stories = root / "data" / "stories.yml"
    stories.write_text(
        stories.read_text(encoding="utf-8")
        + "\n  - story: broken\n    steps:\n      - intent: greet\n"
        + "      - action: utter_no_such_response\n",
        encoding="utf-8",
    )
    problems = validate_draft(root)
    missing = [p for p in problems if p.field == "utter_no_such_response"]
    assert missing, problems
    assert missing[0].file == "data/stories.yml"
    assert "is not a valid utterance action" in missing[0].message
    conflict = [p for p in problems if "Story structure conflict" in p.message]
    assert conflict and conflict[0].file == "data/stories.yml" and conflict[0].field == "greet"


def test_a_file_rasa_cannot_read_is_named(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "data" / "rules.yml").write_text("rules:\n- rule: x\n  steps: [\n", encoding="utf-8")
    problems = validate_draft(root)
    assert [p.file for p in problems] == ["data/rules.yml"], problems


def test_unreadable_domain_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "domain.yml").write_text("responses: [unclosed\n", encoding="utf-8")
    problems = validate_draft(root)
    assert problems and problems[0].file == "domain.yml"


def test_buttons_must_be_a_list(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    domain = domain_of(root)
    domain["responses"]["utter_greet"] = [{"text": "Hi", "buttons": "not a list"}]
    write_domain(root, domain)
    problems = validate_draft(root)
    assert any(p.field == "utter_greet[default].buttons" for p in problems), problems


def test_lints_find_placeholders_buttons_voice_and_empty_text(tmp_path: Path) -> None:
    domain = domain_of(copy_content(tmp_path))
    domain["responses"]["utter_greet"] = [
        {"text": "Hi {nme}, I'm {company}'s bot",
         "buttons": [{"title": "Go", "payload": "/no_such_intent"},
                     {"title": "", "payload": "/affirm"},
                     {"title": "Words", "payload": "I decide"}]},
        {"text": "Read www.example.com", "channel": "twilio_voice"},
        {"text": "  ", "channel": "telegram"},
    ]  # fmt: skip
    problems = {p.field: p.message for p in lint_domain(domain)}
    assert problems["utter_greet[default].text"].startswith("Unknown placeholder {nme}:")
    assert "no_such_intent" in problems["utter_greet[default].buttons[0].payload"]
    assert "title" in problems["utter_greet[default].buttons[1].title"]
    assert "utter_greet[default].buttons[2].payload" not in problems
    assert "links" in problems["utter_greet[twilio_voice].text"]
    assert "empty" in problems["utter_greet[telegram].text"]


def test_slots_are_placeholders_too(tmp_path: Path) -> None:
    domain = domain_of(copy_content(tmp_path))
    domain["responses"]["utter_goodbye"] = [{"text": "Bye {lead_name}!"}]
    assert lint_domain(domain) == []


def test_lead_form_must_ask_for_real_slots_once(tmp_path: Path) -> None:
    domain = domain_of(copy_content(tmp_path))
    domain["forms"]["lead_form"]["required_slots"] += ["lead_name", "lead_shoe_size"]
    messages = [p.message for p in lint_domain(domain)]
    assert any("twice" in m and "lead_name" in m for m in messages)
    assert any("lead_shoe_size" in m for m in messages)


def test_qualification_yml_is_checked_with_parleys_loader(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "qualification.yml").write_text(
        "questions:\n  - field: budget\n    skip_when:\n      company_size: [huge]\n",
        encoding="utf-8",
    )
    problems = validate_draft(root)
    assert problems == [Problem("qualification.yml", "questions", problems[0].message)]
    assert "huge" in problems[0].message


def test_action_values_cover_what_actions_pass() -> None:
    """Every `utter_message(response=..., key=...)` in actions/ may use `{key}`."""
    passed: set[str] = set()
    for path in (PROJECT_ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "utter_message"
            ):
                passed |= {k.arg for k in node.keywords if k.arg}
    passed -= {"response", "buttons", "json_message", "text", "image", "attachment"}
    assert passed <= ACTION_VALUES, passed - ACTION_VALUES

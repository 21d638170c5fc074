"""Routing rules (bot/routing.py): reading, checking and choosing, with no files or clock."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest

from bot import routing
from bot.routing import Situation

ROOT = Path(__file__).resolve().parents[2]


def situation(**changes: Any) -> Situation:
    values: dict[str, Any] = {
        "grade": "C", "channel": "web", "answers": {}, "team_open": True,
        "local_time": time(10, 0), "consent": {}, "asked_for_meeting": False,
    }  # fmt: skip
    return Situation(**{**values, **changes})


def problems_of(data: Any) -> list[str]:
    with pytest.raises(routing.RoutingError) as caught:
        routing.rules_from_data(data)
    return [str(p) for p in caught.value.problems]


EVERYONE = {"name": "Everyone else", "then": [{"end": {"text": "Thanks!"}}]}


def test_the_shipped_file_is_the_default_rules_as_the_studio_writes_them() -> None:
    shipped = (ROOT / "routing.yml").read_text(encoding="utf-8")
    assert shipped == routing.dump(routing.default_rules())
    assert routing.parse(shipped) == list(routing.default_rules())


@pytest.mark.parametrize(
    ("now", "branch"),
    [
        (situation(grade="A", team_open=False), "Hot lead while the team is away"),
        (situation(grade="A"), "Hot lead"),
        (situation(grade="B", asked_for_meeting=True), "Warm lead"),
        (situation(grade="C", asked_for_meeting=True), "Came for a demo"),
        (situation(grade=None, asked_for_meeting=True), "Came for a demo"),
        (situation(grade="D"), "Everyone else"),
        (situation(grade=None), "Everyone else"),
    ],
)
def test_the_default_rules_route_as_parley_always_did(now: Situation, branch: str) -> None:
    chosen = routing.choose(routing.default_rules(), now)
    assert chosen is not None and chosen.name == branch


def test_each_condition_must_hold_and_the_first_rule_that_applies_wins() -> None:
    rules = routing.rules_from_data([
        {"name": "Big spenders on SMS", "when": {
            "grade": ["A", "B"], "channel": ["sms", "whatsapp"],
            "answers": {"budget": ["over_50k"], "phone": "known", "company": "unknown"},
            "consent": {"sms": "granted", "email": "not_granted"}},
         "then": [{"tag": "big-spender"}, "handoff"]},
        {"name": "Evenings", "when": {"hours": "18:00-08:00"},
         "then": [{"say": {"text": "Hi {name}", "channels": {"voice": "Hello {name}"}}},
                  {"offer_meeting": {"text": "Shall we meet?"}}]},
        EVERYONE,
    ])  # fmt: skip
    spender = situation(
        grade="B", channel="whatsapp", answers={"budget": "over_50k", "phone": "+1555"},
        consent={"sms": True},
    )  # fmt: skip
    assert routing.choose(rules, spender) == rules[0]
    changes: list[dict[str, Any]] = [
        {"grade": "C"},
        {"channel": "web"},
        {"answers": {"budget": "10k_50k", "phone": "+1555"}},
        {"answers": {"budget": "over_50k"}},  # no phone
        {"answers": {"budget": "over_50k", "phone": "+1555", "company": "Acme"}},
        {"consent": {"sms": True, "email": True}},
        {"consent": {}},
    ]
    for changed in changes:
        now = Situation(**{**spender.__dict__, **changed})
        assert routing.choose(rules, now) == rules[2], changed
    assert routing.choose(rules, situation(local_time=time(23, 30))) == rules[1]
    assert routing.choose(rules, situation(local_time=time(7, 59))) == rules[1]
    assert routing.choose(rules, situation(local_time=time(8, 0))) == rules[2]
    assert rules[1].then[0].wording is not None
    assert rules[1].then[0].wording.text_for("voice") == "Hello {name}"
    assert rules[1].then[0].wording.text_for("whatsapp") == "Hi {name}"


def test_a_rule_asking_again_asks_once_and_only_while_unknown() -> None:
    rules = routing.rules_from_data(
        [{"name": "Budget", "when": {"grade": ["B"]}, "then": [{"ask": "budget"}]}, EVERYONE]
    )
    assert routing.choose(rules, situation(grade="B")) == rules[0]
    assert (
        routing.choose(rules, situation(grade="B", asked_again=frozenset({"budget"}))) == rules[1]
    )
    assert routing.choose(rules, situation(grade="B", answers={"budget": "1k_10k"})) == rules[1]


def test_the_office_hours_condition_reads_the_team() -> None:
    rules = routing.rules_from_data(
        [{"name": "Open", "when": {"office_hours": "open"}, "then": ["handoff"]}, EVERYONE]
    )
    assert routing.choose(rules, situation(team_open=True)) == rules[0]
    assert routing.choose(rules, situation(team_open=False)) == rules[1]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            {"name": "x", "when": {"grade": ["E"]}, "then": ["handoff"]},
            "rule 1 when.grade: unknown E",
        ),
        (
            {"name": "x", "when": {"channel": ["fax"]}, "then": ["handoff"]},
            "rule 1 when.channel: unknown fax",
        ),
        (
            {"name": "x", "when": {"answers": {"Shoe Size": "known"}}, "then": ["handoff"]},
            "rule 1 when.answers.Shoe Size: no question or detail",
        ),
        (
            {"name": "x", "when": {"answers": {"budget": ["lots"]}}, "then": ["handoff"]},
            "rule 1 when.answers.budget: budget is never lots",
        ),
        (
            {"name": "x", "when": {"hours": "9 to 5"}, "then": ["handoff"]},
            "rule 1 when.hours: from-to",
        ),
        (
            {"name": "x", "when": {"consent": {"fax": "granted"}}, "then": ["handoff"]},
            "rule 1 when.consent.fax: no consent purpose",
        ),
        (
            {"name": "x", "when": {"asked_for": "person"}, "then": ["handoff"]},
            "rule 1 when.asked_for: asking for a person always hands over first",
        ),
        ({"name": "x", "then": []}, "rule 1 then: say what the rule does"),
        ({"name": "", "then": ["handoff"]}, "rule 1 name: give the rule a name"),
        (
            {"name": "x", "then": ["handoff", {"end": {"text": "bye"}}]},
            "rule 1 then[2]: one question per rule",
        ),
        (
            {"name": "x", "then": ["handoff", {"tag": "vip"}]},
            "rule 1 then[1]: the question comes last",
        ),
        ({"name": "x", "then": [{"dance": "now"}]}, "rule 1 then[1]: unknown action"),
        (
            {"name": "x", "then": [{"ask": "shoe_size"}]},
            "rule 1 then[1]: ask one of the qualifying",
        ),
        (
            {"name": "x", "then": [{"say": {"text": "Hi {first_name}"}}]},
            "rule 1 then[1]: only {name} is filled in",
        ),
        ({"name": "x", "then": [{"tag": "Not A Tag!"}]}, "rule 1 then[1]: name the tag"),
    ],
)
def test_a_broken_rule_is_refused_with_the_field_named(rule: dict[str, Any], expected: str) -> None:
    found = problems_of([rule, EVERYONE])
    assert any(p.startswith(expected) for p in found), found


def test_every_lead_must_end_somewhere_and_every_rule_be_reachable() -> None:
    hot = {"name": "Hot", "when": {"grade": ["A"]}, "then": ["handoff"]}
    assert problems_of([hot]) == [
        "the last rule must apply to everyone (no conditions), so that every lead ends somewhere"
    ]
    assert problems_of([EVERYONE, hot]) == [
        "rule 2: never applies: rule 1 (Everyone else) before it applies to everyone"
    ]
    assert problems_of([hot, {**hot}, EVERYONE]) == ["rule 2 name: rule 1 has this name already"]


def test_actions_that_point_nowhere_are_named() -> None:
    rules = routing.rules_from_data([
        {"name": "x", "when": {"grade": ["A"]}, "then": [{"enroll": "ghost"}, {"ask": "budget"}]},
        {"name": "y", "then": [{"end": {"response": "utter_nowhere"}}]},
    ])  # fmt: skip
    targets = routing.Targets(
        responses=frozenset({"utter_route_close"}),
        campaigns=frozenset({"nurture"}),
        questions=frozenset({"company_size"}),
    )
    assert [str(p) for p in routing.dangling(rules, targets)] == [
        "rule 1 then[1]: no campaign 'ghost' (campaigns: nurture)",
        "rule 1 then[2]: qualification.yml does not ask budget",
        "rule 2 then[1]: domain.yml has no response utter_nowhere",
    ]


def test_conditions_on_answers_of_the_marketers_own_must_name_one_of_them() -> None:
    rules = routing.rules_from_data([
        {"name": "x", "when": {"answers": {"heard_from": "event", "crm": "known"}}, "then": ["handoff"]},
        EVERYONE,
    ])  # fmt: skip
    targets = routing.Targets(
        responses=frozenset(),
        campaigns=frozenset(),
        questions=frozenset({"crm"}),
        custom_answers=frozenset({"crm"}),
    )
    assert [str(p) for p in routing.dangling(rules, targets)] == [
        "rule 1 when.answers.heard_from: no qualifying question or lead field 'heard_from'"
    ]
    with pytest.raises(routing.RoutingError, match="no question or detail 'Not A Name'"):
        routing.rules_from_data(
            [{"name": "y", "when": {"answers": {"Not A Name": "x"}}, "then": ["handoff"]}]
        )


def test_rules_survive_a_round_trip_through_the_file() -> None:
    rules = routing.rules_from_data([
        {"name": "Evening SMS", "when": {"channel": ["sms"], "hours": "18:00-08:00",
                                         "consent": {"sms": "granted"},
                                         "answers": {"timeline": ["now", "quarter"]}},
         "then": [{"say": {"text": "Hi {name}", "channels": {"voice": "Hello"}}},
                  {"tag": "evening"}, {"enroll": "nurture"}, {"offer_person": {"text": "Talk now?"}}]},
        EVERYONE,
    ])  # fmt: skip
    assert routing.parse(routing.dump(rules)) == rules


def test_a_file_broken_by_hand_is_refused_and_a_missing_one_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / "routing.yml"
    assert routing.RoutingFile(path).current() == routing.default_rules()
    path.write_text("rules: [oops", encoding="utf-8")
    with pytest.raises(routing.RoutingError):
        routing.RoutingFile(path).current()
    path.write_text(routing.dump([routing.rules_from_data([EVERYONE])[0]]), encoding="utf-8")
    source = routing.RoutingFile(path)
    assert [r.name for r in source.current()] == ["Everyone else"]


def test_the_shipped_rules_point_only_at_what_the_shipped_content_has() -> None:
    import yaml

    from studio.validation import lint_routing

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert lint_routing(ROOT, domain) == []
    broken = [
        {**r.to_yaml(), "then": [{"enroll": "ghost"}, "handoff"]}
        for r in routing.default_rules()[:1]
    ]
    rules = routing.rules_from_data([*broken, *(r.to_yaml() for r in routing.default_rules()[1:])])
    targets = routing.Targets(frozenset(domain["responses"]), frozenset({"nurture"}), frozenset())
    assert [str(p) for p in routing.dangling(rules, targets)] == [
        "rule 1 then[1]: no campaign 'ghost' (campaigns: nurture)"
    ]

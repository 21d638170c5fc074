"""The rubric file: the shipped one loads; mistakes are refused naming the line."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.scoring import Profile, load_rubric, score
from bot.scoring.engine import Engagement
from bot.scoring.rubric import RubricError
from bot.settings import PROJECT_ROOT

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
SHIPPED = load_rubric(PROJECT_ROOT / "scoring.yml")

MINIMAL = """\
version: "t1"
grades:
  A: 60
  B: 40
  C: 20
fit:
  - field: budget
    points: {over_50k: 25, 10k_50k: 20}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scoring.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_rubric_loads() -> None:
    assert SHIPPED.version and SHIPPED.grades[0][0] == "A"
    assert {rule.field for rule in SHIPPED.fit} >= {
        "budget",
        "company_size",
        "authority",
        "timeline",
        "role",
    }


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (MINIMAL + "  - field: age\n    points: {x: 1}\n", 9, "'age' is a protected attribute"),
        (
            MINIMAL
            + "  - field: role\n    words:\n      - match: [pregnant]\n        points: -5\n",
            11,
            "'pregnant' is a protected attribute",
        ),
        (MINIMAL + "  - field: gender\n", 9, "'gender' is a protected attribute"),
        (
            MINIMAL + "  - field: favourite_colour\n    points: {x: 1}\n",
            9,
            "unknown field 'favourite_colour'",
        ),
        (
            MINIMAL + "  - field: budget\n    points: {loads: 5}\n",
            10,
            "budget has no value 'loads'",
        ),
        (MINIMAL.replace("B: 40", "B: 70"), 3, "strictly lower"),
        (MINIMAL.replace("A: 60", "A: many"), 3, "whole number"),
        (MINIMAL.replace("A: 60", "A: 160"), 3, "between 0 and 100"),
        (
            MINIMAL + "engagement:\n  events:\n    liked_our_post: 5\n",
            11,
            "unknown engagement event",
        ),
        (MINIMAL + "predictive:\n  weight: 2\n", 10, "between 0 and 1"),
        (MINIMAL + "colour: blue\n", 9, "unknown section 'colour'"),
        ("grades: [\n", None, "not valid YAML"),
    ],
)
def test_mistakes_name_the_line(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    with pytest.raises(RubricError) as error:
        load_rubric(write(tmp_path, text))
    message = str(error.value)
    assert words in message and "scoring.yml" in message
    if line is not None:
        assert error.value.line == line, message


def test_protected_words_inside_other_words_are_fine(tmp_path: Path) -> None:
    # "engagement" and "stage" contain "age"; "manager" is not "man".
    text = (
        MINIMAL
        + "  - field: role\n    words:\n      - match: [manager, stage lead]\n        points: 5\n"
    )
    load_rubric(write(tmp_path, text))


def test_explanations_say_what_gave_points() -> None:
    profile = Profile({"budget": "10k_50k", "role": "VP of Marketing", "company_size": "1-10"})
    result = score(profile, SHIPPED, NOW)
    details = [r.detail for r in result.reasons]
    assert "+20 budget 10k_50k" in details
    assert any(d.startswith('+10 role "VP of Marketing"') for d in details)
    assert not any("company_size" in d for d in details)  # 0 points are not listed
    assert result.score == 30 and result.grade == "C" and result.stage == "new"


def test_nothing_known_scores_zero() -> None:
    result = score(Profile({}), SHIPPED, NOW)
    assert (result.score, result.grade, result.stage, result.reasons) == (0, "D", "new", ())


def test_engagement_halves_after_its_half_life_and_is_capped() -> None:
    half_life = timedelta(days=SHIPPED.half_life_days)
    fresh = score(Profile({}, (Engagement("requested_demo", NOW),)), SHIPPED, NOW)
    old = score(Profile({}, (Engagement("requested_demo", NOW - half_life),)), SHIPPED, NOW)
    assert fresh.reasons[0].points == 10 and old.reasons[0].points == pytest.approx(5)
    many = score(
        Profile({}, tuple(Engagement("asked_pricing", NOW) for _ in range(9))), SHIPPED, NOW
    )
    assert many.reasons[0].points == 10 and "x9" in many.reasons[0].detail


def test_a_perfect_lead_is_a_sales_qualified_a_and_clamped() -> None:
    fields = {
        "budget": "over_50k",
        "company_size": "1000+",
        "authority": "decides",
        "timeline": "now",
        "role": "CEO",
    }
    events = tuple(
        Engagement(kind, NOW) for kind in ("asked_pricing", "requested_demo", "replied_to_followup")
    )
    result = score(Profile(fields, events), SHIPPED, NOW)
    assert (result.score, result.grade, result.stage) == (100, "A", "sql")


def test_scoring_is_deterministic_for_a_fixed_now() -> None:
    profile = Profile({"budget": "1k_10k"}, (Engagement("asked_pricing", NOW - timedelta(days=3)),))
    assert score(profile, SHIPPED, NOW) == score(profile, SHIPPED, NOW)

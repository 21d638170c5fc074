"""The predictive model and the fairness audit, on synthetic history and crafted data."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.phone_places import country_of
from bot.scoring import Profile, load_rubric, predictive, profile_of, score_contact
from bot.scoring.audit import AuditRow, audit, collect
from bot.scoring.synthetic import generate
from bot.settings import PROJECT_ROOT
from bot.store import ProfileStore, upgrade

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
# Measured 0.79 on this seed and size (closing note of #4); the floor leaves a margin.
AUC_FLOOR = 0.72


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProfileStore]:
    url = f"sqlite:///{tmp_path_factory.mktemp('synthetic') / 'parley.db'}"
    upgrade(url)
    store = ProfileStore.from_url(url)
    generate(store, 1200, seed=11, now=NOW)
    rubric = load_rubric(PROJECT_ROOT / "scoring.yml")
    for contact in store.contacts.iterate():
        score_contact(store, contact.id, rubric=rubric, now=NOW)
    yield store
    store.dispose()


def _training_set(store: ProfileStore) -> tuple[list[Profile], list[bool]]:
    outcomes = store.leads.outcomes()
    return [profile_of(store, o.contact_id) for o in outcomes], [
        o.outcome == "won" for o in outcomes
    ]


def test_model_beats_the_auc_floor_and_is_calibrated(history: ProfileStore, tmp_path: Path) -> None:
    profiles, won = _training_set(history)
    model = predictive.train(profiles, won, NOW)
    assert model.metrics.roc_auc >= AUC_FLOOR
    assert model.metrics.held_out == 300
    for _low, _high, count, predicted, actual in model.metrics.calibration:
        if count >= 30:
            assert abs(predicted - actual) < 0.15
    predictive.save_model(model, tmp_path)
    loaded = predictive.load_model(tmp_path)
    assert loaded is not None and loaded.version == model.version
    assert loaded.data_fingerprint == predictive.fingerprint(
        [predictive.features(p) for p in profiles], [int(w) for w in won]
    )


def test_the_order_the_store_gives_outcomes_in_changes_nothing(history: ProfileStore) -> None:
    profiles, won = _training_set(history)
    order = list(range(len(won)))
    random.Random(3).shuffle(order)
    first = predictive.train(profiles, won, NOW)
    shuffled = predictive.train([profiles[i] for i in order], [won[i] for i in order], NOW)
    assert shuffled.metrics == first.metrics
    assert shuffled.data_fingerprint == first.data_fingerprint


def test_the_model_never_sees_channel_or_country() -> None:
    names = predictive.feature_names()
    assert not any(n.startswith(("channel", "country", "phone")) for n in names)


def test_too_little_history_is_refused_clearly() -> None:
    with pytest.raises(predictive.NotEnoughData, match="rubric scores alone"):
        predictive.train([Profile({})] * 50, [True] * 25 + [False] * 25, NOW)


def test_blending_changes_the_score_by_the_weight(history: ProfileStore, tmp_path: Path) -> None:
    profiles, won = _training_set(history)
    predictive.save_model(predictive.train(profiles, won, NOW), tmp_path)
    contact = next(iter(history.contacts.iterate()))
    rubric = load_rubric(PROJECT_ROOT / "scoring.yml")
    plain = score_contact(history, contact.id, rubric=rubric, now=NOW)
    blended = score_contact(history, contact.id, rubric=rubric, now=NOW, model_dir=tmp_path)
    assert blended.model_version is not None and blended.predicted is not None
    expected = round(
        (1 - rubric.predictive_weight) * plain.score
        + rubric.predictive_weight * 100 * blended.predicted
    )
    assert blended.score == expected
    assert blended.reasons[-1].rule == "predictive"


def test_synthetic_audit_passes_for_channel_and_country(history: ProfileStore) -> None:
    report = audit(list(collect(history)))
    assert report.total == 1200
    flagged = {(g.attribute, g.value) for g in report.flagged}
    assert not {a for a, _ in flagged} & {"channel", "country"}, flagged


def test_audit_numbers_on_a_crafted_set() -> None:
    rows = (
        [AuditRow("A", "web", "US", "51-200")] * 30
        + [AuditRow("C", "web", "US", "51-200")] * 20  # web: 30 of 50 selected = 0.6
        + [AuditRow("B", "sms", "GB", "1-10")] * 20
        + [AuditRow("D", "sms", "GB", "1-10")] * 30  # sms: 20 of 50 = 0.4
        + [AuditRow("A", "voice", "US", "1-10")] * 2  # voice: too few to flag
    )
    report = audit(rows, min_group=30)
    by = {(g.attribute, g.value): g for g in report.groups}
    assert by[("channel", "web")].selection_rate == pytest.approx(0.6)
    assert by[("channel", "sms")].ratio == pytest.approx(0.4 / 0.6)
    assert by[("channel", "sms")].flagged and not by[("channel", "web")].flagged
    assert not by[("channel", "voice")].flagged and by[("channel", "voice")].count == 2
    assert by[("country", "GB")].grades == {"A": 0, "B": 20, "C": 0, "D": 30}
    assert by[("country", "US")].selection_rate == pytest.approx(32 / 52)


@pytest.mark.parametrize(
    ("phone", "country"),
    [("+14155550134", "US"), ("+442034567890", "GB"), (None, None), ("12", None)],
)
def test_country_from_phone(phone: str | None, country: str | None) -> None:
    assert country_of(phone) == country

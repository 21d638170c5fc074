"""The predictive score: a logistic regression trained on won/lost outcomes in the store.

Its inputs are the same stated-fit answers and behaviour the rubric uses; never channel,
country or any protected attribute, so the audit's groups are not inputs to the model.
The model is saved with its version, the fingerprint of its training data and its
held-out metrics; with too little history nothing is saved and the rubric scores alone.

Real outcomes (recorded in the studio, by the API, the CLI or pulled from HubSpot) are
preferred over synthetic history (`parley scoring synthesize`): once there are
MIN_OUTCOMES of them with MIN_PER_CLASS won and as many lost, the model learns from
them alone. Until then it learns from the synthetic history, if there is one, and is
measured on whatever real outcomes there are (its ROC AUC needs one of each).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from bot.errors import ParleyError
from bot.scoring.engine import Profile
from bot.scoring.rubric import ENGAGEMENT_EVENTS
from bot.types import QUALIFICATION_VALUES

MODEL_FILE = "scoring-model.pickle"
MIN_OUTCOMES = 200
MIN_PER_CLASS = 30
_SENIOR = (
    "ceo",
    "cto",
    "cmo",
    "coo",
    "founder",
    "owner",
    "president",
    "chief",
    "vp",
    "head",
    "director",
)


@dataclass
class NotEnoughData(ParleyError):
    outcomes: int
    won: int
    lost: int

    def __str__(self) -> str:
        return (
            f"not enough sales outcomes to train a model: {self.outcomes} "
            f"({self.won} won, {self.lost} lost); need {MIN_OUTCOMES} with at least "
            f"{MIN_PER_CLASS} of each (or synthetic history to start from: `parley scoring "
            "synthesize`). The rubric scores alone until then."
        )


@dataclass(frozen=True)
class Metrics:
    roc_auc: float
    held_out: int
    trained_on: int
    # (bucket low, bucket high, leads in bucket, mean predicted, share actually won)
    calibration: tuple[tuple[float, float, int, float, float], ...]


@dataclass
class Model:
    version: str
    created_at: str
    data_fingerprint: str
    metrics: Metrics
    estimator: LogisticRegression
    # "real" or "synthetic"; models saved before #20 have neither and say "outcomes".
    trained_on: str = "outcomes"
    real_outcomes: int = 0  # real outcomes in the store when it was trained
    real_auc: float | None = None  # its ROC AUC on them (held out when trained on them)

    def probability(self, profile: Profile) -> float:
        return float(self.estimator.predict_proba(np.array([features(profile)]))[0, 1])


def feature_names() -> list[str]:
    names = [
        f"{field}={value}" for field, values in QUALIFICATION_VALUES.items() for value in values
    ]
    return [*names, "role=senior", *(f"events.{kind}" for kind in ENGAGEMENT_EVENTS)]


def features(profile: Profile) -> list[float]:
    row = [
        1.0 if profile.fields.get(field) == value else 0.0
        for field, values in QUALIFICATION_VALUES.items()
        for value in values
    ]
    role = profile.fields.get("role", "").lower()
    row.append(1.0 if any(word in role.split() for word in _SENIOR) else 0.0)
    for kind in ENGAGEMENT_EVENTS:
        row.append(float(min(3, sum(1 for e in profile.engagements if e.kind == kind))))
    return row


def _in_canonical_order(
    rows: Sequence[Sequence[float]], labels: Sequence[int]
) -> tuple[list[list[float]], list[int]]:
    """The same leads in one order whatever order the store gave them in: outcomes come
    by contact id, a random UUID, and the held-out split (so the metrics, and whether a
    model is kept) must not depend on which ids the leads happened to get."""
    pairs = sorted(zip((list(row) for row in rows), labels, strict=True))
    return [row for row, _ in pairs], [label for _, label in pairs]


def fingerprint(rows: Sequence[Sequence[float]], labels: Sequence[int]) -> str:
    digest = hashlib.sha256()
    for row, label in zip(*_in_canonical_order(rows, labels), strict=True):
        digest.update(json.dumps([row, label]).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class History:
    """Leads with a known outcome: each one's profile, and whether it was won."""

    profiles: Sequence[Profile]
    won: Sequence[bool]

    def __len__(self) -> int:
        return len(self.won)

    @property
    def counts(self) -> tuple[int, int]:
        """(won, lost)"""
        positives = sum(1 for w in self.won if w)
        return positives, len(self.won) - positives

    @property
    def enough(self) -> bool:
        return len(self) >= MIN_OUTCOMES and min(self.counts) >= MIN_PER_CLASS


def train_on(real: History, synthetic: History, now: datetime, seed: int = 7) -> Model:
    """Learn from the real outcomes when there are enough, else from the synthetic
    history measured on the real outcomes; NotEnoughData (counting the real ones) when
    neither will do."""
    if real.enough:
        model = train(real.profiles, real.won, now, seed)
        model.trained_on, model.real_auc = "real", model.metrics.roc_auc
    elif synthetic.enough:
        model = train(synthetic.profiles, synthetic.won, now, seed)
        model.trained_on, model.real_auc = "synthetic", auc_on(model, real)
    else:
        raise NotEnoughData(len(real), *real.counts)
    model.real_outcomes = len(real)
    return model


def auc_on(model: Model, history: History) -> float | None:
    """The model's ROC AUC on these outcomes; None without one won and one lost."""
    if min(history.counts) < 1:
        return None
    predicted = model.estimator.predict_proba(np.array([features(p) for p in history.profiles]))
    return float(roc_auc_score([int(w) for w in history.won], predicted[:, 1]))


def train(profiles: Sequence[Profile], won: Sequence[bool], now: datetime, seed: int = 7) -> Model:
    labels = [int(w) for w in won]
    positives = sum(labels)
    if not History(profiles, won).enough:
        raise NotEnoughData(len(labels), positives, len(labels) - positives)
    rows, labels = _in_canonical_order([features(p) for p in profiles], labels)
    x, y = np.array(rows), np.array(labels)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=seed, stratify=y
    )
    estimator = LogisticRegression(max_iter=1000, C=1.0)
    estimator.fit(x_train, y_train)
    predicted = estimator.predict_proba(x_test)[:, 1]
    metrics = Metrics(
        roc_auc=float(roc_auc_score(y_test, predicted)),
        held_out=len(y_test),
        trained_on=len(y_train),
        calibration=_calibration(predicted, y_test),
    )
    data_fingerprint = fingerprint(rows, labels)
    return Model(
        version=f"lr-{now:%Y%m%d%H%M%S}-{data_fingerprint[:8]}",
        created_at=now.isoformat(),
        data_fingerprint=data_fingerprint,
        metrics=metrics,
        estimator=estimator,
    )


def _calibration(
    predicted: np.ndarray[Any, Any], actual: np.ndarray[Any, Any], buckets: int = 5
) -> tuple[tuple[float, float, int, float, float], ...]:
    rows = []
    for i in range(buckets):
        low, high = i / buckets, (i + 1) / buckets
        inside = (predicted >= low) & (
            (predicted < high) if i < buckets - 1 else (predicted <= high)
        )
        count = int(inside.sum())
        if count:
            rows.append(
                (low, high, count, float(predicted[inside].mean()), float(actual[inside].mean()))
            )
    return tuple(rows)


def save_model(model: Model, model_dir: Path) -> Path:
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_dir / MODEL_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps(model))
    temporary.replace(path)  # atomic: a reader never sees half a model
    summary = {k: v for k, v in asdict(model).items() if k != "estimator"}
    (model_dir / "scoring-model.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return path


def load_model(model_dir: Path) -> Model | None:
    path = model_dir / MODEL_FILE
    if not path.exists():
        return None
    # The file is written only by `parley scoring train` into Parley's own data directory.
    model = pickle.loads(path.read_bytes())
    return model if isinstance(model, Model) else None

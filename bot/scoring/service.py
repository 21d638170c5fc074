"""Scoring a contact in the store: gather the profile, score it, save the result."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.scoring.engine import Engagement, Profile, ScoreResult, blend, score
from bot.scoring.rubric import ENGAGEMENT_EVENTS, Rubric
from bot.store import ProfileStore
from bot.types import ContactId


def profile_of(store: ProfileStore, contact_id: ContactId) -> Profile:
    contact = store.contacts.get(contact_id)
    fields = {
        "role": contact.role or "",
        "company": contact.company or "",
        "need": contact.need or "",
        **store.leads.qualification(contact.id),
    }
    engagements = tuple(
        Engagement(event.kind, event.occurred_at)
        for event in store.contacts.timeline(contact.id)
        if event.kind in ENGAGEMENT_EVENTS
    )
    return Profile({k: v for k, v in fields.items() if v}, engagements)


def score_contact(
    store: ProfileStore,
    contact_id: ContactId,
    *,
    rubric: Rubric,
    now: datetime,
    model_dir: Path | None = None,
) -> ScoreResult:
    """Score with the rubric, blend in the predictive model if one is trained, and save."""
    profile = profile_of(store, contact_id)
    result = score(profile, rubric, now)
    if model_dir is not None and rubric.predictive_weight > 0:
        from bot.scoring.predictive import load_model

        model = load_model(model_dir)
        if model is not None:
            result = blend(result, rubric, model.probability(profile), model.version)
    store.leads.save_score(
        contact_id,
        score=result.score,
        grade=result.grade,
        stage=result.stage,
        rubric_version=result.rubric_version,
        model_version=result.model_version,
        explanation=result.explanation(),
        now=now,
    )
    return result

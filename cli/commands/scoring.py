"""`parley scoring explain|rescore|train|evaluate|audit|synthesize`."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from bot.errors import ContactNotFound, ParleyError
from bot.qualification import load_qualification_config
from bot.scoring import Profile, load_content_rubric, predictive, profile_of, score_contact
from bot.scoring.audit import AuditReport, audit, collect
from bot.scoring.rubric import Rubric
from bot.scoring.synthetic import SYNTHETIC_DOMAIN, generate
from bot.settings import Settings
from bot.store import ProfileStore
from cli.commands.privacy import actor


class RefusedOnRealData(ParleyError):
    def __str__(self) -> str:
        return (
            "the profile store holds real contacts; synthetic history would mix with them. "
            "Point PARLEY_DATA_DIR (or DATABASE_URL) at an empty store, or pass --force."
        )


def rubric_of(settings: Settings) -> Rubric:
    return load_content_rubric(settings.scoring_file, settings.qualification_file)


def model_dir(settings: Settings) -> Path:
    return settings.data_dir / "models"


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    store = ProfileStore.from_url(settings.database_url)
    now = datetime.now(timezone.utc)
    try:
        command = args.scoring_command
        if command == "explain":
            return explain(store, settings, args.key, now)
        if command == "rescore":
            return rescore(store, settings, now)
        if command == "train":
            return train(store, settings, now)
        if command == "evaluate":
            return evaluate(settings)
        if command == "audit":
            return print_audit(store, settings, now, as_json=args.json, rescore_first=args.rescore)
        return synthesize(store, args.contacts, args.seed, args.force, now)
    finally:
        store.dispose()


def explain(store: ProfileStore, settings: Settings, key: str, now: datetime) -> int:
    contact = store.contacts.find(key)
    if contact is None:
        raise ContactNotFound(key)
    store.privacy.record_audit(actor(), "explain_score", contact.id)
    result = score_contact(
        store,
        contact.id,
        rubric=rubric_of(settings),
        now=now,
        model_dir=model_dir(settings),
    )
    print(
        f"{contact.name or contact.id}: score {result.score}, grade {result.grade}, "
        f"stage {result.stage} (rubric {result.rubric_version}"
        f"{', model ' + result.model_version if result.model_version else ''})"
    )
    if not result.reasons:
        print("  no rule gave points: nothing known about fit or engagement yet")
    for reason in result.reasons:
        print(f"  {reason.detail}")
    known = store.leads.qualification(contact.id)
    asked = load_qualification_config(settings.qualification_file).questions
    missing = [q.field for q in asked if q.field not in known]
    if missing:
        print(f"  (unanswered: {', '.join(missing)})")
    return 0


def rescore(store: ProfileStore, settings: Settings, now: datetime) -> int:
    rubric = rubric_of(settings)
    count = 0
    for contact in store.contacts.iterate():
        score_contact(store, contact.id, rubric=rubric, now=now, model_dir=model_dir(settings))
        count += 1
    print(f"rescored {count} contacts with rubric {rubric.version}")
    return 0


def _histories(store: ProfileStore) -> tuple[predictive.History, predictive.History]:
    """(real, synthetic): each contact's current outcome, by where it was recorded."""
    real: tuple[list[Profile], list[bool]] = ([], [])
    synthetic: tuple[list[Profile], list[bool]] = ([], [])
    for outcome in store.leads.outcomes():
        into = synthetic if outcome.source == "synthetic" else real
        into[0].append(profile_of(store, outcome.contact_id))
        into[1].append(outcome.outcome == "won")
    return predictive.History(*real), predictive.History(*synthetic)


def train(store: ProfileStore, settings: Settings, now: datetime) -> int:
    real, synthetic = _histories(store)
    try:
        model = predictive.train_on(real, synthetic, now)
    except predictive.NotEnoughData as error:
        print(f"parley: {error}")
        return 1
    path = predictive.save_model(model, model_dir(settings))
    print(
        f"trained {model.version} on {model.metrics.trained_on} {model.trained_on} leads "
        f"(data fingerprint {model.data_fingerprint}); saved to {path}"
    )
    if model.trained_on == "real" and len(synthetic):
        print(f"synthetic history ({len(synthetic)} outcomes) left out: real outcomes preferred")
    if model.trained_on == "synthetic":
        won, lost = real.counts
        print(
            f"{len(real)} real outcomes ({won} won, {lost} lost): fewer than "
            f"{predictive.MIN_OUTCOMES} with {predictive.MIN_PER_CLASS} of each, so the "
            "model learned from the synthetic history"
        )
    _print_metrics(model)
    return 0


def evaluate(settings: Settings) -> int:
    model = predictive.load_model(model_dir(settings))
    if model is None:
        print("no predictive model trained yet: `parley scoring train` (the rubric scores alone)")
        return 1
    print(
        f"model {model.version}, trained {model.created_at}, data fingerprint {model.data_fingerprint}"
    )
    _print_metrics(model)
    return 0


def _print_metrics(model: predictive.Model) -> None:
    metrics = model.metrics
    print(f"ROC AUC {metrics.roc_auc:.3f} on {metrics.held_out} held-out leads")
    if model.trained_on == "real":
        print(f"ROC AUC on real outcomes {metrics.roc_auc:.3f} (the held-out leads above)")
    elif model.real_auc is not None:
        print(f"ROC AUC on real outcomes {model.real_auc:.3f} ({model.real_outcomes} outcomes)")
    elif model.trained_on == "synthetic":
        print("ROC AUC on real outcomes: none yet (it needs one won and one lost)")
    print("calibration (predicted probability bucket: leads, mean predicted, share won):")
    for low, high, count, predicted, actual in metrics.calibration:
        print(f"  {low:.1f}-{high:.1f}: {count:5d}  {predicted:.2f}  {actual:.2f}")


def print_audit(
    store: ProfileStore, settings: Settings, now: datetime, *, as_json: bool, rescore_first: bool
) -> int:
    if rescore_first:
        rescore(store, settings, now)
    custom = tuple(load_qualification_config(settings.qualification_file).custom_choices)
    report = audit(list(collect(store, custom)), custom=custom)
    if as_json:
        print(
            json.dumps(
                {"total": report.total, "groups": [asdict(g) for g in report.groups]}, indent=2
            )
        )
        return 0
    _print_report(report)
    return 0


def _print_report(report: AuditReport) -> None:
    print(f"{report.total} scored contacts; selection = graded A or B")
    print(
        f"{'attribute':13} {'group':10} {'leads':>6}  {'A':>4} {'B':>4} {'C':>4} {'D':>4}  "
        f"{'selected':>8}  {'ratio':>5}"
    )
    for g in report.groups:
        flag = "  < 0.8: REVIEW" if g.flagged else ""
        grades = " ".join(f"{g.grades[x]:>4}" for x in "ABCD")
        print(
            f"{g.attribute:13} {g.value:10} {g.count:>6}  {grades}  {g.selection_rate:>8.1%}  "
            f"{g.ratio:>5.2f}{flag}"
        )
    if report.flagged:
        print(
            "Flagged groups are selected at under four fifths of the best group's rate. "
            "Company size is a fit criterion of the rubric, so differences there are by "
            "design, as are your own questions' answers the rubric gives points for; "
            "differences by channel or country, or by an answer the rubric does not score, "
            "deserve a look at the rubric and at what the question asks."
        )


def synthesize(store: ProfileStore, count: int, seed: int, force: bool, now: datetime) -> int:
    real = [
        c for c in store.contacts.page(limit=50) if not (c.email or "").endswith(SYNTHETIC_DOMAIN)
    ]
    if real and not force:
        raise RefusedOnRealData()
    report = generate(store, count, seed, now)
    print(
        f"generated {report.contacts} synthetic leads ({report.won} won, {report.lost} lost), "
        f"emails @{SYNTHETIC_DOMAIN}"
    )
    return 0

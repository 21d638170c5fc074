"""Sales outcomes in the profile store (#20): one current outcome per contact with its
history, value with currency, audited, reported as lead.outcome through the webhook
outbox, moved by merges, gone with erasure, carried by the export; on SQLite and
PostgreSQL, and the migration that brings older outcomes along."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from bot.errors import ContactNotFound, InvalidField
from bot.store import ProfileStore, downgrade, upgrade
from bot.store.schema import contacts, lead_outcomes
from tests.store.conftest import NOW, at

HOOK = "https://hooks.example.test/outcomes"


def _contact(store: ProfileStore, n: int = 1) -> str:
    return store.leads.update_fields(
        "web", f"w{n}", {"name": f"Ada {n}", "email": f"ada{n}@acme.io"}, f"w{n}", now=NOW
    ).id


def _won(store: ProfileStore, contact_id: str, **extra: object) -> tuple[object, bool]:
    given: dict[str, object] = {
        "source": "api", "recorded_by": "api-token:abc", "value": "12500.50",
        "currency": "eur", "reason": "signed the annual plan", "now": at(10), **extra,
    }  # fmt: skip
    return store.leads.record_outcome(contact_id, "won", **given)  # type: ignore[arg-type]


def test_an_outcome_keeps_value_currency_reason_source_and_who(store: ProfileStore) -> None:
    contact_id = _contact(store)
    record, new = store.leads.record_outcome(
        contact_id,
        "won",
        source="api",
        recorded_by="api-token:abc",
        value="12500.50",
        currency="eur",
        reason=" signed the annual plan ",
        occurred_at=at(5),
        now=at(10),
    )
    assert new and record.current
    assert (record.outcome, record.value, record.currency) == ("won", Decimal("12500.5"), "EUR")
    assert record.value_text == "12500.50" and record.reason == "signed the annual plan"
    assert (record.source, record.recorded_by) == ("api", "api-token:abc")
    assert (record.occurred_at, record.recorded_at) == (at(5), at(10))
    assert store.leads.outcome(contact_id) == record
    event = store.contacts.timeline(contact_id)[-1]
    assert event.kind == "outcome_recorded" and event.occurred_at == at(5)
    assert event.data == {"outcome": "won", "value": "12500.50", "currency": "EUR", "source": "api"}


def test_values_are_exact_decimals_on_every_backend(store: ProfileStore) -> None:
    for n, given in enumerate(["0.1", "999999999999.999", "7", "19.125"], start=1):
        record, _ = _won(store, _contact(store, n), value=given)
        assert store.leads.outcome(record.contact_id).value == Decimal(given)  # type: ignore[union-attr]
    assert {o.value_text for o in store.leads.outcomes()} == {
        "0.10", "999999999999.999", "7.00", "19.125",
    }  # fmt: skip


def test_a_new_outcome_becomes_current_and_the_old_one_stays_as_history(
    store: ProfileStore,
) -> None:
    contact_id = _contact(store)
    _won(store, contact_id)
    lost, new = store.leads.record_outcome(
        contact_id, "lost", source="hubspot", recorded_by="hubspot", reason="went elsewhere",
        now=at(20),
    )  # fmt: skip
    assert new and store.leads.outcome(contact_id) == lost
    history = store.leads.outcome_history(contact_id)
    assert [(o.outcome, o.current) for o in history] == [("won", False), ("lost", True)]
    assert [o.outcome for o in store.leads.outcomes()] == ["lost"]


def test_recording_the_current_outcome_again_changes_nothing(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(HOOK, ["lead.outcome"], "s" * 32, now=NOW)
    contact_id = _contact(store)
    first, created = _won(store, contact_id)
    again, created_again = _won(store, contact_id, value="12500.5", now=at(30))
    assert created and not created_again and again == first
    assert len(store.leads.outcome_history(contact_id)) == 1
    assert len(store.outbox.webhook_deliveries()) == 1
    assert [e.action for e in store.privacy.audit_entries()].count("record_outcome") == 1
    changed, created_changed = _won(store, contact_id, value="13000", now=at(40))
    assert created_changed and changed.value == Decimal("13000")  # type: ignore[attr-defined]


def test_each_outcome_is_audited_without_its_reason(store: ProfileStore) -> None:
    contact_id = _contact(store)
    record, _ = _won(store, contact_id)
    [entry] = [e for e in store.privacy.audit_entries() if e.action == "record_outcome"]
    assert (entry.actor, entry.target, entry.occurred_at) == ("api-token:abc", contact_id, at(10))
    assert entry.details == {
        "outcome": "won", "value": "12500.50", "currency": "EUR", "source": "api",
        "id": record.id,  # type: ignore[attr-defined]
    }  # fmt: skip


def test_an_outcome_is_a_lead_outcome_event_in_the_webhook_outbox(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(HOOK, ["lead.outcome"], "s" * 32, now=NOW)
    contact_id = _contact(store)
    _won(store, contact_id, occurred_at=at(5))
    store.leads.record_outcome(contact_id, "lost", source="cli", recorded_by="cli:ann", now=at(20))
    won, lost = store.outbox.webhook_deliveries()
    assert (won.type, won.url, won.status, won.occurred_at) == (
        "lead.outcome",
        HOOK,
        "pending",
        at(10),
    )
    assert won.data == {
        "contact_id": contact_id, "outcome": "won", "value": "12500.50", "currency": "EUR",
        "reason": "signed the annual plan", "source": "api", "recorded_by": "api-token:abc",
        "external_ref": None, "occurred_at": at(5).isoformat(),
        "recorded_at": at(10).isoformat(), "previous_outcome": None,
    }  # fmt: skip
    assert lost.data["outcome"] == "lost" and lost.data["previous_outcome"] == "won"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"value": "-1"}, "value"),
        ({"value": "12.3456"}, "value"),
        ({"value": "1e13"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "twelve"}, "value"),
        ({"value": 12.5}, "value"),
        ({"currency": "euro"}, "currency"),
        ({"currency": None}, "currency"),
        ({"value": None}, "currency"),
        ({"reason": "x" * 501}, "reason"),
        ({"source": "excel"}, "source"),
        ({"recorded_by": " "}, "recorded_by"),
    ],
)
def test_bad_outcomes_are_refused_naming_the_field(
    store: ProfileStore, given: dict[str, object], field: str
) -> None:
    contact_id = _contact(store)
    values: dict[str, object] = {
        "outcome": "won", "source": "api", "recorded_by": "api-token:abc",
        "value": "10", "currency": "EUR", **given,
    }  # fmt: skip
    outcome = values.pop("outcome")
    with pytest.raises(InvalidField) as refused:
        store.leads.record_outcome(contact_id, outcome, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert store.leads.outcome_history(contact_id) == []


def test_an_unknown_contact_has_no_outcome_to_record(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        _won(store, "nobody")
    with pytest.raises(ContactNotFound):
        store.leads.outcome("nobody")


def test_a_merge_keeps_both_histories_and_the_latest_current_outcome(
    store: ProfileStore,
) -> None:
    older = _contact(store)
    newer = store.leads.update_fields("sms", "+14155550134", {"name": "Ada"}, "s1", now=NOW).id
    _won(store, older, now=at(10))
    store.leads.record_outcome(newer, "lost", source="cli", recorded_by="cli:ann", now=at(20))
    merged = store.leads.update_fields(
        "sms", "+14155550134", {"email": "ada1@acme.io"}, "s1", now=at(30)
    )
    assert merged.id in (older, newer)  # whichever survives, both histories are its own
    history = store.leads.outcome_history(merged.id)
    assert [(o.outcome, o.current) for o in history] == [("won", False), ("lost", True)]
    assert [o.contact_id for o in store.leads.outcomes()] == [merged.id]


def test_erasure_removes_every_outcome_and_export_carries_them(store: ProfileStore) -> None:
    contact_id = _contact(store)
    _won(store, contact_id)
    store.leads.record_outcome(contact_id, "lost", source="cli", recorded_by="cli:ann", now=at(20))
    exported = store.privacy.export(contact_id)["outcomes"]
    assert [(o["outcome"], o["current"], o["value"]) for o in exported] == [
        ("won", False, "12500.50"),
        ("lost", True, None),
    ]
    assert exported[0]["reason"] == "signed the annual plan"
    store.privacy.erase(contact_id, salt="pepper", now=at(30))
    assert store.leads.outcomes() == []
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM lead_outcomes")).scalar() == 0


def test_the_migration_brings_older_outcomes_along(engine: Engine) -> None:
    downgrade(engine, "0013")
    with engine.begin() as conn:
        for key, email in (("c-real", "ana@acme.io"), ("c-synth", "x@synthetic.parley.invalid")):
            conn.execute(
                insert(contacts).values(
                    id=key, email=email, lead_status="new", created_at=NOW, updated_at=NOW
                )
            )
        old = lead_outcomes.c
        for key, outcome, value, when in (
            ("c-real", "won", 5000, at(1)),
            ("c-real", "lost", None, at(2)),
            ("c-synth", "won", None, at(3)),
        ):
            conn.execute(
                text(
                    "INSERT INTO lead_outcomes (contact_id, outcome, value, occurred_at) "
                    "VALUES (:c, :o, :v, :t)"
                ),
                {
                    "c": key,
                    "o": outcome,
                    "v": value,
                    "t": old.occurred_at.type.process_bind_param(when, engine.dialect),
                },
            )
    upgrade(engine)
    store = ProfileStore(engine)
    real = store.leads.outcome_history("c-real")
    assert [(o.outcome, o.current, o.source, o.recorded_by) for o in real] == [
        ("won", False, "api", "unknown"),
        ("lost", True, "api", "unknown"),
    ]
    assert real[0].value == Decimal(5000) and real[0].recorded_at == at(1)
    [synthetic] = store.leads.outcome_history("c-synth")
    assert (synthetic.source, synthetic.current) == ("synthetic", True)


def test_erasure_leaves_no_trace_of_an_outcome_anywhere(
    store: ProfileStore, engine: Engine
) -> None:
    from tests.store.test_erasure import tables_holding

    store.integrations.subscribe_webhook(HOOK, ["lead.outcome"], "s" * 32, now=NOW)
    contact_id = _contact(store)
    _won(store, contact_id, reason="Ada 1 of ada1@acme.io signed for Lovelace Ltd")
    store.leads.record_outcome(
        contact_id, "lost", source="hubspot", recorded_by="hubspot", external_ref="77@1",
        reason="Lovelace Ltd churned", now=at(20),
    )  # fmt: skip
    assert "lead_outcomes" in tables_holding(engine, ["Lovelace"])
    store.privacy.erase(contact_id, salt="pepper", now=at(30))
    assert tables_holding(engine, ["Lovelace", "ada1@acme.io", "Ada 1"]) == {}
    assert [e.action for e in store.privacy.audit_entries()].count("record_outcome") == 2


def test_outcomes_racing_for_one_contact_leave_one_current_and_every_one_kept(
    store: ProfileStore,
) -> None:
    from tests.store.test_concurrency import all_at_once

    contact_id = _contact(store)
    calls = [
        lambda n=n: store.leads.record_outcome(
            contact_id, "won" if n % 2 else "lost", source="api", recorded_by=f"api-token:{n}",
            reason=f"take {n}",
        )
        for n in range(4)
    ]  # fmt: skip
    results = all_at_once(calls)
    assert all(new for _, new in results)
    history = store.leads.outcome_history(contact_id)
    assert len(history) == 4 and [o.current for o in history].count(True) == 1
    assert history[-1].current and store.leads.outcome(contact_id) == history[-1]
    same = [lambda: _won(store, contact_id, now=at(50)) for _ in range(4)]
    assert [new for _, new in all_at_once(same)].count(True) == 1  # the rest found it current
    assert len(store.leads.outcome_history(contact_id)) == 5

"""Consent actions with real trackers and stores: recording, outages, the journal."""

from __future__ import annotations

from pathlib import Path

from rasa_sdk.executor import CollectingDispatcher

from actions.consent import ActionAskConsent, ActionRecordConsent, ActionWithdrawConsent
from bot.journal import ConsentJournal
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

DOMAIN: dict[str, object] = {}
WORDING = "May we email you? Unsubscribe any time."


async def test_ask_uses_the_configured_words_and_skips_what_needs_a_phone(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAskConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("yes", slots={"lead_email": "a@b.io"}), DOMAIN
    )
    slots = slot_events(events)
    assert slots["consent_purpose"] == "email" and "Acme Test Co" in slots["consent_wording"]
    assert dispatcher.messages[0]["wording"] == slots["consent_wording"]
    done = CollectingDispatcher()
    await ActionAskConsent(store=store, settings=settings).run(
        done,
        make_tracker(
            "no",
            slots={"lead_email": "a@b.io", "consent_answered": ["email"]},
            latest_action="action_record_consent",
        ),
        DOMAIN,
    )
    assert responses(done) == ["utter_consent_done"]  # sms needs a phone number


async def test_only_a_confident_yes_is_consent(store: ProfileStore, settings: Settings) -> None:
    asked = {"consent_purpose": "email", "consent_wording": WORDING, "consent_version": "v1"}
    action = ActionRecordConsent(store=store, settings=settings)
    for text, intent, confidence in [
        ("maybe", "affirm", 0.55),
        ("yes?", "affirm", 0.99),
        ("no", "deny", 0.99),
    ]:
        dispatcher = CollectingDispatcher()
        await action.run(
            dispatcher,
            make_tracker(text, intent=intent, confidence=confidence, slots=asked),
            DOMAIN,
        )
        assert responses(dispatcher) == ["utter_consent_not_given"]
    assert store.contact_for_identity("rest", "visitor-1") is None
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, make_tracker("yes", intent="affirm", slots=asked), DOMAIN)
    contact = store.contact_for_identity("rest", "visitor-1")
    assert contact is not None
    (event,) = store.consent_history(contact.id)
    assert event.wording == WORDING and event.evidence["text"] == "yes"
    # No proven email: the yes is on record, pending, and sends nothing yet.
    assert event.granted and event.pending and not store.has_consent(contact.id, "email")
    assert responses(dispatcher) == ["utter_consent_unconfirmed"]


async def test_a_yes_for_a_proven_email_is_in_force_at_once(
    store: ProfileStore, settings: Settings
) -> None:
    store.verify_detail("rest", "visitor-1", "email", "dana@acme.io", "site_token")
    asked = {"consent_purpose": "email", "consent_wording": WORDING, "consent_version": "v1"}
    dispatcher = CollectingDispatcher()
    await ActionRecordConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("yes", intent="affirm", slots=asked), DOMAIN
    )
    contact = store.contact_for_identity("rest", "visitor-1")
    assert contact is not None and store.has_consent(contact.id, "email")
    assert responses(dispatcher) == ["utter_consent_recorded"]


async def test_withdrawal_during_an_outage_is_said_journaled_and_replayed(
    store: ProfileStore, settings: Settings
) -> None:
    down = ProfileStore.from_url("postgresql://postgres@127.0.0.1:1/test")
    dispatcher = CollectingDispatcher()
    events = await ActionWithdrawConsent(store=down, settings=settings).run(
        dispatcher, make_tracker("stop texting me", intent="opt_out"), DOMAIN
    )
    down.dispose()
    assert responses(dispatcher) == ["utter_opt_out_not_recorded"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    journal = ConsentJournal(Path(settings.data_dir) / "pending_consent.jsonl")
    assert [c.purposes for c in journal.pending()] == [("sms",)]

    assert journal.replay(store) == 1
    contact = store.contact_for_identity("rest", "visitor-1")
    assert contact is not None and store.consent_state(contact.id)["sms"].granted is False
    assert store.is_do_not_contact(contact.id, "sms")
    assert journal.pending() == []


async def test_opt_out_intent_without_opt_out_words_withdraws_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionWithdrawConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("don't stop the demo", intent="opt_out"), DOMAIN
    )
    assert responses(dispatcher) == ["utter_default"]
    assert store.contact_for_identity("rest", "visitor-1") is None


async def test_start_restores_only_what_was_once_granted(
    store: ProfileStore, settings: Settings
) -> None:
    from actions.consent import ActionResubscribe

    contact = store.ensure_contact("rest", "visitor-1")
    for purpose, granted in [("email", True), ("email", False), ("sms", False)]:
        store.record_consent(
            contact.id, purpose, granted, channel="rest", wording="w", wording_version="v",  # type: ignore[arg-type]
            source="conversation", evidence={},
        )  # fmt: skip
    tracker = make_tracker("/opt_in", intent="opt_in")
    tracker.latest_message["metadata"] |= {
        "parley_keyword": "START",
        "parley_keyword_kind": "start",
    }
    dispatcher = CollectingDispatcher()
    await ActionResubscribe(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    state = store.consent_state(contact.id)
    assert state["email"].granted is True and state["sms"].granted is False
    assert dispatcher.messages[0]["scope"] == "email"

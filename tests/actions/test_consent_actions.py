"""Consent actions with real trackers and stores: recording, outages, the journal."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionYesNoAnswer
from actions.consent import ActionAskConsent, ActionRecordConsent, ActionWithdrawConsent
from bot.journal import ConsentJournal
from bot.settings import Settings
from bot.store import ConsentWords, ProfileStore
from bot.types import PURPOSES
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
    assert store.contacts.for_identity("rest", "visitor-1") is None
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, make_tracker("yes", intent="affirm", slots=asked), DOMAIN)
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None
    (event,) = store.consent.history(contact.id)
    assert event.wording == WORDING and event.evidence["text"] == "yes"
    # No proven email: the yes is on record, pending, and sends nothing yet.
    assert event.granted and event.pending and not store.consent.is_granted(contact.id, "email")
    assert responses(dispatcher) == ["utter_consent_unconfirmed"]


async def test_a_yes_for_a_proven_email_is_in_force_at_once(
    store: ProfileStore, settings: Settings
) -> None:
    store.contacts.verify_detail("rest", "visitor-1", "email", "dana@acme.io", "site_token")
    asked = {"consent_purpose": "email", "consent_wording": WORDING, "consent_version": "v1"}
    dispatcher = CollectingDispatcher()
    await ActionRecordConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("yes", intent="affirm", slots=asked), DOMAIN
    )
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and store.consent.is_granted(contact.id, "email")
    assert responses(dispatcher) == ["utter_consent_recorded"]


def keyword_tracker(keyword: str, kind: str, intent: str) -> Tracker:
    """A whole-message keyword as the channels pass it on (channels/keywords.py)."""
    tracker = make_tracker(keyword, intent=intent)
    tracker.latest_message["metadata"] |= {"parley_keyword": keyword, "parley_keyword_kind": kind}
    return tracker


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
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and store.consent.state(contact.id)["sms"].granted is False
    assert store.consent.is_do_not_contact(contact.id, "sms")
    assert journal.pending() == []


async def test_opt_out_intent_without_opt_out_words_withdraws_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionWithdrawConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("don't stop the demo", intent="opt_out"), DOMAIN
    )
    assert responses(dispatcher) == ["utter_default"]
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_start_restores_only_what_was_once_granted(
    store: ProfileStore, settings: Settings
) -> None:
    from actions.consent import ActionResubscribe

    contact = store.contacts.ensure("rest", "visitor-1")
    for purpose, granted in [("email", True), ("email", False), ("sms", False)]:
        store.consent.record(
            contact.id,
            purpose,
            granted,
            channel="rest",
            wording="w",
            wording_version="v",  # type: ignore[arg-type]
            source="conversation",
            evidence={},
        )
    tracker = keyword_tracker("START", "start", intent="opt_in")
    dispatcher = CollectingDispatcher()
    await ActionResubscribe(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    state = store.consent.state(contact.id)
    assert state["email"].granted is True and state["sms"].granted is False
    assert dispatcher.messages[0]["scope"] == "email"


async def test_stop_all_withdraws_every_purpose_and_blocks_every_marketing_channel(
    store: ProfileStore, settings: Settings
) -> None:
    tracker = keyword_tracker("STOPALL", "stop_all", intent="opt_out")
    await ActionWithdrawConsent(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None
    state = store.consent.state(contact.id)
    assert sorted(state) == sorted(PURPOSES) and not any(e.granted for e in state.values())
    blocked = [(e.channel, e.reason) for e in store.consent.do_not_contact(contact.id)]
    assert blocked == [(p, "withdrawn") for p in ("email", "sms", "whatsapp", "telegram", "phone")]


async def test_start_after_stop_lifts_the_block_it_left(
    store: ProfileStore, settings: Settings
) -> None:
    from actions.consent import ActionResubscribe

    contact = store.contacts.ensure("rest", "visitor-1")
    store.consent.grant(contact.id, ["email"], ConsentWords("rest", "w", "v", "keyword", {}))
    await ActionWithdrawConsent(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker("stop emailing me", intent="opt_out"), DOMAIN
    )
    assert [e.channel for e in store.consent.do_not_contact(contact.id)] == ["email"]
    tracker = keyword_tracker("START", "start", intent="opt_in")
    await ActionResubscribe(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert store.consent.is_granted(contact.id, "email")
    assert store.consent.do_not_contact(contact.id) == []


# ---- Answers in people's own words, through action_yes_no_answer (actions/clarify.py).

EMAIL_ASKED = {
    "consent_purpose": "email",
    "consent_wording": WORDING,
    "consent_version": "v1",
    "yes_no_pending": True,
    "yes_no_question": "consent",
    "yes_no_unclear": 0,
}


def followups(events: list[dict[str, object]]) -> list[object]:
    return [e["name"] for e in events if e.get("event") == "followup"]


async def answer(
    store: ProfileStore,
    settings: Settings,
    text: str,
    intent: str = "nlu_fallback",
    confidence: float = 0.5,
    **slots: object,
) -> tuple[list[dict[str, object]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text, intent=intent, confidence=confidence, slots={**EMAIL_ASKED, **slots}
    )
    events = await ActionYesNoAnswer(store=store, settings=settings).run(dispatcher, tracker, {})
    return events, dispatcher


async def test_asking_opens_a_consent_question_and_the_last_one_closes_it(
    store: ProfileStore, settings: Settings
) -> None:
    events = await ActionAskConsent(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker("yes", slots={"lead_email": "a@b.io"}), DOMAIN
    )
    slots = slot_events(events)
    assert (slots["yes_no_pending"], slots["yes_no_question"]) == (True, "consent")
    done = await ActionAskConsent(store=store, settings=settings).run(
        CollectingDispatcher(),
        make_tracker("no", slots={"lead_email": "a@b.io", "consent_answered": ["email"]}),
        DOMAIN,
    )
    assert slot_events(done)["yes_no_pending"] is False


async def test_a_yes_in_own_words_is_handed_to_recording(
    store: ProfileStore, settings: Settings
) -> None:
    events, dispatcher = await answer(store, settings, "yeah go on then, that's grand")
    assert followups(events) == ["action_record_consent"] and dispatcher.messages == []
    recorded = CollectingDispatcher()
    tracker = make_tracker("yeah go on then, that's grand", intent="chitchat", slots=EMAIL_ASKED)
    after = await ActionRecordConsent(store=store, settings=settings).run(recorded, tracker, DOMAIN)
    assert followups(after) == ["action_ask_consent"]
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and store.consent.state(contact.id)["email"].granted


async def test_a_partial_answer_records_each_purpose_as_said(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("email's fine but no texts", intent="opt_out", slots=EMAIL_ASKED)
    events = await ActionRecordConsent(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    assert slot_events(events)["consent_answered"] == ["email", "sms"]
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None
    assert {p: e.granted for p, e in store.consent.state(contact.id).items()} == {"email": True}
    # The texts question is not asked again: it was answered.
    asked = CollectingDispatcher()
    await ActionAskConsent(store=store, settings=settings).run(
        asked,
        make_tracker(
            "x",
            slots={"lead_email": "a@b.io", "lead_phone": "+14155550134",
                   "consent_answered": ["email", "sms"]},
            latest_action="action_record_consent",
        ),
        DOMAIN,
    )  # fmt: skip
    assert responses(asked) == ["utter_consent_done"]


async def test_a_yes_to_a_purpose_not_yet_asked_waits_for_its_own_question(
    store: ProfileStore, settings: Settings
) -> None:
    tracker = make_tracker("no emails, texts are fine", intent="affirm", slots=EMAIL_ASKED)
    events = await ActionRecordConsent(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert slot_events(events)["consent_answered"] == ["email"]
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is None or store.consent.state(contact.id) == {}


async def test_unsure_gets_one_clarifying_question_then_no_consent(
    store: ProfileStore, settings: Settings
) -> None:
    events, dispatcher = await answer(store, settings, "hmm not sure")
    assert responses(dispatcher) == ["utter_clarify_consent"]
    assert dispatcher.messages[0]["what"] == "emails"
    assert slot_events(events)["yes_no_unclear"] == 1
    assert followups(events) == ["action_listen"]

    events, dispatcher = await answer(store, settings, "maybe", yes_no_unclear=1)
    assert responses(dispatcher) == ["utter_consent_left"]
    slots = slot_events(events)
    assert slots["consent_answered"] == ["email"] and slots["yes_no_pending"] is False
    assert followups(events) == ["action_ask_consent"]
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_a_question_back_is_answered_in_other_words(
    store: ProfileStore, settings: Settings
) -> None:
    _, dispatcher = await answer(store, settings, "what would you send?")
    assert responses(dispatcher) == ["utter_clarify_consent_question"]
    said = "Quick one before I say yes: who actually sees this info? It isn't sold, is it?"
    _, dispatcher = await answer(store, settings, said)
    assert responses(dispatcher) == ["utter_answer_data_use", "utter_clarify_consent_question"]


async def test_a_yes_with_conditions_is_not_consent(
    store: ProfileStore, settings: Settings
) -> None:
    _, dispatcher = await answer(
        store, settings, "yes but only monthly", intent="affirm", confidence=0.95
    )
    assert responses(dispatcher) == ["utter_clarify_consent"]


async def test_dont_email_me_is_a_no_but_stop_texting_me_is_a_withdrawal(
    store: ProfileStore, settings: Settings
) -> None:
    events, _ = await answer(store, settings, "please don't email me", intent="opt_out")
    assert followups(events) == ["action_record_consent"]
    events, _ = await answer(store, settings, "and stop texting me", intent="opt_out")
    assert followups(events) == ["action_withdraw_consent"]


async def test_refusing_the_asked_channel_while_preferring_another_withdraws_nothing_else(
    store: ProfileStore, settings: Settings
) -> None:
    sms = {"consent_purpose": "sms"}
    said = "sms no, I prefer whatsapp. So no sms"
    events, _ = await answer(store, settings, said, intent="opt_out", **sms)
    assert followups(events) == ["action_record_consent"]
    events, _ = await answer(store, settings, "no texts, stop all messages", "opt_out", **sms)
    assert followups(events) == ["action_withdraw_consent"]


async def test_a_question_left_open_in_an_earlier_session_is_not_answered_now(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("yes", intent="affirm", slots=EMAIL_ASKED)
    # The new session carries the slots over before its first action_listen.
    tracker.events[:0] = [
        {"event": "action", "name": "action_ask_consent"},
        {"event": "slot", "name": "yes_no_question", "value": "consent"},
        {"event": "session_started"},
        {"event": "slot", "name": "yes_no_question", "value": "consent"},
        {"event": "action", "name": "action_listen"},
    ]
    events = await ActionYesNoAnswer(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_greet"]
    assert slot_events(events)["yes_no_pending"] is False
    assert store.contacts.for_identity("rest", "visitor-1") is None


@pytest.mark.parametrize(
    ("text", "granted"),
    [("Texts are fine, I actually read those", True), ("texts are fine but only monthly", None)],
)
def test_a_yes_naming_the_channel_counts_unless_it_sets_conditions(
    text: str, granted: bool | None
) -> None:
    from actions.open_question import consent_answers

    slots = {**EMAIL_ASKED, "consent_purpose": "sms"}
    tracker = make_tracker(text, intent="opt_in", confidence=0.96, slots=slots)
    assert consent_answers(tracker, "sms").get("sms") == granted


async def test_yes_to_the_asked_channel_and_no_to_another_is_an_answer_not_a_withdrawal(
    store: ProfileStore, settings: Settings
) -> None:
    said = "emails are fine but no texts please, I'll never read them"
    events, _ = await answer(store, settings, said, intent="opt_out")
    assert followups(events) == ["action_record_consent"]


async def test_a_yes_after_naming_a_preferred_channel_is_a_yes(
    store: ProfileStore, settings: Settings
) -> None:
    # Asked about texts: "but" here accepts what was asked, it limits nothing.
    tracker = make_tracker(
        "whatsapp would be better but sms is also okay",
        intent="affirm",
        slots={**EMAIL_ASKED, "consent_purpose": "sms"},
    )
    await ActionRecordConsent(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and store.consent.state(contact.id)["sms"].granted


async def test_refusing_all_marketing_at_a_consent_question_still_leads_to_qualifying(
    store: ProfileStore, settings: Settings
) -> None:
    said = "No, I don't want any marketing messages."
    asked = {"consent_purpose": "email", "lead_email": "joost@fietsen.example"}
    tracker = make_tracker(said, intent="opt_out", slots=asked)
    tracker.events[:0] = [{"event": "action", "name": "action_confirm_lead"}]
    events = await ActionWithdrawConsent(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert followups(events) == ["action_start_qualification"]
    # Said out of the blue (no consent question asked), it ends whatever was going on.
    events = await ActionWithdrawConsent(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker(said, intent="opt_out"), DOMAIN
    )
    assert followups(events) == ["action_listen"]


async def test_a_question_asked_three_times_without_an_answer_is_not_asked_again(
    store: ProfileStore, settings: Settings
) -> None:
    """ "Email is okay. Not texts, though." once sent the person round a correction, the
    summary and the same question again, forever: a fourth time, it is set aside."""
    action = ActionAskConsent(store=store, settings=settings)
    first = CollectingDispatcher()
    events = await action.run(first, make_tracker("yes", slots={"lead_email": "a@b.io"}), DOMAIN)
    wording = slot_events(events)["consent_wording"]
    tracker = make_tracker("yes that's all correct", slots={"lead_email": "a@b.io"})
    asked = {"event": "bot", "text": wording, "data": {}}
    for times in (1, 2):
        tracker.events[:0] = [asked, {"event": "user", "text": "hmm"}]
        once_more = CollectingDispatcher()
        events = await action.run(once_more, tracker, DOMAIN)
        # asked before, and a question in between may bring it back: asked again
        assert slot_events(events)["consent_purpose"] == "email", times
    tracker.events[:0] = [asked, {"event": "user", "text": "hmm"}]
    set_aside = CollectingDispatcher()
    events = await action.run(set_aside, tracker, DOMAIN)
    slots = slot_events(events)
    assert slots["consent_answered"] == ["email"] and slots["consent_purpose"] is None
    assert all(m.get("wording") != wording for m in set_aside.messages)


async def test_opting_out_after_an_erasure_starts_no_new_profile(
    store: ProfileStore, settings: Settings
) -> None:
    """ "I expect that no more e-mails come." just after their data was erased: nothing
    is left to contact, and a withdrawal recorded would create a profile again."""
    contact = store.contacts.ensure("rest", "visitor-1")
    store.privacy.erase(contact.id, settings.erasure_salt.value)
    dispatcher = CollectingDispatcher()
    await ActionWithdrawConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("I expect that no more e-mails come, stop emailing me"), DOMAIN
    )
    assert responses(dispatcher) == ["utter_opt_out_after_erasure"]
    assert store.contacts.for_identity("rest", "visitor-1") is None
    # Someone never erased still has the withdrawal recorded.
    other = CollectingDispatcher()
    await ActionWithdrawConsent(store=store, settings=settings).run(
        other, make_tracker("stop emailing me", sender="visitor-2"), DOMAIN
    )
    assert responses(other) == ["utter_opt_out_confirmed"]
    assert store.contacts.for_identity("rest", "visitor-2") is not None


async def test_opting_out_after_erasing_a_conversation_with_no_profile_starts_none(
    store: ProfileStore, settings: Settings
) -> None:
    """ "Delete all my personal data" before giving any, then "I expect that no more
    e-mails come": the erasure had nothing to delete, and the opt-out must not start a
    profile either."""
    from bot import privacy

    assert privacy.erase_conversation(store, settings, "rest", "visitor-1") is None
    dispatcher = CollectingDispatcher()
    await ActionWithdrawConsent(store=store, settings=settings).run(
        dispatcher, make_tracker("please stop emailing me"), DOMAIN
    )
    assert responses(dispatcher) == ["utter_opt_out_after_erasure"]
    assert store.contacts.for_identity("rest", "visitor-1") is None

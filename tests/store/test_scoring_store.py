"""Qualification answers, scores and outcomes on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.errors import ContactNotFound, InvalidField
from bot.store import ProfileStore
from tests.store.conftest import at


def _contact(store: ProfileStore, sender: str = "v-1", email: str = "dana@acme.io") -> str:
    return store.leads.update_fields("web", sender, {"email": email}, sender, now=at(0)).id


def test_answers_are_kept_per_field_and_replaced(store: ProfileStore) -> None:
    contact = _contact(store)
    store.leads.record_qualification(
        contact, {"budget": "1k_10k"}, channel="web", conversation_id="c1", now=at(1)
    )
    store.leads.record_qualification(
        contact,
        {"budget": "over_50k", "timeline": "now"},
        channel="sms",
        conversation_id="c2",
        now=at(2),
    )
    assert store.leads.qualification(contact) == {"budget": "over_50k", "timeline": "now"}
    kinds = [e.kind for e in store.contacts.timeline(contact)]
    assert kinds.count("qualification_answered") == 2


@pytest.mark.parametrize(
    ("answers", "field"), [({"budget": "lots"}, "budget"), ({"age": "40"}, "age")]
)
def test_invalid_answers_are_refused_naming_the_field(
    store: ProfileStore, answers: dict[str, str], field: str
) -> None:
    contact = _contact(store)
    with pytest.raises(InvalidField) as error:
        store.leads.record_qualification(contact, answers, channel="web", conversation_id="c1")
    assert error.value.field == field
    assert store.leads.qualification(contact) == {}


def test_scores_append_and_grade_changes_are_events(store: ProfileStore) -> None:
    contact = _contact(store)
    common = {"rubric_version": "v1", "model_version": None, "stage": "mql"}
    store.leads.save_score(
        contact,
        score=50,
        grade="B",
        explanation=[{"rule": "budget", "points": 20}],
        now=at(1),
        **common,
    )
    store.leads.save_score(contact, score=52, grade="B", explanation=[], now=at(2), **common)
    store.leads.save_score(
        contact, score=80, grade="A", explanation=[], now=at(3), **{**common, "stage": "sql"}
    )
    latest = store.leads.latest_score(contact)
    assert latest is not None and (latest.score, latest.grade, latest.stage) == (80, "A", "sql")
    assert [s.score for s in store.leads.score_history(contact)] == [50, 52, 80]
    changes = [e.data for e in store.contacts.timeline(contact) if e.kind == "grade_changed"]
    assert [(c["previous_grade"], c["grade"]) for c in changes] == [(None, "B"), ("B", "A")]


def test_a_score_out_of_range_is_refused(store: ProfileStore) -> None:
    contact = _contact(store)
    with pytest.raises(InvalidField):
        store.leads.save_score(
            contact,
            score=130,
            grade="A",
            stage="sql",
            rubric_version="v1",
            model_version=None,
            explanation=[],
        )


def test_merging_keeps_the_survivors_answers_and_takes_the_others(store: ProfileStore) -> None:
    older = _contact(store, "v-1", "dana@acme.io")
    newer = store.leads.update_fields(
        "sms", "+14155550134", {"name": "Dana"}, "+14155550134", now=at(5)
    ).id
    store.leads.record_qualification(
        older, {"budget": "1k_10k"}, channel="web", conversation_id="c1", now=at(6)
    )
    store.leads.record_qualification(
        newer,
        {"budget": "over_50k", "timeline": "now"},
        channel="sms",
        conversation_id="c2",
        now=at(7),
    )
    store.leads.record_outcome(
        newer, "won", source="cli", recorded_by="cli:test", value=5000, currency="EUR", now=at(8)
    )
    merged = store.leads.update_fields(
        "sms", "+14155550134", {"email": "dana@acme.io"}, "c2", now=at(9)
    )
    assert merged.id == older
    assert store.leads.qualification(older) == {"budget": "1k_10k", "timeline": "now"}
    assert [(o.contact_id, o.outcome) for o in store.leads.outcomes()] == [(older, "won")]


def test_erasure_removes_answers_scores_and_outcomes(store: ProfileStore) -> None:
    contact = _contact(store)
    store.leads.record_qualification(
        contact, {"budget": "1k_10k"}, channel="web", conversation_id="c1"
    )
    store.leads.save_score(
        contact,
        score=10,
        grade="D",
        stage="new",
        rubric_version="v1",
        model_version=None,
        explanation=[],
    )
    store.leads.record_outcome(contact, "lost", source="cli", recorded_by="cli:test")
    store.privacy.erase(contact, salt="pepper")
    assert store.leads.outcomes() == []
    with pytest.raises(ContactNotFound):
        store.leads.qualification(contact)


CRM_OPTIONS = {"crm": ("hubspot", "salesforce", "none")}


def test_a_custom_question_answer_is_kept_beside_the_built_in_ones(store: ProfileStore) -> None:
    contact = _contact(store)
    store.leads.record_qualification(
        contact,
        {"budget": "1k_10k", "crm": "salesforce"},
        channel="voice",
        conversation_id="c1",
        custom=CRM_OPTIONS,
    )
    # Without the question's configuration (an import, a question removed since), a
    # well-formed id still goes in: the answer outlives the question.
    store.leads.record_qualification(
        contact, {"old_question": "option_2"}, channel="web", conversation_id="c2"
    )
    assert store.leads.qualification(contact) == {
        "budget": "1k_10k",
        "crm": "salesforce",
        "old_question": "option_2",
    }


@pytest.mark.parametrize(
    ("answers", "custom", "field"),
    [
        # Built-in questions keep their strict values, configuration or not.
        ({"budget": "salesforce"}, CRM_OPTIONS, "budget"),
        # With the configuration: only its questions and their options.
        ({"crm": "pipedrive"}, CRM_OPTIONS, "crm"),
        ({"tool": "hubspot"}, CRM_OPTIONS, "tool"),
        # Without it: the shape of an id, and never a protected attribute.
        ({"Which CRM": "hubspot"}, None, "Which CRM"),
        ({"a_very_long_field_id": "x"}, None, "a_very_long_field_id"),
        ({"crm": "Sales Force!"}, None, "crm"),
        ({"crm": "x" * 33}, None, "crm"),
        ({"gender": "f"}, None, "gender"),
    ],
)
def test_a_bad_custom_answer_is_refused_and_nothing_is_stored(
    store: ProfileStore,
    answers: dict[str, str],
    custom: dict[str, tuple[str, ...]] | None,
    field: str,
) -> None:
    contact = _contact(store)
    with pytest.raises(InvalidField) as error:
        store.leads.record_qualification(
            contact,
            {"timeline": "now", **answers},
            channel="web",
            conversation_id="c1",
            custom=custom,
        )
    assert error.value.field == field
    assert store.leads.qualification(contact) == {}

"""A typed email or phone is a claim: kept apart until a code proves it (#17)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.store import CodeLimits, ProfileStore
from bot.store.schema import verification_codes
from tests.store.conftest import at


def _owner(store: ProfileStore) -> str:
    contact = store.leads.update_fields(
        "sms", "+15550001111", {"name": "Ada Owner", "email": "ada@example.com",
                                "phone": "+15550001111", "company": "Owned Ltd"}, "sms-1",
        now=at(0),
    )  # fmt: skip
    return contact.id


def test_someone_elses_email_is_a_claim_not_a_merge(store: ProfileStore) -> None:
    owner = _owner(store)
    visitor = store.contacts.record_stated_details(
        "web",
        "visitor",
        {"name": "Mallory", "email": "ada@example.com", "company": "Evil"},
        "web-1",
        now=at(10),
    )
    assert visitor.id != owner
    assert visitor.email is None and visitor.name == "Mallory"
    kept = store.contacts.get(owner)
    assert (kept.name, kept.email, kept.company) == ("Ada Owner", "ada@example.com", "Owned Ltd")
    [claim] = store.contacts.open_claims(visitor.id)
    assert (claim.field, claim.value, claim.holder_id) == ("email", "ada@example.com", owner)
    assert [c.id for c in store.contacts.possible_duplicates(owner)] == [claim.id]


def test_an_unheld_email_is_stored_but_not_verified(store: ProfileStore) -> None:
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "new@example.com"}, "web-1"
    )
    assert visitor.email == "new@example.com"
    assert not store.contacts.is_detail_verified(visitor.id, "email")
    assert store.contacts.open_claims(visitor.id) == []


def test_a_correct_code_proves_the_address_and_merges(store: ProfileStore) -> None:
    owner = _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "ada@example.com"}, "web-1"
    )
    issued = store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", "ada@example.com", "show", now=at(20)
    )
    assert issued.code is not None and len(issued.code) == 6 and issued.code.isdigit()
    stored = store.engine.connect().execute(select(verification_codes)).mappings().one()
    assert issued.code not in (stored["code_hash"], stored["salt"])
    checked = store.contacts.check_verification_code("web-1", issued.code, now=at(30))
    assert (checked.status, checked.purpose) == ("verified", "show")
    assert checked.contact_id == owner
    merged = store.contacts.get(visitor.id)
    assert merged.id == owner and merged.email == "ada@example.com"
    assert store.contacts.is_detail_verified(owner, "email")
    assert store.contacts.open_claims(owner) == []


def test_five_wrong_codes_lock_it_and_the_right_one_then_fails(store: ProfileStore) -> None:
    owner = _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "ada@example.com"}, "web-1"
    )
    issued = store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", "ada@example.com", "show"
    )
    assert issued.code is not None
    wrong = f"{(int(issued.code) + 1) % 10**6:06d}"
    statuses = [store.contacts.check_verification_code("web-1", wrong).status for _ in range(5)]
    assert statuses == ["wrong"] * 4 + ["locked"]
    assert store.contacts.check_verification_code("web-1", issued.code).status == "no_code"
    assert store.contacts.get(visitor.id).id == visitor.id != owner


def test_an_expired_code_proves_nothing(store: ProfileStore) -> None:
    _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "ada@example.com"}, "web-1"
    )
    issued = store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", "ada@example.com", "erase", now=at(0)
    )
    assert issued.code is not None
    late = at(0) + timedelta(minutes=10, seconds=1)
    checked = store.contacts.check_verification_code("web-1", issued.code, now=late)
    assert checked.status == "expired"
    assert store.contacts.open_claims(visitor.id) != []


def test_codes_are_rate_limited_per_address_and_per_conversation(store: ProfileStore) -> None:
    _owner(store)
    limits = CodeLimits(per_address=2, per_conversation=3)
    a = store.contacts.record_stated_details("web", "a", {"email": "ada@example.com"}, "web-a")
    b = store.contacts.record_stated_details("web", "b", {"email": "ada@example.com"}, "web-b")
    issue = store.contacts.issue_verification_code
    assert issue(a.id, "web-a", "email", "ada@example.com", "show", limits, now=at(0)).code
    assert issue(b.id, "web-b", "email", "ada@example.com", "show", limits, now=at(1)).code
    refused = issue(b.id, "web-b", "email", "ada@example.com", "show", limits, now=at(2))
    assert (refused.code, refused.refused) == (None, "rate_limited")
    later = at(0) + timedelta(hours=2)
    assert issue(b.id, "web-b", "email", "ada@example.com", "show", limits, now=later).code


def test_only_the_newest_code_of_a_conversation_works(store: ProfileStore) -> None:
    _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "ada@example.com"}, "web-1"
    )
    first = store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", "ada@example.com", "show"
    )
    second = store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", "ada@example.com", "show"
    )
    assert first.code and second.code
    if first.code != second.code:
        assert store.contacts.check_verification_code("web-1", first.code).status == "wrong"
    assert store.contacts.check_verification_code("web-1", second.code).status == "verified"


def test_a_proof_by_the_channel_merges_the_holder(store: ProfileStore) -> None:
    owner = _owner(store)
    proven = store.contacts.verify_detail(
        "web", "signed-in", "email", "ada@example.com", "site_token"
    )
    assert proven.id == owner
    assert store.contacts.is_detail_verified(owner, "email")
    assert store.contacts.for_identity("web", "signed-in") == store.contacts.get(owner)


def test_changing_a_proven_email_makes_it_unproven(store: ProfileStore) -> None:
    proven = store.contacts.verify_detail("web", "w", "email", "me@example.com", "site_token")
    assert store.contacts.is_detail_verified(proven.id, "email")
    store.contacts.record_stated_details("web", "w", {"email": "other@example.com"}, "web-1")
    assert not store.contacts.is_detail_verified(proven.id, "email")


def test_staff_merge_a_possible_duplicate_once(store: ProfileStore) -> None:
    owner = _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "ada@example.com"}, "web-1"
    )
    [claim] = store.contacts.open_claims(visitor.id)
    merged = store.contacts.merge_claim(claim.id)
    assert merged is not None and merged.id == owner
    assert store.contacts.get(visitor.id).id == owner
    assert store.contacts.merge_claim(claim.id) is None
    assert store.contacts.possible_duplicates(owner) == []


def test_staff_dismiss_a_possible_duplicate(store: ProfileStore) -> None:
    owner = _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": "ada@example.com"}, "web-1"
    )
    [claim] = store.contacts.open_claims(visitor.id)
    assert store.contacts.dismiss_claim(claim.id)
    assert (
        not store.contacts.dismiss_claim(claim.id) and store.contacts.merge_claim(claim.id) is None
    )
    assert (
        store.contacts.possible_duplicates(owner) == []
        and store.contacts.get(visitor.id).id != owner
    )


def test_a_withdrawn_detail_leaves_only_the_speakers_own_contact(store: ProfileStore) -> None:
    owner = _owner(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"name": "Vic", "phone": "+15550002222", "email": "vic@example.com"}, "web-1"
    )
    issued = store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", "vic@example.com", "show"
    )
    assert issued.code is not None
    store.contacts.check_verification_code("web-1", issued.code)
    assert store.contacts.is_detail_verified(visitor.id, "email")

    after = store.contacts.withdraw_stated_detail("web", "v", "phone")
    assert after is not None and after.phone is None and after.name == "Vic"
    after = store.contacts.withdraw_stated_detail("web", "v", "email")
    assert after is not None and after.email is None
    assert not store.contacts.is_detail_verified(visitor.id, "email")
    assert store.contacts.get(owner).phone == "+15550001111"  # nobody else's detail moves
    assert store.contacts.withdraw_stated_detail("web", "nobody-yet", "phone") is None


def test_an_address_named_for_a_lookup_is_a_claim_or_nothing(store: ProfileStore) -> None:
    owner = _owner(store)
    claim = store.contacts.claim_for_lookup("web", "v", "email", "ada@example.com", "web-1")
    assert claim is not None and claim.holder_id == owner and claim.value == "ada@example.com"
    visitor = store.contacts.for_identity("web", "v")
    assert visitor is not None and visitor.id == claim.contact_id and visitor.email is None
    # Named again: the same claim, not a second one.
    again = store.contacts.claim_for_lookup("web", "v", "email", "ada@example.com", "web-1")
    assert again is not None and again.id == claim.id
    # An address nobody holds writes nothing at all: no contact for a stranger.
    assert store.contacts.claim_for_lookup("web", "w", "email", "no@example.com", "web-2") is None
    assert store.contacts.for_identity("web", "w") is None
    # The holder naming their own address claims nothing.
    assert (
        store.contacts.claim_for_lookup("sms", "+15550001111", "email", "ada@example.com", "s")
        is None
    )

"""search_contacts on SQLite and PostgreSQL: substrings, phone digits, LIKE wildcards."""

from __future__ import annotations

import pytest

from bot.store import Contact, ProfileStore
from tests.store.conftest import NOW, at

PEOPLE = {
    "ada": {"name": "Ada Lovelace", "email": "ada@analytical.example", "phone": "+14155550134",
            "company": "Analytical Engines"},
    "grace": {"name": "Grace Hopper", "email": "grace_h@navy.example", "phone": "+442071234567",
              "company": "US Navy"},
    "percent": {"name": "Per Cent", "email": "per@cent.example", "company": "100% Growth"},
}  # fmt: skip


@pytest.fixture
def people(store: ProfileStore) -> dict[str, Contact]:
    return {
        key: store.leads.update_fields("web", f"s-{key}", fields, f"s-{key}", now=at(i))  # type: ignore[arg-type]
        for i, (key, fields) in enumerate(PEOPLE.items())
    }


def found(store: ProfileStore, query: str, **kwargs: int) -> list[str]:
    return [contact.name or contact.id for contact in store.contacts.search(query, **kwargs)]


def test_matches_email_name_and_company_in_any_case(
    store: ProfileStore, people: dict[str, Contact]
) -> None:
    assert found(store, "ADA@ANALYTICAL") == ["Ada Lovelace"]
    assert found(store, "hopper") == ["Grace Hopper"]
    assert found(store, "navy") == ["Grace Hopper"]
    assert found(store, "  engines ") == ["Ada Lovelace"]
    assert found(store, "nobody-like-this") == []


def test_matches_phone_as_typed_or_by_its_digits(
    store: ProfileStore, people: dict[str, Contact]
) -> None:
    assert found(store, "+1415555") == ["Ada Lovelace"]
    assert found(store, "+1 415 555") == ["Ada Lovelace"]
    assert found(store, "(415) 555-0134") == ["Ada Lovelace"]
    assert found(store, "20 7123") == ["Grace Hopper"]


def test_matches_the_exact_id(store: ProfileStore, people: dict[str, Contact]) -> None:
    assert found(store, people["grace"].id) == ["Grace Hopper"]


def test_wildcards_in_the_query_are_taken_literally(
    store: ProfileStore, people: dict[str, Contact]
) -> None:
    assert found(store, "100%") == ["Per Cent"]
    assert found(store, "%") == ["Per Cent"]
    assert found(store, "_") == ["Grace Hopper"]
    # Unescaped, "_" is any one character and "a_a" would find "Ada".
    assert found(store, "a_a") == []
    assert found(store, "e_h") == ["Grace Hopper"]
    assert found(store, "\\") == []


def test_blank_query_lists_everyone_newest_first_and_pages(
    store: ProfileStore, people: dict[str, Contact]
) -> None:
    assert found(store, "") == ["Per Cent", "Grace Hopper", "Ada Lovelace"]
    assert found(store, " ", limit=1, offset=1) == ["Grace Hopper"]
    assert found(store, "e", limit=2) == ["Per Cent", "Grace Hopper"]


def test_an_erased_contact_is_not_found(store: ProfileStore, people: dict[str, Contact]) -> None:
    store.privacy.erase(people["ada"].id, "salt", now=NOW)
    assert found(store, "ada") == []


@pytest.mark.parametrize(
    ("query", "limit", "offset", "message"),
    [("x" * 201, 50, 0, "at most 200"), ("a", 0, 0, "limit"), ("a", 50, -1, "offset")],
)
def test_bad_arguments_are_refused(
    store: ProfileStore, query: str, limit: int, offset: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.contacts.search(query, limit=limit, offset=offset)

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.store import Contact, ProfileStore
from bot.types import LeadField

T = TypeVar("T")


def all_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls on their own threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_ensure_contact_racing_threads_create_one_contact(store: ProfileStore) -> None:
    for round_ in range(10):
        calls = [lambda r=round_: store.contacts.ensure("telegram", f"race-{r}") for _ in range(4)]
        contacts: list[Contact] = all_at_once(calls)
        assert len({contact.id for contact in contacts}) == 1
    assert store.contacts.count() == 10


def racing_answers(store: ProfileStore, round_: int, i: int) -> Contact:
    email, phone = f"p{round_}@x.io", f"+1555000{round_:04d}"
    fields: dict[LeadField, str] = {"email": email} if i % 2 else {"phone": phone}
    if i == 0:
        fields = {"email": email, "phone": phone}
    return store.leads.update_fields("web", f"s{round_}-{i}", fields, f"c{i}")


def test_update_lead_fields_racing_on_one_person_leaves_one_contact(
    store: ProfileStore,
) -> None:
    for round_ in range(5):
        calls = [lambda r=round_, i=i: racing_answers(store, r, i) for i in range(4)]
        contacts = all_at_once(calls)
        survivor = store.contacts.find(f"p{round_}@x.io")
        assert survivor is not None
        assert survivor.phone == f"+1555000{round_:04d}"
        assert len(survivor.channels) == 4
        assert {store.contacts.get(contact.id).id for contact in contacts} == {survivor.id}
    assert store.contacts.count() == 5

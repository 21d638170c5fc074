from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import StoreUnavailable
from bot.store import ProfileStore, upgrade

DOWN_URL = "postgresql://postgres@127.0.0.1:1/test"


@pytest.fixture
def down_store() -> Iterator[ProfileStore]:
    store = ProfileStore.from_url(DOWN_URL)
    yield store
    store.dispose()


CALLS: dict[str, Callable[[ProfileStore], Any]] = {
    "ensure_contact": lambda s: s.ensure_contact("web", "s1"),
    "update_lead_fields": lambda s: s.update_lead_fields("web", "s1", {"name": "A"}, "c"),
    "find_contact": lambda s: s.find_contact("a@x.io"),
    "list_contacts": lambda s: s.list_contacts(),
    "iter_contacts": lambda s: list(s.iter_contacts()),
    "count_contacts": lambda s: s.count_contacts(),
    "timeline": lambda s: s.timeline("x"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_store_database_down_raises_store_unavailable(
    down_store: ProfileStore, call: Callable[[ProfileStore], Any]
) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        call(down_store)
    assert "refused" in caught.value.reason.lower()
    assert isinstance(caught.value.__cause__, SQLAlchemyError)


def test_upgrade_database_down_raises_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable):
        upgrade(DOWN_URL)

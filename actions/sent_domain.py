"""An action that reads a domain Rasa did not send fails, instead of reading nothing.

endpoints.yml enables Rasa's selective domain: Rasa sends its domain (about 30 KB) only
to the actions domain.yml marks `send_domain: true` and to every `validate_*` action.
rasa-sdk hands any other action an empty dict, on which `domain.get(...)` quietly
answers the default. Here such a call gets a `DomainNotSent` instead, which raises on
every read, naming the action: the call fails (Rasa apologises) and the log says what
to mark. tests/actions/test_sent_domain.py keeps domain.yml's marks equal to the
actions whose code reads the domain.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sanic import Sanic
from sanic.exceptions import InvalidUsage
from sanic.request import Request


class DomainReadWithoutMark(RuntimeError):
    pass


class DomainNotSent(dict[str, Any]):
    """The domain of a call that came without one: any read raises."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise DomainReadWithoutMark(
            f"{self.action} read the domain, which Rasa sends only to validate_* actions "
            "and those marked `send_domain: true` in domain.yml: mark it there"
        )

    __getitem__ = __contains__ = __iter__ = __len__ = __bool__ = _refuse
    get = keys = values = items = copy = _refuse


def add_domain_guard(app: Sanic) -> None:
    """Action calls without a domain get a `DomainNotSent` in its place."""

    async def guard(request: Request) -> None:
        if request.path != "/webhook" or request.method != "POST":
            return
        if request.headers.get("Content-Encoding") == "deflate":
            return  # rasa-sdk parses that body itself; Rasa compresses only when told to
        try:
            call = request.json  # parsed once: rasa-sdk reads the same object
        except InvalidUsage:
            return
        if isinstance(call, dict) and "domain" not in call:
            call["domain"] = DomainNotSent(str(call.get("next_action")))

    app.register_middleware(guard, "request")

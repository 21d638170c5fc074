"""`python -m channels.rasa_api run ...`: `rasa run` with its HTTP API behind a bearer token.

Rasa 3.6 takes its API token from `--auth-token`, where every user of the machine reads
it in `ps`, and accepts it only as `?token=`, which access logs and proxies keep. Here
the token comes from PARLEY_RASA_TOKEN (a process's environment is readable by its owner
only), every endpoint Rasa guards wants `Authorization: Bearer <token>`, compared in
constant time, and a token in the query string is refused, even the right one.
"""

from __future__ import annotations

import hmac
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from inspect import isawaitable
from typing import Any
from urllib.parse import parse_qs

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_VARIABLE = "PARLEY_RASA_TOKEN"
# Rasa's own ways to the API: a token on the command line, or JWTs Parley does not issue.
REFUSED_OPTIONS = ("--auth-token", "--jwt-secret", "--jwt-private-key", "--jwt-method")
IN_URL = "the API token goes in the 'Authorization: Bearer <token>' header, never in the URL"
MISSING = "send Rasa's API token (PARLEY_RASA_TOKEN) as 'Authorization: Bearer <token>'"

View = Callable[..., Any]


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def token_in_url(request: Request) -> bool:
    return "token" in parse_qs(request.query_string, keep_blank_values=True)


def refusal(request: Request, token: str) -> HTTPResponse | None:
    """None when the request may use the API; otherwise the 401 to answer."""
    if token_in_url(request):
        return _unauthorized(IN_URL)
    sent = bearer_token(request)
    if not token or sent is None or not hmac.compare_digest(sent.encode(), token.encode()):
        return _unauthorized(MISSING)
    return None


def _unauthorized(message: str) -> HTTPResponse:
    # The shape of Rasa's own errors, so that Rasa's clients read it as they read Rasa's.
    body = {"status": "failure", "reason": "NotAuthenticated", "message": message, "code": 401}
    return response.json(body, status=401, headers={"WWW-Authenticate": "Bearer"})


def requires_bearer(token: str) -> Callable[..., Callable[[View], View]]:
    """A stand-in for `rasa.server.requires_auth(app, token)` that checks `token` the
    way `refusal` does, whatever Rasa passes."""

    def requires_auth(app: Any, _rasa_token: str | None = None) -> Callable[[View], View]:
        def decorator(view: View) -> View:
            @wraps(view)
            async def guarded(request: Request, *args: Any, **kwargs: Any) -> Any:
                refused = refusal(request, token)
                if refused is not None:
                    return refused
                result = view(request, *args, **kwargs)
                return await result if isawaitable(result) else result

            return guarded

        return decorator

    return requires_auth


def refused_option(argv: Sequence[str]) -> str | None:
    return next((a for a in argv if a.split("=", 1)[0] in REFUSED_OPTIONS), None)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: Rasa's HTTP API needs a token")
    option = refused_option(args)
    if option is not None:
        sys.exit(
            f"{option.split('=', 1)[0]} is refused: the API token comes from "
            f"{TOKEN_VARIABLE}, never from the command line"
        )
    import rasa.server
    from rasa.__main__ import main as rasa_main

    from channels import action_responses, action_session, model_loading

    model_loading.install()
    action_responses.install()
    action_session.install()

    # create_app looks `requires_auth` up when it builds the routes: every guarded
    # endpoint gets Parley's check instead of Rasa's query-string one.
    setattr(rasa.server, "requires_auth", requires_bearer(token))  # noqa: B010
    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main()

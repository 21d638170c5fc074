"""The REST API, the campaign worker's probes and the API's health route under the kinds
of hostile input schemathesis does not make: oversized and undecodable bodies, wrong
content types, huge or odd query strings, path traversal in ids, broken HTTP.

The API's conformance to its OpenAPI description is schemathesis' job
(tests/unit/test_api.py); this layer only insists on "never a 5xx, never a write from a
refused request"."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import (
    Fuzzer,
    FuzzStack,
    any_text,
    content_types,
    fuzz_settings,
    header_values,
    hostile_text,
    json_values,
    junk_bodies,
    settled_counts,
    with_content_type,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.fuzz]

TEMPLATES = (
    "/api/v1/contacts", "/api/v1/leads", "/api/v1/contacts/{id}", "/api/v1/contacts/{id}/timeline",
    "/api/v1/contacts/{id}/consent", "/api/v1/contacts/{id}/enrollments",
    "/api/v1/campaigns/{id}/enrollments", "/api/v1/contacts/{id}/outcome", "/api/health",
    "/api/openapi.json", "/api/{id}",
)  # fmt: skip
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS")
IDS = (
    "..", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "%00", "%ff%fe", "x" * 65,
    "x" * 5000, "' OR 1=1 --", "%25%32%65", "\u202e", "c_" + "0" * 30, "*", "%",
)  # fmt: skip
ids = st.sampled_from(IDS) | any_text.map(lambda t: quote(t, safe="%"))
# Bodies Python's JSON reader refuses with RecursionError and ValueError, not
# JSONDecodeError (they were 500s once); the main property's generator rarely makes them.
UNUSABLE_JSON_BODIES = (b"[" * 50_000, b'{"name": ' + b"1" * 5000 + b"}")
# Bodies over the 64 KiB limit are kept out: once, a keep-alive connection to the API
# went unanswered after one (not reproduced against `python -m api` since; see the
# report on issue #9), and a hang here would stall the whole property for its timeout.
api_bodies = st.one_of(junk_bodies, json_values.map(lambda v: json.dumps(v).encode()))


def _path(template: str, key: str) -> str:
    return template.replace("{id}", key)


def _auth(fuzz_stack: FuzzStack, kind: str, forged: str) -> dict[str, str]:
    if kind == "none":
        return {}
    if kind == "valid":
        return {"Authorization": f"Bearer {fuzz_stack.api_token}"}
    return {"Authorization": forged}


def test_api_refuses_requests_without_a_valid_token_and_stores_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = settled_counts(fuzz_stack.stack)

    @fuzz_settings(3)
    @given(
        template=st.sampled_from(TEMPLATES[:8]),  # those that need a token
        key=ids,
        method=st.sampled_from(METHODS),
        forged=header_values | st.builds(lambda t: f"Bearer pk_{t}", header_values),
        none=st.booleans(),
        body=api_bodies,
        content_type=content_types,
        query=st.dictionaries(hostile_text, hostile_text, max_size=4),
    )
    def case(
        template: str,
        key: str,
        method: str,
        forged: str,
        none: bool,
        body: bytes,
        content_type: str | None,
        query: dict[str, str],
    ) -> None:
        headers = {
            **with_content_type(content_type),
            **_auth(fuzz_stack, "none" if none else "forged", forged),
        }
        reply = fuzzer.send(
            "api (no valid token)",
            method,
            fuzz_stack.api + _path(template, key),
            content=body,
            headers=headers,
            params=query,
        )
        assert reply.status_code in (400, 401, 404, 405, 413), reply.status_code

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def test_api_hostile_requests_with_a_valid_token_never_fail(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(4)
    @given(
        template=st.sampled_from(TEMPLATES),
        key=ids,
        method=st.sampled_from(METHODS),
        body=api_bodies,
        content_type=content_types,
        query=st.dictionaries(
            st.sampled_from(["limit", "after", "q", "grade"]) | hostile_text,
            hostile_text,
            max_size=4,
        ),
    )
    def case(
        template: str,
        key: str,
        method: str,
        body: bytes,
        content_type: str | None,
        query: dict[str, str],
    ) -> None:
        headers = {**with_content_type(content_type), **_auth(fuzz_stack, "valid", "")}
        fuzzer.send(
            "api (valid token)",
            method,
            fuzz_stack.api + _path(template, key),
            content=body,
            headers=headers,
            params=query,
        )

    case()
    fuzz_stack.assert_alive()


def test_api_huge_query_strings_and_headers_never_fail(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(1)
    @given(
        size=st.integers(1, 20_000),
        template=st.sampled_from(TEMPLATES[:2] + TEMPLATES[7:9]),
        name=st.sampled_from(["q", "after", "limit", "x"]),
    )
    def case(size: int, template: str, name: str) -> None:
        url = f"{fuzz_stack.api}{_path(template, 'c')}?{name}={'%41' * size}&{name}=2"
        headers = {**_auth(fuzz_stack, "valid", ""), "X-Junk": "j" * min(size, 7000)}
        fuzzer.send("api (huge query)", "GET", url, headers=headers)

    case()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b, "application/json") for b in UNUSABLE_JSON_BODIES],
    ids=["deep-nesting", "huge-integer"],
)
def test_api_unusable_json_bodies_are_a_400(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer, body: bytes, content_type: str
) -> None:
    headers = {"Content-Type": content_type, **_auth(fuzz_stack, "valid", "")}
    reply = fuzzer.send(
        "api (unusable JSON)",
        "PATCH",
        f"{fuzz_stack.api}/api/v1/contacts/nobody",
        content=body,
        headers=headers,
    )
    assert reply.status_code == 400


def test_api_port_survives_broken_http(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> None:
    @fuzz_settings(1)
    @given(line=st.binary(max_size=300), header=st.binary(max_size=300))
    def case(line: bytes, header: bytes) -> None:
        request = (
            b"GET /api/v1/contacts" + line + b" HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n"
        )
        fuzzer.raw("api raw HTTP", fuzz_stack.api_port, request)

    case()
    fuzz_stack.assert_alive()


# ------------------------------------------------------------------ the campaign worker


def test_worker_probes_answer_hostile_gets_with_200_404_or_not_ready(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(2)
    @given(
        path=st.sampled_from(["/health", "/ready", "/", "/health/", "/../health"])
        | any_text.map(lambda t: "/" + quote(t, safe="/%?&=")),
        headers=st.dictionaries(
            st.sampled_from(["X-A", "Accept", "Cookie", "Range"]), header_values, max_size=3
        ),
    )
    def case(path: str, headers: dict[str, str]) -> None:
        reply = fuzzer.send("worker probes", "GET", fuzz_stack.worker + path, headers=headers)
        if path == "/ready" and reply.status_code == 503:
            assert reply.json()["status"] == "degraded"  # the probe's meaning, not a crash
        else:
            assert reply.status_code in (200, 404), reply.status_code

    case()
    fuzz_stack.assert_alive()


def test_worker_port_survives_broken_http(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> None:
    @fuzz_settings(1)
    @given(line=st.binary(max_size=300), header=st.binary(max_size=300))
    def case(line: bytes, header: bytes) -> None:
        request = b"GET /health" + line + b" HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n"
        fuzzer.raw("worker raw HTTP", fuzz_stack.worker_port, request)

    case()
    fuzz_stack.assert_alive()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_worker_probes_refuse_other_methods_with_405(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer, method: str
) -> None:
    reply = fuzzer.send("worker probes (methods)", method, fuzz_stack.worker + "/health")
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "GET, HEAD"


def test_worker_probes_answer_head_and_query_strings(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> None:
    head = fuzzer.send("worker probes (methods)", "HEAD", fuzz_stack.worker + "/health")
    assert head.status_code == 200 and head.content == b""
    query = fuzzer.send("worker probes", "GET", fuzz_stack.worker + "/health?probe=1")
    assert query.status_code == 200

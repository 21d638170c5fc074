"""Signing in, roles, CSRF and the audit log, against a real studio on loopback."""

from __future__ import annotations

from studio.accounts import setup_token_file
from studio.roles import ROLES, can
from tests.studio.studio_server import PASSWORD, StudioServer, start_studio


def test_pages_need_a_session(studio: StudioServer) -> None:
    studio.add_user("admin@example.com", "admin")
    client = studio.client()
    for path in ("/", "/users", "/audit"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_wrong_password_is_refused_and_audited(studio: StudioServer) -> None:
    studio.add_user("admin@example.com", "admin")
    client = studio.client()
    response = client.post("/login", {"email": "admin@example.com", "password": "nope"}, csrf=False)
    assert response.status_code == 401
    assert "Wrong email or password" in response.text
    unknown = client.post("/login", {"email": "who@example.com", "password": "x"}, csrf=False)
    assert unknown.status_code == 401
    actions = [e.action for e in studio.store.privacy.audit_entries()]
    assert actions.count("studio.login_failed") == 2


def test_login_is_throttled_after_five_failures(studio: StudioServer) -> None:
    studio.add_user("slow@example.com", "marketer")
    client = studio.client()
    for _ in range(5):
        client.post("/login", {"email": "slow@example.com", "password": "bad"}, csrf=False)
    blocked = client.post("/login", {"email": "slow@example.com", "password": PASSWORD}, csrf=False)
    assert blocked.status_code == 429


def test_session_cookie_is_httponly_and_strict(studio: StudioServer) -> None:
    studio.add_user("admin@example.com", "admin")
    client = studio.client()
    response = client.post(
        "/login", {"email": "admin@example.com", "password": PASSWORD}, csrf=False
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert response.headers["location"] == "/"


def test_open_redirect_after_login_is_refused(studio: StudioServer) -> None:
    studio.add_user("admin@example.com", "admin")
    client = studio.client()
    response = client.post(
        "/login",
        {"email": "admin@example.com", "password": PASSWORD, "next": "//evil.example"},
        csrf=False,
    )
    assert response.headers["location"] == "/"


def test_marketer_cannot_reach_admin_pages(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    for path in ("/users", "/audit"):
        response = marketer.get(path)
        assert response.status_code == 403
        assert "may not" in response.text
    refused = marketer.post(
        "/users", {"email": "x@example.com", "name": "X", "role": "admin", "password": "x" * 12}
    )
    assert refused.status_code == 403
    assert studio.store.studio.user_with_hash("x@example.com") is None
    assert "studio.forbidden" in [e.action for e in studio.store.privacy.audit_entries()]


def test_cross_site_and_tokenless_posts_are_refused(studio: StudioServer) -> None:
    admin = studio.signed_in("admin")
    new_user = {"email": "new@example.com", "name": "New", "role": "analyst", "password": "p" * 12}
    assert admin.post("/users", new_user, origin="https://evil.example").status_code == 403
    assert admin.post("/users", {**new_user, "csrf_token": "forged"}).status_code == 403
    no_origin = admin.http.post("/users", data={**new_user, "csrf_token": admin.csrf})
    assert no_origin.status_code == 403
    assert studio.store.studio.user_with_hash("new@example.com") is None
    assert admin.post("/users", new_user).status_code == 303
    assert studio.store.studio.user_with_hash("new@example.com") is not None


def test_admin_manages_users_and_every_change_is_audited(studio: StudioServer) -> None:
    admin = studio.signed_in("admin")
    weak = admin.post(
        "/users", {"email": "a@example.com", "name": "A", "role": "analyst", "password": "short"}
    )
    assert weak.status_code == 400 and "12 characters" in weak.text
    admin.post(
        "/users",
        {"email": "a@example.com", "name": "A", "role": "analyst", "password": "long enough pass"},
    )
    found = studio.store.studio.user_with_hash("a@example.com")
    assert found is not None
    user_id = found[0].id
    analyst = studio.client()
    analyst.login("a@example.com", "long enough pass")
    assert admin.post(f"/users/{user_id}", {"role": "marketer"}).status_code == 303
    assert admin.post(f"/users/{user_id}", {"action": "disable"}).status_code == 303
    # Disabling ends the sessions the user had open.
    assert analyst.get("/").status_code == 303
    audit = admin.get("/audit").text
    for action in (
        "studio.user_created",
        "studio.user_role",
        "studio.user_disabled",
        "studio.login",
    ):
        assert action in audit


def test_logout_ends_the_session(studio: StudioServer) -> None:
    client = studio.signed_in("analyst")
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 303


def test_first_admin_needs_the_setup_token(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = start_studio(tmp_path)
    try:
        token_file = setup_token_file(server.settings)
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text("the-token\n")
        client = server.client()
        assert client.get("/login").headers["location"] == "/setup"
        form = {"email": "boss@example.com", "name": "Boss", "password": "a long password"}
        assert client.post("/setup", {**form, "token": "guess"}, csrf=False).status_code == 403
        created = client.post("/setup", {**form, "token": "the-token"}, csrf=False)
        assert created.status_code == 303
        assert not token_file.exists()
        assert client.get("/users").status_code == 200
        # Once there is a user, setup is closed.
        assert (
            server.client().post("/setup", {**form, "token": "the-token"}, csrf=False).status_code
            == 303
        )
    finally:
        server.stop()


def test_security_headers(studio: StudioServer) -> None:
    response = studio.client().get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


PUBLIC = {"/login", "/setup", "/logout", "/health"}
# Posted before a session exists: guarded by the origin check alone.
SESSIONLESS = {"/login", "/setup"}


def _routes(server: StudioServer) -> list[tuple[str, str]]:
    """Every route of the app, with a sample path for its placeholders."""
    import re

    from studio.app import create_app

    app = create_app(server.settings, server.store)
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = str(info.get("path") or info.get("formatter") or "")
        if not path or path.startswith("/static") or route.method == "HEAD":
            continue
        # A sample for each placeholder: digits for numbers, a hex id for contacts.
        sample = re.sub(r"\{contact_id[^}]*\}", "0" * 32, path)
        found.append((route.method, re.sub(r"\{[^}]+\}", "1", sample)))
    return found


def test_every_page_and_api_needs_a_session(studio: StudioServer) -> None:
    client = studio.client()
    checked = 0
    for method, path in _routes(studio):
        if path in PUBLIC:
            continue
        response = client.http.request(method, path, headers={"Origin": studio.url})
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login"), (method, path)
        checked += 1
    assert checked >= 30


def test_every_state_change_refuses_a_cross_site_request(studio: StudioServer) -> None:
    admin = studio.signed_in("admin")
    before = len(studio.store.privacy.audit_entries(500))
    posts = [p for method, p in _routes(studio) if method == "POST" and p not in SESSIONLESS]
    assert len(posts) >= 15
    for path in posts:
        forged = admin.http.post(
            path, data={"csrf_token": admin.csrf}, headers={"Origin": "https://evil.example"}
        )
        assert forged.status_code == 403, path
        tokenless = admin.http.post(path, json={}, headers={"Origin": studio.url})
        assert tokenless.status_code == 403, path
    # Nothing was done: the only new audit entries are none at all.
    assert len(studio.store.privacy.audit_entries(500)) == before


def test_admins_may_do_whatever_sales_may() -> None:
    assert ROLES["sales"] <= ROLES["admin"]
    assert can("sales", "inbox.work") and not can("marketer", "inbox.work")


def test_sales_users_cannot_open_admin_or_contact_pages(studio: StudioServer) -> None:
    client = studio.signed_in("sales")
    assert client.get("/").status_code == 200
    for path in ("/users", "/audit", "/contacts", "/content", "/publish"):
        assert client.get(path).status_code == 403, path
    refused = client.post("/users", {"email": "x@example.com", "name": "X", "role": "admin",
                                     "password": "long enough pass"})  # fmt: skip
    assert refused.status_code == 403
    assert studio.store.studio.user_with_hash("x@example.com") is None
    forbidden = [
        e for e in studio.store.privacy.audit_entries(50) if e.action == "studio.forbidden"
    ]
    assert {e.actor for e in forbidden} == {"studio:sales@example.com"}

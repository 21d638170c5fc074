"""Contacts: search, a profile with its timeline, consent evidence and score explanation,
and the data-subject export and erasure for the roles allowed to use them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot import privacy
from bot.errors import ContactNotFound
from bot.field_values import field_values, read_fields
from bot.store import MAX_SEARCH_QUERY as MAX_QUERY
from bot.store import (
    Claim,
    ConsentEvent,
    Contact,
    DoNotContact,
    Enrollment,
    ErasureReceipt,
    Lead,
    ProfileStore,
    ScoreRecord,
    TimelineEvent,
)
from bot.types import QUALIFICATION_FIELDS, ContactId
from studio.web import (
    SETTINGS,
    STORE,
    audit,
    form,
    in_thread,
    redirect,
    render,
    render_text,
    requires,
    user_of,
)

routes = web.RouteTableDef()
PAGE_SIZE = 50
MAX_PAGE = 10_000
# A profile shows this many of the newest timeline events; the export has them all.
TIMELINE_SHOWN = 200
CONFIRM_WORD = "ERASE"
CONTACT = "/contacts/{contact_id:[0-9a-f]{32}}"


@dataclass(frozen=True)
class Profile:
    """Everything a profile page shows about one contact, newest first where it is a list."""

    contact: Contact
    leads: list[Lead]
    qualification: dict[str, str]
    unanswered: list[str]
    timeline: list[TimelineEvent]
    timeline_total: int
    consent_history: list[ConsentEvent]
    consent_state: list[ConsentEvent]
    score: ScoreRecord | None
    score_history: list[ScoreRecord]
    do_not_contact: list[DoNotContact]
    enrollments: list[Enrollment]
    tags: list[str]
    # Typed emails or phones that another contact holds (#17), either way round.
    possible_duplicates: list[Claim]


def load_profile(store: ProfileStore, contact_id: ContactId) -> Profile:
    """Raises ContactNotFound, also when the contact is erased while this reads."""
    contact = store.contacts.get(contact_id)
    live = contact.id
    timeline = store.contacts.timeline(live)
    qualification = store.leads.qualification(live)
    return Profile(
        contact=contact,
        leads=list(reversed(store.leads.for_contact(live))),
        qualification=qualification,
        unanswered=[field for field in QUALIFICATION_FIELDS if field not in qualification],
        timeline=list(reversed(timeline))[:TIMELINE_SHOWN],
        timeline_total=len(timeline),
        consent_history=list(reversed(store.consent.history(live))),
        consent_state=sorted(store.consent.state(live).values(), key=lambda e: e.purpose),
        score=store.leads.latest_score(live),
        score_history=list(reversed(store.leads.score_history(live))),
        do_not_contact=store.consent.do_not_contact(live),
        enrollments=store.campaigns.enrollments(contact_id=live),
        tags=store.campaigns.tags_of(live),
        possible_duplicates=store.contacts.possible_duplicates(live),
    )


def not_found(request: web.Request, contact_id: ContactId) -> web.Response:
    message = f"There is no contact {contact_id}: it may have been erased."
    text = render_text(request, "error.html", status=404, message=message)
    return web.Response(text=text, status=404, content_type="text/html")


def _page_number(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ValueError(f"The page must be a whole number from 1 to {MAX_PAGE}.")
    return int(raw)


@routes.get("/contacts")
@requires("contacts.view")
async def contacts_page(request: web.Request) -> web.Response:
    query = request.query.get("q", "").strip()
    try:
        page = _page_number(request.query.get("page", "1"))
        if len(query) > MAX_QUERY:
            raise ValueError(f"Search for at most {MAX_QUERY} characters.")
    except ValueError as error:
        return render(
            request,
            "contacts/list.html",
            status=400,
            query=query[:MAX_QUERY],
            contacts=[],
            page=1,
            more=False,
            error=str(error),
        )
    store = request.app[STORE]
    # One extra row tells whether there is a next page without counting them all.
    found = await in_thread(store.contacts.search, query, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    shown = found[:PAGE_SIZE]
    # The query itself may be an email or a phone number: the log keeps only what was shown.
    await audit(
        request,
        "studio.contacts_searched",
        "contacts",
        searched=bool(query),
        page=page,
        results=len(shown),
        contact_ids=",".join(c.id for c in shown),
    )
    return render(
        request,
        "contacts/list.html",
        query=query,
        contacts=shown,
        page=page,
        more=len(found) > PAGE_SIZE,
        error="",
    )


async def _show_profile(
    request: web.Request,
    contact_id: ContactId,
    *,
    status: int = 200,
    erase_error: str = "",
    duplicate_error: str = "",
) -> web.Response:
    try:
        profile = await in_thread(load_profile, request.app[STORE], contact_id)
    except ContactNotFound:
        return not_found(request, contact_id)
    if profile.contact.id != contact_id:  # merged away: the contact that stands for it
        return redirect(f"/contacts/{profile.contact.id}")
    await audit(request, "studio.contact_viewed", contact_id)
    # Labels from the published lead_fields.yml; a removed field's values show by name.
    defined = read_fields(request.app[SETTINGS].lead_fields_file)
    return render(
        request,
        "contacts/profile.html",
        status=status,
        p=profile,
        c=profile.contact,
        custom_fields=field_values(defined, profile.contact.fields),
        confirm_word=CONFIRM_WORD,
        erase_error=erase_error,
        duplicate_error=duplicate_error,
        pretty=pretty,
    )


@routes.get(CONTACT)
@requires("contacts.view")
async def profile_page(request: web.Request) -> web.Response:
    return await _show_profile(request, _contact_id(request))


@routes.get(CONTACT + "/export")
@requires("contacts.export")
async def export_contact(request: web.Request) -> web.Response:
    contact_id = _contact_id(request)
    store, settings = request.app[STORE], request.app[SETTINGS]
    actor = f"studio:{_email(request)}"
    try:
        document = await in_thread(privacy.export, store, settings, contact_id, actor)
    except ContactNotFound:
        return not_found(request, contact_id)
    live = document["profile"]["id"]
    await audit(
        request, "studio.contact_exported", live, conversations=len(document["conversations"])
    )
    body = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    return web.Response(
        text=body + "\n",
        content_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="contact-{live}.json"'},
    )


@routes.post(CONTACT + "/erase")
@requires("contacts.erase")
async def erase_contact(request: web.Request) -> web.Response:
    contact_id = _contact_id(request)
    data = await form(request)
    if data.get("confirm", "").strip() != CONFIRM_WORD:
        return await _show_profile(
            request,
            contact_id,
            status=400,
            erase_error=f"Type {CONFIRM_WORD} to erase this contact; nothing was erased.",
        )
    store, settings = request.app[STORE], request.app[SETTINGS]
    actor = f"studio:{_email(request)}"
    try:
        receipt = await in_thread(privacy.erase, store, settings, contact_id, actor)
    except ContactNotFound:
        return not_found(request, contact_id)
    await audit(request, "studio.contact_erased", receipt.contact_id, **_receipt_counts(receipt))
    return render(
        request,
        "contacts/erased.html",
        receipt=receipt,
        channels=sorted({i.channel for i in receipt.identities}),
    )


@routes.post(CONTACT + "/duplicates")
@requires("contacts.merge")
async def settle_duplicate(request: web.Request) -> web.Response:
    """Staff decide whether a possible duplicate is one person (merge) or two (dismiss)."""
    contact_id = _contact_id(request)
    data = await form(request)
    raw, decision = data.get("claim_id", ""), data.get("decision", "")
    if not re.fullmatch(r"[0-9]{1,18}", raw) or decision not in ("merge", "dismiss"):
        return await _show_profile(
            request,
            contact_id,
            status=400,
            duplicate_error="That decision was not understood; nothing changed.",
        )
    store = request.app[STORE]
    claim_id = int(raw)
    if decision == "merge":
        merged = await in_thread(store.contacts.merge_claim, claim_id)
        done, target = merged is not None, merged.id if merged else contact_id
    else:
        done, target = await in_thread(store.contacts.dismiss_claim, claim_id), contact_id
    if done:
        await audit(request, f"studio.duplicate_{decision}d", target, claim_id=claim_id)
    return redirect(f"/contacts/{target}")


def _receipt_counts(receipt: ErasureReceipt) -> dict[str, int]:
    return {
        "identities": len(receipt.identities),
        "conversations": len(receipt.conversation_ids),
        "suppressed": receipt.suppressed,
    }


def _email(request: web.Request) -> str:
    return user_of(request).email


def pretty(value: Any, nested: bool = False) -> str:
    """Stored JSON (evidence, timeline data) as one readable line; empty values left out."""
    if isinstance(value, dict):
        text = ", ".join(
            f"{k}: {pretty(v, True)}" for k, v in value.items() if v not in (None, "", [], {})
        )
    elif isinstance(value, list):
        text = "; ".join(pretty(v, True) for v in value)
    else:
        return str(value)
    return f"({text})" if nested else text


def _contact_id(request: web.Request) -> ContactId:
    return ContactId(request.match_info["contact_id"])

"""The API's OpenAPI 3.0 description, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from bot import __version__
from bot.types import GRADES, LEAD_STATUSES, OUTCOME_SOURCES, OUTCOMES, PURPOSES

NULLABLE_TEXT: dict[str, Any] = {"type": "string", "nullable": True}
TIME: dict[str, Any] = {"type": "string", "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# Text parameters carry no control characters (a NUL is a 400, not a database error).
PLAIN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def _text(longest: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": longest, "pattern": PLAIN}


CONTACT_ID = {"name": "contact_id", "in": "path", "required": True, "schema": _text(64)}
LIMIT = {
    "name": "limit",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
}
PAGING = [
    LIMIT,
    {"name": "after", "in": "query", "description": "the `next` of the previous page",
     "schema": _text(64)},
]  # fmt: skip
ERRORS = {
    "400": _problem("the request is malformed"),
    "401": _problem("no valid token"),
    "403": _problem("the token lacks the scope"),
    "429": _problem("too many requests for this token; see Retry-After"),
}
CONTACT_ERRORS = {**ERRORS, "404": _problem("no such contact")}
MONEY: dict[str, Any] = {"type": "string", "pattern": "^[0-9]{1,12}([.][0-9]{1,3})?$",
                         "example": "12500.00"}  # fmt: skip

OUTCOME: dict[str, Any] = _obj({
        "id": {"type": "integer"},
        "outcome": {"type": "string", "enum": list(OUTCOMES)},
        "value": {**MONEY, "nullable": True},
        "currency": {"type": "string", "nullable": True, "description": "ISO 4217"},
        "reason": NULLABLE_TEXT,
        "source": {"type": "string", "enum": list(OUTCOME_SOURCES)},
        "recorded_by": {"type": "string",
                        "description": "who recorded it: api-token:<id>, cli:<user>, hubspot"},
        "external_ref": {"type": "string", "nullable": True,
                         "description": "the source's own id for it (a HubSpot deal id)"},
        "current": {"type": "boolean",
                    "description": "the contact's current outcome (the latest recorded)"},
        "occurred_at": {**TIME, "description": "when the sale was won or lost"},
        "recorded_at": {**TIME, "description": "when Parley recorded it"},
    })  # fmt: skip

SCHEMAS: dict[str, Any] = {
    "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"}}},
    "Identity": _obj({"channel": {"type": "string"}, "external_id": {"type": "string"}}),
    "Score": {**_obj({"score": {"type": "integer"}, "grade": {"type": "string", "enum": list(GRADES)},
                      "stage": {"type": "string"}, "computed_at": TIME}), "nullable": True},
    "Contact": _obj({
        "id": {"type": "string"}, "name": NULLABLE_TEXT, "email": NULLABLE_TEXT,
        "phone": NULLABLE_TEXT, "company": NULLABLE_TEXT, "role": NULLABLE_TEXT,
        "need": NULLABLE_TEXT, "channels": {"type": "array", "items": _ref("Identity")},
        "lead_status": {"type": "string", "enum": list(LEAD_STATUSES)},
        "created_at": TIME, "updated_at": TIME,
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "custom lead fields (lead_fields.yml): name -> value in "
                                  "its type's canonical form (a choice's option id, a plain "
                                  "decimal, an ISO date, a lower-case email, an E.164 phone, "
                                  "yes or no); removed fields' values stay"},
        "score": _ref("Score"),
        "possible_duplicates": {"type": "array", "items": _ref("PossibleDuplicate")},
    }),
    "PossibleDuplicate": _obj({
        "claim_id": {"type": "integer"}, "field": {"type": "string", "enum": ["email", "phone"]},
        "value": {"type": "string"}, "claimed_at": TIME,
        "other_contact_id": {"type": "string"},
    }),
    "ContactPage": _obj({"items": {"type": "array", "items": _ref("Contact")},
                         "next": NULLABLE_TEXT}),
    "ContactUpdate": _obj({
        **{field: {"type": "string", "minLength": 1, "maxLength": 320}
           for field in ("name", "email", "phone", "company", "role", "need")},
        "fields": {"type": "object", "additionalProperties": {
            "type": "string", "minLength": 1, "maxLength": 2000, "nullable": True},
            "description": "custom lead fields to set, validated by their type in "
                           "lead_fields.yml (a choice by option id or label, a number, "
                           "a YYYY-MM-DD date, an email, a phone, yes or no; JSON numbers "
                           "and booleans are read too); null forgets a value. An unknown "
                           "field or a bad value is a 400 naming it, and nothing changes."},
    }, required=[]),
    "TimelineEvent": _obj({"kind": {"type": "string"}, "data": {"type": "object"},
                           "occurred_at": TIME}),
    "Timeline": _obj({"items": {"type": "array", "items": _ref("TimelineEvent")}}),
    "ConsentEvent": _obj({
        "id": {"type": "integer"}, "purpose": {"type": "string"}, "granted": {"type": "boolean"},
        "channel": {"type": "string"}, "wording": {"type": "string"},
        "wording_version": {"type": "string"}, "source": {"type": "string"},
        "evidence": {"type": "object", "additionalProperties": {"type": "string", "nullable": True}},
        "occurred_at": TIME,
        "pending": {"type": "boolean",
                    "description": "a grant waiting for its confirmation (double opt-in)"},
    }),
    "Consent": _obj({
        "current": {"type": "object", "additionalProperties": {"type": "boolean"},
                    "description": "purpose -> consent in force (granted and, where it had "
                                   "to be, confirmed from the address)"},
        "pending": {"type": "array", "items": {"type": "string"},
                    "description": "purposes whose grant waits for its confirmation"},
        "history": {"type": "array", "items": _ref("ConsentEvent")},
    }),
    "ConsentRecord": _obj({
        "purpose": {"type": "string", "enum": list(PURPOSES)},
        "granted": {"type": "boolean"},
        "wording": {"type": "string", "minLength": 1, "maxLength": 2000},
        "wording_version": {"type": "string", "minLength": 1, "maxLength": 64},
        "evidence": {"type": "object", "minProperties": 1, "maxProperties": 20,
                     "additionalProperties": {"type": "string", "maxLength": 500}},
    }),
    "Enrollment": _obj({"campaign": {"type": "string"}, "contact_id": {"type": "string"},
                        "status": {"type": "string"},
                        "step": {"type": "integer"}, "enrolled_at": TIME,
                        "exit_reason": NULLABLE_TEXT}),
    "Enrollments": _obj({"items": {"type": "array", "items": _ref("Enrollment")}}),
    "EnrollmentPage": _obj({"items": {"type": "array", "items": _ref("Enrollment")},
                            "next": NULLABLE_TEXT}),
    "Outcome": OUTCOME,
    "Outcomes": _obj({
        "contact_id": {"type": "string"},
        "current": {**OUTCOME, "nullable": True},
        "history": {"type": "array", "items": _ref("Outcome"),
                    "description": "every outcome recorded, oldest first"},
    }),
    "OutcomeRecord": _obj({
        "outcome": {"type": "string", "enum": list(OUTCOMES)},
        "value": {**MONEY, "description": "what the sale was worth (or would have been), "
                  "a decimal string (a JSON number is read exactly too); needs currency"},
        "currency": {"type": "string", "pattern": "^[A-Za-z]{3}$",
                     "description": "ISO 4217, e.g. EUR; only with a value"},
        "reason": {**_text(500), "description": "why it was won or lost"},
        "occurred_at": {**TIME, "description": "when it was won or lost (default: now); "
                        "with a UTC offset, not in the future"},
    }, required=["outcome"]),
}  # fmt: skip


def _contact_get(summary: str, schema: str, scope: str = "read") -> dict[str, Any]:
    return {
        "summary": summary,
        "description": f"Scope: {scope}. Reads are audited.",
        "parameters": [CONTACT_ID],
        "responses": {"200": _json(_ref(schema)), **CONTACT_ERRORS},
    }


PATHS: dict[str, Any] = {
    "/api/v1/contacts": {"get": {
        "summary": "List contacts by id, or search (q): an exact id, email or phone, else "
                   "every contact whose name, email, company or phone contains q",
        "description": "Scope: read.",
        "parameters": [*PAGING, {"name": "q", "in": "query", "schema": _text(320)}],
        "responses": {"200": _json(_ref("ContactPage")), **ERRORS},
    }},
    "/api/v1/contacts/{contact_id}": {
        "get": _contact_get("One contact with their latest score", "Contact"),
        "patch": {
            "summary": "Change profile fields (a contact holding the same email or phone is merged)",
            "description": "Scope: write. Emails and phone numbers are validated and "
                           "normalized (E.164); one that is not real is a 400. Custom lead "
                           "fields go in `fields`, recorded as given by staff.",
            "parameters": [CONTACT_ID],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("ContactUpdate")}}},
            "responses": {"200": _json(_ref("Contact")), **CONTACT_ERRORS},
        },
    },
    "/api/v1/contacts/{contact_id}/timeline": {
        "get": _contact_get("Everything that happened to a contact", "Timeline")},
    "/api/v1/contacts/{contact_id}/consent": {
        "get": _contact_get("Current consent per purpose and the full ledger", "Consent"),
        "post": {
            "summary": "Record consent a member of staff collected, with its evidence",
            "description": "Scope: privacy. The wording is what the person agreed to.",
            "parameters": [CONTACT_ID],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("ConsentRecord")}}},
            "responses": {"201": _json(_ref("ConsentEvent"), "Recorded"), **CONTACT_ERRORS},
        },
    },
    "/api/v1/contacts/{contact_id}/enrollments": {
        "get": _contact_get("The contact's campaign enrollments", "Enrollments")},
    "/api/v1/contacts/{contact_id}/outcome": {
        "get": _contact_get("The contact's current sales outcome and every earlier one",
                            "Outcomes"),
        "post": {
            "summary": "Record a sale won or lost, with its value, currency and reason",
            "description": "Scope: write. The new outcome becomes the contact's current one "
                           "(earlier ones are kept), is audited and sent as a lead.outcome "
                           "event. Posting what is already the current outcome (same outcome, "
                           "value, currency and reason) records nothing and answers 200, so a "
                           "retry is safe.",
            "parameters": [CONTACT_ID],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("OutcomeRecord")}}},
            "responses": {
                "201": _json(_ref("Outcome"), "Recorded"),
                "200": _json(_ref("Outcome"), "Already the current outcome: nothing recorded"),
                **CONTACT_ERRORS,
                "422": _problem("the outcome, value, currency, reason or time is not usable"),
            },
        },
    },
    "/api/v1/campaigns/{campaign}/enrollments": {"get": {
        "summary": "Who is enrolled in a campaign, by enrollment order",
        "description": "Scope: read.",
        "parameters": [
            {"name": "campaign", "in": "path", "required": True, "schema": _text(64)},
            LIMIT,
            {"name": "after", "in": "query", "description": "the `next` of the previous page: "
             "a whole number from 0 to 9223372036854775807 (2^63 - 1)",
             "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"}},
        ],
        "responses": {"200": _json(_ref("EnrollmentPage")), **ERRORS},
    }},
    "/api/v1/leads": {"get": {
        "summary": "Scored leads, optionally of some grades",
        "description": "Scope: read.",
        "parameters": [*PAGING, {"name": "grade", "in": "query", "style": "form",
                                 "explode": False, "schema": {"type": "array", "items": {
                                     "type": "string", "enum": list(GRADES)}}}],
        "responses": {"200": _json(_ref("ContactPage")), **ERRORS},
    }},
}  # fmt: skip


def description() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Parley API", "version": __version__, "description": (
            "Contacts, leads and scores, consent, sales outcomes, campaign enrollments and "
            "timelines. "
            "Send `Authorization: Bearer <token>` (create one with `parley api-token "
            "create`); tokens carry scopes read, write and privacy. Errors are "
            "application/problem+json. Lists page with `limit` and `after`.")},
        "servers": [{"url": "/"}],
        "components": {"schemas": SCHEMAS, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": PATHS,
    }  # fmt: skip

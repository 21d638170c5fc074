"""Roles and what each may do. A page or endpoint names the permission it needs."""

from __future__ import annotations

from typing import Literal

Permission = Literal[
    "dashboard",
    "contacts.view",
    "contacts.export",
    "contacts.erase",
    "contacts.merge",
    "content.edit",
    "content.publish",
    "users.manage",
    "audit.view",
    "inbox.work",
    "inbox.take_over",
]

ROLES: dict[str, frozenset[Permission]] = {
    "admin": frozenset(
        {
            "dashboard",
            "contacts.view",
            "contacts.export",
            "contacts.erase",
            "contacts.merge",
            "content.edit",
            "content.publish",
            "users.manage",
            "audit.view",
            "inbox.work",
            # Taking a conversation someone else holds (they are away, or stuck): only
            # admins; sales users may only claim what nobody holds.
            "inbox.take_over",
        }
    ),
    # Marketers own the conversation: they edit, try and publish it, and see their leads.
    "marketer": frozenset({"dashboard", "contacts.view", "content.edit", "content.publish"}),
    # Analysts read results and may take data out; they change nothing.
    "analyst": frozenset({"dashboard", "contacts.view", "contacts.export"}),
    # Sales work the leads handed to a person, in the inbox (#20): its conversations,
    # with each one's profile, score and consent; no other contact, no admin page.
    "sales": frozenset({"dashboard", "inbox.work"}),
}


def can(role: str, permission: Permission) -> bool:
    return permission in ROLES.get(role, frozenset())

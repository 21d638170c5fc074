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

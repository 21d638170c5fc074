"""Personalized message templates: Jinja2 in a sandbox, checked when they are loaded.

Templates see the contact's profile (`first_name`, `name`, `email`, `phone`, `company`,
`role`, `need`, `grade`, `score`, `stage`), their custom lead fields as `fields.<name>`
(a choice by its label, yes/no as Yes or No; #19) and the sender's details
(`company_name`, `unsubscribe_url` in email). A profile value the contact lacks is undefined, so a
template either gives a fallback (`{{ first_name | default("there") }}`) or the send is
skipped with the reason; it never goes out with a blank where a name should be. A
variable outside that list is an error when the campaign is loaded, not at send time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from bot.custom_fields import EMPTY, LeadFields
from bot.field_values import shown_values
from bot.store import ContactSnapshot

PROFILE_VARIABLES = (
    "first_name", "name", "email", "phone", "company", "role", "need", "grade", "score", "stage",
)  # fmt: skip
SENDER_VARIABLES = ("company_name", "unsubscribe_url")
FIELDS_VARIABLE = "fields"
KNOWN_VARIABLES = frozenset(PROFILE_VARIABLES + SENDER_VARIABLES + (FIELDS_VARIABLE,))

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class TemplateProblem(ValueError):
    """A template that cannot be used: bad syntax or an unknown variable."""


class RenderFailed(ValueError):
    """A template needs a value this contact does not have (and gives no fallback)."""


@dataclass(frozen=True)
class Template:
    source: str

    def render(self, context: Mapping[str, Any]) -> str:
        try:
            return _compiled(self.source).render(context).strip()
        except UndefinedError as error:
            raise RenderFailed(f"no value for {error.message} and no fallback") from error
        except SecurityError as error:
            raise RenderFailed(f"refused by the sandbox: {error}") from error


@lru_cache(maxsize=1024)
def _compiled(source: str) -> JinjaTemplate:
    # Compiling costs about 60 times a render; a campaign has a handful of templates.
    return _ENV.from_string(source)


def compile_template(source: str, fields: LeadFields | None = None) -> Template:
    """Check syntax and variables now, so a broken campaign never starts. With the
    current custom lead `fields`, a `fields.<name>` they do not define is an error too;
    without them (a field removed under a running campaign) its value is just missing."""
    try:
        parsed = _ENV.parse(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"line {error.lineno}: {error.message}") from error
    unknown = sorted(meta.find_undeclared_variables(parsed) - KNOWN_VARIABLES)
    if unknown:
        known = ", ".join(sorted(KNOWN_VARIABLES))
        raise TemplateProblem(f"unknown variable {', '.join(unknown)} (known: {known})")
    if fields is not None:
        _check_field_names(parsed, fields)
    return Template(source)


def _check_field_names(parsed: nodes.Template, fields: LeadFields) -> None:
    used = {
        node.attr
        for node in parsed.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == FIELDS_VARIABLE
    } | {
        str(node.arg.value)
        for node in parsed.find_all(nodes.Getitem)
        if isinstance(node.node, nodes.Name)
        and node.node.name == FIELDS_VARIABLE
        and isinstance(node.arg, nodes.Const)
    }
    unknown = sorted(name for name in used if fields.get(name) is None)
    if unknown:
        known = ", ".join(f"fields.{name}" for name in fields.names) or "none are defined"
        names = ", ".join(f"fields.{name}" for name in unknown)
        raise TemplateProblem(f"unknown lead field {names} (lead fields: {known})")


def context_for(
    snapshot: ContactSnapshot,
    company_name: str,
    unsubscribe_url: str | None,
    fields: LeadFields = EMPTY,
) -> dict[str, Any]:
    """The template variables for one contact; values they lack are left out, so a
    missing `fields.<name>` needs a fallback as a missing `company` does. `fields`
    labels choices; a removed field's value is shown as stored."""
    contact = snapshot.contact
    values: dict[str, Any] = {
        "first_name": contact.name.split()[0] if contact.name else None,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "company": contact.company,
        "role": contact.role,
        "need": contact.need,
        "grade": snapshot.grade,
        "score": snapshot.score,
        "stage": snapshot.stage,
        "company_name": company_name,
        "unsubscribe_url": unsubscribe_url,
    }
    found = {key: value for key, value in values.items() if value not in (None, "")}
    found[FIELDS_VARIABLE] = FieldValues(shown_values(fields, contact.fields))
    return found


class FieldValues:
    """`fields.<name>` in a template. Not a dict: a field named `items` or `values` must
    be the contact's answer, not a dict method."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._values:
            raise AttributeError(name)
        return self._values[name]

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldValues) and other._values == self._values

    def __repr__(self) -> str:
        return f"FieldValues({self._values!r})"

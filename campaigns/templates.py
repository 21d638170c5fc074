"""Personalized message templates: Jinja2 in a sandbox, checked when they are loaded.

Templates see the contact's profile (`first_name`, `name`, `email`, `phone`, `company`,
`role`, `need`, `grade`, `score`, `stage`) and the sender's details (`company_name`,
`unsubscribe_url` in email). A profile value the contact lacks is undefined, so a
template either gives a fallback (`{{ first_name | default("there") }}`) or the send is
skipped with the reason; it never goes out with a blank where a name should be. A
variable outside that list is an error when the campaign is loaded, not at send time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from bot.store import ContactSnapshot

PROFILE_VARIABLES = (
    "first_name", "name", "email", "phone", "company", "role", "need", "grade", "score", "stage",
)  # fmt: skip
SENDER_VARIABLES = ("company_name", "unsubscribe_url")
KNOWN_VARIABLES = frozenset(PROFILE_VARIABLES + SENDER_VARIABLES)

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


def compile_template(source: str) -> Template:
    """Check syntax and variables now, so a broken campaign never starts."""
    try:
        parsed = _ENV.parse(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"line {error.lineno}: {error.message}") from error
    unknown = sorted(meta.find_undeclared_variables(parsed) - KNOWN_VARIABLES)
    if unknown:
        known = ", ".join(sorted(KNOWN_VARIABLES))
        raise TemplateProblem(f"unknown variable {', '.join(unknown)} (known: {known})")
    return Template(source)


def context_for(
    snapshot: ContactSnapshot, company_name: str, unsubscribe_url: str | None
) -> dict[str, Any]:
    """The template variables for one contact; values they lack are left out."""
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
    return {key: value for key, value in values.items() if value not in (None, "")}

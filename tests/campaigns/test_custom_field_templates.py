"""Custom lead fields (#19) in campaign templates and definitions: `fields.<name>` shows a
choice by its label, a missing value needs a fallback like any other, and with the
current lead fields a name they do not define is refused when the campaign loads."""

from __future__ import annotations

import pytest
import yaml

from bot.custom_fields import parse
from bot.store import ProfileStore
from campaigns.definitions import CampaignError, parse_campaign
from campaigns.templates import RenderFailed, TemplateProblem, compile_template, context_for
from tests.campaigns.conftest import NOON, lead

FIELDS = parse("""
fields:
  - name: heard_from
    type: choice
    question: How did you hear about us?
    options: [{id: search, label: a search engine}, {id: friend, label: a friend}]
  - {name: wants_trial, type: yes_no, question: "A trial?"}
  - {name: items, type: text, question: "What do you sell?"}
""")
CAMPAIGN = """
name: demo
trigger: {event: manual}
audience: "%s"
steps:
  - id: hello
    send:
      channels: [sms]
      message: {text: "%s"}
"""


def _context(store: ProfileStore, values: dict[str, str]) -> dict[str, object]:
    contact = lead(store)
    if values:
        store.leads.set_custom_fields(contact.id, values, channel="sms", now=NOON)
    snapshot = store.campaigns.contact_snapshot(contact.id, NOON)
    return context_for(snapshot, "Acme", None, FIELDS)


def test_a_choice_renders_by_its_label_and_yes_no_capitalised(store: ProfileStore) -> None:
    context = _context(store, {"heard_from": "friend", "wants_trial": "yes", "items": "tea"})
    source = "You found us through {{ fields.heard_from }}. Trial: {{ fields.wants_trial }}."
    template = compile_template(source, FIELDS)
    assert template.render(context) == "You found us through a friend. Trial: Yes."
    # A field named like a dict method is still the contact's answer.
    assert compile_template("{{ fields.items }}", FIELDS).render(context) == "tea"
    assert compile_template("{{ fields['heard_from'] }}", FIELDS).render(context) == "a friend"


def test_a_missing_custom_value_needs_a_fallback_like_any_other(store: ProfileStore) -> None:
    context = _context(store, {})
    fallback = compile_template('From {{ fields.heard_from | default("the web") }}', FIELDS)
    assert fallback.render(context) == "From the web"
    with pytest.raises(RenderFailed, match="heard_from"):
        compile_template("From {{ fields.heard_from }}", FIELDS).render(context)


def test_a_removed_fields_value_renders_as_stored(store: ProfileStore) -> None:
    context = _context(store, {"old_source": "radio ad"})
    assert compile_template("{{ fields.old_source }}").render(context) == "radio ad"


@pytest.mark.parametrize(
    "source", ["{{ fields.shoe_size }}", "{{ fields['shoe_size'] | default('x') }}"]
)
def test_a_template_naming_an_undefined_field_is_refused_with_the_fields(source: str) -> None:
    with pytest.raises(TemplateProblem, match=r"unknown lead field fields\.shoe_size"):
        compile_template(source, FIELDS)
    compile_template(source)  # loosely, e.g. a field removed under a running campaign


def test_campaign_loading_checks_segments_and_templates_against_the_fields() -> None:
    good = yaml.safe_load(CAMPAIGN % ("field.heard_from = friend", "Hi {{ fields.heard_from }}"))
    assert parse_campaign(good, "x.yml", FIELDS).name == "demo"
    for audience, text, where, message in [
        ("field.shoe_size = 4", "Hi", "audience", "unknown lead field 'field.shoe_size'"),
        ("everyone", "Hi {{ fields.shoe_size }}", "steps[0].send.message.text",
         "unknown lead field fields.shoe_size"),
    ]:  # fmt: skip
        raw = yaml.safe_load(CAMPAIGN % (audience, text))
        with pytest.raises(CampaignError) as caught:
            parse_campaign(raw, "x.yml", FIELDS)
        assert caught.value.field == where and message in caught.value.message
        parse_campaign(raw, "x.yml")  # without the fields: read loosely

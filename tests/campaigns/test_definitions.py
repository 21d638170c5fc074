"""Campaign definitions: the shipped files load, and every class of mistake is refused
with the file and the exact field, before a campaign can start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.store import ProfileStore
from campaigns.definitions import (
    BranchStep,
    Campaign,
    CampaignError,
    HandoffStep,
    SendStep,
    Step,
    UpdateStep,
    WaitStep,
    load_campaign,
    load_campaigns,
    parse_campaign,
)
from campaigns.templates import RenderFailed, Template, compile_template, context_for
from tests.campaigns.conftest import NOON, SF_PHONE, lead

HEAD = "name: demo\ntrigger: {event: manual}\n"
HELLO = """
steps:
  - id: hello
    send:
      channels: [sms]
      message: {text: "Hi {{ first_name | default('there') }}"}
"""


def parse(text: str) -> Campaign:
    return parse_campaign(yaml.safe_load(text), "x.yml")


def problem(text: str) -> CampaignError:
    with pytest.raises(CampaignError) as caught:
        parse(text)
    return caught.value


def send_step(send: str) -> str:
    """A campaign whose only step is a send with this (indented) body."""
    return HEAD + "steps:\n  - id: hello\n    send:\n" + send


def kinds(steps: tuple[Step, ...]) -> list[str]:
    return [type(step).__name__.removesuffix("Step").lower() for step in steps]


def test_load_campaigns_reads_every_shipped_campaign() -> None:
    campaigns = load_campaigns(PROJECT_ROOT / "campaigns")
    assert sorted(campaigns) == ["nurture", "welcome"]
    welcome, nurture = campaigns["welcome"], campaigns["nurture"]
    assert (welcome.file, welcome.trigger.kind) == ("welcome.yml", "lead_captured")
    assert kinds(welcome.steps) == [
        "wait", "send", "branch", "wait", "branch", "wait", "send", "update", "branch", "handoff",
    ]  # fmt: skip
    assert (nurture.file, nurture.trigger.kind, nurture.trigger.grades) == (
        "nurture.yml",
        "grade_changed",
        ("B",),
    )
    assert kinds(nurture.steps) == ["wait", "send", "wait", "send", "update"]


def test_load_campaigns_reads_the_welcome_campaign_in_full() -> None:
    welcome = load_campaigns(PROJECT_ROOT / "campaigns")["welcome"]
    settle, thank_you, hot, *_, morning, reminder, welcomed, done, to_sales = welcome.steps
    assert isinstance(settle, WaitStep) and settle.idle == timedelta(minutes=3)
    assert isinstance(thank_you, SendStep)
    assert [(v.name, v.weight) for v in thank_you.variants] == [("demo", 50), ("question", 50)]
    assert isinstance(hot, BranchStep) and [r.goto for r in hot.rules] == ["to_sales"]
    assert isinstance(morning, WaitStep) and morning.until == time(10, 0)
    assert isinstance(reminder, SendStep)
    assert reminder.variants[0].message.whatsapp_content_sid == "HX0000000000000000000000000000demo"
    assert isinstance(welcomed, UpdateStep) and welcomed.add_tags == ("welcomed",)
    assert isinstance(done, BranchStep) and done.otherwise == "end"
    assert isinstance(to_sales, HandoffStep)
    assert welcome.exit_when == frozenset({"replied", "converted", "opted_out"})
    assert welcome.cost_per_send == {
        "sms": 0.0079,
        "whatsapp": 0.005,
        "telegram": 0.0,
        "email": 0.0004,
    }


def test_load_campaigns_reads_nurture_audience_and_stage_update() -> None:
    nurture = load_campaigns(PROJECT_ROOT / "campaigns")["nurture"]
    assert nurture.audience_text.startswith("not tag(customer) and (")
    nurtured = nurture.steps[-1]
    assert isinstance(nurtured, UpdateStep)
    assert (nurtured.add_tags, nurtured.stage) == (("nurtured",), "mql")
    assert nurture.conversions == frozenset({"meeting_booked", "won"})


MISTAKES = {
    "unknown top-level key": (
        HEAD + "audiance: consent(sms)\n" + HELLO,
        "audiance",
        "unknown key (allowed: name, description, trigger, audience, exit_when, conversions, "
        "cost_per_send, steps)",
    ),
    "unknown trigger event": (
        "name: demo\ntrigger: {event: lead_lost}\n" + HELLO,
        "trigger.event",
        "'lead_lost' is not one of lead_captured, grade_changed, stage_changed, "
        "consent_granted, no_reply, segment, manual",
    ),
    "no_reply without days": (
        "name: demo\ntrigger: {event: no_reply}\n" + HELLO,
        "trigger.days",
        "no_reply needs `days`, a whole number of at least 1",
    ),
    "duration in words": (
        HEAD + "steps:\n  - {id: pause, wait: 3 days}\n",
        "steps[0].wait",
        "'3 days': a duration like 30s, 30m, 2h, 3d or 1w",
    ),
    "hour past 23": (
        HEAD + 'steps:\n  - {id: pause, wait: {until: "25:00"}}\n',
        "steps[0].wait.until",
        "'25:00': a time of day like 10:00",
    ),
    "unknown channel": (
        send_step('      channels: [sms, fax]\n      message: {text: "Hi"}\n'),
        "steps[0].send.channels[1]",
        "'fax' is not one of preferred, sms, whatsapp, telegram, email",
    ),
    "sms without wording": (
        send_step("      channels: [sms]\n      message: {email: {subject: S, body: B}}\n"),
        "steps[0].send.message",
        "no wording for sms: give sms or text",
    ),
    "email without subject": (
        send_step("      channels: [email]\n      message: {email: {body: B}}\n"),
        "steps[0].send.message.email.subject",
        "expected some text",
    ),
    "email without email wording": (
        send_step('      channels: [email]\n      message: {text: "Hi"}\n'),
        "steps[0].send.message",
        "no wording for email: give email.subject and email.body",
    ),
    "preferred needs every channel": (
        send_step('      channels: [preferred]\n      message: {text: "Hi"}\n'),
        "steps[0].send.message",
        "no wording for email: give email.subject and email.body",
    ),
    "variant names repeated": (
        send_step(
            "      channels: [sms]\n      variants:\n"
            "        - {name: a, message: {text: A}}\n        - {name: a, message: {text: B}}\n"
        ),
        "steps[0].send.variants",
        "variant names must differ",
    ),
    "variant weight 0": (
        send_step(
            "      channels: [sms]\n      variants:\n"
            "        - {name: a, message: {text: A}}\n"
            "        - {name: b, weight: 0, message: {text: B}}\n"
        ),
        "steps[0].send.variants[1].weight",
        "a weight is a whole number of at least 1",
    ),
    "message and variants both": (
        send_step(
            "      channels: [sms]\n      message: {text: A}\n"
            "      variants: [{name: a, message: {text: A}}]\n"
        ),
        "steps[0].send",
        "give either `message` or `variants`",
    ),
    "template syntax error": (
        send_step(
            "      channels: [sms]\n      message:\n        text: |\n"
            "          Hi there,\n          {{ first_name | default('you') \n"
        ),
        "steps[0].send.message.text",
        "line 2: unexpected end of template, expected 'end of print statement'.",
    ),
    "unknown template variable": (
        send_step('      channels: [sms]\n      message: {text: "Hi {{ fist_name }}"}\n'),
        "steps[0].send.message.text",
        "unknown variable fist_name (known: company, company_name, email, fields, first_name, grade, "
        "name, need, phone, role, score, stage, unsubscribe_url)",
    ),
    "bad audience segment": (
        HEAD + 'audience: "grade in [A, E]"\n' + HELLO,
        "audience",
        "'E' is not a valid grade; one of A, B, C, D\n  grade in [A, E]\n               ^",
    ),
    "bad branch segment": (
        HEAD + 'steps:\n  - id: route\n    branch:\n      - {if: "consent(fax)", goto: end}\n',
        "steps[0].branch[0].if",
        "'fax' is not",
    ),
    "goto a missing step": (
        HEAD + HELLO + "  - id: route\n    branch:\n      - {if: replied, goto: hello}\n"
        "      - {if: replied, goto: sales}\n",
        "steps[1].branch[1].goto",
        "goto 'sales': no step has that id",
    ),
    "else to a missing step": (
        HEAD + HELLO + "  - id: route\n    branch: [{else: sales}]\n",
        "steps[1].branch[0].else",
        "goto 'sales': no step has that id",
    ),
    "step id used twice": (
        HEAD + HELLO + "  - {id: hello, wait: 1d}\n",
        "steps[1].id",
        "step id 'hello' is used twice or reserved",
    ),
    "step id end": (
        HEAD + "steps:\n  - {id: end, wait: 1d}\n",
        "steps[0].id",
        "step id 'end' is used twice or reserved",
    ),
    "step of two kinds": (
        HEAD + "steps:\n  - {id: both, wait: 1d, handoff: {reason: why}}\n",
        "steps[0]",
        "each step needs exactly one of wait, send, branch, update, handoff",
    ),
    "empty steps": (
        HEAD + "steps: []\n",
        "steps",
        "a campaign needs at least one step",
    ),
    "no steps at all": (
        HEAD,
        "steps",
        "a campaign needs at least one step",
    ),
    "cost for an unknown channel": (
        HEAD + "cost_per_send: {sms: 0.01, fax: 0.2}\n" + HELLO,
        "cost_per_send.fax",
        "not a channel (sms, whatsapp, telegram, email)",
    ),
    "negative cost": (
        HEAD + "cost_per_send: {sms: -1}\n" + HELLO,
        "cost_per_send.sms",
        "expected a number of 0 or more",
    ),
    "name with capitals": (
        "name: Demo\ntrigger: {event: manual}\n" + HELLO,
        "name",
        "'Demo': use lower-case letters, digits, - and _",
    ),
}


@pytest.mark.parametrize(("text", "field", "message"), MISTAKES.values(), ids=MISTAKES.keys())
def test_parse_campaign_names_file_and_field_of_each_mistake(
    text: str, field: str, message: str
) -> None:
    error = problem(text)
    assert (error.file, error.field) == ("x.yml", field)
    assert str(error).startswith(f"x.yml: {field}: {message}")


def test_parse_campaign_reads_unquoted_time_of_day_that_yaml_made_a_number() -> None:
    raw = yaml.safe_load(HEAD + "steps:\n  - {id: morning, wait: {until: 10:00}}\n")
    assert raw["steps"][0]["wait"]["until"] == 600  # YAML 1.1's base-60 integer
    [morning] = parse_campaign(raw, "x.yml").steps
    assert morning == WaitStep("morning", until=time(10, 0))


def test_parse_campaign_refuses_unquoted_hour_past_23() -> None:
    error = problem(HEAD + "steps:\n  - {id: late, wait: {until: 25:00}}\n")
    assert str(error) == "x.yml: steps[0].wait.until: 1500: a time of day like 10:00"


def test_parse_campaign_reads_durations_in_every_unit() -> None:
    steps = "".join(
        f"  - {{id: w{n}, wait: {d}}}\n" for n, d in enumerate(["45s", "30m", "2h", "3d", "1w"])
    )
    campaign = parse_campaign(yaml.safe_load(HEAD + "steps:\n" + steps), "x.yml")
    assert [s.duration for s in campaign.steps if isinstance(s, WaitStep)] == [
        timedelta(seconds=45),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(days=3),
        timedelta(weeks=1),
    ]


def test_load_campaigns_refuses_two_files_with_one_name(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(HEAD + HELLO, encoding="utf-8")
    (tmp_path / "b.yml").write_text(HEAD + HELLO, encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaigns(tmp_path)
    assert str(caught.value) == "b.yml: name: 'demo' is also in a.yml"


def test_load_campaign_refuses_invalid_yaml_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text(HEAD + "steps:\n  - id: [hello\n", encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert (caught.value.file, caught.value.field) == ("broken.yml", "")
    assert str(caught.value).startswith("broken.yml: not valid YAML: ")
    assert "line 4" in str(caught.value)


def test_load_campaigns_stops_at_the_first_broken_file(tmp_path: Path) -> None:
    (tmp_path / "good.yml").write_text(HEAD + HELLO, encoding="utf-8")
    (tmp_path / "typo.yml").write_text(HEAD.replace("manual", "manuel") + HELLO, encoding="utf-8")
    with pytest.raises(CampaignError, match=r"^typo\.yml: trigger\.event: 'manuel'"):
        load_campaigns(tmp_path)


TRICKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ first_name.__class__.__mro__[1].__subclasses__() }}",
    "{{ first_name.upper.__self__ }}",
    "{{ first_name | attr('__class__') }}",
    '{{ "{0.__class__}".format(first_name) }}',
]


@pytest.mark.parametrize("source", TRICKS)
def test_template_sandbox_refuses_attribute_tricks_at_render_time(source: str) -> None:
    # They use only known variables, so they load; Jinja2's SandboxedEnvironment
    # refuses the attribute when the template runs.
    template = compile_template(source)
    with pytest.raises(RenderFailed, match=r"^refused by the sandbox: access to attribute"):
        template.render({"first_name": "Dana"})


@dataclass
class Spy:
    called: bool = False

    def _reset_password(self) -> str:
        self.called = True
        return "done"


def test_template_sandbox_never_calls_a_private_method() -> None:
    spy = Spy()
    with pytest.raises(RenderFailed, match="'_reset_password' of 'Spy' object is unsafe"):
        compile_template("{{ first_name._reset_password() }}").render({"first_name": spy})
    assert not spy.called


def test_parse_campaign_loads_a_sandboxed_trick_that_then_fails_to_render() -> None:
    text = "      channels: [sms]\n      message: {text: \"{{ ''.__class__ }}\"}\n"
    [step] = parse(send_step(text)).steps
    assert isinstance(step, SendStep)
    template = step.variants[0].message.text_for("sms")
    assert template is not None
    with pytest.raises(RenderFailed, match="'__class__' of 'str' object is unsafe"):
        template.render({})


def test_template_without_fallback_fails_naming_the_missing_value() -> None:
    with pytest.raises(RenderFailed, match="'company'") as caught:
        Template("Dear {{ company }} team").render({"first_name": "Dana"})
    assert str(caught.value).startswith("no value for 'company'")


def test_template_default_fills_in_a_missing_value() -> None:
    template = compile_template('Hi {{ first_name | default("there") }}!')
    assert template.render({}) == "Hi there!"
    assert template.render({"first_name": "Dana"}) == "Hi Dana!"


def test_context_for_leaves_out_values_the_contact_lacks(store: ProfileStore) -> None:
    contact = lead(store)  # a name and a phone; no email, company, role or need
    snapshot = store.campaigns.contact_snapshot(contact.id, NOON)
    context = context_for(snapshot, "Acme", None)
    assert (context["first_name"], context["name"], context["phone"]) == (
        "Dana",
        "Dana Reyes",
        SF_PHONE,
    )
    assert context["company_name"] == "Acme"
    assert not {"email", "company", "role", "need", "unsubscribe_url"} & set(context)
    assert all(value not in (None, "") for value in context.values())
    assert "company_name" not in context_for(snapshot, "", None)

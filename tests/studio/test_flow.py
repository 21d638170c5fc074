"""The flow page (#19 item 6): the model read from the content files, the SVG drawn from
it, and the page through a real studio on loopback."""

from __future__ import annotations

import html
import inspect
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.handoff import ActionHumanHandoff
from bot import routing
from studio.flow import Flow, FlowError, flow_svg, read_flow
from studio.workspace import Workspace
from tests.studio.studio_server import StudioServer, copy_content

SVG = "{http://www.w3.org/2000/svg}"


def load(root: Path, relative: str) -> Any:
    return yaml.safe_load((root / relative).read_text(encoding="utf-8"))


def save(root: Path, relative: str, data: Any) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096)
    (root / relative).write_text(text, encoding="utf-8")


def default_text(domain: Any, response: str) -> str:
    """The variation with neither a condition nor a channel: what every channel gets."""
    plain = [
        v for v in domain["responses"][response] if not v.get("condition") and not v.get("channel")
    ]
    return str(plain[0]["text"])


def svg_of(page: str) -> ET.Element:
    found = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert found, "no inline svg on the page"
    return ET.fromstring(found.group(0))


def drawn_text(svg: ET.Element) -> list[str]:
    """The lines drawn, in document order (top to bottom within the steps)."""
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def heads(svg: ET.Element, names: list[str]) -> list[str]:
    """The numbered box heads naming one of `names`, in the order they are drawn."""
    found = [re.match(r"\d+\. (\w+)$", t) for t in drawn_text(svg)]
    return [m.group(1) for m in found if m and m.group(1) in names]


def listed(page: str) -> str:
    found = re.search(r'<ol class="flow-list">.*?</section>', page, re.S)
    assert found, "no list version of the flow"
    return found.group(0)


def ends_of(flow: Flow) -> set[str]:
    return {end.response for branch in flow.routing for end in branch.ends}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_content(tmp_path / "content")


# ------------------------------------------------------------------ the model


def test_the_shipped_flow_is_read_from_the_files(content: Path) -> None:
    flow = read_flow(content)
    domain = load(content, "domain.yml")
    slots = domain["forms"]["lead_form"]["required_slots"]
    assert [s.slot for s in flow.lead_form] == slots
    assert [s.text for s in flow.lead_form] == [
        default_text(domain, f"utter_ask_{s}") for s in slots
    ]
    assert flow.summary == default_text(domain, "utter_lead_summary")
    consent = load(content, "consent.yml")["ask"]
    assert [c.purpose for c in flow.consent] == [a["purpose"] for a in consent]
    asked = {c.purpose: c.when for c in flow.consent}
    for ask in consent:
        if ask.get("requires"):
            assert ask["requires"] in asked[ask["purpose"]]
        else:
            assert asked[ask["purpose"]] == "always"
    fields = [q["field"] for q in load(content, "qualification.yml")["questions"]]
    assert [q.field for q in flow.qualifying] == fields
    assert [q.text for q in flow.qualifying] == [
        default_text(domain, f"utter_ask_qual_{f}") for f in fields
    ]
    rubric = load(content, "scoring.yml")
    grades = rubric["grades"]
    scores = {b.label: b.scores for b in flow.routing}
    assert scores["Hot lead"] == f"the grade is A; scores A: {grades['A']} or more"
    assert scores["Warm lead"] == f"the grade is B; scores B: {grades['B']} to {grades['A'] - 1}"
    assert scores["Everyone else"] == "everyone else"
    assert flow.rubric_version == str(rubric["version"])
    for branch in flow.routing:
        for end in branch.ends:
            assert end.says == default_text(domain, end.response)


def test_the_ends_are_the_responses_routing_says() -> None:
    """The branches are the shipped routing rules in order, after the built-in handoff:
    every response a rule ends with (and the handoff's) is drawn."""
    flow = read_flow(Path(__file__).resolve().parents[2])
    assert [b.label for b in flow.routing] == [
        "Asked for a person", *(r.name for r in routing.default_rules())
    ]  # fmt: skip
    said = {a.wording.response for r in routing.default_rules() for a in r.then if a.wording}
    assert said and said <= ends_of(flow)
    handoff = inspect.getsource(ActionHumanHandoff)
    for end in ends_of(flow) - said:
        assert f'response="{end}"' in handoff


def test_a_marketers_rule_is_drawn_where_it_is_read(content: Path) -> None:
    rules = routing.rules_from_data([
        {"name": "SMS hot", "when": {"grade": ["A"], "channel": ["sms"]},
         "then": [{"tag": "hot-sms"}, {"offer_meeting": {"text": "Book a call?"}}]},
        *[r.to_yaml() for r in routing.default_rules()],
    ])  # fmt: skip
    (content / "routing.yml").write_text(routing.dump(rules), encoding="utf-8")
    flow = read_flow(content)
    first = flow.routing[1]
    assert first.label == "SMS hot"
    assert first.scores.startswith("the grade is A; the channel is sms; scores A: ")
    assert first.note == "Tag the contact hot-sms"
    assert first.ends[0].says == "Book a call?" and first.ends[0].then == "Offers a meeting."
    drawn = " ".join(drawn_text(ET.fromstring(str(flow_svg(flow)))))
    assert "SMS hot" in drawn and "Book a call?" in drawn
    (content / "routing.yml").write_text("rules: [broken", encoding="utf-8")
    with pytest.raises(FlowError):
        read_flow(content)


def test_a_reordered_form_a_skip_rule_and_new_thresholds_are_followed(content: Path) -> None:
    domain = load(content, "domain.yml")
    slots = list(reversed(domain["forms"]["lead_form"]["required_slots"]))
    domain["forms"]["lead_form"]["required_slots"] = slots
    save(content, "domain.yml", domain)
    save(content, "qualification.yml", {"questions": [
        {"field": "timeline"},
        {"field": "budget", "skip_when": {"company_size": ["11-50", "1-10"],
                                          "authority": ["researching"]}},
        {"field": "company_size"},
    ]})  # fmt: skip
    rubric = load(content, "scoring.yml")
    rubric["grades"] = {"A": 80, "B": 50}
    save(content, "scoring.yml", rubric)

    flow = read_flow(content)
    assert [s.slot for s in flow.lead_form] == slots
    assert [q.field for q in flow.qualifying] == ["timeline", "budget", "company_size"]
    budget = flow.qualifying[1]
    # The values in the order of their field's answers, as the editor shows them.
    assert budget.skip == (
        "Left out when company size is 1-10 people or 11-50 people, "
        "or when authority is researching."
    )
    assert flow.qualifying[0].skip == ""
    scores = {b.label: b.scores for b in flow.routing}
    assert scores["Hot lead"] == "the grade is A; scores A: 80 or more"
    assert scores["Warm lead"] == "the grade is B; scores B: 50 to 79"

    svg = ET.fromstring(str(flow_svg(flow)))
    assert heads(svg, slots) == slots
    assert heads(svg, ["timeline", "budget", "company_size", "authority"]) == [
        "timeline",
        "budget",
        "company_size",
    ]
    drawn = " ".join(drawn_text(svg))
    assert "Left out when company size is 1-10 people or 11-50 people" in drawn
    assert "80 or more" in drawn and "50 to 79" in drawn


def test_no_qualification_file_means_the_bots_default_order(content: Path) -> None:
    (content / "qualification.yml").unlink()
    fields = [q.field for q in read_flow(content).qualifying]
    assert fields == ["company_size", "authority", "budget", "timeline"]


# ------------------------------------------------------------------ the page


def write_draft(studio: StudioServer, relative: str, change: Any) -> None:
    """Change one file of the draft (as an editor would have saved it)."""
    ws = Workspace.for_settings(studio.settings).ensure()
    data = yaml.safe_load(ws.read(relative))
    change(data)
    ws.write(relative, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096))


def test_the_page_shows_the_draft_as_an_accessible_svg_and_a_list(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert 'href="/content/flow"' in client.get("/content").text

    def reorder(domain: Any) -> None:
        required = domain["forms"]["lead_form"]["required_slots"]
        required.insert(0, required.pop(required.index("lead_company")))

    write_draft(studio, "domain.yml", reorder)
    page = client.get("/content/flow")
    assert page.status_code == 200
    svg = svg_of(page.text)
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text and "lead_company" in desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # Nothing to run and nothing fetched: no script, no link out of the image.
    assert not list(svg.iter(f"{SVG}script"))
    assert not [k for e in svg.iter() for k in e.attrib if k.endswith("href")]

    slots = ["lead_company", "lead_name", "lead_email", "lead_phone", "lead_role", "lead_need"]
    assert heads(svg, slots) == slots
    text = listed(page.text)
    places = [text.index(f"<code>{slot}</code>") for slot in slots]
    assert places == sorted(places)
    for response in ("utter_route_hot", "utter_route_warm", "utter_route_close"):
        assert f"<code>{response}</code>" in text
        assert response in " ".join(drawn_text(svg))


def test_text_from_the_draft_is_escaped(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    wording = '<script>alert("x")</script> & "co"'

    def hostile(domain: Any) -> None:
        for variation in domain["responses"]["utter_ask_lead_name"]:
            if not variation.get("condition") and not variation.get("channel"):
                variation["text"] = wording

    write_draft(studio, "domain.yml", hostile)
    page = client.get("/content/flow")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
    svg = svg_of(page.text)  # parses: every & and < was escaped
    tips = [t.text or "" for t in svg.iter(f"{SVG}title")]
    assert f"utter_ask_lead_name: {wording}" in tips
    assert html.unescape(listed(page.text)).count(wording) == 1


@pytest.mark.parametrize("role", ["analyst", "sales"])
def test_roles_without_content_rights_are_refused(studio: StudioServer, role: str) -> None:
    page = studio.signed_in(role).get("/content/flow")
    assert page.status_code == 403
    assert "<svg" not in page.text


def test_a_broken_draft_file_is_named_on_the_page(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    ws = Workspace.for_settings(studio.settings).ensure()
    ws.write("qualification.yml", "questions: [\n  - field: budget\n")
    page = client.get("/content/flow")
    assert page.status_code == 200
    assert 'role="alert"' in page.text and "<svg" not in page.text
    shown = html.unescape(page.text)
    assert "<code>qualification.yml</code> can't be read" in shown
    assert "not valid YAML" in shown
    # The reason, not where the draft lives on the server.
    assert str(ws.root) not in page.text

    ws.reset()
    ws.write("domain.yml", "forms: {lead_form: {}}\n")
    page = client.get("/content/flow")
    assert page.status_code == 200
    assert "<code>domain.yml</code>" in page.text and "required_slots is missing" in page.text


def test_a_custom_question_and_the_skips_on_it_are_drawn(content: Path) -> None:
    crm = {
        "id": "crm",
        "text": "Which CRM does your team use?",
        "options": [
            {"id": "hubspot", "label": "HubSpot", "phrasings": ["hubspot"]},
            {"id": "none", "label": "No CRM yet", "phrasings": ["no crm", "nothing"]},
        ],
        "skip_when": {"company_size": ["1-10"]},
    }
    save(content, "qualification.yml", {"questions": [
        {"field": "company_size"}, crm, {"field": "budget", "skip_when": {"crm": ["none"]}},
    ]})  # fmt: skip
    rubric = load(content, "scoring.yml")
    rubric["fit"].append({"field": "crm", "points": {"hubspot": 10}})
    save(content, "scoring.yml", rubric)

    flow = read_flow(content)
    assert [q.field for q in flow.qualifying] == ["company_size", "crm", "budget"]
    step = flow.qualifying[1]
    assert step.text == "Which CRM does your team use? (HubSpot / No CRM yet)"
    assert step.skip == "Left out when company size is 1-10 people."
    # A skip on the custom question's answer is said with its button title.
    assert flow.qualifying[2].skip == "Left out when crm is No CRM yet."
    drawn = " ".join(drawn_text(ET.fromstring(str(flow_svg(flow)))))
    assert "3. budget" in drawn and "2. crm" in drawn

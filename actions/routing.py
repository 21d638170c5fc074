"""The published routing rules (routing.yml, bot/routing.py) and what their actions say.

The file is read again when a publish rewrites it, so a rule change is live without
retraining. A file broken by hand is logged and the shipped default rules route instead:
a lead always ends somewhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import StoreBacked, channel_of, conversation_id
from actions.open_question import asking
from actions.slots import (
    QUAL_ATTEMPTS,
    QUAL_SKIPPED,
    READ_UNTIL,
    REQUESTED_SLOT,
    contact_slot,
    list_slot,
)
from bot import routing
from bot.errors import StoreUnavailable
from bot.segments import Everyone, Segment
from bot.segments.language import SegmentError, parse_segment
from bot.settings import Settings

logger = logging.getLogger(__name__)
_FILES: dict[Path, routing.RoutingFile] = {}
ROUTE_ACTION = "action_route_lead"
QUAL_PREFIX = "qual_"
# How an enrollment made by a routing rule is marked (campaign_enrollments.trigger).
ENROLL_TRIGGER = "routing"
# The buttons of the built-in offers (utter_route_hot, utter_route_warm), for an offer
# worded by the marketer: ask once, with buttons.
BUTTONS: dict[str, list[dict[str, str]]] = {
    "offer_person": [
        {"title": "Talk to someone now", "payload": "/human_handoff"},
        {"title": "Book a meeting", "payload": "/book_meeting"},
        {"title": "Not right now", "payload": "/deny"},
    ],
    "offer_meeting": [
        {"title": "Book a meeting", "payload": "/book_meeting"},
        {"title": "No thanks", "payload": "/deny"},
    ],
}


def current_rules(settings: Settings) -> tuple[routing.Rule, ...]:
    path = settings.routing_file
    source = _FILES.setdefault(path, routing.RoutingFile(path))
    try:
        return source.current()
    except routing.RoutingError as error:
        logger.error(
            "%s is not a valid list of routing rules (%s); the default rules route", path, error
        )
        return routing.default_rules()


def say(dispatcher: CollectingDispatcher, action: routing.Action, channel: str, name: str) -> None:
    """The action's words: its response (with `{name}`), or the marketer's text for the
    channel with `{name}` filled in, and an offer's buttons."""
    wording = action.wording
    if wording is None:
        return
    if wording.response:
        dispatcher.utter_message(response=wording.response, name=name)
        return
    text = wording.text_for(channel).replace("{name}", name)
    buttons = BUTTONS.get(action.kind)
    if buttons:
        dispatcher.utter_message(text=text, buttons=buttons)
    else:
        dispatcher.utter_message(text=text)


class NoSuchCampaign(LookupError):
    pass


def campaign_audience(directory: Path, name: str) -> Segment:
    """Who campaign `name` is for (its `audience:`; none: everyone). Only the name and the
    audience are read: the worker validates the rest, and checks consent at every send."""
    for path in sorted(directory.glob("*.yml")):
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            logger.warning("campaign file %s cannot be read: %s", path.name, error)
            continue
        if isinstance(data, dict) and data.get("name") == name:
            audience = data.get("audience")
            if not audience:
                return Everyone()
            try:
                return parse_segment(str(audience))
            except SegmentError as error:
                raise NoSuchCampaign(f"{name}: its audience cannot be read: {error}") from error
    raise NoSuchCampaign(f"no campaign named {name!r} in {directory}")


def asked_by_routing(tracker: Tracker) -> frozenset[str]:
    """Qualifying questions a routing rule asked again in this conversation: the events
    action_route_lead returned that put the qualifying form back on a question."""
    asked: set[str] = set()
    routing_events = False
    for event in tracker.events:
        if event.get("event") == "action":
            routing_events = event.get("name") == ROUTE_ACTION
        elif (
            routing_events and event.get("event") == "slot" and event.get("name") == REQUESTED_SLOT
        ):
            value = str(event.get("value") or "")
            if value.startswith(QUAL_PREFIX):
                asked.add(value.removeprefix(QUAL_PREFIX))
    return frozenset(asked)


class RouteSteps:
    """Carry out a rule's actions for one conversation, in order; the question last."""

    def __init__(
        self,
        backed: StoreBacked,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        name: str,
        now: datetime,
    ) -> None:
        self.backed, self.dispatcher, self.tracker = backed, dispatcher, tracker
        self.name, self.now = name, now
        self.channel = channel_of(tracker)
        self.contact_id = contact_slot(tracker)

    async def carry_out(self, rule: routing.Rule) -> list[EventType]:
        events: list[EventType] = []
        for action in rule.then:
            events += await self.step(action)
        return events

    async def step(self, action: routing.Action) -> list[EventType]:
        kind = action.kind
        if kind == "tag":
            await self.store_call("tag", self.backed.store.campaigns.tag_contact, action.value)
        elif kind == "note":
            await self.note(action.value, {})
        elif kind == "enroll":
            await self.enroll(action.value)
        elif kind == "handoff":
            return [FollowupAction("action_human_handoff")]
        elif kind == "ask":
            return self.ask(action.value)
        say(self.dispatcher, action, self.channel, self.name)
        # The offers and the close are yes/no questions (actions/clarify.py): "talk to
        # someone now, or book a time?", "book a meeting?"; the close asks only "anything else?".
        if kind == "offer_person":
            return asking("offer")
        if kind == "offer_meeting":
            return asking("meeting")
        if kind == "end":
            return asking("close", pending=False)
        return []

    def ask(self, field: str) -> list[EventType]:
        """The qualifying form again, on the one question, which can be skipped again."""
        skipped = [f for f in list_slot(self.tracker, QUAL_SKIPPED) if f != field]
        return [
            SlotSet(QUAL_SKIPPED, skipped),
            SlotSet(READ_UNTIL, self.tracker.latest_message.get("message_id")),
            SlotSet(QUAL_ATTEMPTS, 0),
            SlotSet(REQUESTED_SLOT, QUAL_PREFIX + field),
            FollowupAction("qualify_form"),
        ]

    async def enroll(self, campaign: str) -> None:
        """Enrolled when the contact is in the campaign's audience now, as a manual
        enrollment is; consent, do-not-contact and quiet hours are checked again by the
        worker before each send."""
        if not self.contact_id:
            return
        store = self.backed.store
        try:
            audience = await asyncio.to_thread(
                campaign_audience, self.backed.settings.campaigns.directory, campaign
            )
            inside = await self.backed.call_store(
                store.campaigns.in_segment, self.contact_id, audience, self.now
            )
            if not inside:
                await self.note(
                    "routing_enroll_skipped",
                    {"campaign": campaign, "reason": "not in the audience"},
                )
                return
            await self.backed.call_store(
                store.campaigns.enroll, campaign, self.contact_id, ENROLL_TRIGGER, self.now
            )
        except NoSuchCampaign as error:
            logger.error("routing could not enroll in %s: %s", campaign, error)
        except (StoreUnavailable, LookupError) as error:
            logger.error("routing could not enroll in %s: %s", campaign, error)

    async def note(self, kind: str, data: dict[str, Any]) -> None:
        if not self.contact_id:
            return
        payload = {"conversation_id": conversation_id(self.tracker), **data}
        await self.store_call(kind, self.backed.store.contacts.record_event, kind, payload)

    async def store_call(self, what: str, method: Callable[..., Any], *args: Any) -> None:
        if not self.contact_id:
            return
        try:
            await self.backed.call_store(method, self.contact_id, *args)
        except (StoreUnavailable, LookupError, ValueError) as error:
            logger.error("routing could not %s: %s", what, error)

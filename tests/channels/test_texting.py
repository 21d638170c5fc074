"""Bot output as plain texts, and Twilio webhook bodies parsed: no server needed."""

from __future__ import annotations

import pytest

from channels.texting import SMS_LIMIT, WHATSAPP_LIMIT, ChosenOptions, Option, render, split_text
from channels.twilio_messaging import BadRequest, keyword_text, parse_inbound

DEMO = {"title": "Book a demo", "payload": "/request_demo"}
PRICING = {"title": "Pricing", "payload": "/ask_pricing"}


def test_render_turns_buttons_into_numbered_lines() -> None:
    rendered = render([{"text": "What can I do?", "buttons": [DEMO, PRICING]}], SMS_LIMIT)
    assert rendered.texts == ["What can I do?\n\nReply 1 for Book a demo\nReply 2 for Pricing"]
    assert rendered.options == [
        Option("Book a demo", "/request_demo"),
        Option("Pricing", "/ask_pricing"),
    ]


def test_render_without_buttons_offers_nothing() -> None:
    assert render([{"text": "Hi"}, {"text": "Name?"}], SMS_LIMIT) == render(
        [{"text": "Hi"}, {"text": "Name?"}], WHATSAPP_LIMIT
    )
    assert render([{"text": "Hi"}], SMS_LIMIT).options == []


def test_split_text_cuts_after_sentences_under_the_limit() -> None:
    pieces = split_text("Hello there, friend. " * 200, SMS_LIMIT)
    assert len(pieces) > 1 and all(len(p) <= SMS_LIMIT for p in pieces)
    assert all(p.endswith("friend.") for p in pieces)


def test_split_text_falls_back_to_words_then_anywhere() -> None:
    assert all(p.endswith("word") for p in split_text("word " * 1000, SMS_LIMIT))
    assert [len(p) for p in split_text("x" * 5000, WHATSAPP_LIMIT)] == [4096, 904]
    assert split_text("  short  ", SMS_LIMIT) == ["short"]


def test_a_bare_number_picks_the_option_last_offered() -> None:
    chosen = ChosenOptions()
    chosen.offer("+1", [Option("Book a demo", "/request_demo"), Option("Pricing", "/ask_pricing")])
    assert chosen.resolve("+1", " 2 ") == "/ask_pricing"
    assert chosen.resolve("+1", "3") == "3"
    assert chosen.resolve("+2", "1") == "1"
    chosen.offer("+1", [])
    assert chosen.resolve("+1", "1") == "1"


def test_chosen_options_forget_the_oldest_senders() -> None:
    chosen = ChosenOptions(max_senders=2)
    for sender in ("a", "b", "c"):
        chosen.offer(sender, [Option("Yes", "/affirm")])
    assert [chosen.resolve(s, "1") for s in ("a", "b", "c")] == ["1", "/affirm", "/affirm"]


def test_parse_inbound_whatsapp_uses_the_bare_number_as_sender() -> None:
    inbound = parse_inbound(
        {
            "MessageSid": ["SM1"],
            "From": ["whatsapp:+14155550100"],
            "Body": ["hi"],
            "NumMedia": ["0"],
        }
    )
    assert (inbound.sender, inbound.channel, inbound.reply_to) == (
        "+14155550100",
        "whatsapp",
        "whatsapp:+14155550100",
    )


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_parse_inbound_needs_sid_and_sender(missing: str) -> None:
    form = {"MessageSid": "SM1", "From": "+14155550100", "Body": "hi"}
    del form[missing]
    with pytest.raises(BadRequest):
        parse_inbound(form)


def test_opt_out_type_is_the_keyword_and_keeps_the_words() -> None:
    inbound = parse_inbound(
        {"MessageSid": "SM1", "From": "+1415", "Body": "basta", "OptOutType": "stop"}
    )
    text, metadata = keyword_text(inbound, inbound.body)
    assert text == "/opt_out"
    assert metadata["parley_channel"] == "sms" and metadata["original_text"] == "basta"

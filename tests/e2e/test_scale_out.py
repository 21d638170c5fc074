"""Two Rasa servers, two action servers and two workers behind HAProxy, on PostgreSQL
and Redis (`parley run --scale 2`), with the faults a production cluster sees."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bot.runner import is_healthy
from channels.messages import APOLOGY
from tests.channels.conftest import ACCOUNT_SID, PUBLIC_URL, SMS_FROM, Phone, new_number, sign
from tests.channels.fake_twilio import FakeTwilio
from tests.channels.test_twilio_voice import PhoneCall
from tests.databases import fresh_database
from tests.e2e.conftest import Stack, launch, rest_id
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]
REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    if shutil.which("haproxy") is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's haproxy (./parley test installs it)")
        pytest.skip("Debian's haproxy is not installed (./parley test installs it where it may)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis on loopback: {error}")
    with fresh_database("parley_scale") as url:
        yield url


@pytest.fixture(scope="module")
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def redis_proxy() -> Iterator[TcpProxy]:
    with TcpProxy("127.0.0.1", 6379) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def cluster(
    database: str,
    redis_proxy: TcpProxy,
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    fake_twilio: FakeTwilio,
) -> Iterator[Stack]:
    running = launch(
        tmp_path_factory.mktemp("scale"),
        trained_model,
        replicas=2,
        DATABASE_URL=database,
        PARLEY_TRACKER_STORE_URL=database,
        PARLEY_REDIS_URL=redis_proxy.url_for(REDIS_URL, 6379),
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN="test-auth-token-0123456789",
        TWILIO_SMS_FROM=SMS_FROM,
        PARLEY_PUBLIC_URL=PUBLIC_URL,
        TWILIO_API_BASE_URL=fake_twilio.url,
        PARLEY_VOICE_SALES_NUMBER="+15005550009",
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def rasa_urls(stack: Stack) -> list[str]:
    assert stack.layout is not None
    return [f"http://127.0.0.1:{port}" for port in stack.layout.rasa_ports]


def say_to(url: str, sender: str, text: str) -> list[dict[str, Any]]:
    reply = httpx.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    assert reply.status_code == 200, reply.text
    messages: list[dict[str, Any]] = reply.json()
    return messages


def events(stack: Stack, conversation_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = stack.tracker(conversation_id)["events"]
    return found


def user_texts(stack: Stack, conversation_id: str) -> list[str]:
    return [e["text"] for e in events(stack, conversation_id) if e["event"] == "user"]


def rest_user_texts(stack: Stack, sender: str) -> list[str]:
    return user_texts(stack, rest_id(sender))


def test_every_server_is_ready_behind_one_entry_point(cluster: Stack) -> None:
    for url in rasa_urls(cluster):
        ready = httpx.get(f"{url}/ready", timeout=10)
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"model": "ok", "tracker_store": "ok", "lock_store": "ok"}
    assert httpx.get(f"{cluster.settings.rasa_url}/health", timeout=10).status_code == 200
    # The entry point spreads one conversation over both servers, which share it.
    sender = f"lb-{uuid.uuid4().hex[:8]}"
    for text in ("hi", "I'd like a demo", "Mara Jensen"):
        cluster.say(sender, text)
    assert rest_user_texts(cluster, sender) == ["hi", "I'd like a demo", "Mara Jensen"]
    turns = [
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in httpx.get(f"{url}/metrics", timeout=10).text.splitlines()
            if line.startswith('parley_turns_total{channel="rest",outcome="ok"}')
        )
        for url in rasa_urls(cluster)
    ]
    assert all(count >= 1 for count in turns), turns


def test_two_messages_50ms_apart_on_two_servers_keep_their_order(cluster: Stack) -> None:
    first_server, second_server = rasa_urls(cluster)
    for attempt in range(4):
        sender = f"order-{attempt}-{uuid.uuid4().hex[:8]}"
        say_to(first_server, sender, "I'd like a demo")
        # Each attempt its own address: one another contact holds would be only a claim.
        email = f"tomas{attempt}@lumen.io"
        first = f"I'm Tomas Berg from Lumen, {email}"
        second = "skip"
        thread = threading.Thread(target=say_to, args=(first_server, sender, first))
        thread.start()
        time.sleep(0.05)
        later = say_to(second_server, sender, second)
        thread.join(60)
        assert rest_user_texts(cluster, sender) == ["I'd like a demo", first, second]
        # "skip" was understood after the details, so it skipped the phone question.
        assert "phone" not in " ".join(m.get("text", "") for m in later).lower()
        contact = cluster.store.contacts.for_identity("rest", rest_id(sender))
        assert contact is not None and contact.email == email


def test_one_twilio_webhook_delivered_to_both_servers_is_handled_once(
    cluster: Stack, fake_twilio: FakeTwilio
) -> None:
    number = new_number()
    params = {
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "AccountSid": ACCOUNT_SID,
        "From": number,
        "To": SMS_FROM,
        "Body": "hi, can I get a demo?",
        "NumMedia": "0",
    }
    path = "/webhooks/twilio/webhook"
    headers = {"X-Twilio-Signature": sign(path, params)}
    replies: list[int] = []

    def deliver(url: str) -> None:
        reply = httpx.post(f"{url}{path}", data=params, headers=headers, timeout=30)
        replies.append(reply.status_code)

    threads = [threading.Thread(target=deliver, args=(url,)) for url in rasa_urls(cluster)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert replies == [200, 200]
    fake_twilio.wait_for(number, 1)
    time.sleep(3)  # a second handling would have answered by now
    sent = fake_twilio.to(number)
    assert user_texts(cluster, number) == ["hi, can I get a demo?"]
    bot_texts = [e for e in events(cluster, number) if e["event"] == "bot"]
    assert len(sent) == len(bot_texts)


def test_an_action_server_killed_mid_form_loses_nothing(cluster: Stack) -> None:
    sender = f"kill-{uuid.uuid4().hex[:8]}"
    cluster.say(sender, "I'd like a demo")
    cluster.say(sender, "Priya Natarajan")
    victim = cluster.supervisor.children["action server 1"].process
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    # No restart: the load balancer takes the dead server out and the other one answers.
    answers = [cluster.text(sender, "priya@natarajan.dev"), cluster.text(sender, "Orbital")]
    assert APOLOGY.lower() not in " ".join(answers)
    contact = cluster.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    assert (contact.name, contact.email) == ("Priya Natarajan", "priya@natarajan.dev")
    assert not is_healthy(
        f"http://127.0.0.1:{cluster.layout.action_ports[0] if cluster.layout else 0}/health"
    )


def test_redis_away_gets_an_apology_and_the_conversation_resumes(
    cluster: Stack, redis_proxy: TcpProxy
) -> None:
    sender = f"redis-{uuid.uuid4().hex[:8]}"
    cluster.say(sender, "I'd like a demo")
    redis_proxy.cut()
    try:
        for url in rasa_urls(cluster):
            ready = httpx.get(f"{url}/ready", timeout=10)
            assert ready.status_code == 503
            assert ready.json()["checks"]["lock_store"] != "ok"
        assert say_to(rasa_urls(cluster)[0], sender, "Ines Duarte")[-1]["text"] == APOLOGY
    finally:
        redis_proxy.restore()
    assert "name" not in cluster.text(sender, "Ines Duarte")
    assert rest_user_texts(cluster, sender)[-1] == "Ines Duarte"
    contact = cluster.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None and contact.name == "Ines Duarte"


def test_a_rasa_server_killed_between_messages_goes_unnoticed(cluster: Stack) -> None:
    sender = f"rasa-kill-{uuid.uuid4().hex[:8]}"
    cluster.say(sender, "I'd like a demo")
    cluster.say(sender, "Kofi Mensah")
    victim = cluster.supervisor.children["rasa server 2"].process
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    answers = [cluster.text(sender, "kofi@mensah.dev"), cluster.text(sender, "skip")]
    assert APOLOGY.lower() not in " ".join(answers)
    assert rest_user_texts(cluster, sender) == [
        "I'd like a demo",
        "Kofi Mensah",
        "kofi@mensah.dev",
        "skip",
    ]


def test_a_phone_call_stays_on_one_server_through_the_entry_point(cluster: Stack) -> None:
    # The voice channel holds a call's pending turn in memory; round robin would send
    # the second step to a server that never heard of the call.
    call = PhoneCall(cluster)
    assert "automated assistant" in call.start()
    assert "name" in call.press("1")
    assert "email" in call.say("Ama Owusu")
    assert "phone" in call.say("ama at owusu dot dev")
    contact = cluster.store.contacts.for_identity("voice", call.sid)
    assert contact is not None and contact.email == "ama@owusu.dev"


def test_a_texters_numbered_reply_reaches_the_server_that_numbered_it(
    cluster: Stack, fake_twilio: FakeTwilio
) -> None:
    for _ in range(3):  # with round robin, one of these would land on the other server
        sms = Phone(cluster, fake_twilio, new_number())
        reply = sms.say("hi")
        if "reply 1 for" not in reply:
            reply = sms.say("hmm what")
        assert "reply 1 for book a demo" in reply
        assert "what's your name" in sms.say("1")

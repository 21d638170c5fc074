"""`parley shell`: a terminal conversation over the REST channel.

It talks to the running Parley; when none is running it starts one for the session.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from contextlib import ExitStack
from typing import Any

from bot.runner import Supervisor, is_healthy
from bot.settings import Settings

EXIT_WORDS = frozenset({"/exit", "/quit"})


def send(settings: Settings, sender: str, text: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json", **settings.chat.rest_headers()},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        messages: list[dict[str, Any]] = json.loads(reply.read().decode("utf-8"))
    return messages


def render(messages: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """Text to print, and the payloads that numbered buttons stand for."""
    lines: list[str] = []
    payloads: list[str] = []
    for message in messages:
        if message.get("text"):
            lines.append(f"Parley: {message['text']}")
        for button in message.get("buttons") or []:
            payloads.append(str(button.get("payload", button.get("title", ""))))
            lines.append(f"   {len(payloads)}) {button.get('title', '')}")
    return "\n".join(lines), payloads


def _ensure_running(settings: Settings, stack: ExitStack) -> None:
    if is_healthy(f"{settings.rasa_url}/webhooks/rest/"):
        return
    from cli.commands.serve import prepare, start_stack

    print("Parley is not running; starting it for this shell...")
    model_path = prepare(settings, train_if_stale=True)
    supervisor = stack.enter_context(
        Supervisor(settings.data_dir / "logs", settings.project_root, say=lambda _: None)
    )
    start_stack(supervisor, settings, model_path)


def run_shell(settings: Settings, sender: str | None = None) -> int:
    sender = sender or f"shell-{uuid.uuid4().hex[:12]}"
    with ExitStack() as stack:
        _ensure_running(settings, stack)
        print(f"Conversation {sender}. Type a message; numbers pick buttons; /exit leaves.")
        payloads: list[str] = []
        while True:
            try:
                text = input("You: ").strip()
            except EOFError:
                break
            if text in EXIT_WORDS:
                break
            if text.isdigit() and 0 < int(text) <= len(payloads):
                text = payloads[int(text) - 1]
            output, payloads = render(send(settings, sender, text))
            print(output)
    return 0

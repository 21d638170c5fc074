"""`parley telegram set-webhook URL | delete-webhook | poll`: talking to the Bot API.

Plain HTTPS calls: the bot's admin needs no python-telegram-bot (that lives in channels/).
Polling feeds each update to Parley's own webhook route on loopback with the secret, so
polling and webhook mode share one code path, and an update is acknowledged to Telegram
(its offset moved past) only after Parley took it.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import httpx

from bot.errors import MissingSetting, ParleyError
from bot.settings import Settings

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
POLL_TIMEOUT_S = 25


class TelegramApiError(ParleyError):
    def __init__(self, method: str, reply: dict[str, Any]) -> None:
        super().__init__(method, reply)
        self.method, self.reply = method, reply

    def __str__(self) -> str:
        return f"Telegram {self.method} failed: {self.reply.get('description', self.reply)}"


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    api = TelegramApi(settings)
    if args.telegram_command == "set-webhook":
        return set_webhook(api, settings, args.url)
    if args.telegram_command == "delete-webhook":
        api.call("deleteWebhook", drop_pending_updates=False)
        print("webhook removed; use `parley telegram poll` or set it again")
        return 0
    return poll(api, settings, once=args.once)


class TelegramApi:
    def __init__(self, settings: Settings) -> None:
        token = settings.telegram.bot_token
        if token is None:
            raise MissingSetting("TELEGRAM_BOT_TOKEN")
        self._base = f"{settings.telegram.api_base_url}{token.value}"

    def call(self, method: str, http_timeout: float = 30, **params: Any) -> Any:
        try:
            reply = httpx.post(f"{self._base}/{method}", json=params, timeout=http_timeout)
            body = reply.json()
        except (httpx.HTTPError, ValueError) as error:
            raise TelegramApiError(method, {"description": str(error)}) from error
        if not body.get("ok"):
            raise TelegramApiError(method, body)
        return body.get("result")


def set_webhook(api: TelegramApi, settings: Settings, url: str) -> int:
    secret = settings.telegram.webhook_secret
    if secret is None:
        raise MissingSetting("TELEGRAM_WEBHOOK_SECRET")
    if not url.startswith("https://"):
        raise ParleyError(f"Telegram only calls https:// webhooks, not {url!r}")
    info = api.call("getWebhookInfo")
    if info.get("url") == url:
        print(f"webhook already set to {url}; setting it again with the current secret")
    api.call(
        "setWebhook",
        url=url,
        secret_token=secret.value,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )
    print(f"webhook set: Telegram now posts {', '.join(ALLOWED_UPDATES)} updates to {url}")
    return 0


def poll(api: TelegramApi, settings: Settings, *, once: bool = False) -> int:
    secret = settings.telegram.webhook_secret
    if secret is None:
        raise MissingSetting("TELEGRAM_WEBHOOK_SECRET")
    api.call("deleteWebhook", drop_pending_updates=False)  # getUpdates refuses otherwise
    local = f"{settings.rasa_url}/webhooks/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret.value}
    offset: int | None = None
    print(f"polling Telegram for updates; passing them to {local} (Ctrl-C stops)")
    while True:
        try:
            wait = 0 if once else POLL_TIMEOUT_S
            updates = api.call(
                "getUpdates",
                http_timeout=wait + 10,
                offset=offset,
                timeout=wait,
                allowed_updates=ALLOWED_UPDATES,
            )
        except TelegramApiError as error:
            print(f"parley: {error}; retrying in 5 s")
            time.sleep(5)
            continue
        for update in updates or []:
            if not _hand_over(local, headers, update):
                break  # Parley is not taking updates: try again from this one
            offset = int(update["update_id"]) + 1
        if once:
            return 0


def _hand_over(url: str, headers: dict[str, str], update: dict[str, Any]) -> bool:
    try:
        reply = httpx.post(url, json=update, headers=headers, timeout=30)
    except httpx.HTTPError as error:
        print(f"parley: Parley is not answering at {url} ({error}); is `parley run` running?")
        time.sleep(2)
        return False
    if reply.status_code == 400:
        print(f"parley: skipped malformed update {update.get('update_id')}: {reply.text}")
        return True
    return reply.is_success

"""What `parley handoffs retry` and `parley webhooks retry` say after queueing again:
only the campaign worker sends from the outbox, so the person is told whether it runs."""

from __future__ import annotations

from bot.runner import is_healthy
from bot.settings import Settings
from bot.stack import campaign_worker


def requeued_note(count: int, settings: Settings) -> str:
    if is_healthy(campaign_worker(settings).health_url, timeout=1.0):
        return (
            f"{count} failed deliveries queued again; the campaign worker sends them within seconds"
        )
    return (
        f"{count} failed deliveries queued again; no campaign worker answers on port "
        f"{settings.campaigns.worker_port}, so they go out once `parley run` or "
        "`parley worker` is running"
    )

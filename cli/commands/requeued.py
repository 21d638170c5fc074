"""What `parley handoffs retry` and `parley webhooks retry` say after queueing again:
only the campaign worker sends from the outbox, so the person is told whether it runs."""

from __future__ import annotations

from bot.runner import is_healthy
from bot.settings import Settings


def requeued_note(count: int, settings: Settings) -> str:
    worker = f"http://127.0.0.1:{settings.campaigns.worker_port}/health"
    if is_healthy(worker, timeout=1.0):
        return (
            f"{count} failed deliveries queued again; the campaign worker sends them within seconds"
        )
    return (
        f"{count} failed deliveries queued again; no campaign worker answers on port "
        f"{settings.campaigns.worker_port}, so they go out once `parley run` or "
        "`parley worker` is running"
    )

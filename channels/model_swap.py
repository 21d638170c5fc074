"""Loading a new model beside the one serving, then switching in one step.

Rasa's own `PUT /model` loads the model on the server's event loop: every conversation
on that server waits the whole load (17 s for Parley's model on 2 cores). Here the model
loads in a worker thread while the current agent goes on answering; the new agent
shares the lock store and the tracker store's database (a copy of the store object, so
the serving agent's domain is never touched) and replaces the old one at once.
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.core.nlg import TemplatedNaturalLanguageGenerator


class SwapRefused(Exception):
    """The request names no usable model; nothing was changed."""


def _inner_store(store: Any) -> Any:
    return getattr(store, "_tracker_store", store)  # under Rasa's FailSafeTrackerStore


def _next_agent(current: Any) -> Agent:
    nlg = current.nlg
    return Agent(
        # Responses come with the model: a fresh templated generator reads them from it.
        generator=None if isinstance(nlg, TemplatedNaturalLanguageGenerator) else nlg,
        tracker_store=copy.copy(_inner_store(current.tracker_store)),
        lock_store=current.lock_store,
        action_endpoint=current.action_endpoint,
        model_server=current.model_server,
        remote_storage=current.remote_storage,
        http_interpreter=current.http_interpreter,
    )


async def load_beside(current: Any, model_file: str) -> Agent:
    """An agent like `current` with `model_file` loaded, loaded in a thread."""
    path = Path(model_file)
    if not path.name.endswith(".tar.gz") or not path.is_file():
        raise SwapRefused(f"no model archive at {model_file}")
    agent = _next_agent(current)
    try:
        await asyncio.to_thread(agent.load_model, path)
    except Exception as error:  # Rasa raises many kinds for a broken archive
        raise SwapRefused(f"the model could not be loaded: {error}") from error
    if not agent.is_ready():
        raise SwapRefused("the model loaded but the agent is not ready")
    return agent

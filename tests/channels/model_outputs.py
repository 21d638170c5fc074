"""`python -m tests.channels.model_outputs MODEL [--eager]`: what a loaded model says.

Prints, as JSON, the intent ranking of a set of messages, TED's action probabilities
after each of them, and every DIET and TED weight, for the model loaded Rasa's way or,
with --eager, through channels.model_loading. A process of its own per way, since
installing the eager loader is for the whole process.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

MESSAGES = (
    "hi",
    "I'd like to see a demo of your product next week",
    "my name is Ana Lima and I work at Northwind",
    "you can reach me at ana@northwind.example",
    "nope, not interested",
    "how much does it cost per month?",
    "can I talk to a real person please",
    "delete everything you have on me",
    "we are about 40 people",
    "stop",
)


def outputs(model: str) -> dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = Agent.load(model)
    components = [
        node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
    ]
    models = {type(c).__name__: c for c in components if getattr(c, "model", None) is not None}
    parses = [asyncio.run(agent.parse_message(text)) for text in MESSAGES]
    ted = models["TEDPolicy"]
    actions = []
    for text, parse in zip(MESSAGES, parses, strict=True):
        events = [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered(text, intent=parse["intent"]),
        ]
        tracker = DialogueStateTracker.from_events("check", events, slots=agent.domain.slots)
        actions.append(ted.predict_action_probabilities(tracker, agent.domain).probabilities)
    return {
        "loaded": sorted(models),
        "intents": [[(i["name"], i["confidence"]) for i in p["intent_ranking"]] for p in parses],
        "actions": actions,
        "weights": {
            name: [v.numpy().tolist() for v in models[name].model.weights]
            for name in ("DIETClassifier", "TEDPolicy")
        },
    }


if __name__ == "__main__":
    if "--eager" in sys.argv:
        from channels import model_loading

        model_loading.install()
    print(json.dumps(outputs(sys.argv[1])))

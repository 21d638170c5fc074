"""Collecting output channels that carry their connector's name.

Rasa chooses a response's channel-specific variation (`channel: twilio_voice` in the
domain, written by the studio's "Voice wording") by the name of the output channel the
turn replies through. Rasa's own CollectingOutputChannel is always named "collector", so
every connector collects through one of these instead.
"""

from __future__ import annotations

from functools import cache

from rasa.core.channels.channel import CollectingOutputChannel


@cache
def _collector_class(channel: str) -> type[CollectingOutputChannel]:
    return type(
        f"{channel.title().replace('_', '')}Collector",
        (CollectingOutputChannel,),
        {"name": classmethod(lambda cls: channel), "__module__": __name__},
    )


def collector_for(channel: str) -> CollectingOutputChannel:
    return _collector_class(channel)()

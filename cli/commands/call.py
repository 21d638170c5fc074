"""`parley call`: play Twilio's part of a phone call in the terminal (bot.call_simulator)."""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ElementTree

from bot.call_simulator import PREFIX, CallSimulator
from bot.settings import Settings


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    simulator = CallSimulator(settings, args.caller)
    print(f"calling Parley as {args.caller} (type to speak, #digits to press keys, /hangup to end)")
    twiml: ElementTree.Element | None = simulator.post(f"{PREFIX}/incoming")
    try:
        while twiml is not None:
            twiml = simulator.play(twiml, input)
    except (EOFError, KeyboardInterrupt):
        simulator.hang_up()
    return 0

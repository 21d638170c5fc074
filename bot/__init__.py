"""Parley core: settings, profile store, consent, scoring and the CLI.

This package must never import rasa, rasa_sdk, twilio or telegram (see ARCHITECTURE.md).
"""

__version__ = "0.1.0"

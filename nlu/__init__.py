"""Parley's own Rasa NLU components (configured in config.yml)."""

"""Parley's REST API for other systems: contacts, leads and scores, consent, campaign
enrollments and timelines, behind scoped tokens, described by OpenAPI 3."""

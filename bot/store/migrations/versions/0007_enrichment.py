"""Enrichment (#10): company domain, country and time zone on contacts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("company_domain", sa.String(255)),
    ("country", sa.String(2)),
    ("timezone", sa.String(64)),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("contacts", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of `contacts` would
    # drop the table its children cascade from.
    for name, _type in reversed(_COLUMNS):
        op.drop_column("contacts", name)

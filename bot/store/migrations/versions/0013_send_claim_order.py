"""Claiming campaign sends reads them in (due, id) order straight from an index.

Sends deferred by quiet hours all wake at the same quarter hour, so thousands can share
one due time; with only (status, due_at) indexed, PostgreSQL sorted every one of them by
id to claim a page.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_campaign_sends_status_due_at", table_name="campaign_sends")
    op.create_index(
        "ix_campaign_sends_status_due_at_id", "campaign_sends", ["status", "due_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_campaign_sends_status_due_at_id", table_name="campaign_sends")
    op.create_index("ix_campaign_sends_status_due_at", "campaign_sends", ["status", "due_at"])

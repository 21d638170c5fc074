"""API tokens and CRM sync cursors (#10).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        _utc("created_at"),
        _utc("revoked_at", nullable=True),
        _utc("last_used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
    )
    op.create_table(
        "crm_sync_cursors",
        sa.Column("connector", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("connector", name="pk_crm_sync_cursors"),
    )


def downgrade() -> None:
    op.drop_table("crm_sync_cursors")
    op.drop_table("api_tokens")

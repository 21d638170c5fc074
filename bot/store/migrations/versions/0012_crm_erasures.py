"""Erasure leaves nothing (#17): erased people's CRM copies queued for deletion.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "crm_erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("connector", sa.String(32), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _utc("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _utc("queued_at"),
        sa.PrimaryKeyConstraint("id", name="pk_crm_erasures"),
        sa.UniqueConstraint("connector", "email", name="uq_crm_erasures_connector_email"),
    )
    op.create_index(
        "ix_crm_erasures_connector_next_attempt_at",
        "crm_erasures",
        ["connector", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_crm_erasures_connector_next_attempt_at", table_name="crm_erasures")
    op.drop_table("crm_erasures")

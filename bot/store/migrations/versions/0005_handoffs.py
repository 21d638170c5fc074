"""Handoff deliveries and meeting bookings (#4).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _contact_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contact_id"], ["contacts.id"], name=f"fk_{table}_contact_id_contacts", ondelete="CASCADE"
    )


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        _utc("requested_at"),
        _contact_fk("handoffs"),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
    )
    op.create_index("ix_handoffs_contact_id", "handoffs", ["contact_id"])
    op.create_index("ix_handoffs_conversation_id", "handoffs", ["conversation_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _utc("next_attempt_at"),
        _utc("lease_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _utc("created_at"),
        _utc("delivered_at", nullable=True),
        _contact_fk("deliveries"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("event_id", name="uq_deliveries_event_id"),
    )
    op.create_index("ix_deliveries_contact_id", "deliveries", ["contact_id"])
    op.create_index(
        "ix_deliveries_status_next_attempt_at", "deliveries", ["status", "next_attempt_at"]
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        _utc("starts_at"),
        _utc("ends_at"),
        sa.Column("status", sa.String(12), nullable=False),
        _utc("created_at"),
        _contact_fk("bookings"),
        sa.PrimaryKeyConstraint("id", name="pk_bookings"),
    )
    op.create_index("ix_bookings_contact_id", "bookings", ["contact_id"])
    op.create_index(
        "uq_bookings_booked_start",
        "bookings",
        ["starts_at"],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )


def downgrade() -> None:
    op.drop_index("uq_bookings_booked_start", table_name="bookings")
    op.drop_index("ix_bookings_contact_id", table_name="bookings")
    op.drop_table("bookings")
    op.drop_index("ix_deliveries_status_next_attempt_at", table_name="deliveries")
    op.drop_index("ix_deliveries_contact_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_handoffs_conversation_id", table_name="handoffs")
    op.drop_index("ix_handoffs_contact_id", table_name="handoffs")
    op.drop_table("handoffs")

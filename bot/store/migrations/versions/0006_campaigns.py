"""Campaigns: tags, inbound activity, enrollments and the send outbox (#7).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
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
        "contact_tags",
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        _utc("added_at"),
        _contact_fk("contact_tags"),
        sa.PrimaryKeyConstraint("contact_id", "tag", name="pk_contact_tags"),
    )
    op.create_table(
        "inbound_activity",
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        _utc("last_at"),
        sa.PrimaryKeyConstraint("channel", "external_id", name="pk_inbound_activity"),
    )
    op.create_table(
        "campaign_states",
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("timeline_cursor", sa.Integer(), nullable=False),
        sa.Column("consent_cursor", sa.Integer(), nullable=False),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("campaign", name="pk_campaign_states"),
    )
    _create_enrollments()
    _create_sends()


def _create_enrollments() -> None:
    op.create_table(
        "campaign_enrollments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        _utc("next_run_at"),
        _utc("lease_until", nullable=True),
        sa.Column("trigger", sa.String(64), nullable=False),
        _utc("enrolled_at"),
        _utc("last_sent_at", nullable=True),
        sa.Column("exit_reason", sa.String(32), nullable=True),
        _utc("finished_at", nullable=True),
        _contact_fk("campaign_enrollments"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_enrollments"),
        sa.UniqueConstraint(
            "campaign", "contact_id", name="uq_campaign_enrollments_campaign_contact_id"
        ),
    )
    op.create_index("ix_campaign_enrollments_contact_id", "campaign_enrollments", ["contact_id"])
    op.create_index(
        "ix_campaign_enrollments_status_next_run_at",
        "campaign_enrollments",
        ["status", "next_run_at"],
    )


def _create_sends() -> None:
    op.create_table(
        "campaign_sends",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("send_key", sa.String(160), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("variant", sa.String(32), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _utc("due_at"),
        _utc("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(32), nullable=True),
        sa.Column("provider_message_id", sa.String(128), nullable=True),
        _utc("created_at"),
        _utc("sent_at", nullable=True),
        _contact_fk("campaign_sends"),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["campaign_enrollments.id"],
            name="fk_campaign_sends_enrollment_id_campaign_enrollments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_sends"),
        sa.UniqueConstraint("send_key", name="uq_campaign_sends_send_key"),
    )
    for columns in (
        ["enrollment_id"],
        ["contact_id"],
        ["status", "due_at"],
        ["provider_message_id"],
    ):
        op.create_index(f"ix_campaign_sends_{'_'.join(columns)}", "campaign_sends", columns)


def downgrade() -> None:
    op.drop_table("campaign_sends")
    op.drop_table("campaign_enrollments")
    op.drop_table("campaign_states")
    op.drop_table("inbound_activity")
    op.drop_table("contact_tags")

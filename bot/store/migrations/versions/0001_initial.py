"""Contacts, channel identities, aliases, leads, lead answers and timeline events.

Revision ID: 0001
Revises:
Create Date: 2024-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

OPEN_LEADS = "status IN ('new', 'partial', 'captured')"


def _contact_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contact_id"],
        ["contacts.id"],
        name=f"fk_{table}_contact_id_contacts",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    _create_contacts()
    _create_identities_and_aliases()
    _create_leads()
    _create_lead_answers()
    _create_timeline()


def _create_contacts() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("need", sa.Text(), nullable=True),
        sa.Column("lead_status", sa.String(16), server_default="new", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.UniqueConstraint("email", name="uq_contacts_email"),
        sa.UniqueConstraint("phone", name="uq_contacts_phone"),
    )
    op.create_index("ix_contacts_created_at_id", "contacts", ["created_at", "id"])


def _create_identities_and_aliases() -> None:
    op.create_table(
        "channel_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_channel_identities"),
        _contact_fk("channel_identities"),
        sa.UniqueConstraint(
            "channel", "external_id", name="uq_channel_identities_channel_external_id"
        ),
    )
    op.create_index("ix_channel_identities_contact_id", "channel_identities", ["contact_id"])
    op.create_table(
        "contact_aliases",
        sa.Column("old_id", sa.String(32), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("old_id", name="pk_contact_aliases"),
        _contact_fk("contact_aliases"),
    )
    op.create_index("ix_contact_aliases_contact_id", "contact_aliases", ["contact_id"])


def _create_leads() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_leads"),
        _contact_fk("leads"),
    )
    op.create_index("ix_leads_contact_id", "leads", ["contact_id"])
    op.create_index(
        "uq_leads_open_conversation",
        "leads",
        ["contact_id", "conversation_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_LEADS),
        postgresql_where=sa.text(OPEN_LEADS),
    )


def _create_lead_answers() -> None:
    op.create_table(
        "lead_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lead_answers"),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name="fk_lead_answers_lead_id_leads", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_lead_answers_lead_id", "lead_answers", ["lead_id"])


def _create_timeline() -> None:
    op.create_table(
        "timeline_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_timeline_events"),
        _contact_fk("timeline_events"),
    )
    op.create_index(
        "ix_timeline_events_contact_id_occurred_at",
        "timeline_events",
        ["contact_id", "occurred_at"],
    )


def downgrade() -> None:
    for table in (
        "timeline_events",
        "lead_answers",
        "leads",
        "contact_aliases",
        "channel_identities",
        "contacts",
    ):
        op.drop_table(table)

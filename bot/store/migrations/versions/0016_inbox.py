"""The sales inbox (#20): who holds a conversation handed to a person, the inbox's
messages (the person's while held, agents' replies, private notes, events) and saved
replies. Handoffs before this are not in the inbox: they were answered by email.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user(name: str, table: str) -> sa.Column:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey(
            "studio_users.id", name=f"fk_{table}_{name}_studio_users", ondelete="SET NULL"
        ),
        nullable=True,
    )


def upgrade() -> None:
    op.create_table(
        "conversation_claims",
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column(
            "contact_id",
            sa.String(32),
            sa.ForeignKey(
                "contacts.id", name="fk_conversation_claims_contact_id_contacts", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("handoff_id", sa.String(32), nullable=True),
        sa.Column("state", sa.String(12), nullable=False),
        _user("holder_id", "conversation_claims"),
        _utc("waiting_since"),
        _utc("held_since", nullable=True),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_conversation_claims"),
    )
    op.create_index("ix_conversation_claims_contact_id", "conversation_claims", ["contact_id"])
    op.create_index("ix_conversation_claims_state", "conversation_claims", ["state"])
    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column(
            "contact_id",
            sa.String(32),
            sa.ForeignKey(
                "contacts.id", name="fk_inbox_messages_contact_id_contacts", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(8), nullable=False),
        _user("author_id", "inbox_messages"),
        sa.Column("author", sa.String(100), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("delivery", sa.String(12), nullable=True),
        sa.Column("delivery_error", sa.Text(), nullable=True),
        _utc("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_messages"),
    )
    op.create_index("ix_inbox_messages_conversation_id", "inbox_messages", ["conversation_id"])
    op.create_index("ix_inbox_messages_contact_id", "inbox_messages", ["contact_id"])
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        _utc("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_replies"),
        sa.UniqueConstraint("title", name="uq_saved_replies_title"),
    )


def downgrade() -> None:
    op.drop_table("saved_replies")
    op.drop_table("inbox_messages")
    op.drop_table("conversation_claims")

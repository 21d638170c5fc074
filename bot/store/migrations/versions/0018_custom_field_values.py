"""Custom lead fields (#19): one current value per contact and field a marketer added in
lead_fields.yml, kept in the field type's canonical text form. Nothing to carry over:
before this there were no such fields.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "custom_field_values",
        sa.Column(
            "contact_id",
            sa.String(32),
            sa.ForeignKey(
                "contacts.id", name="fk_custom_field_values_contact_id_contacts", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "field", name="pk_custom_field_values"),
    )


def downgrade() -> None:
    op.drop_table("custom_field_values")

"""Identity (#17): claims kept apart, one-time verification codes, verified details,
and pending (double opt-in) consent grants.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_VERIFIED = ("email_verified_at", "phone_verified_at")


def _contact_fk(table: str, column: str = "contact_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["contacts.id"], name=f"fk_{table}_{column}_contacts", ondelete="CASCADE"
    )


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    for name in _VERIFIED:
        op.add_column("contacts", _utc(name, nullable=True))
    op.add_column("consent_events", sa.Column("pending", sa.Boolean(), nullable=True))
    op.create_table(
        "identity_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(8), nullable=False),
        sa.Column("value", sa.String(320), nullable=False),
        sa.Column("holder_id", sa.String(32), nullable=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        _utc("created_at"),
        _utc("verified_at", nullable=True),
        _utc("dismissed_at", nullable=True),
        _contact_fk("identity_claims"),
        _contact_fk("identity_claims", "holder_id"),
        sa.PrimaryKeyConstraint("id", name="pk_identity_claims"),
        sa.UniqueConstraint(
            "contact_id", "field", "value", name="uq_identity_claims_contact_id_field_value"
        ),
    )
    op.create_index("ix_identity_claims_contact_id", "identity_claims", ["contact_id"])
    op.create_index("ix_identity_claims_holder_id", "identity_claims", ["holder_id"])
    op.create_table(
        "verification_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("field", sa.String(8), nullable=False),
        sa.Column("value", sa.String(320), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        _utc("created_at"),
        _utc("expires_at"),
        _utc("consumed_at", nullable=True),
        _contact_fk("verification_codes"),
        sa.PrimaryKeyConstraint("id", name="pk_verification_codes"),
    )
    for column in ("contact_id", "conversation_id", "value"):
        op.create_index(f"ix_verification_codes_{column}", "verification_codes", [column])


def downgrade() -> None:
    op.drop_table("verification_codes")
    op.drop_table("identity_claims")
    op.drop_column("consent_events", "pending")
    # Plain ALTER TABLE ... DROP COLUMN: a batch copy of `contacts` would drop the table
    # its children cascade from.
    for name in reversed(_VERIFIED):
        op.drop_column("contacts", name)

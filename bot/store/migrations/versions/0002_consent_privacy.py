"""Consent ledger (append-only), do-not-contact, suppression list, erasure log, pending
tracker erasures and audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ACTIVE_DNC = "lifted_at IS NULL"
APPEND_ONLY = "consent_events is append-only"

SQLITE_TRIGGER = f"""
CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
BEGIN
    SELECT RAISE(ABORT, '{APPEND_ONLY}');
END
"""

PG_FUNCTION = f"""
CREATE FUNCTION consent_events_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY}';
END
$$
"""

PG_TRIGGER = """
CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
FOR EACH ROW EXECUTE FUNCTION consent_events_reject_update()
"""


def _contact_fk(table: str) -> sa.ForeignKeyConstraint:
    # ON DELETE CASCADE only: an ON DELETE SET NULL would UPDATE consent_events.
    return sa.ForeignKeyConstraint(
        ["contact_id"],
        ["contacts.id"],
        name=f"fk_{table}_contact_id_contacts",
        ondelete="CASCADE",
    )


def _utc_column(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    _create_consent_events()
    _forbid_consent_updates()
    _create_do_not_contact()
    _create_erasure_tables()
    _create_audit_log()


def _create_consent_events() -> None:
    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("wording_version", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        _utc_column("occurred_at"),
        sa.PrimaryKeyConstraint("id", name="pk_consent_events"),
        _contact_fk("consent_events"),
    )
    op.create_index(
        "ix_consent_events_contact_id_purpose_occurred_at_id",
        "consent_events",
        ["contact_id", "purpose", "occurred_at", "id"],
    )


def _forbid_consent_updates() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        op.execute(SQLITE_TRIGGER)


def _create_do_not_contact() -> None:
    op.create_table(
        "do_not_contact",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _utc_column("added_at"),
        _utc_column("lifted_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_do_not_contact"),
        _contact_fk("do_not_contact"),
    )
    op.create_index("ix_do_not_contact_contact_id", "do_not_contact", ["contact_id"])
    op.create_index(
        "uq_do_not_contact_active",
        "do_not_contact",
        ["contact_id", "channel"],
        unique=True,
        sqlite_where=sa.text(ACTIVE_DNC),
        postgresql_where=sa.text(ACTIVE_DNC),
    )


def _create_erasure_tables() -> None:
    op.create_table(
        "suppressed_identifiers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        _utc_column("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_suppressed_identifiers"),
        sa.UniqueConstraint("kind", "digest", name="uq_suppressed_identifiers_kind_digest"),
    )
    op.create_table(
        "erasure_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("identity_count", sa.Integer(), nullable=False),
        _utc_column("erased_at"),
        sa.PrimaryKeyConstraint("id", name="pk_erasure_log"),
    )
    op.create_table(
        "pending_tracker_erasures",
        sa.Column("sender_id", sa.String(255), nullable=False),
        _utc_column("queued_at"),
        sa.PrimaryKeyConstraint("sender_id", name="pk_pending_tracker_erasures"),
    )


def _create_audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _utc_column("occurred_at"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_occurred_at_id", "audit_log", ["occurred_at", "id"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "pending_tracker_erasures",
        "erasure_log",
        "suppressed_identifiers",
        "do_not_contact",
        "consent_events",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION consent_events_reject_update()")

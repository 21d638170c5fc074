"""The marketers' studio: users, sessions, published versions (#8).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "studio_users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        _utc("created_at"),
        _utc("disabled_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_studio_users"),
        sa.UniqueConstraint("email", name="uq_studio_users_email"),
    )
    op.create_table(
        "studio_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        _utc("created_at"),
        _utc("expires_at"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["studio_users.id"],
            name="fk_studio_sessions_user_id_studio_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_studio_sessions"),
    )
    op.create_index("ix_studio_sessions_expires_at", "studio_sessions", ["expires_at"])
    op.create_table(
        "studio_versions",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=False),
        _utc("created_at"),
        sa.Column("rolled_back_from", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("number", name="pk_studio_versions"),
    )


def downgrade() -> None:
    op.drop_table("studio_versions")
    op.drop_index("ix_studio_sessions_expires_at", table_name="studio_sessions")
    op.drop_table("studio_sessions")
    op.drop_table("studio_users")

"""Qualification answers, scores and sales outcomes (#4).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _contact_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contact_id"],
        ["contacts.id"],
        name=f"fk_{table}_contact_id_contacts",
        ondelete="CASCADE",
    )


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "qualification_answers",
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("value", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        _utc("answered_at"),
        _contact_fk("qualification_answers"),
        sa.PrimaryKeyConstraint("contact_id", "field", name="pk_qualification_answers"),
    )
    op.create_table(
        "lead_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("stage", sa.String(8), nullable=False),
        sa.Column("rubric_version", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=False),
        _utc("computed_at"),
        _contact_fk("lead_scores"),
        sa.PrimaryKeyConstraint("id", name="pk_lead_scores"),
    )
    op.create_index("ix_lead_scores_contact_id", "lead_scores", ["contact_id"])
    op.create_table(
        "lead_outcomes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        _utc("occurred_at"),
        _contact_fk("lead_outcomes"),
        sa.PrimaryKeyConstraint("id", name="pk_lead_outcomes"),
    )
    op.create_index("ix_lead_outcomes_contact_id", "lead_outcomes", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_lead_outcomes_contact_id", table_name="lead_outcomes")
    op.drop_table("lead_outcomes")
    op.drop_index("ix_lead_scores_contact_id", table_name="lead_scores")
    op.drop_table("lead_scores")
    op.drop_table("qualification_answers")

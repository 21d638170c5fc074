"""Sales outcomes recorded anywhere (#20): value (now in thousandths) with currency, reason, source, who
recorded it and when; one current outcome per contact, every earlier one kept.

Before this only synthetic history (`parley scoring synthesize`) recorded outcomes: rows
of its contacts (emails at synthetic.parley.invalid) are marked `synthetic`, any other
`api`, recorded by `unknown`. Each contact's latest row becomes its current outcome.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SYNTHETIC = "%@synthetic.parley.invalid"
_outcomes = sa.table(
    "lead_outcomes",
    sa.column("id", sa.Integer()),
    sa.column("contact_id", sa.String()),
    sa.column("value", sa.Integer()),
    sa.column("value_thousandths", sa.BigInteger()),
    sa.column("source", sa.String()),
    sa.column("recorded_by", sa.String()),
    sa.column("recorded_at", sa.DateTime(timezone=True)),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("is_current", sa.Boolean()),
)
_contacts = sa.table("contacts", sa.column("id", sa.String()), sa.column("email", sa.String()))


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("lead_outcomes") as batch:
        batch.add_column(sa.Column("value_thousandths", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("currency", sa.String(3), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("source", sa.String(16), nullable=True))
        batch.add_column(sa.Column("recorded_by", sa.String(255), nullable=True))
        batch.add_column(sa.Column("external_ref", sa.String(64), nullable=True))
        batch.add_column(sa.Column("is_current", sa.Boolean(), nullable=True))
        batch.add_column(_utc("recorded_at", nullable=True))
    synthetic = sa.select(_contacts.c.id).where(_contacts.c.email.like(SYNTHETIC)).scalar_subquery()
    op.execute(
        sa.update(_outcomes).values(
            source=sa.case((_outcomes.c.contact_id.in_(synthetic), "synthetic"), else_="api"),
            recorded_by=sa.case(
                (_outcomes.c.contact_id.in_(synthetic), "synthetic"), else_="unknown"
            ),
            recorded_at=_outcomes.c.occurred_at,
            is_current=False,
            value_thousandths=sa.cast(_outcomes.c.value, sa.BigInteger()) * 1000,
        )
    )
    newer = _outcomes.alias("newer")
    latest = ~sa.exists().where(
        newer.c.contact_id == _outcomes.c.contact_id, newer.c.id > _outcomes.c.id
    )
    op.execute(sa.update(_outcomes).where(latest).values(is_current=True))
    with op.batch_alter_table("lead_outcomes") as batch:
        for name, type_ in (
            ("source", sa.String(16)),
            ("recorded_by", sa.String(255)),
            ("is_current", sa.Boolean()),
            ("recorded_at", sa.DateTime(timezone=True)),
        ):
            batch.alter_column(name, existing_type=type_, nullable=False)
        batch.drop_column("value")
    op.create_index(
        "uq_lead_outcomes_current",
        "lead_outcomes",
        ["contact_id"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )

    op.create_table(
        "crm_pulls",
        sa.Column("connector", sa.String(32), nullable=False),
        _utc("modified_since", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _utc("retry_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("connector", name="pk_crm_pulls"),
    )


def downgrade() -> None:
    op.drop_table("crm_pulls")
    op.drop_index("uq_lead_outcomes_current", table_name="lead_outcomes")
    with op.batch_alter_table("lead_outcomes") as batch:
        batch.add_column(sa.Column("value", sa.Integer(), nullable=True))
    # Whole units, as before: the decimals go.
    op.execute(sa.update(_outcomes).values(value=_outcomes.c.value_thousandths / 1000))
    with op.batch_alter_table("lead_outcomes") as batch:
        for name in (
            "value_thousandths",
            "recorded_at",
            "is_current",
            "external_ref",
            "recorded_by",
            "source",
            "reason",
            "currency",
        ):
            batch.drop_column(name)

"""The sales inbox (#20), continued: when a reply was handed to a provider, so that one a
worker abandoned mid-send can be reported as uncertain instead of waiting forever; and
how far each conversation's email notices have gone, and when the last one went.

Replies already `sending` get no time: the worker that marked them is long gone, so
they are reported uncertain on the first look.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_messages") as batch:
        batch.add_column(sa.Column("sending_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("conversation_claims") as batch:
        batch.add_column(sa.Column("noticed_through", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_claims") as batch:
        batch.drop_column("emailed_at")
        batch.drop_column("noticed_through")
    with op.batch_alter_table("inbox_messages") as batch:
        batch.drop_column("sending_since")

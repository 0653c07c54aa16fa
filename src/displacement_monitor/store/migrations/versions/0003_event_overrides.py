"""Events: analyst merge/split overrides that survive re-clustering

Revision ID: 0003_event_overrides
Revises: 0002_api
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_event_overrides"
down_revision: str | None = "0002_api"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=256), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event_overrides", schema=None) as batch_op:
        batch_op.create_index("ix_event_overrides_revoked_at", ["revoked_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_event_overrides_revoked_at")
    op.drop_table("event_overrides")

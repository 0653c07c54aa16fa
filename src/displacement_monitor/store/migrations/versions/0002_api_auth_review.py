"""API: users with hashed tokens, review audit log, indexes for filtered fact queries

Revision ID: 0002_api
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_api"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Indexes serving the dashboard's filters and the timeline (name → columns).
FACT_INDEXES = {
    # (filter, date, cause, figure): the timeline reads only the index, never the table.
    "ix_facts_date_start": ["date_start", "cause", "figure"],
    "ix_facts_country_date": ["country_iso3", "date_start", "cause", "figure"],
    "ix_facts_cause_date": ["cause", "date_start", "figure"],
    "ix_facts_term_date": ["term", "date_start", "cause", "figure"],
    # (filter, id): a page "newest first" within one filter value needs no sort.
    "ix_facts_country_id": ["country_iso3", "id"],
    "ix_facts_cause_id": ["cause", "id"],
    "ix_facts_review_status": ["review_status", "id"],
    "ix_facts_figure": ["figure"],
}


def upgrade() -> None:
    op.create_table(
        "api_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=256), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.create_index("ix_review_events_fact_id", ["fact_id"], unique=False)
    with op.batch_alter_table("facts", schema=None) as batch_op:
        for name, columns in FACT_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("facts", schema=None) as batch_op:
        for name in FACT_INDEXES:
            batch_op.drop_index(name)
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.drop_index("ix_review_events_fact_id")
    op.drop_table("review_events")
    op.drop_table("api_users")

"""Indexes for the dashboard's slowest filters on PostgreSQL: review queue by date, cause by date,
and trigram search in quotes

Revision ID: 0004_fact_query_indexes
Revises: 0003_event_overrides
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_fact_query_indexes"
down_revision: str | None = "0003_event_overrides"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (filter, sort key, id): a page of one filter value in date order is read from the index alone.
INDEXES = {
    "ix_facts_review_date_id": ["review_status", "date_start", "id"],
    "ix_facts_cause_date_id": ["cause", "date_start", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "facts", columns)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # Full-text `q` is an ILIKE '%…%': only a trigram index serves it. pg_trgm ships with PostgreSQL
    # but creating an extension needs the right privilege; without it the search still works, slower.
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except sa.exc.DBAPIError:
        return
    schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    )
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_facts_quote_trgm ON facts USING gin (quote "{schema}".gin_trgm_ops)'
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_facts_quote_trgm")
    for name in INDEXES:
        op.drop_index(name, table_name="facts")

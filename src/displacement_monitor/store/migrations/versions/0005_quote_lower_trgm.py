"""Quote search on PostgreSQL: the trigram index on lower(quote), which the `q` filter now matches

The `q` filter is written ``lower(quote) LIKE lower(pattern)`` on every backend (on PostgreSQL this
is exactly what ILIKE does in a multi-byte database). An expression index serves it and gives the
planner statistics on ``lower(quote)``; the trigram index on the bare column then serves nothing.

Revision ID: 0005_quote_lower_trgm
Revises: 0004_fact_query_indexes
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_quote_lower_trgm"
down_revision: str | None = "0004_fact_query_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _trgm_schema() -> str | None:
    """Schema of the pg_trgm extension (created if allowed), or None where it cannot be had."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    # Creating an extension needs the right privilege; without it the search still works, slower.
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except sa.exc.DBAPIError:
        pass
    schema: str | None = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    )
    return schema


def upgrade() -> None:
    schema = _trgm_schema()
    if schema is None:
        return
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_facts_quote_lower_trgm "
        f'ON facts USING gin (lower(quote) "{schema}".gin_trgm_ops)'
    )
    op.execute("DROP INDEX IF EXISTS ix_facts_quote_trgm")
    # Statistics on the new expression, which the planner needs to estimate a `q` filter.
    op.execute("ANALYZE facts")


def downgrade() -> None:
    schema = _trgm_schema()
    if schema is None:
        return
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_facts_quote_trgm ON facts USING gin (quote "{schema}".gin_trgm_ops)'
    )
    op.execute("DROP INDEX IF EXISTS ix_facts_quote_lower_trgm")

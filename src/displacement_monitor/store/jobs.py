"""The watch job queue, kept in the database so a restart resumes where the last run stopped.

A worker claims one due job by taking a lease (``locked_until``); on PostgreSQL the claim uses
``SELECT … FOR UPDATE SKIP LOCKED`` so several worker processes share the queue without ever
running the same job twice at once. A crashed worker's lease expires and the job becomes due again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from displacement_monitor.store.repository import Store
from displacement_monitor.store.tables import JobRow, utcnow


@dataclass(slots=True, frozen=True)
class JobSpec:
    kind: str
    target: str
    interval_seconds: int


@dataclass(slots=True, frozen=True)
class ClaimedJob:
    id: int
    kind: str
    target: str
    interval_seconds: int
    run_count: int


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def sync_jobs(store: Store, specs: list[JobSpec]) -> None:
    """Make the jobs table match the config: add new jobs, update intervals, disable removed ones."""
    wanted = {(s.kind, s.target): s for s in specs}
    with store.session() as session:
        for row in session.scalars(select(JobRow)):
            spec = wanted.pop((row.kind, row.target), None)
            row.enabled = spec is not None
            if spec is not None:
                row.interval_seconds = spec.interval_seconds
        for spec in wanted.values():
            session.add(
                JobRow(
                    kind=spec.kind,
                    target=spec.target,
                    interval_seconds=spec.interval_seconds,
                    next_run_at=utcnow(),
                    enabled=True,
                    run_count=0,
                    last_counts={},
                )
            )


def claim_due_job(store: Store, worker: str, *, lease_seconds: int = 3600) -> ClaimedJob | None:
    """Lease the most overdue enabled job, or None when nothing is due."""
    now = utcnow()
    with store.session() as session:
        query = (
            select(JobRow)
            .where(
                JobRow.enabled.is_(True),
                JobRow.next_run_at <= now,
                or_(JobRow.locked_until.is_(None), JobRow.locked_until < now),
            )
            .order_by(JobRow.next_run_at)
            .limit(1)
        )
        if store.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = session.scalars(query).first()
        if row is None:
            return None
        row.locked_by = worker
        row.locked_until = now + dt.timedelta(seconds=lease_seconds)
        row.last_started_at = now
        return ClaimedJob(row.id, row.kind, row.target, row.interval_seconds, row.run_count)


def finish_job(store: Store, job_id: int, *, error: str | None, counts: dict[str, Any]) -> None:
    """Release the lease and schedule the next run one interval from now."""
    now = utcnow()
    with store.session() as session:
        row = session.get_one(JobRow, job_id)
        row.locked_by = None
        row.locked_until = None
        row.last_finished_at = now
        row.last_error = error
        row.last_counts = counts
        row.run_count += 1
        row.next_run_at = now + dt.timedelta(seconds=row.interval_seconds)


def next_due_in(store: Store) -> float | None:
    """Seconds until the next enabled job is due (0 if one is due now), None without jobs."""
    with store.session() as session:
        soonest = session.scalar(
            select(JobRow.next_run_at).where(JobRow.enabled.is_(True)).order_by(JobRow.next_run_at).limit(1)
        )
    if soonest is None:
        return None
    if soonest.tzinfo is None:  # SQLite hands datetimes back naive (stored as UTC)
        soonest = soonest.replace(tzinfo=dt.UTC)
    return max(0.0, (soonest - utcnow()).total_seconds())


def job_states(store: Store) -> list[dict[str, Any]]:
    with store.session() as session:
        return [
            {
                "kind": r.kind,
                "target": r.target,
                "enabled": r.enabled,
                "run_count": r.run_count,
                "last_error": r.last_error,
                "last_counts": r.last_counts,
                "next_run_at": r.next_run_at,
                "locked_by": r.locked_by,
            }
            for r in session.scalars(select(JobRow).order_by(JobRow.id))
        ]

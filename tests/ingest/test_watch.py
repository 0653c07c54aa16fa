"""watch: jobs from watch.toml, state in the database, one claim per job across workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from displacement_monitor.errors import ConfigError
from displacement_monitor.ingest.watch import load_watch_config, run_watch
from displacement_monitor.store import open_store
from displacement_monitor.store.jobs import JobSpec, claim_due_job, job_states, sync_jobs

from .helpers import Route, cleaning_processor, page, serve, story


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    routes: dict[str, Route] = {f"/s/{n}": Route(page(f"S{n}", story(n))) for n in range(3)}
    with serve(routes) as url:
        items = "".join(f"<item><title>S{n}</title><link>{url}/s/{n}</link></item>" for n in range(3))
        routes["/rss"] = Route(f"<rss><channel><title>W</title>{items}</channel></rss>".encode(), "text/xml")
        yield url


def _config(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "watch.toml"
    path.write_text(
        f'[watch]\npoll_seconds = 1\n\n[[feeds]]\nurl = "{base}/rss"\ninterval_minutes = 60\n\n'
        f'[[feeds]]\nurl = "{base}/missing"\ninterval_seconds = 30\n',
        encoding="utf-8",
    )
    return path


def test_watch_once_runs_due_jobs_and_persists_state(db_url: str, base: str, tmp_path: Path) -> None:
    config = _config(tmp_path, base)
    ran = run_watch(config, db_url, once=True, allow_loopback=True, pipeline_factory=cleaning_processor)
    assert ran == 2
    store = open_store(db_url)
    assert store.count_articles() == 3
    states = {s["target"]: s for s in job_states(store)}
    assert states[f"{base}/rss"]["run_count"] == 1 and states[f"{base}/rss"]["last_error"] is None
    assert "404" in states[f"{base}/missing"]["last_error"]
    store.close()
    # a restart finds nothing due: the schedule survived in the database
    assert run_watch(config, db_url, once=True, allow_loopback=True, pipeline_factory=cleaning_processor) == 0


def test_watch_a_job_is_claimed_once(db_url: str) -> None:
    store = open_store(db_url)
    sync_jobs(store, [JobSpec("feed", "https://a.example/rss", 60)])
    first = claim_due_job(store, "worker-1")
    second = claim_due_job(store, "worker-2")
    assert first is not None and second is None
    store.close()


def test_watch_config_errors_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[feeds]]\ninterval_minutes = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a 'url'"):
        load_watch_config(bad)
    bad.write_text("not = [toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_watch_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_watch_config(tmp_path / "absent.toml")

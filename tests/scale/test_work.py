"""Worker side: the Pipeline is built once per worker (plugin or initializer), never per task."""

from __future__ import annotations

from pathlib import Path

import pytest

from displacement_monitor.pipeline import Pipeline
from displacement_monitor.scale import work
from displacement_monitor.scale.shards import plan_shards


def test_work_dask_plugin_builds_the_pipeline_once_for_all_tasks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from displacement_monitor.scale.dask_engine import PipelinePlugin

    built: list[Pipeline] = []

    def counting_warm_pipeline(factory=Pipeline) -> Pipeline:
        built.append(factory())  # lazy: no model is loaded by this test
        return built[-1]

    monkeypatch.setattr(work, "warm_pipeline", counting_warm_pipeline)
    monkeypatch.setattr(work, "_pipeline", None)
    PipelinePlugin().setup(worker=None)
    shards = list(plan_shards([str(tmp_path / f"missing-{i}.jsonl") for i in range(3)]))
    outputs = [work.process_shard(shard) for shard in shards]

    assert len(built) == 1 and work.current_pipeline() is built[0]
    assert [o.outcomes[0].result.id for o in outputs] == ["missing-0", "missing-1", "missing-2"]
    assert all(o.outcomes[0].result.error for o in outputs)
    assert all(o.worker_pid and o.worker_rss_mb for o in outputs)

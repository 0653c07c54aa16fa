"""Property-based checks of every documented operation against the OpenAPI schema (few examples)."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from displacement_monitor.api import Settings, create_app
from displacement_monitor.store import open_store

from .sample import fill

EXAMPLES_PER_OPERATION = 6


def test_api_conforms_to_its_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    store = open_store(url)
    fill(store)
    store.close()
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(database_url=url)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()

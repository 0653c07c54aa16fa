"""A Pipeline shared by the extraction tests: models and the gazetteer load once per session."""

from __future__ import annotations

import pytest

from displacement_monitor.pipeline import Pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()

"""Shared fixtures: the gold data lives beside the project in ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data" / "dev").is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED

"""One resolver per test session: the gazetteer is built once into the user cache, then reused."""

from __future__ import annotations

import pytest

from displacement_monitor.geo.resolver import GazetteerResolver, get_resolver


@pytest.fixture(scope="session")
def resolver() -> GazetteerResolver:
    loaded = get_resolver()
    loaded.load()
    return loaded

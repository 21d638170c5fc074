from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.studio.studio_server import StudioServer, start_studio


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[StudioServer]:
    server = start_studio(tmp_path)
    yield server
    server.stop()

"""Snapshot fixtures: the shell's small branch and a frozen day.

Text cursors do not blink in any test (the root conftest's terminal has blinking off, and
the app holds them steady from the start), so a drawing does not depend on its moment.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from policeroom.clock import Clock
from policeroom.db import Database
from tests.ui.conftest import settle
from tests.ui.desk_world import build_desk_world
from tests.unit.people_world import World


@pytest.fixture
def desk(sqlite_db: Database, clock: Clock) -> World:
    return build_desk_world(sqlite_db, clock)


async def ready(pilot: Pilot[object]) -> None:
    """Everything read and drawn."""
    await settle(pilot)

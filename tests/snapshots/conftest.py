"""Snapshot fixtures: the shell's small branch, a frozen day, no blinking cursors."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from policeroom.clock import Clock
from policeroom.db import Database
from tests.ui.conftest import settle
from tests.ui.desk_world import build_desk_world
from tests.ui.residents_world import steady_cursors
from tests.unit.people_world import World


@pytest.fixture
def desk(sqlite_db: Database, clock: Clock) -> World:
    return build_desk_world(sqlite_db, clock)


async def ready(pilot: Pilot[object]) -> None:
    """Everything read, and no text cursor caught mid-blink."""
    await settle(pilot)
    await steady_cursors(pilot)

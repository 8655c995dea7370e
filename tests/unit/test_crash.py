"""Issue 14: writers killed with SIGKILL at random lose no acknowledged write, leave the
database sound, and their retries make no second record (tests/unit/crash_harness.py)."""

from __future__ import annotations

from policeroom.clock import Clock
from policeroom.db import Database
from tests.unit import crash_harness
from tests.unit.people_world import build_world

ROUNDS = 30


def test_writers_killed_at_random_lose_nothing_and_double_nothing(
    db: Database, clock: Clock
) -> None:
    world = build_world(db, clock)
    figures = crash_harness.run(db, world.group.id, rounds=ROUNDS, seed=14)
    print(figures.line())
    assert figures.kills == ROUNDS
    assert figures.errors == []
    assert figures.lost == [], figures.line()
    assert figures.duplicates == [], figures.line()
    assert figures.unacknowledged_kept == [], figures.line()
    assert figures.problems == [], figures.line()
    # The kills did land inside writes, and some of them after the commit: those retries
    # were handed the first record instead of making another.
    assert figures.acknowledged > ROUNDS
    assert figures.committed_unacknowledged > 0

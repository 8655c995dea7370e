"""``fixtures load`` while a desk writes: a fixture resident and a desk's resident with one
ID number, at once, over many rounds: one is saved and the other told, never a raw error."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.fixtures import FixtureError
from policeroom.models.people import ResidentCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.people import residents
from tests.unit.people_world import World, build_world, make_id
from tests.unit.races import Race

ROUNDS = 10


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    second = Database.open(db.engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def test_fixtures_load_while_a_desk_saves_the_same_id_number(
    world: World, db: Database, other: Database, clock: Clock, tmp_path: Path
) -> None:
    loader = ServiceContext(other, clock=clock)
    outcomes: Counter[str] = Counter()
    with Race(db, other) as race:
        for round_ in range(ROUNDS):
            number = make_id(date(1966, 3, 1 + round_), 300 + round_)
            path = tmp_path / f"round{round_}.json"
            record = {"name": "训练居民", "id_number": number, "grid": "XH01-01-02"}
            path.write_text(json.dumps({"residents": [record]}, ensure_ascii=False))
            desk = ResidentCreate(name="窗口居民", id_number=number, grid_id=world.group.id)
            results = race.run(
                partial(residents.create, world.ctx, desk), partial(fixtures.load, loader, path)
            )
            won = [r for r in results if not isinstance(r, BaseException)]
            told = [r for r in results if isinstance(r, ValidationError | FixtureError)]
            assert len(won) == 1 and len(told) == 1, (round_, results)
            refusal = told[0]
            if isinstance(refusal, ValidationError):
                assert refusal.for_field("id_number"), refusal
                assert number not in str(refusal)  # the message never repeats the number
                outcomes["fixture won, desk told at the field"] += 1
            else:
                assert "id_number" in {p.field for p in refusal.problems} or "ID" in str(refusal)
                outcomes["desk won, fixture refused"] += 1
            assert len(residents.search(world.ctx, number)) == 1, round_
    assert sum(outcomes.values()) == ROUNDS
    print(dict(outcomes))

"""``tests.templates``: a world built once is copied whole into the next test's database, and
a database that already holds rows is never overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import BranchCreate, GridCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.org import structure as org
from tests.conftest import _pg_database, _sqlite_database
from tests.templates import templated

built_for_real: list[Database] = []


@dataclass
class Streets:
    ctx: ServiceContext
    east: grids.GridNode
    west: grids.GridNode


@templated
def two_streets(db: Database, clock: Clock) -> Streets:
    built_for_real.append(db)
    ctx = ServiceContext(db, clock=clock)
    east = grids.create(ctx, GridCreate(code="E1", name="东关街道", level=1))
    west = grids.create(ctx, GridCreate(code="W1", name="西街街道", level=1))
    return Streets(ctx, east, west)


@pytest.fixture
def another(request: pytest.FixtureRequest, db: Database, tmp_path: Path) -> Iterator[Database]:
    """A second fresh database of the same kind as ``db``."""
    if db.engine.dialect.name == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        (tmp_path / "another").mkdir()
        database = _sqlite_database(template, tmp_path / "another")
        yield database
        database.dispose()
    else:
        with _pg_database(request.getfixturevalue("pg_server")) as database:
            yield database


def streets_in(ctx: ServiceContext) -> list[tuple[int, str, str, int]]:
    return [(g.id, g.code, g.path, g.version) for g in grids.children(ctx, None)]


def test_the_second_build_is_a_copy_in_its_own_database(
    db: Database, another: Database, clock: Clock
) -> None:
    built_for_real.clear()
    first = two_streets(db, clock)
    second = two_streets(another, clock)
    assert len(built_for_real) <= 1  # none if an earlier test already built the template
    assert another not in built_for_real
    assert second.ctx.db is another and second.ctx.clock is clock
    assert (second.east, second.west) == (first.east, first.west)
    assert streets_in(second.ctx) == streets_in(first.ctx)
    # the copy is the test's own: a change there is not seen in the first database
    grids.create(second.ctx, GridCreate(code="N1", name="北关街道", level=1))
    assert len(streets_in(second.ctx)) == 3 and len(streets_in(first.ctx)) == 2


def test_a_database_with_rows_is_built_for_real(
    db: Database, another: Database, clock: Clock
) -> None:
    two_streets(db, clock)  # the template exists from here on
    ctx = ServiceContext(another, clock=clock)
    org.create_branch(ctx, BranchCreate(code="B9", name="卫东分局"))
    built_for_real.clear()
    streets = two_streets(another, clock)
    assert built_for_real == [another]
    assert [b.code for b in org.list_branches(ctx)] == ["B9"]
    assert [code for _, code, _, _ in streets_in(streets.ctx)] == ["E1", "W1"]

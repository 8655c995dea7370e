"""The officer who answers for a grid (一村一警), proposed for its new disputes."""

from __future__ import annotations

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import StaffCreate, StaffUpdate
from policeroom.services.core.errors import NotFound
from policeroom.services.org import grids, staff
from tests.unit.people_world import World, build_world


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def _officer(world: World, grid_id: int, officer_id: int | None) -> None:
    grid = grids.get(world.ctx, grid_id)
    grids.assign(
        world.ctx,
        grid_id,
        leader_id=None,
        officer_id=officer_id,
        administrator_ids=[],
        expected_version=grid.version,
    )


def test_the_nearest_serving_officer_up_the_tree_answers(world: World) -> None:
    ctx = world.ctx
    assert grids.responsible_officer(ctx, world.group.id) is None
    _officer(world, world.village.id, world.officer_id)
    found = grids.responsible_officer(ctx, world.group.id)
    assert found is not None and found.id == world.officer_id
    # the other street's tree is not searched
    assert grids.responsible_officer(ctx, world.group2.id) is None

    own = staff.create(ctx, StaffCreate(code="P9001", name="孔海涛"))
    _officer(world, world.group.id, own.id)
    found = grids.responsible_officer(ctx, world.group.id)
    assert found is not None and found.id == own.id
    # one who left no longer answers: the village's officer does again
    staff.update(ctx, own.id, StaffUpdate(active=False), own.version)
    found = grids.responsible_officer(ctx, world.group.id)
    assert found is not None and found.id == world.officer_id

    with pytest.raises(NotFound):
        grids.responsible_officer(ctx, 999999)

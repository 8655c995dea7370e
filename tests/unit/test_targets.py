"""Targets set and edited by supervisors: checked at the field, optimistically locked,
audited, and counted by the statistics at once."""

from __future__ import annotations

from datetime import date

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core import audit
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, StaleRecord, ValidationError
from policeroom.services.org import grids
from policeroom.services.reports import stats, targets
from tests.templates import load_training

FIGURES = {"visits": 90, "app_installs": 60, "disputes_resolved": 4}


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    loaded = load_training(ServiceContext(db, clock=clock))
    # A supervisor reaches the rooms of their police station: theirs is the room WD0101 is in.
    room = grids.get_by_code(loaded, "WD0101").police_room_id
    return loaded.as_actor(Actor("zhang", Role.SUPERVISOR, police_room_id=room))


def _grid(ctx: ServiceContext, code: str) -> int:
    grid_id = grids.get_by_code(ctx, code).id
    assert grid_id is not None
    return grid_id


def test_a_supervisor_sets_and_edits_a_grids_targets(ctx: ServiceContext) -> None:
    grid_id = _grid(ctx, "WD0101")
    before = len(targets.of_grid(ctx, grid_id))
    made = targets.set_target(ctx, grid_id, date(2023, 1, 1), date(2023, 3, 31), FIGURES)
    assert (made.grid_code, made.visits, made.version) == ("WD0101", 90, 1)
    assert len(targets.of_grid(ctx, grid_id)) == before + 1
    report = stats.stats(ctx, "grid", date(2023, 1, 1), date(2023, 3, 31), grid_code="WD01")
    row = next(row for row in report.rows if row.code == "WD0101")
    assert row.targets["visits"] == 90
    edited = targets.update_target(
        ctx, made.id, made.version, date(2023, 1, 1), date(2023, 3, 31), FIGURES | {"visits": 120}
    )
    assert (edited.visits, edited.version) == (120, 2)
    with pytest.raises(StaleRecord):
        targets.update_target(
            ctx, made.id, made.version, date(2023, 1, 1), date(2023, 3, 31), FIGURES
        )
    actions = [entry.action for entry in audit.history(ctx, "target", made.id)]
    assert len(actions) == 2


def test_targets_are_checked_at_the_field(ctx: ServiceContext) -> None:
    grid_id = _grid(ctx, "WD0101")
    with pytest.raises(ValidationError) as raised:
        targets.set_target(
            ctx, grid_id, date(2023, 3, 1), date(2023, 1, 1), FIGURES | {"visits": -1}
        )
    assert raised.value.for_field("period_end") and raised.value.for_field("visits")
    with pytest.raises(ValidationError) as raised:
        targets.set_target(ctx, grid_id, date(2022, 2, 1), date(2022, 2, 28), FIGURES)
    assert raised.value.for_field("period_start")  # overlaps the training year's quarter
    with pytest.raises(ValidationError) as raised:
        targets.set_target(ctx, 99999, None, None, FIGURES)
    assert {"grid_id", "period_start", "period_end"} <= {e.field for e in raised.value.errors}


def test_a_desk_officer_may_not_set_targets(ctx: ServiceContext) -> None:
    desk = ctx.as_actor(Actor("li", Role.DESK))
    with pytest.raises(Forbidden):
        targets.set_target(desk, _grid(ctx, "WD0101"), date(2023, 1, 1), date(2023, 3, 31), FIGURES)

"""Early warnings: why each one is raised, and that the count matches the list."""

from __future__ import annotations

from datetime import date

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import PartyInput, RiskGrade, RiskReason
from policeroom.services.core.errors import ValidationError
from policeroom.services.disputes import sweeps, warnings
from policeroom.services.disputes.warnings import WarningKind
from tests.unit.dispute_world import DisputeWorld, build_dispute_world
from tests.unit.people_world import make_id


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


def _kinds(world: DisputeWorld, grid_id: int | None = None) -> dict[WarningKind, list[str]]:
    found: dict[WarningKind, list[str]] = {}
    for warning in warnings.early_warnings(world.ctx, grid_id):
        found.setdefault(warning.kind, []).append(warning.number or str(warning.police_room_id))
    return found


def test_each_kind_says_why_and_points_at_its_dispute(world: DisputeWorld) -> None:
    high = world.register(
        reported_on=date(2022, 4, 28), risk=RiskGrade.HIGH, reasons=[RiskReason.THREAT_OF_VIOLENCE]
    )
    fresh_high = world.register(
        reported_on=date(2022, 4, 30), risk=RiskGrade.HIGH, reasons=[RiskReason.MANY_PARTIES]
    )
    old = world.register(reported_on=date(2022, 3, 1))
    first = world.register(
        parties=[PartyInput(resident_id=world.zhang), PartyInput(name="王某")],
        reported_on=date(2022, 2, 20),
    )
    second = world.register(
        parties=[PartyInput(resident_id=world.zhang), PartyInput(resident_id=world.liu)],
        reported_on=date(2022, 4, 25),
    )
    found = warnings.early_warnings(world.ctx)
    kinds = _kinds(world)
    assert kinds[WarningKind.HIGH_RISK_NOT_MEDIATING] == [high.number]
    assert fresh_high.number not in kinds[WarningKind.HIGH_RISK_NOT_MEDIATING]
    assert kinds[WarningKind.OPEN_TOO_LONG] == [first.number, old.number]
    assert sorted(kinds[WarningKind.REPEATED_PARTIES]) == sorted([first.number, second.number])
    assert kinds[WarningKind.MISSING_SWEEP] == [str(world.base.room_id)]
    repeat = next(
        w for w in found if w.kind is WarningKind.REPEATED_PARTIES and w.dispute_id == second.id
    )
    assert "张某" in repeat.message and first.number in repeat.message
    sweep = next(w for w in found if w.kind is WarningKind.MISSING_SWEEP)
    assert sweep.dispute_id is None and "2022-04-18" in sweep.message
    assert all(w.dispute_id for w in found if w.kind is not WarningKind.MISSING_SWEEP)
    assert len(kinds[WarningKind.DEADLINE]) == 5  # every open one is at or past its deadline
    assert warnings.count(world.ctx) == len(found) == 11


def test_same_id_number_counts_as_the_same_party(world: DisputeWorld) -> None:
    number = make_id(date(1975, 1, 2), 45)
    early = world.register(
        parties=[PartyInput(name="孙某", id_number=number), PartyInput(name="周某")],
        reported_on=date(2022, 1, 25),
    )
    far = world.register(
        parties=[PartyInput(name="孙某某", id_number=number)], reported_on=date(2022, 4, 30)
    )
    # 95 days apart: outside the 90-day window, so no warning.
    assert WarningKind.REPEATED_PARTIES not in _kinds(world)
    near = world.register(
        parties=[PartyInput(name="孙某", id_number=number)], reported_on=date(2022, 3, 1)
    )
    # 35 days after the first and 60 before the last: all three are warned.
    assert _kinds(world)[WarningKind.REPEATED_PARTIES] == [early.number, far.number, near.number]


def test_grid_scope_and_sweep_confirmation(world: DisputeWorld) -> None:
    inside = world.register(reported_on=date(2022, 3, 1))
    outside = world.register(reported_on=date(2022, 3, 1), grid_id=world.base.group2.id)
    assert _kinds(world, world.base.street.id)[WarningKind.OPEN_TOO_LONG] == [inside.number]
    assert _kinds(world, world.base.street2.id)[WarningKind.OPEN_TOO_LONG] == [outside.number]
    # The room sits on the village; its level-3 group still answers for the sweep.
    assert WarningKind.MISSING_SWEEP in _kinds(world, world.base.group.id)
    assert WarningKind.MISSING_SWEEP not in _kinds(world, world.base.street2.id)
    before = warnings.count(world.ctx)
    week, rooms = sweeps.missing_rooms(world.ctx, world.base.village.id)
    assert (week, [room.name for room in rooms]) == (date(2022, 4, 18), ["光明路社区警务室"])
    sweeps.confirm_sweep(world.ctx, world.base.room_id, date(2022, 4, 18), nil_report=True)
    assert WarningKind.MISSING_SWEEP not in _kinds(world)
    assert warnings.count(world.ctx) == before - 1
    assert sweeps.missing_rooms(world.ctx)[1] == []


def test_sweep_refusals_name_every_field(world: DisputeWorld) -> None:
    counts = world.row_counts()
    with pytest.raises(ValidationError) as caught:
        sweeps.confirm_sweep(world.ctx, 999, date(2022, 4, 19), disputes_found=2, nil_report=True)
    assert {e.field for e in caught.value.errors} == {"police_room_id", "week_start", "nil_report"}
    with pytest.raises(ValidationError, match="nil report"):
        sweeps.confirm_sweep(world.ctx, world.base.room_id, date(2022, 4, 18))
    sweeps.confirm_sweep(world.ctx, world.base.room_id, date(2022, 4, 18), disputes_found=3)
    with pytest.raises(ValidationError, match="already confirmed by system"):
        sweeps.confirm_sweep(world.ctx, world.base.room_id, date(2022, 4, 18), nil_report=True)
    assert world.row_counts()["SweepReport"] == counts["SweepReport"] + 1
    assert [s.disputes_found for s in sweeps.of_room(world.ctx, world.base.room_id)] == [3]


def test_every_dispute_that_needs_action_has_a_warning(world: DisputeWorld) -> None:
    """Issue 13, defect 5: an overdue dispute (its card said so) was not in the warnings."""
    from policeroom.services.disputes import ledger  # noqa: PLC0415

    world.register(reported_on=date(2022, 4, 1))  # past its deadline, not yet open too long
    world.register(reported_on=date(2022, 4, 29))  # within its deadline
    needing = ledger.window(world.ctx, ledger.DisputeQuery(needs_action=True), 0, 100)
    assert needing
    warned = {w.dispute_id for w in warnings.early_warnings(world.ctx)}
    assert {row.id for row in needing} <= warned
    overdue = [w for w in warnings.early_warnings(world.ctx) if w.kind is WarningKind.DEADLINE]
    assert overdue and "passed" in overdue[0].message

"""The ledger list: filters, search by number and party name or pinyin, windows and pages."""

from __future__ import annotations

from datetime import date

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeStatus,
    PartyInput,
    RiskGrade,
    RiskReason,
    StatusMove,
)
from policeroom.services.core.errors import NotFound
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.disputes.rules import DeadlineState
from tests.unit.dispute_world import DisputeWorld, build_dispute_world
from tests.unit.sessions import rows_skipped, statements


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


def _numbers(world: DisputeWorld, **query: object) -> list[str]:
    q = DisputeQuery(**query)  # type: ignore[arg-type]
    rows = ledger.window(world.ctx, q, 0, 100)
    assert ledger.count(world.ctx, q) == len(rows)
    return [row.number for row in rows]


def test_filters_and_search(world: DisputeWorld) -> None:
    family = world.register(
        parties=[PartyInput(resident_id=world.zhang), PartyInput(resident_id=world.liu)],
        category=DisputeCategory.MARRIAGE_FAMILY,
        risk=RiskGrade.HIGH,
        reasons=[RiskReason.VULNERABLE_PARTY],
        reported_on=date(2022, 4, 30),
    )
    neighbours = world.register(reported_on=date(2022, 4, 20))
    away = world.register(
        parties=[PartyInput(name="欧阳明"), PartyInput(name="钱师傅")],
        grid_id=world.base.group2.id,
        reported_on=date(2022, 3, 1),
    )
    disputes.move(
        world.ctx,
        neighbours.id,
        StatusMove(to_status=DisputeStatus.INVESTIGATING, reason="走访双方"),
        neighbours.version,
    )
    # Newest first.
    assert _numbers(world) == [family.number, neighbours.number, away.number]
    assert _numbers(world, status=DisputeStatus.INVESTIGATING) == [neighbours.number]
    assert _numbers(world, risk=RiskGrade.HIGH) == [family.number]
    assert _numbers(world, category=DisputeCategory.NEIGHBOURS) == [neighbours.number, away.number]
    assert _numbers(world, grid_id=world.base.street.id) == [family.number, neighbours.number]
    assert _numbers(world, grid_id=world.base.village2.id) == [away.number]
    assert _numbers(world, date_from=date(2022, 4, 1), date_to=date(2022, 4, 20)) == [
        neighbours.number
    ]
    # Registered high risk is due the day after the report: due soon on 05-01. The
    # investigation of 04-20… began today, due in 7 days; the March dispute is past 30 days.
    assert _numbers(world, needs_action=True) == [family.number, away.number]
    assert _numbers(world, text=family.number) == [family.number]
    assert _numbers(world, text="0002") == [neighbours.number]
    assert _numbers(world, text="刘") == [family.number]
    assert _numbers(world, text="钱师") == [neighbours.number, away.number]
    assert _numbers(world, text="zm") == [family.number]
    assert _numbers(world, text="liu") == [family.number]
    assert _numbers(world, text="oy") == [away.number]
    assert _numbers(world, text="zzz") == []
    row = ledger.window(world.ctx, DisputeQuery(), 0, 1)[0]
    assert row.parties_text == "张某、刘某"
    assert (row.grid_name, row.deadline_state, row.next_action) == (
        "光明路一组",
        DeadlineState.DUE_SOON,
        "Investigate",
    )
    with pytest.raises(NotFound):
        ledger.count(world.ctx, DisputeQuery(grid_id=9999))


def test_windows_and_pages_walk_the_same_order(world: DisputeWorld) -> None:
    saved = [world.register(reported_on=date(2022, 4, day)) for day in (3, 9, 9, 1, 20, 14)]
    expected = [
        s.number
        for s in sorted(saved, key=lambda s: (ledger.card(world.ctx, s.id).reported_on, s.id))
    ][::-1]
    q = DisputeQuery()
    assert [r.number for r in ledger.window(world.ctx, q, 2, 3)] == expected[2:5]
    walked: list[str] = []
    after = None
    while True:
        page = ledger.page_after(world.ctx, q, after, 4)
        walked += [r.number for r in page.rows]
        if not page.has_more:
            break
        after = page.after
    assert walked == expected
    assert [r.number for r in ledger.search(world.ctx, "0004")] == [saved[3].number]


# The test writes its own rows straight through a transaction (no service).
@pytest.mark.unaudited
def test_end_reads_the_last_rows_backwards_with_no_offset(world: DisputeWorld) -> None:
    # Every window equals the keyset walk at its positions; the last rows (``end``) are
    # read with no statement skipping rows by OFFSET.
    for day in (3, 9, 9, 1, 20, 14, 5, 9):
        world.register(reported_on=date(2022, 4, day))
    q = DisputeQuery()
    walked: list[int] = []
    after = None
    while True:
        page = ledger.page_after(world.ctx, q, after, 3)
        walked += [r.id for r in page.rows]
        if not page.has_more:
            break
        after = page.after
    total = ledger.count(world.ctx, q)
    assert total == len(walked) >= 8
    for limit in (1, 3, total):
        for offset in range(total + 1):
            got = [r.id for r in ledger.window(world.ctx, q, offset, limit)]
            assert got == walked[offset : offset + limit], (offset, limit)
    with statements(world.ctx.db) as sent:
        last = ledger.window(world.ctx, q, total - 3, 3)
    assert [r.id for r in last] == walked[-3:]
    assert sent and not [s for s, params in sent if rows_skipped(s, params)], sent


def test_a_kept_count_follows_every_change(world: DisputeWorld) -> None:
    # A count is kept per filter; a new dispute and a status move (no new row, an audit
    # row) must each be counted afresh.
    everyone, investigating = DisputeQuery(), DisputeQuery(status=DisputeStatus.INVESTIGATING)
    before = (ledger.count(world.ctx, everyone), ledger.count(world.ctx, investigating))
    saved = world.register(reported_on=date(2022, 4, 2))
    assert ledger.count(world.ctx, everyone) == before[0] + 1
    assert ledger.count(world.ctx, investigating) == before[1]
    disputes.move(
        world.ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.INVESTIGATING, reason="走访双方"),
        saved.version,
    )
    assert ledger.count(world.ctx, investigating) == before[1] + 1


def test_resolved_deadline_comes_from_the_follow_ups(world: DisputeWorld) -> None:
    from policeroom.models.disputes import (
        Dispute,
        MediationCreate,
        MediationMethod,
        MediationResult,
    )
    from policeroom.services.disputes import mediation

    saved = world.register(reported_on=date(2022, 4, 20))
    mediation.record(
        world.ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 4, 22),
            place="警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="王建国",
            result=MediationResult.AGREEMENT,
            agreement="清理水沟",
        ),
    )
    disputes.move(
        world.ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="协议", on=date(2022, 4, 24)),
        saved.version + 1,
    )
    # A bulk writer (fixtures, generator) leaves a stale deadline behind.
    with world.ctx.transaction() as session:
        row = session.get(Dispute, saved.id)
        assert row is not None
        row.due_on = date(2022, 1, 1)
        session.add(row)
    found = ledger.window(world.ctx, DisputeQuery(), 0, 1)[0]
    assert (found.due_on, found.deadline_state) == (date(2022, 5, 1), DeadlineState.DUE_SOON)
    assert ledger.card(world.ctx, saved.id).due_on == date(2022, 5, 1)
    assert _numbers(world, needs_action=True) == [saved.number]


def test_a_move_cannot_be_dated_before_the_current_status(world: DisputeWorld) -> None:
    from policeroom.services.core.errors import ValidationError

    saved = world.register(reported_on=date(2022, 4, 20))
    moved = disputes.move(
        world.ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.INVESTIGATING, reason="核实", on=date(2022, 4, 25)),
        saved.version,
    )
    with pytest.raises(ValidationError, match=r"before the dispute became Investigating"):
        disputes.move(
            world.ctx,
            saved.id,
            StatusMove(
                to_status=DisputeStatus.CLOSED_UNRESOLVED, reason="撤回", on=date(2022, 4, 21)
            ),
            moved.version,
        )

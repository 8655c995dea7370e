"""A new dispute proposes its grid's responsible officer (一村一警) as the officer handling
it, found on a visit or typed at the desk; the desk's own choice stays."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import Dispute
from policeroom.models.org import StaffCreate
from policeroom.services.org import grids, staff
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.lookup import Lookup
from policeroom.ui.disputes.dispute_form import DisputeForm
from tests.ui.disputes_world import CaseWorld, build_case_world, press
from tests.ui.test_dispute_from_visit import focus_on


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    """The village of 光明路一组 has 王建国 as its responsible officer."""
    case = build_case_world(db, clock)
    world = case.world
    village = grids.get(case.ctx, world.village.id)
    grids.assign(
        case.ctx,
        village.id,
        leader_id=None,
        officer_id=world.officer_id,
        administrator_ids=[],
        expected_version=village.version,
    )
    return case


def the_dispute(db: Database) -> Dispute:
    with db.session() as session:
        return session.exec(select(Dispute)).one()


async def test_the_officer_of_a_visits_grid_is_proposed_and_saved(
    case: CaseWorld, db: Database
) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "slash", *"zm", "enter", "enter", "v")
        await press(pilot, *"王建国", "enter", "ctrl+o")  # the visit, then its dispute
        form = app.screen
        assert isinstance(form, DisputeForm)
        officer = form.query_one("#dispute-officer", Lookup)
        # the group has no officer of its own: its village's answers for it
        assert officer.value == case.world.officer_id
        assert not form.is_dirty, "a proposal is not typing: escape leaves without asking"
        await press(pilot, "enter", "down", "enter")  # category
        await focus_on(pilot, form, "dispute-description")
        await press(pilot, *"走访时张某反映前妻索要抚养费发生争吵", "ctrl+s")
        assert form.field_errors == {}
    assert the_dispute(db).assignee_id == case.world.officer_id


async def tab_to(pilot: Pilot[object], form: DisputeForm, widget: Widget, key: str = "tab") -> None:
    for _ in range(20):  # bounded: a field that is not there fails the test, not hangs it
        if form.focused is widget:
            return
        await press(pilot, key)
    assert form.focused is widget


async def test_an_officer_the_desk_chose_is_kept(case: CaseWorld, db: Database) -> None:
    other = staff.create(case.ctx, StaffCreate(code="P9001", name="孔海涛"))
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        officer = form.query_one("#dispute-officer", Lookup)
        grid = form.query_one("#dispute-grid", Lookup)
        assert officer.value is None  # no grid yet, nobody proposed
        parties = form.query_one("#dispute-parties").query_one(".lookup--text", Input)
        await tab_to(pilot, form, parties)
        await press(pilot, *"张某", "enter")  # his grid comes, and its officer with it
        assert grid.value == case.world.group.id
        assert officer.value == case.world.officer_id

        await tab_to(pilot, form, officer.input)
        await press(pilot, *"孔海涛", "enter")
        assert officer.value == other.id
        # another grid, whose village has no officer: the desk's choice stays
        await tab_to(pilot, form, grid.input, "shift+tab")
        await press(pilot, *"XH02-01-01", "enter")
        assert grid.value == case.world.group2.id
        assert officer.value == other.id

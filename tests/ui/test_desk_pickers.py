"""Issue 13 (6): what was typed in a picker is the choice when it is evident, and every
person picker finds staff as the residents pane finds residents."""

from __future__ import annotations

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import StaffCreate
from policeroom.services.org import staff
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.lookup import Lookup
from policeroom.ui.disputes.dispute_form import DisputeForm
from tests.ui.conftest import settle
from tests.ui.disputes_world import CaseWorld, build_case_world, press
from tests.ui.test_dispute_officer import tab_to


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


async def test_an_exact_grid_code_typed_and_saved_at_once_is_the_grid(case: CaseWorld) -> None:
    """XH01-01 also starts XH01-01-01 and XH01-01-02: the exact code is the choice, and
    ctrl+s pressed before the search answered waits for it instead of saying "needed"."""
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        grid = form.query_one("#dispute-grid", Lookup)
        await tab_to(pilot, form, grid.input)
        await pilot.press(*"xh01-01", "ctrl+s")  # typed as fast as keys come, saved at once
        await settle(pilot)
        assert grid.value == case.world.village.id
        assert "grid_id" not in form.field_errors, form.field_errors
        assert form.field_errors  # the rest of the empty form was checked


async def test_a_single_match_is_the_choice_without_enter(case: CaseWorld) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        grid = form.query_one("#dispute-grid", Lookup)
        await tab_to(pilot, form, grid.input)
        await press(pilot, *"曹镇村三")
        await settle(pilot)
        assert grid.value == case.world.group2.id
        await press(pilot, "backspace", "backspace")  # 曹镇: village and group, no choice
        await settle(pilot)
        assert grid.value is None


@pytest.mark.parametrize("typed", ["kht", "konghaitao", "海涛"])
async def test_the_staff_picker_finds_by_pinyin_initials_and_name_pieces(
    case: CaseWorld, typed: str
) -> None:
    other = staff.create(case.ctx, StaffCreate(code="P9001", name="孔海涛"))
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        officer = form.query_one("#dispute-officer", Lookup)
        await tab_to(pilot, form, officer.input)
        await press(pilot, *typed)
        await settle(pilot)
        assert officer.value == other.id


async def test_tab_after_an_evident_choice_goes_to_the_next_field(case: CaseWorld) -> None:
    """The matches under the box are no stop of their own: tab after a typed grid goes
    to the source, whether or not the search has answered and the list shows (found
    walking the story: a tab more or less, by timing, put the typing in the wrong field)."""
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        grid = form.query_one("#dispute-grid", Lookup)
        await tab_to(pilot, form, grid.input)
        await press(pilot, *"曹镇村三")
        await settle(pilot)
        assert grid.value == case.world.group2.id
        assert grid.matches.display  # the match still shows under the box
        await press(pilot, "tab")
        assert form.focused is form.query_one("#dispute-source")

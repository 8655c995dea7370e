"""What a walk through the roster with the keys found wrong, each kept from coming back: names
cut to one character at 200 columns, a gap's count cut off, the status line clipped at 80, a
leave preview that missed a night shift, a stale refusal under a changed field, a list column
squeezed to a sliver, the edit keys off the footer at 80, actions the palette did not find by
their key's name, person lists out of line, and a whole-day shift read as 08:00–08:00."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from rich.cells import cell_len
from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList, Static

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.leave_form import LeaveForm
from policeroom.ui.duty.roster_status import status_text
from policeroom.ui.duty.shift_form import ShiftForm
from policeroom.ui.duty.swap_list import SwapsScreen
from policeroom.ui.duty.week_cells import cell_detail
from tests.ui.conftest import settle
from tests.ui.roster_world import (
    Branch,
    branch,
    calm,
    cursor_to,
    open_room,
    pane_of,
    training_db,
    training_template,
)

__all__ = ["branch", "training_db", "training_template"]

APRIL_26 = date(2022, 4, 26)
MAY_1 = date(2022, 5, 1)
MAY_2 = date(2022, 5, 2)


async def choose(pilot: object, text: str) -> None:
    """Open the focused Select, type to find the option, choose it."""
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press(*text, "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


@pytest.mark.parametrize(("language", "short"), [("en", "aux×1"), ("zh", "辅警×1")])
async def test_the_wide_week_of_every_room_keeps_whole_names(
    branch: Branch, language: str, short: str
) -> None:
    app = PoliceRoomApp(branch.ctx, language=language)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("4", "z")
        await settle(pilot)
        pane = pane_of(app)
        assert pane.week.grid.cell_layout is not None and pane.week.grid.cell_layout.mode == "full"
        desk, tier = branch.post("R0101-DESK"), branch.post("R0101-T1")
        # Times and a three-character name do not fit beside the on-duty list: the times
        # give way, never the name, and the gap still says what is short.
        assert "卢永强" in pane.week.grid.cell_text(desk, MAY_1)
        assert "卢永强" in pane.week.grid.cell_text(tier, MAY_1)
        assert short in pane.week.grid.cell_text(tier, APRIL_26)  # 辅警… lost the count


async def test_a_gap_keeps_its_count_when_the_word_does_not_fit(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "z")
        await settle(pilot)
        pane = pane_of(app)
        assert pane.week.grid.cell_layout is not None and pane.week.grid.cell_layout.mode == "names"
        text = pane.week.grid.cell_text(branch.post("R0101-T1"), APRIL_26)
        assert "!1" in text or "!short 1" in text


@pytest.mark.parametrize("size", [(80, 24), (70, 20)])
async def test_the_status_line_is_not_clipped_at_80_columns(
    branch: Branch, size: tuple[int, int]
) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        pane = pane_of(app)
        assert pane.last_read is not None
        status = pane.query_one("#roster-status", Static)
        text = status_text(pane.last_read, MAY_1)
        needed = len(text.wrap(app.console, status.content_region.width))
        # Gaps, the waiting swap and the leave: one line when the roster has the width of
        # 80 columns (the tree folded away), two at 70.
        assert needed == (1 if size[0] == 80 else 2)
        assert status.content_region.height >= needed


async def test_the_leave_preview_names_the_night_shift_begun_the_day_before(
    branch: Branch,
) -> None:
    night = branch.shift("R0101-T1", datetime(2022, 5, 1, 17, 30))
    lu = branch.staff("卢永强")
    assert night.staff_id == lu
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket", "v")
        await settle(pilot)
        await cursor_to(pilot, pane, "卢永强", MAY_2)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LeaveForm) and form.field("staff_id").value == lu
        # Leave on Monday vacates his Sunday-night tier shift, which runs into Monday.
        assert [row.id for row in form.vacating] == [night.id]
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, LeaveForm)
    assert branch.shift("R0101-T1", datetime(2022, 5, 1, 17, 30)).staff_id is None


async def test_a_refusal_at_the_field_goes_when_the_person_changes(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await cursor_to(pilot, pane, "值班台", MAY_2)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ShiftForm)
        await choose(pilot, "宋丽娟")
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert app.screen is form and form.field_errors.get("staff_id")
        await choose(pilot, "卢永强")
        assert form.field("staff_id").value == branch.staff("卢永强")
        assert form.field_errors == {}
        assert "宋丽娟" not in form.checks_text


async def test_the_waiting_swaps_share_the_width_between_their_shifts(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("w")
        await calm(pilot)
        screen = app.screen
        assert isinstance(screen, SwapsScreen) and screen.items
        table = screen.query_one("#roster-list", DataTable)
        gives, takes = (column.width for column in list(table.columns.values())[1:])
        assert abs(gives - takes) <= 1
        assert all(row.height <= 3 for row in table.rows.values())


async def test_the_edit_keys_are_on_the_footer_at_80_columns(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await cursor_to(pilot, pane, "值班台", MAY_1)
        await pilot.pause()
        keys = {getattr(key, "key"): key for key in app.screen.query("FooterKey")}  # noqa: B009
        for key in ("e", "l", "s", "left_square_bracket", "right_square_bracket"):
            region = keys[key].region
            found, _region = app.screen.get_widget_at(region.x + 1, region.y)
            assert found in (keys[key], keys[key].parent), f"{key} is not on the footer"


async def test_the_palette_finds_an_action_by_its_keys_name(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Time off")
        await settle(pilot)
        await pilot.press("enter")
        await calm(pilot)
        assert isinstance(app.screen, LeaveForm)


async def test_a_person_list_reads_in_columns(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LeaveForm)
        await pilot.press("enter")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        people = [p for p in prompts if any(c.isdigit() for c in p.split()[-1])]
        assert len(people) > 3
        # The code (last word) starts at the same cell in every line: names of two and three
        # characters and kinds of every length line up.
        assert len({cell_len(p[: p.rindex(" ")]) for p in people}) == 1


async def test_a_whole_day_shift_ends_on_the_next_day_in_words(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        pane = pane_of(app)
        # Every room's week: the cursor starts on the branch's 24-hour 5-minute tier, today.
        assert (
            pane.last_read is not None and pane.week.row is not None and pane.week.cell is not None
        )
        assert pane.week.cell.day == MAY_1
        text = cell_detail(pane.last_read.week, pane.week.row, pane.week.cell).plain
        assert "08:00–5/2 08:00" in text

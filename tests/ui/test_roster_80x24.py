"""The roster read at 80x24 (issue 13, 9): the tree folds away while the roster has the
focus, every name of the week is shown whole, ``<``/``>`` move the days on show; and the room
picker of a desk officer's one-room roster keeps what is typed after ``r``."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.command import CommandPalette
from textual.coordinate import Coordinate
from textual.widget import Widget

from policeroom.models.org import Staff
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.roster_choice import ChoiceScreen
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.duty.shift_form import ShiftForm
from policeroom.ui.duty.week_layout import grid_layout, spread
from policeroom.ui.org.grid_tree import GridTree
from tests.ui.conftest import settle
from tests.ui.roster_world import (
    Branch,
    branch,
    calm,
    open_room,
    pane_of,
    training_db,
    training_template,
)

__all__ = ["branch", "training_db", "training_template"]


async def test_the_room_picker_of_one_room_keeps_the_keys_typed_into_it(branch: Branch) -> None:
    """``r`` did nothing on a desk officer's roster of one room, so the code typed after it
    acted on the week behind (``n`` opened a new shift, ``1`` went to the tree)."""
    app = PoliceRoomApp(branch.login("卢永强", "desk.r0101"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        assert pane.last_read is not None and len(pane.last_read.rooms) == 1
        await pilot.press("r")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChoiceScreen)
        enter = picker.active_bindings["enter"].binding  # the footer says what enter does
        assert enter.show and enter.description == "Choose"
        await pilot.press(*"n1R0102")
        await settle(pilot)
        assert app.screen is picker and not app.screen_stack[-2].query(ShiftForm)
        assert not isinstance(app.screen_stack[-2].focused, GridTree)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not picker and app.screen.focused is pane.week.grid
        # Typing the room's own code and enter chooses it, as in a branch's picker.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"R0101", "enter")
        await settle(pilot)
        assert app.screen.focused is pane.week.grid
        assert pane.last_read is not None and pane.last_read.room_name == "东环路社区警务室"


def whole_names_shown(pane: RosterPane) -> list[str]:
    """Every shift's person in the week read, against what the grid's cell shows: the names
    not shown whole (on the days on show)."""
    found, grid = pane.last_read, pane.week.grid
    assert found is not None
    missing = []
    for row in found.week.rows:
        for cell in row.cells:
            if cell.day not in grid.shown_days:
                continue
            shown = grid.cell_text(row.id, cell.day).split("\n")
            for shift in cell.shifts:
                if shift.staff_name and not any(
                    line.rstrip("⇄") == shift.staff_name for line in shown
                ):
                    missing.append(f"{row.label} {cell.day}: {shift.staff_name} as {shown}")
    return missing


def tree_shown(app: PoliceRoomApp) -> bool:
    return app.screen.query_one("#tree-area", Widget).display


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_at_80x24_the_tree_folds_and_the_whole_week_shows_whole_names(
    branch: Branch, language: str
) -> None:
    """Beside the tree the week showed four days; the tree now folds while the roster has
    the focus, and comes back with any other area."""
    app = PoliceRoomApp(branch.ctx, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert tree_shown(app)
        await pilot.press("4")
        await settle(pilot)
        pane = pane_of(app)
        assert not tree_shown(app) and pane.region.width == 80
        grid = pane.week.grid
        # Every room of the branch (the trainer's week), seven days, every name whole.
        assert pane.last_read is not None and pane.last_read.room_id is None
        assert grid.days_shown == 7 and not whole_names_shown(pane)
        pane = await open_room(pilot)
        assert pane.last_read is not None and pane.last_read.room_name == "东环路社区警务室"
        assert grid.days_shown == 7 and not whole_names_shown(pane)
        assert not tree_shown(app)
        await pilot.press("v")  # rows by person: the labels are the names
        await settle(pilot)
        found = pane.last_read
        assert found is not None and found.week.by == "staff"
        for index, row in enumerate(found.week.rows):
            assert grid.get_cell_at(Coordinate(index, 0)).plain.strip() == row.label
        # Any other area brings the tree back; the roster again folds it.
        await pilot.press("1")
        await settle(pilot)
        assert tree_shown(app) and isinstance(app.screen.focused, GridTree)
        await pilot.press("4")
        await settle(pilot)
        assert not tree_shown(app) and app.screen.focused is grid
        await pilot.press("tab")  # from the roster, the next area is the tree
        await settle(pilot)
        assert tree_shown(app) and isinstance(app.screen.focused, GridTree)
        await pilot.press("4", "shift+tab")
        await settle(pilot)
        disputes = app.screen.query_one("#disputes", Widget)
        assert tree_shown(app) and app.screen.focused in disputes.query("*")


async def test_wide_the_tree_stays_beside_the_roster(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await open_room(pilot)
        assert app.screen.focused is pane.week.grid
        assert tree_shown(app) and pane.week.grid.days_shown == 7
        assert not whole_names_shown(pane)


async def test_a_long_name_widens_the_days_and_the_days_move_by_keys(branch: Branch) -> None:
    """A four-character name showed as 欧阳丽… ; its days widen to hold it, fewer of them show,
    and ``<``/``>`` move the days on show one at a time."""
    with branch.db.transaction() as session:
        staff = session.get(Staff, branch.staff("宋丽娟"))
        assert staff is not None
        staff.name = "欧阳丽娟"
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        grid = pane.week.grid
        assert 4 <= grid.days_shown < 7 and not whole_names_shown(pane)
        week = pane.last_read.week.days if pane.last_read else ()
        # Today (Sunday) is on show, so the last days are: ``>`` has nowhere to go.
        assert grid.shown_days[-1] == week[-1] and pane.week.cell is not None
        assert pane.week.cell.day == week[-1]
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert grid.shown_days[-1] == week[-1]
        first = grid.first_day
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert grid.first_day == first - 1 and grid.shown_days[0] == week[first - 1]
        # The cursor's day went off the end: it stays on the last day on show.
        assert pane.week.cell is not None and pane.week.cell.day == grid.shown_days[-1]
        assert not whole_names_shown(pane)
        for _ in range(first - 1):
            await pilot.press("less_than_sign")
        await settle(pilot)
        assert grid.first_day == 0 and grid.shown_days[0] == week[0]
        # ``<`` marks days left out before the first on show, ``>`` after the last.
        assert not grid.ordered_columns[0].label.plain.endswith("<")
        assert grid.ordered_columns[-1].label.plain.endswith(">")
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert grid.first_day == 0
        await pilot.press(*["greater_than_sign"] * 7)
        await settle(pilot)
        assert grid.first_day == first and grid.shown_days[-1] == week[-1]
        assert grid.ordered_columns[0].label.plain.endswith("<") and not whole_names_shown(pane)
        assert not grid.ordered_columns[-1].label.plain.endswith(">")
        # The palette has them too.
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Earlier days")
        await settle(pilot)
        await pilot.press("enter")
        await calm(pilot)
        assert app.screen.focused is grid and grid.first_day == first - 1


def test_a_day_is_as_wide_as_the_longest_name() -> None:
    # 77 cells: the roster's grid at 80 columns with the tree folded away.
    seven = grid_layout(77, label_need=12, name_need=cell_len("宋丽娟"))
    assert seven.mode == "names" and seven.label_width + 7 * seven.day_width <= 77
    for name in ("欧阳丽娟", "欧阳丽娟⇄", "爱新觉罗恒"):
        layout = grid_layout(77, label_need=12, name_need=cell_len(name))
        assert layout.content >= cell_len(name), name  # whole, never 欧阳丽…
        assert layout.label_width + 7 * layout.day_width > 77  # fewer days shown instead
    wide = grid_layout(196, label_need=12, name_need=cell_len("爱新觉罗恒"))
    assert wide.mode == "full" and wide.content >= cell_len("08:30-17:30 爱新觉罗恒")
    # Rows by person are labelled with names: the label column holds the longest.
    assert grid_layout(77, label_need=16, label_most=17).label_width >= 17


def test_room_headings_never_break_a_character() -> None:
    # The every-room week at 200 columns beside who is on duty: a heading wider than the
    # label column is spread across the days, so the days are even too.
    layout = grid_layout(151, label_need=10, heading_need=cell_len("R0101 东环路社区警务室"))
    assert layout.mode == "full" and layout.label_width % 2 == 0 and layout.day_width % 2 == 0
    pieces = spread("JWS2 东环路社区警务室", [8, 8, 8])
    assert pieces == ["JWS2  东", "环路社区", "警务室"]
    assert all(cell_len(piece) == 8 for piece in pieces[:-1])

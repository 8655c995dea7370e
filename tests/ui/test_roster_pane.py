"""The roster pane with keys only: the week of a room, moving between weeks and rooms, rows by
person, who is on duty now, the layout at 80 and at 200 columns, a week that cannot be read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Static

from policeroom.services.duty import roster
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.roster_checks import RosterChecksScreen
from policeroom.ui.duty.roster_week import FIRST_ROOMS
from policeroom.ui.duty.week_layout import grid_layout, short_label, spread
from tests.ui.conftest import settle
from tests.ui.roster_world import Branch, branch, open_room, pane_of, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]

APRIL_25 = date(2022, 4, 25)


async def test_the_week_of_a_room_and_moving_between_weeks(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert pane.last_read is None  # behind its tab: nothing read until shown
        await pilot.press("4")
        await settle(pilot)
        assert pane.last_read is not None and pane.last_read.room_id is None  # HQ: every room
        pane = await open_room(pilot)
        found = pane.last_read
        assert found is not None and found.room_name == "东环路社区警务室"
        assert found.week.week_start == APRIL_25
        assert [row.label for row in found.week.rows][:2] == [
            "东环路社区警务室值班台",
            "东环路社区一分钟快反",
        ]
        # The cursor starts on today (Sunday 5/1), on the first post.
        assert pane.week.cell is not None and pane.week.cell.day == date(2022, 5, 1)
        assert app.screen.focused is pane.week.grid
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert pane.last_read is not None and pane.last_read.week.week_start == date(2022, 5, 2)
        assert pane.week.cell is not None and pane.week.cell.day == date(2022, 5, 8)  # same weekday
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert pane.last_read.week.week_start == date(2022, 4, 18)
        await pilot.press("ctrl+right")
        await settle(pilot)
        assert pane.last_read.week.week_start == APRIL_25
        await pilot.press("right_square_bracket", "right_square_bracket", "t")
        await settle(pilot)
        assert pane.last_read.week.week_start == APRIL_25
        assert pane.week.cell is not None and pane.week.cell.day == date(2022, 5, 1)


async def test_rows_by_person_show_leave_and_the_room_can_change(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("v")
        await settle(pilot)
        found = pane.last_read
        assert found is not None and found.week.by == "staff"
        labels = [row.label for row in found.week.rows]
        assert "卢永强" in labels and "夏涛" in labels
        await pilot.press("v", "r")
        await settle(pilot)
        await pilot.press(*"R0102", "enter")
        await settle(pilot)
        assert pane.last_read is not None and pane.last_read.room_name == "优越路社区警务室"
        assert pane.last_read.week.by == "post"


async def test_on_duty_now_with_phone_numbers(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        assert (
            not pane.week.body.on_duty.display or not pane.week.body.now_shown
        )  # narrow pane: the week first
        await pilot.press("o")
        await settle(pilot)
        assert (
            pane.week.body.now_alone
            and pane.week.body.on_duty.display
            and not pane.week.grid.display
        )
        text = pane.week.body.on_duty.plain
        # Sunday 9:30: 卢永强 at the desk until 17:30, 李少卿 on the 3-minute tier till Monday.
        assert "卢永强" in text and "182 6656 3446" in text and "17:30" in text
        assert "李少卿" in text and "159 8592 5691" in text
        await pilot.press("o")
        await settle(pilot)
        assert pane.week.grid.display and not pane.week.body.now_shown


async def test_wide_and_zoomed_the_week_reads_in_full(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await open_room(pilot)
        assert pane.week.grid.cell_layout is not None and pane.week.grid.cell_layout.mode == "names"
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is pane
        assert pane.week.body.beside and pane.week.body.now_shown and pane.week.body.on_duty.display
        layout = pane.week.grid.cell_layout
        assert layout is not None and layout.mode == "full"
        desk = branch.post("R0101-DESK")
        assert pane.week.grid.cell_text(desk, date(2022, 5, 1)).startswith("08:30-17:30 卢永强")
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is None


async def test_a_week_that_cannot_be_read_says_so_and_the_next_read_recovers(
    branch: Branch,
) -> None:
    def rename(old: str, new: str) -> None:
        with branch.db.engine.begin() as connection:
            connection.exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")

    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        status = pane.query_one("#roster-status", Static)
        rename("leave", "leave_moved")  # the database breaks under the desk
        await pilot.press("right_square_bracket")
        await settle(pilot)
        said = str(status.render())
        assert said.startswith("Could not read the roster:") and "leave" in said
        assert pane.last_read is not None and pane.last_read.week.week_start == APRIL_25
        # The week's checks cannot be read either; their list says so where it would be.
        await pilot.press("c")
        await settle(pilot)
        checks = app.screen
        assert isinstance(checks, RosterChecksScreen) and not checks.items
        listed = str(checks.query_one("#roster-list-status", Static).render())
        assert listed.startswith("Could not read:")
        await pilot.press("escape")
        await settle(pilot)
        rename("leave_moved", "leave")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert pane.last_read is not None and pane.last_read.week.week_start == APRIL_25
        assert str(status.render()).startswith("4/25–5/1 this week")


def test_layouts_by_width() -> None:
    assert grid_layout(77).mode == "names" and grid_layout(77).content >= 7
    wide = grid_layout(196)
    assert wide.mode == "full" and wide.content >= 20
    beside = grid_layout(151, label_need=10)  # 200 columns, the on-duty list beside
    assert beside.mode == "full" and beside.content >= 18
    for width in (77, 120, 151, 196):
        layout = grid_layout(width)
        assert width - 1 <= layout.label_width + 7 * layout.day_width <= width
        if layout.mode == "names":  # a heading spread across cells never breaks a character
            assert layout.label_width % 2 == 0 and layout.day_width % 2 == 0


def test_a_narrow_week_keeps_whole_names_and_scrolls() -> None:
    """Issue 13 (9): beside the tree at 80 columns names were cut to two characters."""
    for width in (30, 43, 47, 60):
        layout = grid_layout(width)
        assert layout.mode == "names" and layout.content >= 6, width  # 宋丽娟 whole
        assert layout.label_width + 7 * layout.day_width > width  # fewer days shown


def test_post_names_lose_their_rooms_name_and_headings_spread_by_cell_width() -> None:
    rooms = ("东环路社区警务室", "优越路派出所")
    assert short_label("东环路社区警务室值班台", rooms) == "值班台"
    assert short_label("东环路社区一分钟快反", rooms) == "一分钟快反"
    assert short_label("优越路派出所三分钟处置", rooms) == "三分钟处置"
    assert short_label("夜间巡逻", rooms) == "夜间巡逻"
    assert spread("R0101 东环路社区警务室", [8, 5, 5]) == ["R0101 东", "环路", "社区…"]


async def test_the_all_rooms_week_reads_a_page_of_rooms_as_the_cursor_nears_it(
    branch: Branch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A branch's all-rooms week is read a small station's worth of rooms at a time: a key
    # (``]``) and the first screen read one page, the grid the next page as the cursor comes
    # within a screen of it; the pages added up equal the week read whole in one go.
    pages: list[tuple[int, ...] | None] = []
    real_week = roster.week

    def week(*args: Any, **kwargs: Any) -> roster.WeekView:
        rooms = args[4] if len(args) > 4 else kwargs.get("rooms")
        pages.append(tuple(rooms) if rooms is not None else None)
        return real_week(*args, **kwargs)

    monkeypatch.setattr(roster, "week", week)
    rooms = sorted(room.id for room in roster.police_rooms(branch.ctx))
    assert len(rooms) > 2 * FIRST_ROOMS
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert pages == [tuple(rooms[:FIRST_ROOMS])]
        row = pane_of(app).week.row  # the cursor starts on the branch's round-the-clock tier
        assert row is not None and row.police_room_id is None
        pages.clear()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert pages == [tuple(rooms[:FIRST_ROOMS])]  # a week on: one page again
        found = pane_of(app).last_read
        assert found is not None and not found.complete
        monday = found.week.week_start
        assert monday == date(2022, 5, 2)
        whole = real_week(branch.ctx, None, monday)
        first = set(rooms[:FIRST_ROOMS])
        # the branch's own posts (no room: its round-the-clock tier) head the first page
        shown_first = [
            row for row in whole.rows if row.police_room_id in first or row.police_room_id is None
        ]
        assert shown_first[0].police_room_id is None
        assert list(found.week.rows) == shown_first
        # Down the week: each page is read once, in the view's order, as the cursor nears it.
        for _ in range(200):
            found = pane_of(app).last_read
            assert found is not None
            if found.complete:
                break
            await pilot.press("pagedown")
            await settle(pilot)
        assert found is not None and found.complete
        read = [room for page in pages for room in page or ()]
        assert read == rooms and all(page is not None for page in pages)
        assert len(pages) > 2  # page by page, not the rest at once
        assert found.week.rows == whole.rows
        assert sorted(found.week.findings, key=repr) == sorted(whole.findings, key=repr)
        assert found.on_duty == tuple(roster.on_duty_now(branch.ctx, None))
        grid = pane_of(app).week.grid
        assert grid.row_count == len(whole.rows) + len(first_heads(whole.rows))


def first_heads(rows: tuple[roster.WeekRow, ...]) -> list[int | None]:
    """The rooms heading the all-rooms week by post, one heading row each."""
    heads: list[int | None] = []
    for row in rows:
        if not heads or heads[-1] != row.police_room_id:
            heads.append(row.police_room_id)
    return heads


async def test_a_week_on_the_cursor_stays_on_its_row_far_down_the_all_rooms_week(
    branch: Branch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``]`` with the cursor on a room's post pages down reads, in one go, the pages as far as
    # that room (not the rooms after it), and the cursor stays on the post.
    pages: list[tuple[int, ...] | None] = []
    real_week = roster.week

    def week(*args: Any, **kwargs: Any) -> roster.WeekView:
        rooms = args[4] if len(args) > 4 else kwargs.get("rooms")
        pages.append(tuple(rooms) if rooms is not None else None)
        return real_week(*args, **kwargs)

    monkeypatch.setattr(roster, "week", week)
    rooms = sorted(room.id for room in roster.police_rooms(branch.ctx))
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        pane = pane_of(app)
        far = rooms[FIRST_ROOMS]  # the first room of the second page
        assert len(rooms) > 2 * FIRST_ROOMS  # and a third page after it
        for _ in range(200):
            row = pane.week.row
            if row is not None and row.police_room_id == far:
                break
            await pilot.press("down")
            await settle(pilot)
        row = pane.week.row
        assert row is not None and row.police_room_id == far
        pages.clear()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert pages[0] == tuple(rooms[: 2 * FIRST_ROOMS])
        found = pane.last_read
        assert found is not None and found.week.week_start == date(2022, 5, 2)
        assert pane.week.row is not None and pane.week.row.id == row.id
        assert pane.week.cell is not None and pane.week.cell.day == date(2022, 5, 8)
        assert far not in found.unread and rooms[-1] in found.unread

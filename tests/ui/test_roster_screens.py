"""The roster's other screens with keys only: the 7-day alert jumping to its day and post, the
1-3-5 log taking a call and saying when it cannot be read, printing the week to a file,
generating a week from the patterns, and a pattern from a preset and from a raw rule the
service refuses."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from pathlib import Path

from sqlmodel import col, func, select
from textual.coordinate import Coordinate
from textual.widgets import Static

from policeroom.models.roster import ResponseArrival, ResponseCall, Shift, ShiftPattern
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.generate_form import GenerateForm
from policeroom.ui.duty.pattern_form import PatternForm
from policeroom.ui.duty.response_call_form import CallForm
from policeroom.ui.duty.response_log import ResponseLogScreen
from policeroom.ui.duty.roster_checks import RosterChecksScreen
from policeroom.ui.duty.roster_patterns import PatternsScreen
from policeroom.ui.duty.roster_print import PrintForm
from policeroom.ui.stats.stats_screen import StatsScreen
from tests.ui.conftest import settle
from tests.ui.roster_world import Branch, branch, calm, open_room, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]


async def test_the_alert_lists_the_next_7_days_under_strength_and_jumps_there(
    branch: Branch,
) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("a")
        await settle(pilot)
        alerts = app.screen
        assert isinstance(alerts, RosterChecksScreen) and alerts.items
        days = {f.starts_at.date() for f in alerts.items if f.starts_at}
        assert min(days) >= date(2022, 5, 1) and max(days) <= date(2022, 5, 7)
        assert {f.police_room_id for f in alerts.items} > {branch.room()}  # every room (HQ)
        for _ in range(len(alerts.items)):
            current = alerts.current
            assert current is not None
            if current.starts_at and current.starts_at.date() == date(2022, 5, 6):
                break
            await pilot.press("down")
            await pilot.pause()
        chosen = alerts.current
        assert chosen is not None and chosen.post_id is not None
        await pilot.press("enter")
        await calm(pilot)
        assert app.screen is not alerts
        assert pane.week.room_id == chosen.police_room_id
        assert pane.last_read is not None and pane.last_read.week.week_start == date(2022, 5, 2)
        assert pane.week.row is not None and pane.week.row.id == chosen.post_id
        assert (
            pane.week.cell is not None
            and pane.week.cell.day == date(2022, 5, 6)
            and pane.week.cell.gap
        )


async def test_five_in_the_roster_is_statistics_as_on_every_pane(branch: Branch) -> None:
    """The 1-3-5 log had taken ``5``: from the roster, the area key opened the log instead."""
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)


async def test_the_response_log_takes_a_call_with_each_tiers_times(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("R")
        await settle(pilot)
        log = app.screen
        assert isinstance(log, ResponseLogScreen) and log.table.total == 0  # none yet in May
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CallForm)
        # The call came at 09:10 (now is 09:30): back to the time, then the summary.
        await pilot.press("shift+tab", "shift+tab", *"09:10", "tab", "tab")
        await pilot.press(*"居民报警楼下有人争吵")
        await pilot.press("tab", *"+0:50", "tab", *"+0:55", "tab", *"+2:30", "tab", *"+3:40")
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert app.screen is log
        with branch.db.session() as session:
            call = session.exec(select(ResponseCall).order_by(col(ResponseCall.id).desc())).first()
            assert call is not None and call.summary == "居民报警楼下有人争吵"
            assert call.called_at == datetime(2022, 5, 1, 9, 10)
            arrivals = session.exec(
                select(ResponseArrival).where(ResponseArrival.call_id == call.id)
            ).all()
        assert sorted(
            (a.arrived_at - call.called_at).seconds for a in arrivals if a.arrived_at
        ) == [
            55,
            220,
        ]
        assert log.table.total == 1
        compliance = log.query_one("#log-compliance").render()
        assert "1 of 1 in time" in str(compliance) and "0 of 1 in time" in str(compliance)


async def test_a_response_log_that_cannot_be_read_says_so(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        with branch.db.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE response_tier RENAME TO response_tier_moved")
        await pilot.press("R")
        await settle(pilot)
        log = app.screen
        assert isinstance(log, ResponseLogScreen) and log.loaded is None
        said = str(log.query_one("#log-compliance", Static).render())
        assert said.startswith("Could not read the log:") and "response_tier" in said
        await pilot.press("n")  # no tiers known: no call can be logged
        await settle(pilot)
        assert app.screen is log


async def test_printing_the_week_writes_the_file(branch: Branch, tmp_path: Path) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PrintForm)
        target = tmp_path / "wall.html"
        await pilot.press("enter", "down", "enter")  # format: HTML
        await settle(pilot)
        await pilot.press("tab", *str(target))  # tabbing in selects the text: typing replaces
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, PrintForm)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "东环路社区警务室" in page


async def test_generating_a_week_from_the_patterns(branch: Branch) -> None:
    def shifts_from_may_9() -> int:
        with branch.db.session() as session:
            return session.exec(
                select(func.count())
                .select_from(Shift)
                .where(col(Shift.starts_at) >= datetime(2022, 5, 9))
            ).one()

    assert shifts_from_may_9() == 0
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, GenerateForm)
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, GenerateForm)
        made = shifts_from_may_9()
        assert made > 0
        assert pane.last_read is not None
        assert sum(len(c.shifts) for r in pane.last_read.week.rows for c in r.cells) == made


async def test_a_pattern_from_a_preset_and_a_raw_rule_refused(branch: Branch) -> None:
    def pattern_count() -> int:
        with branch.db.session() as session:
            return session.exec(select(func.count()).select_from(ShiftPattern)).one()

    before = pattern_count()
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("P")
        await settle(pilot)
        patterns = app.screen
        assert isinstance(patterns, PatternsScreen) and len(patterns.items) >= 9
        # The room's posts without the room's name (东环路社区社区民警巡查 wrapped at 80).
        table = patterns.table
        posts = [table.get_cell_at(Coordinate(row, 0)).plain for row in range(table.row_count)]
        assert "社区民警巡查" in posts and not any(post.startswith("东环路") for post in posts)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PatternForm)
        post = form.field("post_id").value
        assert post is not None  # the post under the cursor
        # Preset: Monday, Wednesday, Friday night patrol 20:00-08:00.
        await pilot.press("tab", "tab", "enter", *"Mon, Wed", "enter")
        await settle(pilot)
        assert form.field("rrule").value == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
        assert "Mon 5/2 20:00–08:00" in str(form.query_one("#pattern-preview").render())
        # A raw rule the service refuses: the message stays at the rule, nothing saved.
        await pilot.press("tab", *"FREQ=HOURLY")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.field_errors["rrule"]
        assert form.field("rrule").value == "FREQ=HOURLY"  # the typing is kept
        assert pattern_count() == before
        await pilot.press(*"FREQ=WEEKLY;BYDAY=MO,WE,FR", "ctrl+s")  # the wrong field, selected
        await calm(pilot)
        assert app.screen is patterns
    assert pattern_count() == before + 1
    with branch.db.session() as session:
        made = session.exec(select(ShiftPattern).order_by(col(ShiftPattern.id).desc())).first()
    assert made is not None and made.post_id == post
    assert (made.rrule, made.starts_at, made.duration_minutes) == (
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        time(20),
        720,
    )


async def test_a_remote_session_prints_into_its_folder_only(branch: Branch, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    app = PoliceRoomApp(dataclasses.replace(branch.ctx, export_dir=folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_room(pilot)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PrintForm)
        shown = str(form.field("path").value)
        assert "/" not in shown and shown.endswith(".txt")
        await pilot.press("tab", *str(tmp_path / "wall.txt"), "ctrl+s")
        await calm(pilot)
        assert app.screen is form
        assert "only a file name" in form.field_errors["path"][0]
        await pilot.press("ctrl+a", "ctrl+k", *"值班表.txt", "ctrl+s")
        await calm(pilot)
        assert not isinstance(app.screen, PrintForm)
    assert "东环路社区警务室" in (folder / "值班表.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "wall.txt").exists()

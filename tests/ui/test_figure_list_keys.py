"""The figure lists' footer offers ``enter`` only where it acts: on a missing week of the
sweeps (it confirms), not on a confirmed one, and not at all to a reader who cannot confirm;
on a visit that met someone (its resident's card); on a call (the 1-3-5 log). Read from the
footer's keys after moving the cursor, by keys, on the training data at 80x24."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.reports import stats
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.sweep_form import SweepForm
from policeroom.ui.disputes.sweep_weeks import SweepWeeksScreen
from policeroom.ui.stats.periods import period
from tests.templates import load_training
from tests.ui.conftest import settle, until
from tests.ui.test_figure_lists import HQ, _list_of, _open_stats

TRAINER = Actor("trainer", Role.TRAINER)


def enter_key(pilot: Pilot[object]) -> str:
    """How the footer shows ``enter``: "on", "greyed" or "absent"."""
    for key in pilot.app.screen.query(FooterKey):
        if key.key == "enter":
            return "greyed" if key.has_class("-disabled") else "on"
    return "absent"


async def test_enter_is_offered_on_a_missing_week_and_greyed_once_it_is_confirmed(
    sqlite_db: Database, clock: Clock
) -> None:
    ctx = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(TRAINER)
    read = stats.snapshot(ctx, *period("quarter", ctx.clock.today()))
    station = next(r for r in stats.rows_of(read, "station").rows if r.get("missing_sweeps"))
    app = PoliceRoomApp(ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_stats(pilot)
        for figure in ("visits", "calls"):
            await _list_of(pilot, screen, station, figure)
            await until(pilot, lambda: enter_key(pilot) == "on")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen)

        sweeps = await _list_of(pilot, screen, station, "missing_sweeps")
        assert isinstance(sweeps, SweepWeeksScreen)
        seen: set[bool] = set()
        while len(seen) < 2:  # down the weeks, to a confirmed one and a missing one
            line = sweeps.table.highlighted
            assert line is not None
            shown = "greyed" if line.confirmed else "on"
            await until(pilot, lambda: enter_key(pilot) == shown)  # noqa: B023
            seen.add(line.confirmed)
            at = sweeps.table.cursor_index
            await pilot.press("down")
            await until(pilot, lambda: sweeps.table.cursor_index == at + 1)  # noqa: B023

        # a missing week confirmed under the cursor: enter has nothing more to do there
        await pilot.press("up")
        while (line := sweeps.table.highlighted) is None or line.confirmed:
            await pilot.press("down")
        await until(pilot, lambda: enter_key(pilot) == "on")
        await pilot.press("enter")  # confirms it, in the sweep form
        await until(pilot, lambda: isinstance(app.screen, SweepForm))
        nil = app.screen.query_one("#sweep-nil")
        while app.focused is not nil:
            await pilot.press("tab")
        await pilot.press("space", "ctrl+s")
        await until(pilot, lambda: app.screen is sweeps)
        await until(pilot, lambda: sweeps.missing == station.get("missing_sweeps") - 1)
        await settle(pilot)
        confirmed = sweeps.table.highlighted
        assert confirmed is not None and confirmed.confirmed
        await until(pilot, lambda: enter_key(pilot) == "greyed")


async def test_a_reader_who_cannot_confirm_is_not_offered_enter_on_the_sweeps(
    sqlite_db: Database, clock: Clock
) -> None:
    ctx = load_training(ServiceContext(sqlite_db, clock=clock)).as_actor(HQ)
    read = stats.snapshot(ctx, *period("quarter", ctx.clock.today()))
    station = next(r for r in stats.rows_of(read, "station").rows if r.get("missing_sweeps"))
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_stats(pilot)
        sweeps = await _list_of(pilot, screen, station, "missing_sweeps")
        assert isinstance(sweeps, SweepWeeksScreen)
        await until(pilot, lambda: enter_key(pilot) == "absent")
        await pilot.press("down")
        await settle(pilot)
        assert enter_key(pilot) == "absent"

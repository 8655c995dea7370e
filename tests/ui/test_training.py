"""`policeroom training`: its own file, a visible marker, a reset that asks first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import col, func, select

from policeroom.clock import Clock
from policeroom.commands.tui_cmd import fresh_training, load_fixture, reset_training
from policeroom.db import Database, sqlite_url
from policeroom.models.audit import Role
from policeroom.models.org import Grid, GridCreate
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.org import grids
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle, until


def grid_count(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return session.exec(select(func.count()).select_from(Grid)).one()


async def test_training_marker_and_reset_after_confirming(tmp_path: Path) -> None:
    database = Database.open(sqlite_url(tmp_path / "training.db"))
    try:
        fresh_training(database, "training", load_fixture)
        ctx = ServiceContext(
            database,
            actor=Actor("trainee", Role.TRAINER),
            clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)),
        )
        loaded = grid_count(ctx)
        grids.create(ctx, GridCreate(code="TEST-1", name="练习街道", level=1))
        assert grid_count(ctx) == loaded + 1

        app = PoliceRoomApp(
            ctx,
            training=True,
            reset_training=lambda: reset_training(database, "training", load_fixture),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            marker = app.screen.query_one("#header-training")
            assert marker.display and "TRAINING" in str(marker.render())
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")  # keep: nothing happens
            await settle(pilot)
            assert grid_count(ctx) == loaded + 1
            await pilot.press("ctrl+r")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert grid_count(ctx) == loaded
            with ctx.read() as session:
                gone = session.exec(select(Grid).where(col(Grid.code) == "TEST-1")).first()
            assert gone is None

            def tree_names() -> list[str]:
                tree = app.screen.query_one("#grid-tree")
                return [str(node.label) for node in tree.root.children]  # type: ignore[attr-defined]

            # the tree is read again once the reset's worker has reported, a message later
            await until(pilot, lambda: bool(tree_names()) and "练习街道" not in str(tree_names()))
    finally:
        database.dispose()


async def test_no_marker_and_no_reset_outside_training(tmp_path: Path) -> None:
    database = Database.open(sqlite_url(tmp_path / "real.db"))
    try:
        fresh_training(database, "training", load_fixture)
        app = PoliceRoomApp(ServiceContext(database, clock=Clock.fixed(datetime(2022, 5, 1))))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert not app.screen.query_one("#header-training").display
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.check_action("reset_training", ()) is False
    finally:
        database.dispose()


def test_training_clock_runs_on_the_training_day() -> None:
    from datetime import date

    from policeroom.commands.tui_cmd import training_clock

    real = Clock.fixed(datetime(2026, 11, 29, 14, 5))
    clock = training_clock("training", real)
    # The training set is written around 1 May 2022: its day, with the real time of day.
    assert clock.today() == date(2022, 5, 1)
    assert clock.now().time() == datetime(2026, 11, 29, 14, 5).time()

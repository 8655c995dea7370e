"""``policeroom training --user LOGIN``: the login's role and room on the throw-away copy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select
from textual.widgets import Label

from policeroom.clock import Clock
from policeroom.commands import CommandError
from policeroom.commands.tui_cmd import fresh_training, load_fixture, training_actor
from policeroom.db import Database, sqlite_url
from policeroom.models.audit import Role
from policeroom.models.org import Grid, PoliceRoom
from policeroom.services.core.context import ServiceContext
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.paged_table import PagedTable
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.ui.conftest import settle, until


@pytest.fixture
def training(tmp_path: Path) -> Iterator[ServiceContext]:
    database = Database.open(sqlite_url(tmp_path / "training.db"))
    fresh_training(database, "training", load_fixture)
    yield ServiceContext(database, clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)))
    database.dispose()


def _room_grids(ctx: ServiceContext, code: str) -> tuple[str, set[int]]:
    with ctx.read() as session:
        room = session.exec(select(PoliceRoom).where(col(PoliceRoom.code) == code)).one()
        villages = session.exec(select(Grid).where(col(Grid.police_room_id) == room.id)).all()
        ids: set[int] = set()
        for village in villages:
            under = session.exec(select(Grid.id).where(col(Grid.path).startswith(village.path)))
            ids.update(grid_id for grid_id in under.all() if grid_id is not None)
        return room.name, ids


async def _listed(ctx: ServiceContext) -> tuple[str, str, list[int], int]:
    """The header's room and user, the residents pane's grids and total, as ``ctx`` sees."""
    app = PoliceRoomApp(ctx, training=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(ResidentsPane).query_one(PagedTable)
        await until(pilot, lambda: table.total is not None)
        room = str(app.screen.query_one("#header-room", Label).render())
        user = str(app.screen.query_one("#header-user", Label).render())
        return room, user, [row.grid_id for row in table.loaded_rows], table.total or 0


async def test_a_desk_officers_training_sees_only_their_room(training: ServiceContext) -> None:
    actor = training_actor(training, "desk.r0101")
    name, grids = _room_grids(training, "R0101")
    assert actor.role is Role.DESK and actor.police_room_id is not None
    room, user, listed, total = await _listed(training.as_actor(actor))
    assert (room, user) == (name, "desk.r0101")
    assert listed and set(listed) <= grids

    trainer = training_actor(training, None)
    assert (trainer.login, trainer.role) == ("trainer", Role.TRAINER)
    room, user, everyone, all_total = await _listed(training.as_actor(trainer))
    assert user == "trainer" and room != name
    assert not set(everyone) <= grids  # the trainer's class sees the other rooms too
    assert total < all_total


def test_an_unknown_training_user_is_refused(training: ServiceContext) -> None:
    with pytest.raises(CommandError, match="training --user nobody: no user nobody"):
        training_actor(training, "nobody")

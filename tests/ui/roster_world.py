"""The training branch for the roster's UI tests and snapshots, loaded once per test session.

Engineer B's training set (12 police rooms, two weeks of roster around 2022-05-01) is loaded
into a template SQLite file through ``policeroom.fixtures.load``; each test gets a copy, so a
test may change what it likes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select
from textual.pilot import Pilot

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database, make_engine, sqlite_url, upgrade
from policeroom.models.audit import Role, User
from policeroom.models.org import PoliceRoom, Staff
from policeroom.models.roster import Post, Shift, ShiftStatus
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.roster_pane import RosterPane
from tests.conftest import FROZEN_NOW
from tests.ui.conftest import settle

ROOM = "R0101"  # 东环路社区警务室


@pytest.fixture(scope="session")
def training_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster-training") / "training.db"
    engine = make_engine(sqlite_url(path))
    upgrade(engine)
    engine.dispose()
    database = Database.open(sqlite_url(path))
    try:
        trainer = Actor("trainer", Role.TRAINER)
        fixtures.load(ServiceContext(database, trainer, Clock.fixed(FROZEN_NOW)), "training")
    finally:
        database.dispose()
    return path


@pytest.fixture
def training_db(training_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "training.db"
    shutil.copyfile(training_template, path)
    database = Database.open(sqlite_url(path))
    yield database
    database.dispose()


@dataclass(frozen=True)
class Branch:
    """The training branch as the tests use it: its context and a few lookups by name."""

    db: Database
    ctx: ServiceContext

    def room(self, code: str = ROOM) -> int:
        with self.db.session() as session:
            found = session.exec(select(PoliceRoom.id).where(PoliceRoom.code == code)).one()
        assert found is not None
        return found

    def staff(self, name: str) -> int:
        with self.db.session() as session:
            found = session.exec(select(Staff.id).where(Staff.name == name)).one()
        assert found is not None
        return found

    def login(self, name: str, login: str) -> ServiceContext:
        """The context of ``name``'s own desk login (made if the training set has none): a
        swap is answered by the person asked, and withdrawn by the one who asked."""
        staff_id = self.staff(name)
        with self.db.transaction() as session:
            staff = session.get(Staff, staff_id)
            assert staff is not None
            room_id = staff.police_room_id
            user = session.exec(select(User).where(User.login == login)).first()
            if user is None:
                session.add(
                    User(login=login, staff_id=staff_id, role=Role.DESK, police_room_id=room_id)
                )
            else:
                assert user.staff_id == staff_id, f"{login} is not {name}'s login"
                room_id = user.police_room_id
        return self.ctx.as_actor(Actor(login, Role.DESK, room_id))

    def post(self, code: str) -> int:
        with self.db.session() as session:
            found = session.exec(select(Post.id).where(Post.code == code)).one()
        assert found is not None
        return found

    def shift(self, post_code: str, starts_at: datetime) -> Shift:
        with self.db.session() as session:
            found = session.exec(
                select(Shift)
                .join(Post, Post.id == Shift.post_id)  # type: ignore[arg-type]
                .where(
                    Post.code == post_code,
                    Shift.starts_at == starts_at,
                    Shift.status != ShiftStatus.CANCELLED,
                )
            ).one()
            session.expunge(found)
        return found


@pytest.fixture
def branch(training_db: Database, clock: Clock) -> Branch:
    return Branch(training_db, ServiceContext(training_db, clock=clock))


async def calm(pilot: Pilot[object]) -> None:
    """Settle, then again: a screen closing starts the pane's read only after it is gone."""
    for _ in range(3):
        await settle(pilot)
        await pilot.pause()


def pane_of(app: PoliceRoomApp) -> RosterPane:
    return app.screen.query_one(RosterPane)


async def open_room(pilot: Pilot[object], code: str = ROOM) -> RosterPane:
    """Go to the roster (``4``) and pick the police room ``code`` (``r``, type, ``enter``);
    a desk officer's roster is their own room's, with nothing to pick."""
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, PoliceRoomApp)
    if app.ctx.actor.police_room_id is None or app.ctx.actor.role is not Role.DESK:
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*code, "enter")
        await settle(pilot)
    return pane_of(app)


async def cursor_to(pilot: Pilot[object], pane: RosterPane, label: str, day: date) -> None:
    """Move the cell cursor with the arrow keys until it is on ``label``'s row on ``day``."""
    await pilot.press("ctrl+home")
    await pilot.pause()
    for _ in range(60):
        row, cell = pane.week.row, pane.week.cell
        if row is not None and cell is not None:
            if cell.day < day:
                await pilot.press("right")
            elif cell.day > day:
                await pilot.press("left")
            elif label not in row.label:
                await pilot.press("down")
            else:
                return
        else:
            await pilot.press("down")
        await pilot.pause()
    raise AssertionError(f"no cell {label} {day} in the week")

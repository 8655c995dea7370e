"""A form's save sent again never makes a second record: ctrl+s twice, and a save whose
answer was lost (the record was written, the desk was told the database was busy)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.people import Resident
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import DatabaseBusy
from policeroom.services.people import residents
from policeroom.ui.people.resident_form import ResidentForm
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.ui.conftest import settle
from tests.ui.residents_world import PaneApp, ResidentsWorld, build_residents_world


@pytest.fixture
def people(db: Database, clock: Clock) -> ResidentsWorld:
    return build_residents_world(db, clock)


def named(db: Database, name: str) -> int:
    with db.session() as session:
        statement = select(func.count()).select_from(Resident).where(Resident.name == name)
        return int(session.exec(statement).one())


async def type_new_resident(pilot: Any, app: PaneApp, name: str) -> ResidentForm:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, ResidentForm)
    # no ID number: only the form's key tells a second save from a second resident
    await pilot.press(*name, *["tab"] * 6, *"一组")
    await settle(pilot)
    await pilot.press("enter")
    return form


async def test_ctrl_s_twice_makes_one_resident(people: ResidentsWorld, db: Database) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_new_resident(pilot, app, "孙悟空")
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)
    assert named(db, "孙悟空") == 1


async def test_a_save_whose_answer_was_lost_saved_again_makes_one_resident(
    people: ResidentsWorld, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = residents.create
    calls: list[str | None] = []

    def written_then_lost(ctx: ServiceContext, data: Any) -> residents.Saved:
        calls.append(ctx.request_key)
        saved = create(ctx, data)
        if len(calls) == 1:
            raise DatabaseBusy("the answer was lost on the way back")
        return saved

    monkeypatch.setattr(residents, "create", written_then_lost)
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await type_new_resident(pilot, app, "猪八戒")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # told it is busy, the typing kept
        assert "press ctrl+s again" in str(form.query_one("#form-notice").render())
        assert form.values()["name"] == "猪八戒"
        assert named(db, "猪八戒") == 1  # (it was written all the same)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)
    assert len(calls) == 2 and calls[0] == calls[1] and calls[0]
    assert named(db, "猪八戒") == 1

"""The resident form driven with keys: errors at the fields, every wrong field listed, nothing
saved until valid, duplicates shown before a second record, a stale edit keeps the typing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select
from textual.widgets import Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.people import Resident, ResidentTagKind, ResidentUpdate
from policeroom.services.people import residents
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.people.duplicates import DuplicatesScreen
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.resident_form import ResidentForm
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.ui.conftest import settle
from tests.ui.residents_world import (
    PaneApp,
    ResidentsWorld,
    build_residents_world,
    remove_resident,
)
from tests.unit.people_world import make_id


@pytest.fixture
def people(db: Database, clock: Clock) -> ResidentsWorld:
    return build_residents_world(db, clock)


def count_residents(db: Database) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(Resident)).one())


async def open_new_form(pilot, app: PaneApp) -> ResidentForm:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, ResidentForm)
    return app.screen


GOOD_ID = make_id(date(1988, 8, 8), 17)
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


async def test_add_a_resident_with_a_bad_then_a_good_id(
    people: ResidentsWorld, db: Database
) -> None:
    before = count_residents(db)
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_new_form(pilot, app)
        # name, ID with a wrong check digit, a ten-digit phone, then a date that does not exist
        await pilot.press(*"孙悟空", "tab", *BAD_ID, "tab", *"1380013800", "tab", "tab")
        await pilot.press(*"2/30", "ctrl+s")
        await settle(pilot)
        errors = form.field_errors
        assert set(errors) == {"id_number", "phone", "birth_date", "grid_id"}
        assert "check digit" in errors["id_number"][0]
        summary = str(form.query_one("#form-summary", Static).render())
        assert "4 fields" in summary
        assert count_residents(db) == before
        # the first wrong field has the focus, its text selected: typing replaces it
        assert app.focused is form.field("id_number").control
        await pilot.press(*GOOD_ID, "tab", *"13800138111", "tab", "tab")
        # a valid ID fills in sex and birth date, over the date that did not exist
        assert form.data()["birth_date"] == date(1988, 8, 8)
        await pilot.press("tab", *"花果山1号", "tab", *"一组")
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)
    assert count_residents(db) == before + 1
    with db.session() as session:
        added = session.exec(select(Resident).where(Resident.name == "孙悟空")).one()
    assert added.id_number == GOOD_ID
    assert added.phone == "13800138111"
    assert added.grid_id == people.world.group.id
    assert str(added.birth_date) == "1988-08-08"


async def test_same_id_shows_the_existing_resident_and_is_refused_at_the_field(
    people: ResidentsWorld, db: Database
) -> None:
    before = count_residents(db)
    existing_id = make_id(date(1977, 3, 2), 11)  # 张三's
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_new_form(pilot, app)
        await pilot.press(*"张叁", "tab", *existing_id, "tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"一组")
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        assert [row.name for row in app.screen.duplicates] == ["张三"]
        await pilot.press("a")  # add anyway: the service refuses the second ID
        await settle(pilot)
        assert app.screen is form
        assert "already recorded" in form.field_errors["id_number"][0]
    assert count_residents(db) == before


async def test_a_duplicate_can_be_opened_instead(people: ResidentsWorld, db: Database) -> None:
    before = count_residents(db)
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_form(pilot, app)
        # same name and phone as 张小红, no ID number
        await pilot.press(*"张小红", "tab", "tab", *"13937511234", "tab", "tab", "tab", "tab")
        await pilot.press(*"一组")
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        await pilot.press("enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        assert card.resident_id == people.ids["张小红"]
    assert count_residents(db) == before


async def test_edit_conflict_keeps_the_typing(people: ResidentsWorld, db: Database) -> None:
    zhang = people.ids["张三"]
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "e")  # 李四, 王五, 张三
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResidentForm) and form.resident_id == zhang
        assert form.values()["name"] == "张三"
        assert form.values()["tags"] == ()
        # another desk changes the address while this one is typing
        residents.update(people.ctx, zhang, ResidentUpdate(address="别人改的地址"), form.version)
        for _ in range(4):
            await pilot.press("shift+tab")  # name → notes → tags → grid → address
        await pilot.press(*"我的新地址", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "someone else saved" in str(form.query_one("#form-notice").render())
        assert form.values()["address"] == "我的新地址"
        await pilot.press("escape")  # typed: asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
    with db.session() as session:
        stored = session.get(Resident, zhang)
    assert stored is not None and stored.address == "别人改的地址"


async def test_edit_saves_tags_and_keeps_masked_numbers(
    people: ResidentsWorld, db: Database
) -> None:
    zhang = people.ids["张三"]
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResidentForm)
        await pilot.press("shift+tab", "shift+tab")  # name → notes → tags
        await pilot.press("down", "down", "space", "ctrl+s")  # the third tag: key person
        await settle(pilot)
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)
    card = residents.card(people.ctx, zhang)
    assert card.tags == (ResidentTagKind.KEY_PERSON,)
    with db.session() as session:
        stored = session.get(Resident, zhang)
    assert stored is not None and stored.phone == "13800138000"
    assert stored.id_number == make_id(date(1977, 3, 2), 11)


async def test_a_resident_that_cannot_be_read_is_said_on_the_form(
    people: ResidentsWorld, db: Database
) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"wangwu", "enter")
        await settle(pilot)
        remove_resident(db, people.ids["王五"])  # another desk, while 王五 is listed here
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResidentForm)
        assert "Could not read the resident" in str(form.query_one("#form-notice").render())
        assert form.values()["name"] == ""

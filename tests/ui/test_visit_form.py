"""The visit form driven with keys: residents picked by search, the checklist follows the
purpose, every missing field is named, and the rows land in the database."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import select
from textual.app import App, ComposeResult
from textual.widgets import SelectionList, Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.people import Resident, Visit, VisitPurpose, VisitResident
from policeroom.services.core.context import ServiceContext
from policeroom.services.people.visits import VisitRow
from policeroom.ui.common.terminal import hold_cursors_steady
from policeroom.ui.people import STYLESHEET as people_sheet
from policeroom.ui.people.visit_form import VisitForm
from tests.ui.conftest import settle
from tests.ui.residents_world import ResidentsWorld, build_residents_world


@pytest.fixture
def people(db: Database, clock: Clock) -> ResidentsWorld:
    return build_residents_world(db, clock)


class VisitApp(App[None]):
    CSS_PATH = people_sheet

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.results: list[VisitRow | None] = []

    def compose(self) -> ComposeResult:
        yield Static("desk")

    def on_mount(self) -> None:
        hold_cursors_steady(self)
        self.push_screen(VisitForm(self.ctx), self.results.append)


def checklist_labels(form: VisitForm) -> list[str]:
    checklist = form.query_one("#checklist-list", SelectionList)
    return [str(checklist.get_option_at_index(i).prompt) for i in range(checklist.option_count)]


async def test_two_residents_found_by_search_and_the_anti_fraud_checklist(
    people: ResidentsWorld, db: Database
) -> None:
    app = VisitApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitForm)
        assert "Household members checked" in checklist_labels(form)
        # residents first: the picker's search box has the focus
        await pilot.press(*"zs")
        await settle(pilot)
        await pilot.press("enter", *"lisi")
        await settle(pilot)
        await pilot.press("enter")
        assert form.values()["resident_ids"] == (people.ids["张三"], people.ids["李四"])
        await pilot.press("tab", *"-2", "tab", *"P001")  # date, then staff by code
        await settle(pilot)
        await pilot.press("enter", "tab", "enter", "down", "enter")  # purpose: anti-fraud
        await settle(pilot)
        assert form.values()["purpose"] is VisitPurpose.ANTI_FRAUD
        labels = checklist_labels(form)
        assert "Anti-fraud app installed on the phone" in labels
        assert "Household members checked" not in labels
        await pilot.press("tab", "space", "down", "down", "space")  # installed; warned
        await pilot.press("tab", *"讲解了电信诈骗[常见]手法", "ctrl+s")
        await settle(pilot)
        assert app.results and app.results[0] is not None
    with db.session() as session:
        visit = session.exec(select(Visit)).one()
        visited = set(
            session.exec(
                select(VisitResident.resident_id).where(VisitResident.visit_id == visit.id)
            ).all()
        )
        installed = session.exec(
            select(Resident.name).where(Resident.anti_fraud_installed == True)  # noqa: E712
        ).all()
    assert visited == {people.ids["张三"], people.ids["李四"]}
    assert visit.purpose is VisitPurpose.ANTI_FRAUD
    assert str(visit.visit_date) == "2022-04-29"
    assert visit.staff_id == people.world.officer_id
    assert json.loads(visit.checklist) == ["app_installed", "warned_common_scams"]
    assert visit.summary == "讲解了电信诈骗[常见]手法"
    assert sorted(installed) == sorted(["张三", "李四"])


async def test_every_missing_field_is_named_and_nothing_is_saved(
    people: ResidentsWorld, db: Database
) -> None:
    app = VisitApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitForm)
        await pilot.press("tab", *"5/32", "ctrl+s")
        await settle(pilot)
        assert set(form.field_errors) == {"resident_ids", "visit_date", "staff_id"}
        assert "3 fields" in str(form.query_one("#form-summary", Static).render())
        await pilot.press("escape")  # typed something: asks
        await pilot.press("y")
        await settle(pilot)
        assert app.results == [None]
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(Visit)).one() == 0

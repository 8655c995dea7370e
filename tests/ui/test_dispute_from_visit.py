"""A dispute found on a visit: the visit is saved with ctrl+o and the dispute form opens with
the visit's residents as parties, its grid, its date and the source "visit"."""

from __future__ import annotations

import pytest
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import Dispute, DisputeCategory, DisputeParty, DisputeSource
from policeroom.models.people import Visit
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.dispute_form import DisputeForm
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.visit_form import VisitForm
from tests.ui.disputes_world import CaseWorld, build_case_world, press


@pytest.fixture
def case(sqlite_db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(sqlite_db, clock)


async def focus_on(pilot: object, form: DisputeForm, control_id: str) -> None:
    for _ in range(12):  # bounded: a field that is not there fails the test, not hangs it
        if form.focused is not None and form.focused.id == control_id:
            return
        await press(pilot, "tab")  # type: ignore[arg-type]
    assert form.focused is not None and form.focused.id == control_id


async def test_a_visit_saved_then_its_dispute_registered(
    case: CaseWorld, sqlite_db: Database
) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "slash", *"zm", "enter", "enter")
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        await press(pilot, "v")
        visit_form = app.screen
        assert isinstance(visit_form, VisitForm)
        assert visit_form.active_bindings["ctrl+o"].binding.show  # in the footer
        await press(pilot, *"王建国", "enter")  # visited by
        await press(pilot, "ctrl+o")
        form = app.screen
        assert isinstance(form, DisputeForm), "the dispute form follows the saved visit"
        await press(pilot, "enter", "down", "enter")  # category: marriage and family
        await focus_on(pilot, form, "dispute-description")
        await press(pilot, *"走访时张某反映前妻索要抚养费发生争吵")
        await press(pilot, "ctrl+s")
        assert form.field_errors == {}
        assert app.screen is card
        assert "JF-2022-0001" in str(card.query_one("#card-disputes").render())

    with sqlite_db.session() as session:
        visit = session.exec(select(Visit)).one()
        dispute = session.exec(select(Dispute)).one()
        parties = session.exec(select(DisputeParty.resident_id)).all()
    assert dispute.visit_id == visit.id
    assert dispute.source is DisputeSource.VISIT
    assert dispute.category is DisputeCategory.MARRIAGE_FAMILY
    assert dispute.reported_on == visit.visit_date
    assert parties == [case.husband_id]


async def test_a_visit_with_wrong_fields_opens_no_dispute_form(case: CaseWorld) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "slash", *"zm", "enter", "enter", "v")
        visit_form = app.screen
        assert isinstance(visit_form, VisitForm)
        await press(pilot, "ctrl+o")  # nobody named as the visitor
        assert app.screen is visit_form
        assert "staff_id" in visit_form.field_errors
        await press(pilot, *"王建国", "enter", "ctrl+s")  # a plain save now: no dispute form
        assert isinstance(app.screen, ResidentCardScreen)


async def test_a_visit_the_service_refuses_opens_no_dispute_form(case: CaseWorld) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "slash", *"zm", "enter", "enter", "v")
        visit_form = app.screen
        assert isinstance(visit_form, VisitForm)
        await press(pilot, *"王建国", "enter", "shift+tab")  # visited by, then back to the date
        date_box = visit_form.field("visit_date").control
        assert isinstance(date_box, DateInput) and date_box.input.has_focus
        await press(pilot, *"2022-05-09", "ctrl+o")  # next week: the form cannot tell
        assert app.screen is visit_form, "a refused visit opens no dispute form"
        assert visit_form.field_errors == {"visit_date": ["a visit cannot be in the future"]}
        await press(pilot, "ctrl+a", "ctrl+k", "t", "ctrl+s")  # today, and a plain save now
        assert isinstance(app.screen, ResidentCardScreen)


async def test_the_visits_summary_starts_the_disputes_description(
    case: CaseWorld, sqlite_db: Database
) -> None:
    """Found walking the story: what the officer wrote on the visit had to be typed again."""
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "slash", *"zm", "enter", "enter", "v")
        visit_form = app.screen
        assert isinstance(visit_form, VisitForm)
        await press(pilot, *"王建国", "enter", "tab", "tab", "tab")  # purpose, checklist: summary
        await press(pilot, *"张某与前妻因抚养费争吵", "ctrl+o")
        form = app.screen
        assert isinstance(form, DisputeForm)
        await press(pilot, "enter", "down", "enter", "ctrl+s")  # category, and save
        assert form.field_errors == {}
        assert isinstance(app.screen, ResidentCardScreen)
        # the dispute's card says the date once: the visit was on the day it was reported
        await press(pilot, "escape", "3", "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)
        reported = str(card.query_one("#dispute-card-details").render()).splitlines()[0]
        assert reported == "Reported: 2022-05-01 · Visit", reported
    with sqlite_db.session() as session:
        visit = session.exec(select(Visit)).one()
        dispute = session.exec(select(Dispute)).one()
    assert visit.summary == "张某与前妻因抚养费争吵"
    assert dispute.description == "张某与前妻因抚养费争吵"

"""The report's case driven with keys only: a divorced couple's child-support dispute
registered from 张某's card, graded high, assigned, mediated in the police room on
2022-05-01 with an agreement, resolved with follow-ups; ten days later one follow-up is
overdue, shown as an early warning, opened from there and recorded as stable."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    Dispute,
    DisputeCategory,
    DisputeEvent,
    DisputeParty,
    DisputeSource,
    DisputeStatus,
    FollowUp,
    FollowUpOutcome,
    MediationMethod,
    MediationResult,
    MediationSession,
    RiskGrade,
)
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import warnings
from policeroom.services.disputes.warnings import WarningKind
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.paged_table import PagedTable
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.dispute_form import DisputeForm
from policeroom.ui.disputes.dispute_move import DisputeMoveScreen
from policeroom.ui.disputes.early_warnings import EarlyWarningsScreen
from policeroom.ui.people.resident_card import ResidentCardScreen
from tests.ui.conftest import settle, until
from tests.ui.disputes_world import CaseWorld, build_case_world, press

LATER = datetime(2022, 5, 10, 9, 30)


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


def the_dispute(db: Database) -> Dispute:
    with db.session() as session:
        found = session.exec(select(Dispute)).all()
        assert len(found) == 1
        return found[0]


async def register_from_the_card(pilot: Pilot[object], case: CaseWorld, db: Database) -> None:
    app = pilot.app
    await press(pilot, "2", "slash", *"zm")  # 张某 by pinyin initials
    await press(pilot, "enter", "enter")
    assert isinstance(app.screen, ResidentCardScreen)
    await press(pilot, "d")
    form = app.screen
    assert isinstance(form, DisputeForm)
    await press(pilot, "enter", "down", "enter")  # category: marriage and family
    # the ex-wife, found by name, joins 张某 as a party
    for _ in range(12):  # bounded: a missing field fails the test instead of hanging it
        await press(pilot, "tab")
        if form.focused is not None and "lookup--text" in form.focused.classes:
            break
    assert form.focused is not None and "lookup--text" in form.focused.classes
    await press(pilot, *"刘某芳", "enter")
    await press(pilot, "tab", "tab")  # outsiders (none), the grid (张某's)
    await press(pilot, "tab", "enter", "down", "enter")  # source: found on a visit
    await press(pilot, "tab", "tab", *"离婚后孩子抚养费纠纷，女方称男方拖欠抚养费")
    await press(pilot, "tab", "enter", "down", "down", "enter")  # risk: high
    await press(pilot, "tab", "down", "down", "space")  # why: a vulnerable party (a child)
    await press(pilot, "ctrl+s")
    assert form.field_errors == {}
    card = app.screen
    assert isinstance(card, ResidentCardScreen)
    assert "JF-2022-0001" in str(card.query_one("#card-disputes").render())
    await press(pilot, "escape")

    dispute = the_dispute(db)
    assert dispute.category is DisputeCategory.MARRIAGE_FAMILY
    assert dispute.source is DisputeSource.VISIT
    assert dispute.risk is RiskGrade.HIGH
    assert dispute.risk_reasons == "vulnerable_party"
    assert dispute.grid_id == case.world.group.id
    assert dispute.reported_on == date(2022, 5, 1)
    with db.session() as session:
        parties = session.exec(select(DisputeParty.resident_id, DisputeParty.name)).all()
    assert sorted(parties) == sorted([(case.husband_id, "张某"), (case.wife_id, "刘某芳")])


async def test_the_report_case_from_the_card_to_the_last_follow_up(
    case: CaseWorld, db: Database
) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await register_from_the_card(pilot, case, db)
        dispute_id = the_dispute(db).id
        await press(pilot, "3")
        table = app.screen.query_one("#disputes-table", PagedTable)
        # as a desk officer does, wait to see the new dispute on top before pressing enter
        await until(
            pilot,
            lambda: (
                app.focused is table
                and table.highlighted is not None
                and table.highlighted.id == dispute_id
            ),
        )
        await press(pilot, "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen) and card.dispute_id == dispute_id
        assert card.check_action("follow_up", ()) is False  # not resolved: no follow-up key

        # the officer handling it and the leader who owns the case
        await press(pilot, "a", *"王建国", "enter", "tab", *"李秀兰", "enter", "ctrl+s")
        assert app.screen is card
        assert the_dispute(db).assignee_id == case.world.officer_id
        assert the_dispute(db).leader_id == case.world.worker_id

        # the parties are called in: registered → mediating
        await press(pilot, "s")
        assert isinstance(app.screen, DisputeMoveScreen)
        await press(pilot, "down", "tab", *"约双方到警务室调解", "ctrl+s")
        assert app.screen is card
        assert the_dispute(db).status is DisputeStatus.MEDIATING

        # resolving before any session reached agreement is refused, and changes nothing
        with db.session() as session:
            events_before = len(session.exec(select(DisputeEvent)).all())
        await press(pilot, "s", "down", "tab", *"双方和解", "ctrl+s")
        move = app.screen
        assert isinstance(move, DisputeMoveScreen)
        notice = str(move.query_one("#form-notice").render())
        assert "record the mediation session first" in notice
        assert the_dispute(db).status is DisputeStatus.MEDIATING
        with db.session() as session:
            assert len(session.exec(select(DisputeEvent)).all()) == events_before
            assert not session.exec(select(FollowUp)).all()
        await press(pilot, "escape", "y")
        assert app.screen is card

        # mediated in the police room on 1 May, with the agreement written down
        await press(pilot, "m", *"光明路社区警务室")
        await press(pilot, "tab", "tab", "tab", "tab", "enter", "down", "enter")  # agreement
        await press(pilot, "tab", *"张某每月5日前支付抚养费1500元")
        await press(pilot, "ctrl+s")
        assert app.screen is card
        with db.session() as session:
            held = session.exec(select(MediationSession)).one()
        assert held.held_on == date(2022, 5, 1)
        assert held.place == "光明路社区警务室"
        assert held.method is MediationMethod.NEGOTIATION
        assert held.mediators == "王建国"
        assert held.parties_present == "张某、刘某芳"
        assert held.result is MediationResult.AGREEMENT
        assert held.agreement == "张某每月5日前支付抚养费1500元"

        # resolved: the follow-ups of the default rule are scheduled
        await press(pilot, "s", "down", "tab", *"达成调解协议", "ctrl+s")
        assert app.screen is card
        resolved = the_dispute(db)
        assert resolved.status is DisputeStatus.RESOLVED
        assert resolved.resolved_on == date(2022, 5, 1)
        with db.session() as session:
            due = session.exec(select(FollowUp.due_on).order_by(col(FollowUp.due_on))).all()
        assert due == [date(2022, 5, 8), date(2022, 5, 31)]
        assert card.card is not None
        assert sorted(h.kind.value for h in card.card.history) == [
            "mediation",
            "status",
            "status",
            "status",
        ]

    # ten days later the first follow-up is overdue
    later = ServiceContext(case.ctx.db, case.ctx.actor, Clock.fixed(LATER))
    found = warnings.early_warnings(later)
    ours = [w for w in found if w.dispute_id == dispute_id]
    assert [w.kind for w in ours] == [WarningKind.FOLLOW_UP_OVERDUE]
    before = warnings.count(later)

    app = PoliceRoomApp(later)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "w")
        listing = app.screen
        assert isinstance(listing, EarlyWarningsScreen)
        table = listing.query_one("#warnings-table", PagedTable)
        assert table.total == before
        await press(pilot, *["down"] * found.index(ours[0]))
        assert table.highlighted == ours[0]
        assert "2 days overdue" in str(listing.query_one("#warnings-detail").render())
        await press(pilot, "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen) and card.dispute_id == dispute_id
        assert card.query_one("#dispute-card-deadline").has_class("-overdue")

        # the follow-up is done: stable, and the parties are very satisfied
        await press(pilot, "f", "tab", "enter", "down", "enter", "tab", "enter", "down", "enter")
        await press(pilot, "ctrl+s")
        assert app.screen is card
        with db.session() as session:
            first = session.exec(select(FollowUp).order_by(col(FollowUp.due_on))).first()
        assert first is not None
        assert first.done_on == LATER.date()
        assert first.outcome is FollowUpOutcome.STABLE
        assert first.satisfaction == 5
        assert not card.query_one("#dispute-card-deadline").has_class("-overdue")

        await press(pilot, "escape")
        assert app.screen is listing
        assert table.total == before - 1
        assert all(w.dispute_id != dispute_id for w in table.loaded_rows)

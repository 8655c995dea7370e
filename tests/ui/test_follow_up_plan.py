"""A follow-up planned from the card on a day the officer types, keys only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeSource,
    DisputeStatus,
    FollowUp,
    MediationCreate,
    MediationMethod,
    MediationResult,
    PartyInput,
    StatusMove,
)
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger, mediation
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.follow_up_plan import FollowUpPlanForm
from tests.ui.conftest import settle
from tests.ui.disputes_world import CaseWorld, build_case_world, press


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


def resolve_one(case: CaseWorld) -> int:
    """张某 and 刘某芳's dispute, mediated and resolved on 2022-05-01."""
    ctx = case.ctx
    saved = disputes.register(
        ctx,
        DisputeCreate(
            category=DisputeCategory.MARRIAGE_FAMILY,
            description="离婚后孩子抚养费纠纷",
            grid_id=case.world.group.id,
            source=DisputeSource.WALK_IN,
            reported_on=date(2022, 4, 30),
            parties=[PartyInput(resident_id=case.husband_id), PartyInput(resident_id=case.wife_id)],
            assignee_id=case.world.officer_id,
        ),
    )
    mediation.record(
        ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 5, 1),
            place="光明路社区警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="王建国",
            result=MediationResult.AGREEMENT,
            agreement="张某每月5日前支付抚养费1500元",
        ),
    )
    disputes.move(
        ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="达成调解协议"),
        ledger.card(ctx, saved.id).version,
    )
    return saved.id


def planned(db: Database) -> list[date]:
    with db.session() as session:
        return list(session.exec(select(FollowUp.due_on).order_by(col(FollowUp.due_on))).all())


async def test_plan_a_follow_up_on_a_typed_day(case: CaseWorld, db: Database) -> None:
    dispute_id = resolve_one(case)
    automatic = planned(db)
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen) and card.dispute_id == dispute_id
        await press(pilot, "p")
        form = app.screen
        assert isinstance(form, FollowUpPlanForm)
        # A week on is 05-08, the automatic follow-up's day: the next free day is proposed.
        assert date(2022, 5, 8) in automatic
        proposed = form.query_one("#follow-up-plan-due-on", DateInput)
        assert proposed.date == date(2022, 5, 9)
        # The officer types the day the family asked for instead.
        await press(pilot, *"2022-06-15", "ctrl+s")
        assert app.screen is card
        assert planned(db) == sorted([*automatic, date(2022, 6, 15)])
        assert card.card is not None
        assert date(2022, 6, 15) in [f.due_on for f in card.card.follow_ups]

        # A day in the past is refused at the field and nothing is saved.
        await press(pilot, "p", *"2022-04-01", "ctrl+s")
        form = app.screen
        assert isinstance(form, FollowUpPlanForm)
        assert form.field_errors == {"due_on": ["2022-04-01 is in the past"]}
        await press(pilot, "escape", "y")
        assert app.screen is card
        assert len(planned(db)) == len(automatic) + 1

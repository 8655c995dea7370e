"""Issue 13 (14): the smaller defects a desk officer hit in a day's work."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeSource,
    MediationCreate,
    MediationMethod,
    MediationResult,
    PartyInput,
)
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import mediation
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.resident_picker import ResidentPicker
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.dispute_form import DisputeForm
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.ui.conftest import settle
from tests.ui.disputes_world import CaseWorld, build_case_world, press
from tests.ui.test_dispute_officer import tab_to


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


async def test_a_disputes_history_reads_in_time_order_within_a_day(case: CaseWorld) -> None:
    """Registered and mediated on the same day (the report's walk-in of 1 May): the
    registration came after the session it led to."""
    today = case.ctx.clock.today()
    saved = disputes.register(
        case.ctx,
        DisputeCreate(
            category=DisputeCategory.MARRIAGE_FAMILY,
            description="张某与前妻刘某芳因孩子抚养费争吵，到警务室求助",
            reported_on=today,
            grid_id=case.world.group.id,
            source=DisputeSource.WALK_IN,
            parties=[PartyInput(resident_id=case.husband_id), PartyInput(resident_id=case.wife_id)],
        ),
    )
    mediation.record(
        case.ctx,
        saved.id,
        MediationCreate(
            held_on=today,
            place="光明路社区警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="王建国",
            parties_present="张某、刘某芳",
            result=MediationResult.AGREEMENT,
            agreement="张某每月5日前支付抚养费800元",
        ),
    )
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)
        await settle(pilot)
        assert card.card is not None
        texts = [item.text for item in card.card.history]  # the lines of its history table
        assert texts[0] == "Registered", texts
        assert texts[1].startswith("Mediation"), texts
        assert texts[2].startswith("Registered → Mediating"), texts


async def test_after_the_last_party_is_removed_typing_goes_to_the_search(
    case: CaseWorld,
) -> None:
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        picker = form.query_one("#dispute-parties", ResidentPicker)
        await tab_to(pilot, form, picker.lookup.input)
        await press(pilot, *"张某", "enter")
        assert picker.value == (case.husband_id,)
        await press(pilot, "shift+tab")  # the chosen parties
        chosen = picker.query_one(".resident-picker--chosen", OptionList)
        assert form.focused is chosen
        await press(pilot, "delete")
        assert picker.value == ()
        assert form.focused is picker.lookup.input
        await press(pilot, *"刘某")
        assert picker.lookup.input.value == "刘某"


async def test_a_search_limited_to_the_trees_grid_says_so_and_widens_by_key(
    case: CaseWorld,
) -> None:
    case.world.resident("赵某强", case.world.group2)  # in 矿工路街道, not 西市场街道
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "1", "down")  # 西市场街道 selected in the tree
        await press(pilot, "2", "slash", *"zmq")
        await settle(pilot)
        pane = app.screen.query_one(ResidentsPane)
        status = pane.query_one("#residents-status", Static)
        assert pane.table.total == 0
        assert "only in the grid selected in the tree" in str(status.render())
        await press(pilot, "ctrl+g")
        await settle(pilot)
        assert pane.table.total == 1
        assert "in every grid" in str(status.render())
        await press(pilot, "ctrl+g")
        await settle(pilot)
        assert pane.table.total == 0

"""Parties with roles edited on the card after registration, keys only: ``r`` opens the
parties, ``r`` changes a role, ``n`` adds a party, ``delete`` removes one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select
from textual.widgets import Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeParty,
    DisputeSource,
    PartyInput,
    PartyRole,
)
from policeroom.services.disputes import entries as disputes
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.dispute_parties import DisputePartiesScreen
from policeroom.ui.disputes.party_form import PartyForm
from tests.ui.conftest import settle
from tests.ui.disputes_world import CaseWorld, build_case_world, press


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


def register(case: CaseWorld) -> int:
    """张某 and 刘某芳's support dispute, registered without roles."""
    return disputes.register(
        case.ctx,
        DisputeCreate(
            category=DisputeCategory.MARRIAGE_FAMILY,
            description="离婚后孩子抚养费纠纷",
            grid_id=case.world.group.id,
            source=DisputeSource.WALK_IN,
            reported_on=date(2022, 4, 30),
            parties=[PartyInput(resident_id=case.husband_id), PartyInput(resident_id=case.wife_id)],
        ),
    ).id


def parties(db: Database, dispute_id: int) -> list[tuple[str, PartyRole]]:
    with db.session() as session:
        rows = session.exec(
            select(DisputeParty.name, DisputeParty.role)
            .where(col(DisputeParty.dispute_id) == dispute_id)
            .order_by(col(DisputeParty.id))
        ).all()
    return [(name, PartyRole(role)) for name, role in rows]


async def test_roles_changed_a_child_added_and_a_party_removed(
    case: CaseWorld, db: Database
) -> None:
    dispute_id = register(case)
    assert parties(db, dispute_id) == [
        ("张某", PartyRole.APPLICANT),
        ("刘某芳", PartyRole.RESPONDENT),
    ]
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)
        await press(pilot, "r")
        screen = app.screen
        assert isinstance(screen, DisputePartiesScreen)

        # 张某 responds, 刘某芳 (who came to the desk) applies.
        await press(pilot, "r")
        assert isinstance(app.screen, PartyForm)
        await press(pilot, "enter", "down", "enter", "ctrl+s")
        assert app.screen is screen
        await press(pilot, "down", "enter")  # enter on a party is its role too
        await press(pilot, "enter", "up", "enter", "ctrl+s")
        assert parties(db, dispute_id) == [
            ("张某", PartyRole.RESPONDENT),
            ("刘某芳", PartyRole.APPLICANT),
        ]

        # Their son, not a resident here, as the child concerned.
        await press(pilot, "n")
        assert isinstance(app.screen, PartyForm)
        await press(pilot, "tab", *"张小宝", "tab", "enter", "down", "down", "enter", "ctrl+s")
        assert app.screen is screen
        assert parties(db, dispute_id)[-1] == ("张小宝", PartyRole.CHILD)

        # 张某 named in error is taken off; the last adult cannot be.
        await press(pilot, "home", "delete", "y")
        assert [name for name, _ in parties(db, dispute_id)] == ["刘某芳", "张小宝"]
        await press(pilot, "home", "delete", "y")
        notice = str(screen.query_one("#form-notice", Static).render())
        assert "a party besides the children" in notice
        assert len(parties(db, dispute_id)) == 2

        await press(pilot, "escape")
        assert app.screen is card
        assert card.card is not None
        assert [(p.name, p.role) for p in card.card.parties] == [
            ("刘某芳", PartyRole.APPLICANT),
            ("张小宝", PartyRole.CHILD),
        ]

"""The mediation agreement written from the dispute card with ``d``, keys only, into the
export folder of a remote session; the card then names the document."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from docx import Document
from textual.widgets import Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import DisputeCategory, DisputeCreate, DisputeSource, PartyInput
from policeroom.services.disputes import entries as disputes
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.agreement_export import AgreementExportForm
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from tests.ui.conftest import settle
from tests.ui.disputes_world import CaseWorld, build_case_world, press
from tests.ui.test_follow_up_plan import resolve_one


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


async def test_write_the_agreement_into_the_export_folder(case: CaseWorld, tmp_path: Path) -> None:
    resolve_one(case)
    folder = tmp_path / "exports"
    folder.mkdir()
    remote = dataclasses.replace(case.ctx, export_dir=folder)
    app = PoliceRoomApp(remote)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)
        await press(pilot, "d")
        form = app.screen
        assert isinstance(form, AgreementExportForm)
        # Over SSH a path out of the folder is refused at the field; nothing is written.
        await press(pilot, "ctrl+u", *"/tmp/协议.docx", "ctrl+s")
        assert app.screen is form
        assert "only a file name" in " ".join(form.field_errors["path"])
        await press(pilot, "ctrl+u", *"张某协议.docx", "ctrl+s")
        assert app.screen is card
        written = folder / "张某协议.docx"
        text = [p.text for p in Document(str(written)).paragraphs]
        assert text[0] == "People's Mediation Agreement"
        assert "张某每月5日前支付抚养费1500元" in text
        await settle(pilot)
        sessions = str(card.query_one("#dispute-card-sessions", Static).render())
        assert "张某协议.docx, written 2022-05-01" in sessions
        # Again under the same name: asked once, then replaced.
        await press(pilot, "d", "ctrl+u", *"张某协议.docx", "ctrl+s")
        assert app.screen is not card
        await press(pilot, "ctrl+s")
        assert app.screen is card
        assert sorted(p.name for p in folder.iterdir()) == ["张某协议.docx"]


async def test_no_agreement_to_write_before_one_was_reached(case: CaseWorld) -> None:
    disputes.register(
        case.ctx,
        DisputeCreate(
            category=DisputeCategory.NEIGHBOURS,
            description="楼道堆放杂物",
            grid_id=case.world.group.id,
            source=DisputeSource.WALK_IN,
            parties=[PartyInput(resident_id=case.husband_id)],
        ),
    )
    app = PoliceRoomApp(case.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)
        assert card.check_action("agreement", ()) is False
        await press(pilot, "d")
        assert app.screen is card

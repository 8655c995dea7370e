"""Issue 13 (13): no English left on the Chinese desk."""

from __future__ import annotations

import pytest
from sqlmodel import col, select
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Select
from textual.widgets._footer import FooterKey

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import Dispute, DisputeCategory, DisputeParty
from policeroom.models.people import Resident
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.dispute_form import DisputeForm
from policeroom.ui.disputes.party_form import PartyForm
from policeroom.ui.people.resident_card import ResidentCardScreen
from tests.ui.conftest import settle, until
from tests.ui.disputes_world import CaseWorld, build_case_world, press
from tests.ui.roster_world import Branch, branch, training_db, training_template
from tests.ui.test_dispute_parties import register
from tests.ui.test_palette import palette_choose

__all__ = ["branch", "training_db", "training_template"]


def card_text(card: ResidentCardScreen) -> str:
    return " ".join(str(widget.render()) for widget in card.query("Static"))


async def test_a_residents_dispute_category_is_in_chinese(branch: Branch) -> None:
    with branch.db.session() as session:
        name = session.exec(
            select(Resident.name)
            .join(DisputeParty, col(DisputeParty.resident_id) == col(Resident.id))
            .join(Dispute, col(Dispute.id) == col(DisputeParty.dispute_id))
            .where(col(Dispute.category) == DisputeCategory.MARRIAGE_FAMILY)
            .order_by(col(Resident.id))
        ).first()
    assert name is not None
    app = PoliceRoomApp(branch.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_choose(pilot, name)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        await settle(pilot)
        text = card_text(card)
        assert "婚姻家庭" in text, text
        assert "marriage" not in text


async def _open_palette(pilot: Pilot[object]) -> CommandPalette:
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    return palette


def _prompts(palette: CommandPalette) -> str:
    listed = palette.query_one(CommandList)
    return " ".join(str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count))


async def test_the_palettes_own_words_are_in_chinese(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        palette = await _open_palette(pilot)
        assert palette.query_one(Input).placeholder == "搜索命令…"
        await pilot.press("down")  # the list of every command
        await settle(pilot)
        words = _prompts(palette)
        for chinese in ("主题", "截图", "退出"):
            assert chinese in words, words
        for english in ("Theme", "Screenshot", "Quit the application", "Keys"):
            assert english not in words, english


async def test_the_palette_says_nothing_matched_in_chinese(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        palette = await _open_palette(pilot)
        await pilot.press(*"qxqxqx")
        await until(pilot, lambda: "没有匹配的结果" in _prompts(palette))
        assert "No matches found" not in _prompts(palette)


@pytest.fixture
def case(db: Database, clock: Clock) -> CaseWorld:
    return build_case_world(db, clock)


async def test_an_open_choice_list_says_its_key_in_chinese(case: CaseWorld) -> None:
    """Found walking the story: a form's open choice list showed "esc Dismiss menu"."""
    app = PoliceRoomApp(case.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        assert isinstance(form.focused, Select)  # the category, first field
        await press(pilot, "enter")
        await settle(pilot)
        footer = " ".join(key.description for key in app.screen.query(FooterKey))
        assert "关闭菜单" in footer, footer
        assert "Dismiss" not in footer


async def test_someone_not_living_here_has_one_name(case: CaseWorld) -> None:
    """Found walking the story: the dispute form said 非辖区人员, the party form 辖区外人员."""
    register(case)
    app = PoliceRoomApp(case.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "enter", "r", "n")
        form = app.screen
        assert isinstance(form, PartyForm)
        words = " ".join(str(widget.render()) for widget in form.query("Static, Label"))
        assert "非辖区人员" in words, words
        assert "辖区外" not in words


async def test_the_household_line_fits_when_its_address_is_the_residents(branch: Branch) -> None:
    """Found walking the story: the household line repeated the resident's address, and at
    80 columns their place in the household (父亲) fell alone onto the next line."""
    app = PoliceRoomApp(branch.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_choose(pilot, "胡广才")
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        await settle(pilot)
        household = str(card.query_one("#card-household").render()).splitlines()[0]
        assert household.startswith("户") and household.endswith("· 父亲"), household
        assert card_text(card).count("电业局家属院2号楼3单元201") == 1

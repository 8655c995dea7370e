"""The residents pane driven with keys: search every way, open the card, reveal (audited),
filter by grid, mark several for one visit, mark the anti-fraud app."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select
from textual.widgets import Static

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, RevealReason, Role
from policeroom.models.people import Resident, Visit, VisitResident
from policeroom.services.core.context import Actor
from policeroom.services.core.reveal import Reason
from policeroom.services.people import residents
from policeroom.ui.common.masked_field import MaskedField
from policeroom.ui.common.reveal_reason import RevealReasonScreen
from policeroom.ui.people.anti_fraud_form import AntiFraudForm
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.resident_form import ResidentForm
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.people.visit_form import VisitForm
from tests.ui.conftest import settle
from tests.ui.residents_world import (
    PaneApp,
    ResidentsWorld,
    build_residents_world,
    remove_resident,
)


@pytest.fixture
def people(db: Database, clock: Clock) -> ResidentsWorld:
    return build_residents_world(db, clock)


def listed(app: PaneApp) -> list[str]:
    table = app.query_one(ResidentsPane).table
    assert table.loaded_offset == 0
    return [row.name for row in table.loaded_rows]  # a short list: all of it is loaded


async def search(pilot, app: PaneApp, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash", *keys)
    await settle(pilot)


async def test_search_by_pinyin_hanzi_and_number_tail(people: ResidentsWorld) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert sorted(listed(app)) == sorted(["张三", "张小红", "李四", "王五", "赵建国"])
        await search(pilot, app, "z", "s")
        assert listed(app) == ["张三"]
        await pilot.press("escape")
        await search(pilot, app, *"zhangsan")
        assert listed(app) == ["张三"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(listed(app)) == 5
        await search(pilot, app, "张")
        assert listed(app) == ["张三", "张小红"]
        await pilot.press("escape")
        await search(pilot, app, *"1234")  # phone tail of 张小红
        assert listed(app) == ["张小红"]
        status = str(app.query_one("#residents-status").render())
        assert "1 resident" in status


async def test_find_by_pinyin_open_the_card_and_reveal_the_id(
    people: ResidentsWorld, db: Database
) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, app, "z", "s")
        await pilot.press("enter", "enter")  # leave the search box, open the highlighted
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        id_field = card.query_one("#card-id-number", MaskedField)
        assert "*" in id_field.shown
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RevealReasonScreen)  # nothing shown before the reason
        assert "*" in id_field.shown
        await pilot.press("v")
        await settle(pilot)
        assert id_field.shown == "410402197703020116"
        assert card.query_one("#card-phone", MaskedField).shown == "13800138000"
        with db.session() as session:
            reveals = session.exec(
                select(AuditLog).where(AuditLog.action == AuditAction.REVEAL)
            ).all()
        assert {(r.record_id, r.field) for r in reveals} == {
            (people.ids["张三"], "id_number"),
            (people.ids["张三"], "phone"),
            (people.ids["张三"], "birth_date"),  # hidden with the ID number
        }
        await pilot.press("r")  # masks again, without asking the database
        assert "*" in id_field.shown
        await pilot.press("escape")
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)


async def test_a_reveal_asks_why_escape_shows_nothing_other_needs_words(
    people: ResidentsWorld, db: Database
) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, app, "z", "s")
        await pilot.press("enter", "enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        id_field = card.query_one("#card-id-number", MaskedField)
        await pilot.press("r", "escape")
        await settle(pilot)
        assert app.screen is card and "*" in id_field.shown
        await pilot.press("r", "o")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RevealReasonScreen)
        await pilot.press("enter")  # no words typed: told where, nothing shown
        await settle(pilot)
        assert app.screen is modal
        assert "type the reason" in str(modal.query_one("#reveal-error").render())
        for key in "zhang":  # letters typed here are the reason's, not choices
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is card and id_field.shown == "410402197703020116"
    with db.session() as session:
        reveals = session.exec(select(AuditLog).where(AuditLog.action == AuditAction.REVEAL)).all()
    assert {r.field for r in reveals} == {"id_number", "phone", "birth_date"}
    assert {r.after for r in reveals} == {json.dumps({"reason": "other", "detail": "zhang"})}


async def test_headquarters_reveals_with_a_reason_and_changes_nothing(
    people: ResidentsWorld, db: Database
) -> None:
    hq = people.ctx.as_actor(Actor(login="hq1", role=Role.HQ))
    app = PaneApp(hq)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, app, "z", "s")
        await pilot.press("enter", "enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        id_field = card.query_one("#card-id-number", MaskedField)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RevealReasonScreen)  # asked why, as a desk is
        await pilot.press("v")
        await settle(pilot)
        assert app.screen is card and id_field.shown == "410402197703020116"
        with db.session() as session:
            reveals = session.exec(
                select(AuditLog).where(AuditLog.action == AuditAction.REVEAL)
            ).all()
        assert {(r.user_login, r.after) for r in reveals} == {
            ("hq1", json.dumps({"reason": "visit"}))
        }
        # a read-only role has no keys to change anything
        assert app.screen.check_action("edit", ()) is False


async def test_filter_by_grid_lists_only_its_residents(people: ResidentsWorld) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(ResidentsPane)
        pane.filter_grid(people.world.street2.id)
        await settle(pilot)
        assert listed(app) == ["赵建国"]
        pane.filter_grid(people.world.village.id)
        await settle(pilot)
        assert sorted(listed(app)) == sorted(["张三", "张小红", "李四", "王五"])
        pane.filter_grid(None)
        await settle(pilot)
        assert len(listed(app)) == 5


async def test_a_visit_to_two_marked_residents(people: ResidentsWorld, db: Database) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # list order is by pinyin: 李四, 王五, 张三, 张小红, 赵建国
        await pilot.press("space", "down", "down", "space", "v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitForm)
        assert set(form.values()["resident_ids"]) == {people.ids["李四"], people.ids["张三"]}
        await pilot.press(*"王建")  # the staff lookup has the focus
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)
        assert app.query_one(ResidentsPane).table.marked == []
        with db.session() as session:
            visit = session.exec(select(Visit)).one()
            visited = session.exec(
                select(VisitResident.resident_id).where(VisitResident.visit_id == visit.id)
            ).all()
        assert visit.staff_id == people.world.officer_id
        assert set(visited) == {people.ids["李四"], people.ids["张三"]}
        assert json.loads(visit.checklist) == []


async def test_mark_the_anti_fraud_app_with_date_and_staff(
    people: ResidentsWorld, db: Database
) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # 李四, first in pinyin order
        await settle(pilot)
        assert isinstance(app.screen, AntiFraudForm)
        await pilot.press("y", "tab", *"李秀", "enter")  # yesterday, by the grid worker
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        with db.session() as session:
            li = session.get(Resident, people.ids["李四"])
            others = session.exec(select(Resident).where(col(Resident.anti_fraud_installed))).all()
        assert li is not None and li.anti_fraud_installed
        assert str(li.anti_fraud_on) == "2022-04-30"
        assert li.anti_fraud_by_id == people.world.worker_id
        assert [r.name for r in others] == ["李四"]
        app.query_one(ResidentsPane).table.move_cursor(0)
        await settle(pilot)
        assert app.query_one(ResidentsPane).table.highlighted.anti_fraud_installed  # type: ignore[union-attr]


async def test_a_card_that_cannot_be_read_closes_and_says_why(
    people: ResidentsWorld, db: Database
) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, app, *"wangwu")
        assert listed(app) == ["王五"]
        remove_resident(db, people.ids["王五"])  # another desk, while 王五 is listed here
        await pilot.press("enter", "enter")  # leave the search box, open the card
        await settle(pilot)
        assert not isinstance(app.screen, ResidentCardScreen)
        assert app.focused is app.query_one(ResidentsPane).table
        assert len(app.errors) == 1
        assert "Could not read the resident" in app.errors[0]


def screen_text(app: PaneApp) -> str:
    """Every word the screen shows (statics, masked fields, inputs and their placeholders)."""
    from textual.widgets import Input  # noqa: PLC0415

    parts = [str(widget.render()) for widget in app.screen.query(Static)]
    parts += [f"{box.value} {box.placeholder}" for box in app.screen.query(Input)]
    return "\n".join(parts)


async def test_a_masked_card_and_form_do_not_give_the_birth_date_away(
    people: ResidentsWorld,
) -> None:
    """Issue 13, defect 1: "Born 1977-03-02" under a masked ID gave its hidden digits away."""
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, app, "z", "s")
        await pilot.press("enter", "enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        shown = screen_text(app)
        assert "张三" in shown and "410402" in shown
        for hidden in ("1977-03-02", "19770302", "1977", "03-02", "3/2"):
            assert hidden not in shown, hidden
        await pilot.press("r", "c")  # the audited reveal shows the number and the birth date
        await settle(pilot)
        assert "1977-03-02" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert "1977-03-02" not in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ResidentForm)
        shown = screen_text(app)
        for hidden in ("1977-03-02", "19770302", "1977", "03-02", "3/2"):
            assert hidden not in shown, hidden
        await pilot.press("ctrl+s")  # nothing typed: the stored birth date is kept
        await settle(pilot)
    card_now = residents.card(people.ctx, people.ids["张三"])
    assert card_now.age is not None
    assert (
        residents.reveal(
            people.ctx, people.ids["张三"], "birth_date", reason=Reason(RevealReason.VISIT)
        )
        == "1977-03-02"
    )


async def test_moving_in_the_list_leaves_the_footer_alone(people: ResidentsWorld) -> None:
    app = PaneApp(people.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(ResidentsPane)
        pane.table.focus()
        await settle(pilot)
        footer_redrawn: list[object] = []
        app.screen.bindings_updated_signal.subscribe(pane, footer_redrawn.append)
        await pilot.press("down", "down", "up")
        await settle(pilot)
        assert pane.table.cursor_index == 1
        # The keys offered did not change, so the footer is not sent again for each move.
        assert footer_redrawn == []
        await search(pilot, app, *"nobody")  # no resident under the cursor: Edit goes
        assert pane.table.highlighted is None
        assert footer_redrawn
        assert pane.check_action("edit", ()) is None

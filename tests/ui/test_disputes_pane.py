"""The disputes pane driven with keys: filters and "needs action", registering with an
outsider, errors at the fields, the weekly sweep with a nil report, and the ledger export."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from openpyxl import load_workbook
from rich.cells import cell_len
from sqlmodel import select
from textual.widgets import Static

from policeroom.models.audit import Role
from policeroom.models.disputes import (
    Dispute,
    DisputeParty,
    DisputeStatus,
    RiskGrade,
    StatusMove,
    SweepReport,
)
from policeroom.services.core.context import Actor
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger, sweeps, warnings
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.disputes.warnings import WarningKind
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.form_base import FormField
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.dispute_filter import DisputeFilterScreen
from policeroom.ui.disputes.dispute_form import DisputeForm, parse_outsiders
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.disputes.early_warnings import EarlyWarningsScreen
from policeroom.ui.disputes.ledger_export import LedgerExportScreen
from policeroom.ui.disputes.sweep_form import SweepForm
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.ui.disputes_world import press, remove_dispute
from tests.ui.noted_app import NotedApp
from tests.unit.people_world import World


def pane_of(app: PoliceRoomApp) -> DisputesPane:
    return app.screen.query_one(DisputesPane)


def numbers(pane: DisputesPane) -> list[str]:
    return [row.number for row in pane.table.loaded_rows]


def test_outsiders_are_read_as_name_and_phone() -> None:
    people = parse_outsiders("王某 13812345678；刘某, 13900000000 李某某")
    assert [(p.name, p.phone) for p in people] == [
        ("王某", "13812345678"),
        ("刘某", ""),
        ("李某某", "13900000000"),
    ]
    assert parse_outsiders("  ") == []


async def test_filters_narrow_the_list_and_escape_clears_them(world: World) -> None:
    ctx = world.ctx
    mediating = ledger.window(ctx, DisputeQuery(), 0, 10)[-1]  # the older one, 张三's
    disputes.move(
        ctx,
        mediating.id,
        StatusMove(to_status=DisputeStatus.MEDIATING, reason="约双方调解"),
        mediating.version,
    )
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        pane = pane_of(app)
        assert pane.table.total == 2
        await press(pilot, "f")
        assert isinstance(app.screen, DisputeFilterScreen)
        await press(pilot, "enter", *["down"] * 3, "enter")  # status: mediating
        await press(pilot, "ctrl+s")
        assert pane.filter.status is DisputeStatus.MEDIATING
        assert numbers(pane) == [mediating.number]
        assert "Mediating" in str(pane.query_one("#disputes-status").render())

        await press(pilot, "f", "tab", "enter", "down", "enter", "ctrl+s")  # and low risk
        assert pane.filter.risk is RiskGrade.LOW
        assert pane.table.total == 0  # 张三's is high risk

        await press(pilot, "escape")  # no search typed: the filter goes
        assert not pane.filter.active
        assert pane.table.total == 2

        # needs action: the high-risk one is past its one-day deadline, the other is not due
        await press(pilot, "exclamation_mark")
        expected = ledger.count(ctx, DisputeQuery(needs_action=True))
        assert pane.filter.needs_action and pane.table.total == expected == 1
        await press(pilot, "exclamation_mark")
        assert pane.table.total == 2

        # a period that ends before it starts is refused where it was typed
        await press(pilot, "f", "tab", "tab", "tab", *"2022-05-01", "tab", *"2022-04-01")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, DisputeFilterScreen)
        date_to = app.screen.query_one("#field-date_to", FormField)
        assert date_to.errors == ["the period ends before it starts"]
        await press(pilot, "escape")
        assert not pane.filter.active


async def test_register_from_the_pane_with_an_outsider(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "n")
        form = app.screen
        assert isinstance(form, DisputeForm)
        await press(pilot, "ctrl+s")  # nothing typed: every wrong field says so
        assert set(form.field_errors) == {"category", "parties", "grid_id", "source", "description"}
        await press(pilot, "escape")  # nothing typed, so nothing to ask
        assert not isinstance(app.screen, DisputeForm)

        await press(pilot, "n", "enter", *["down"] * 2, "enter")  # neighbours
        form = app.screen
        assert isinstance(form, DisputeForm)
        for _ in range(12):  # a bounded walk: a field that is not there fails, not hangs
            if form.focused is not None and form.focused.id == "dispute-outsiders":
                break
            await press(pilot, "tab")
        assert form.focused is not None and form.focused.id == "dispute-outsiders"
        await press(pilot, *"王某 13812345678;李某某", "tab", *"光明路一组", "enter")
        await press(pilot, "tab", "enter", *["down"] * 2, "enter")  # walk-in
        await press(pilot, "tab", "tab", *"楼上漏水", "ctrl+s")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)

    with world.ctx.db.session() as session:
        made = session.get(Dispute, card.dispute_id)
        assert made is not None and made.grid_id == world.group.id
        parties = session.exec(
            select(DisputeParty.name, DisputeParty.phone, DisputeParty.resident_id).where(
                DisputeParty.dispute_id == made.id
            )
        ).all()
    assert sorted(parties) == [("李某某", "", None), ("王某", "13812345678", None)]


async def test_an_outsiders_wrong_phone_is_shown_under_the_outsiders(world: World) -> None:
    with world.ctx.db.session() as session:
        before = len(session.exec(select(Dispute.id)).all())
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "n", "enter", *["down"] * 2, "enter")  # neighbours
        form = app.screen
        assert isinstance(form, DisputeForm)
        for _ in range(12):  # a bounded walk: a field that is not there fails, not hangs
            if form.focused is not None and form.focused.id == "dispute-outsiders":
                break
            await press(pilot, "tab")
        await press(pilot, *"王某 1381234567", "tab", *"光明路一组", "enter")  # ten digits
        await press(pilot, "tab", "enter", *["down"] * 2, "enter")  # walk-in
        await press(pilot, "tab", "tab", *"楼上漏水", "ctrl+s")
        assert app.screen is form
        assert form.field_errors == {"outsiders": ["not a valid phone number"]}
    with world.ctx.db.session() as session:
        assert len(session.exec(select(Dispute.id)).all()) == before


async def test_weekly_sweep_with_a_nil_report_settles_its_warning(world: World) -> None:
    ctx = world.ctx
    week, missing = sweeps.missing_rooms(ctx)
    assert [room.id for room in missing] == [world.room_id]
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "w")
        listing = app.screen
        assert isinstance(listing, EarlyWarningsScreen)
        found = warnings.early_warnings(ctx)
        sweep_at = [w.kind for w in found].index(WarningKind.MISSING_SWEEP)
        await press(pilot, *["down"] * sweep_at, "enter")
        form = app.screen
        assert isinstance(form, SweepForm)
        assert form.field("police_room_id").value == world.room_id
        assert "光明路社区警务室" in str(form.query_one("#sweep-missing").render())
        await press(pilot, "ctrl+s")  # neither disputes found nor a nil report
        assert "disputes_found" in form.field_errors
        assert form.focused is not None and form.focused.id == "sweep-found"  # the wrong one
        await press(pilot, "shift+tab", "space", "ctrl+s")  # nil report
        assert app.screen is listing
        assert listing.query_one("#warnings-table").total == len(found) - 1  # type: ignore[attr-defined]

    with ctx.db.session() as session:
        report = session.exec(select(SweepReport)).one()
    assert (report.police_room_id, report.week_start, report.nil_report) == (
        world.room_id,
        week,
        True,
    )


async def test_export_the_ledger_to_xlsx_then_csv(world: World, tmp_path: Path) -> None:
    app = PoliceRoomApp(world.ctx)
    target = tmp_path / "台账.xlsx"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "x")
        form = app.screen
        assert isinstance(form, LedgerExportScreen)
        await press(pilot, *"2022-04-25", "tab", "tab", "tab", "tab")  # from 25 April, to the file
        await press(pilot, "ctrl+a", "ctrl+k", *str(target), "ctrl+s")
        assert not isinstance(app.screen, LedgerExportScreen)
        rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
        assert len(rows) == 2  # the header and 李四's dispute of 28 April
        assert "李四" in " ".join(str(cell) for cell in rows[1])

        csv_target = tmp_path / "ledger.csv"
        await press(pilot, "x", "tab", "tab", "tab", "enter", "down", "enter")  # CSV, every date
        export = app.screen
        assert isinstance(export, LedgerExportScreen)
        assert str(export.field("path").value).endswith(".csv")
        await press(pilot, "tab", "ctrl+a", "ctrl+k", *str(csv_target), "ctrl+s")
        assert not isinstance(app.screen, LedgerExportScreen)
    with csv_target.open(encoding="utf-8-sig") as stream:
        assert len(list(csv.reader(stream))) == 3


async def test_a_read_only_role_cannot_register_or_sweep(world: World) -> None:
    hq = world.ctx.as_actor(Actor(login="hq1", role=Role.HQ))
    app = PoliceRoomApp(hq)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        pane = pane_of(app)
        assert pane.check_action("new", ()) is False
        assert pane.check_action("sweep", ()) is False
        await press(pilot, "n")
        assert not isinstance(app.screen, DisputeForm)
        await press(pilot, "enter")
        card = app.screen
        assert isinstance(card, DisputeCardScreen)
        for action in ("move", "mediate", "assign", "edit"):
            assert card.check_action(action, ()) is False


async def test_a_sweep_from_the_pane_is_told_and_the_same_week_is_refused(world: World) -> None:
    week, _missing = sweeps.missing_rooms(world.ctx)
    app = NotedApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "ctrl+w")
        form = app.screen
        assert isinstance(form, SweepForm)
        assert form.field("police_room_id").value == world.room_id  # the one not yet swept
        nil = form.query_one("#sweep-nil")
        while app.focused is not nil:
            await press(pilot, "tab")
        await press(pilot, "space", "ctrl+s")
        assert isinstance(app.screen, MainScreen)
        told = [text for text, _severity in app.notes if "confirmed for" in text]
        assert told == [f"Sweep of the week of {week.isoformat()} confirmed for 光明路社区警务室."]

        await press(pilot, "ctrl+w")  # the same room and week again: the service refuses
        again = app.screen
        assert isinstance(again, SweepForm)
        assert again.field("police_room_id").value is None  # every room has swept
        await press(pilot, "enter", "down", "enter")  # the only room
        assert again.field("police_room_id").value == world.room_id
        nil = again.query_one("#sweep-nil")
        while app.focused is not nil:
            await press(pilot, "tab")
        await press(pilot, "space", "ctrl+s")
        assert app.screen is again
        assert "already confirmed" in again.field_errors["week_start"][0]
        assert len([text for text, _severity in app.notes if "confirmed for" in text]) == 1
    with world.ctx.db.session() as session:
        assert len(session.exec(select(SweepReport)).all()) == 1


async def test_a_dispute_that_cannot_be_read_closes_and_says_why(world: World) -> None:
    app = NotedApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        pane = pane_of(app)
        row = pane.table.highlighted
        assert row is not None
        remove_dispute(world.ctx.db, row.id)  # another desk, while it is listed here
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert app.errors() == [f"Could not read the dispute: no dispute with number {row.id}"]
        assert row.number not in numbers(pane)  # the list was read again


async def test_a_remote_session_exports_by_file_name_into_its_folder(
    world: World, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    app = PoliceRoomApp(dataclasses.replace(world.ctx, export_dir=folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "x")
        form = app.screen
        assert isinstance(form, LedgerExportScreen)
        assert form.field("path").value == f"disputes-ledger-{world.ctx.clock.today()}.xlsx"
        hint = str(form.field("path").query_one(".form-field--hint", Static).render())
        assert str(folder) in hint
        await press(pilot, "tab", "tab", "tab", "tab")
        await press(pilot, "ctrl+a", "ctrl+k", *str(tmp_path / "台账.xlsx"), "ctrl+s")
        assert app.screen is form
        assert "only a file name" in form.field_errors["path"][0]
        await press(pilot, "ctrl+a", "ctrl+k", *"台账.xlsx", "ctrl+s")
        assert not isinstance(app.screen, LedgerExportScreen)
    assert (folder / "台账.xlsx").is_file()
    assert not (tmp_path / "台账.xlsx").exists()


async def test_at_80_columns_the_list_keeps_the_risk_and_whole_headings(world: World) -> None:
    """Issue 13: at 80x24 the risk grade was left out, and a heading was cut mid-word."""
    for language in ("en", "zh"):
        app = PoliceRoomApp(world.ctx, language=language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "3")
            shown = pane_of(app).table.shown_columns()
            keys = [column.key for column, _width in shown]
            assert keys[:5] == ["number", "parties", "risk", "status", "deadline"], language
            for column, width in shown:
                assert cell_len(column.label) <= width, (language, column.label, width)

"""SVG snapshots at 80x24 (English) of the residents part of the program."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.paged_table import PagedTable
from tests.snapshots.conftest import ready
from tests.ui.conftest import settle
from tests.ui.paged_helpers import PEOPLE_COLUMNS, CountingSource
from tests.ui.paged_helpers import settle as settle_table
from tests.ui.residents_world import PaneApp, ResidentsWorld, build_residents_world
from tests.unit.people_world import World


class PagedTableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(
            PEOPLE_COLUMNS, source=CountingSource(200_000).source(), row_key=lambda p: p.number
        )
        yield Footer()


def test_paged_table_after_paging_and_marking(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        table = pilot.app.query_one(PagedTable)
        await settle_table(pilot, table)
        await pilot.press("pagedown", "down", "down")
        await settle_table(pilot, table)
        table.toggle_mark()
        await pilot.press("down")
        await settle_table(pilot, table)

    assert snap_compare(PagedTableApp(), run_before=run_before)


@pytest.fixture
def people(sqlite_db: Database, clock: Clock) -> ResidentsWorld:
    return build_residents_world(sqlite_db, clock)


def test_residents_pane(snap_compare: Any, people: ResidentsWorld) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "space", "down")
        await settle(pilot)

    assert snap_compare(PaneApp(people.ctx), run_before=run_before)


def test_resident_card_masked(snap_compare: Any, people: ResidentsWorld) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)

    assert snap_compare(PaneApp(people.ctx), run_before=run_before)


def test_resident_form_with_field_errors(snap_compare: Any, people: ResidentsWorld) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"孙悟空", "tab", *"410402198808080170", "tab", *"1380013800")
        await pilot.press("tab", "tab", *"2/30", "ctrl+s")
        await settle(pilot)

    assert snap_compare(PaneApp(people.ctx), run_before=run_before)


def test_visit_form(snap_compare: Any, people: ResidentsWorld) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("space", "down", "down", "space", "v")
        await settle(pilot)
        await pilot.press(*"王建")
        await settle(pilot)
        await pilot.press("enter", "tab", "enter", "down", "enter")
        await settle(pilot)

    assert snap_compare(PaneApp(people.ctx), run_before=run_before)


def test_anti_fraud_form(snap_compare: Any, desk: World) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("f")  # 李四, first in pinyin order
        await ready(pilot)
        await pilot.press("y", "tab", *"李秀")  # yesterday, by the grid worker
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(desk.ctx), terminal_size=(80, 24), run_before=run_before)

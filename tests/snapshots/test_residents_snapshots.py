"""SVG snapshots at 80x24 (English) of the residents part of the program."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer

from policeroom.ui.widgets.paged_table import PagedTable
from tests.ui.paged_helpers import PEOPLE_COLUMNS, CountingSource, settle


class PagedTableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(
            PEOPLE_COLUMNS, source=CountingSource(200_000).source(), row_key=lambda p: p.number
        )
        yield Footer()


def test_paged_table_after_paging_and_marking(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        table = pilot.app.query_one(PagedTable)
        await settle(pilot, table)
        await pilot.press("pagedown", "down", "down")
        await settle(pilot, table)
        table.toggle_mark()
        await pilot.press("down")
        await settle(pilot, table)

    assert snap_compare(PagedTableApp(), run_before=run_before)

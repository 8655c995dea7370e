"""The visits (走访) behind a statistics figure: those of one station, police room or grid in
the period, newest first, read a window at a time. ``enter`` opens the card of the first
resident the visit met, where the desk shows a resident's visits."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from policeroom.i18n import _, ngettext
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import figure_lists
from policeroom.services.reports.figure_lists import Unit, VisitLine
from policeroom.ui.common.paged_table import Column, TableSource
from policeroom.ui.common.record_list import RecordListScreen
from policeroom.ui.people.resident_card import ResidentCardScreen


def met_text(visit: VisitLine) -> str:
    """The residents met, by name (``张三、李四``)."""
    return "、".join(visit.resident_names)


class VisitListScreen(RecordListScreen[VisitLine]):
    """The period's visits on ``unit``'s grids: as many as its ``visits`` figure."""

    def __init__(
        self, ctx: ServiceContext, unit: Unit, date_from: date, date_to: date, where: str
    ) -> None:
        super().__init__(ctx, _("Visits"), where)
        self.unit = unit
        self.date_from = date_from
        self.date_to = date_to

    def columns(self) -> list[Column[VisitLine]]:
        return [
            Column("date", _("Date"), lambda v: f"{v.visit_date:%m-%d}", 5),
            Column("grid", _("Grid"), lambda v: v.grid_name, 8, grow=1),
            Column("met", _("Residents met"), met_text, 10, grow=2),
            Column("officer", _("Officer"), lambda v: v.staff_name, 7, drop=1),
            Column("summary", _("Summary"), lambda v: v.summary, 12, grow=3, drop=2),
        ]

    def source(self) -> TableSource[VisitLine]:
        ctx, unit, first, last = self.ctx, self.unit, self.date_from, self.date_to
        return TableSource(
            count=lambda: figure_lists.visit_count(ctx, unit, first, last),
            window=lambda offset, limit: figure_lists.visit_window(
                ctx, unit, first, last, offset, limit
            ),
        )

    def counted(self, total: int) -> str:
        return ngettext("{n} visit", "{n} visits", total).format(n=total)

    def empty_text(self) -> str:
        return _("No visit in this period")

    def detail(self, row: VisitLine) -> Text:
        text = Text(f"{row.visit_date.isoformat()} · {row.grid_name} ({row.grid_code}) · ")
        text.append(label(row.purpose) + " · " + row.staff_name)
        text.append("\n" + _("Met: {names}").format(names=met_text(row) or "—"))
        if row.summary:
            text.append("\n" + row.summary.splitlines()[0])
        if row.resident_ids:
            text.append(
                "\n" + _("enter: {name}'s card").format(name=row.resident_names[0]), style="dim"
            )
        return text

    def can_open(self, row: VisitLine | None) -> bool | None:
        return None if row is None or not row.resident_ids else True

    def open_row(self, row: VisitLine) -> None:
        if row.resident_ids:
            self.app.push_screen(ResidentCardScreen(self.ctx, row.resident_ids[0]))

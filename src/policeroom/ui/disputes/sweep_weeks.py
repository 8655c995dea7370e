"""The weekly sweeps (排查) behind the "missing weekly sweeps" figure: every week of the
period that has fully passed, for each police room of a station or one room, confirmed or
missing. ``c`` (or ``enter``) on a missing week confirms it, with the disputes found or a
nil report (零报告), in the desk's sweep form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType

from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes.sweeps import SweepRow
from policeroom.services.reports import figure_lists
from policeroom.services.reports.figure_lists import SweepWeek, Unit
from policeroom.ui.common.paged_table import Column, TableSource
from policeroom.ui.common.record_list import RecordListScreen
from policeroom.ui.common.workers import service_worker
from policeroom.ui.disputes import messages
from policeroom.ui.disputes.sweep_form import SweepForm, confirmed_text


def week_text(week: date) -> str:
    return f"{week:%m-%d}–{week + timedelta(days=6):%m-%d}"


def state_text(line: SweepWeek) -> Text:
    if not line.confirmed:
        return Text(_("missing"), style="bold")
    if line.nil_report:
        return Text(_("nil report"))
    return Text(
        ngettext("{n} found", "{n} found", line.disputes_found).format(n=line.disputes_found)
    )


class SweepWeeksScreen(RecordListScreen[SweepWeek]):
    """The passed weeks of the period for ``unit``'s rooms; as many missing as its figure."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "confirm",
            _("Confirm"),
            tooltip=_("Confirm the highlighted missing week's sweep, or a nil report"),
            id="sweeps.confirm",
        ),
    ]

    def __init__(
        self, ctx: ServiceContext, unit: Unit, date_from: date, date_to: date, where: str
    ) -> None:
        super().__init__(ctx, _("Weekly sweeps"), where)
        self.unit = unit
        self.date_from = date_from
        self.date_to = date_to
        self.missing: int | None = None

    def columns(self) -> list[Column[SweepWeek]]:
        return [
            Column("room", _("Police room"), lambda w: f"{w.room_code} {w.room_name}", 12, grow=1),
            Column("week", _("Week of"), lambda w: week_text(w.week_start), 11),
            Column("state", _("Sweep"), state_text, 10),
            Column("by", _("Confirmed by"), lambda w: w.confirmed_by, 10, grow=1, drop=1),
        ]

    def source(self) -> TableSource[SweepWeek]:
        ctx, unit, first, last = self.ctx, self.unit, self.date_from, self.date_to

        return TableSource(
            count=lambda: figure_lists.sweep_week_count(ctx, unit, first, last),
            window=lambda offset, limit: figure_lists.sweep_week_window(
                ctx, unit, first, last, offset, limit
            ),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._read_missing()

    def reload(self) -> None:
        super().reload()
        self._read_missing()

    # the missing weeks are the figure: counted beside the lines, for the list's subtitle
    @service_worker(messages.SWEEP_MISSING)
    def _read_missing(self) -> messages.MissingSweepsRead:
        return messages.MissingSweepsRead(
            figure_lists.missing_sweep_count(self.ctx, self.unit, self.date_from, self.date_to)
        )

    @on(messages.MissingSweepsRead)
    def _missing_read(self, message: messages.MissingSweepsRead) -> None:
        message.stop()
        self.missing = message.missing
        self.show_count()

    def counted(self, total: int) -> str:
        if self.missing is None:
            return ngettext("{n} room-week", "{n} room-weeks", total).format(n=total)
        missing = self.missing
        return ngettext(
            "{missing} missing of {n} room-week", "{missing} missing of {n} room-weeks", total
        ).format(missing=missing, n=total)

    def empty_text(self) -> str:
        if self.unit.kind == "grid":
            return _("A weekly sweep is a police room's: ⏎ on the room's row lists its weeks")
        return _("No week of this period has fully passed")

    def detail(self, row: SweepWeek) -> Text:
        text = Text(f"{row.room_code} {row.room_name} · {week_text(row.week_start)} · ")
        text.append_text(state_text(row))
        if row.confirmed and row.confirmed_at is not None:
            text.append(
                " · "
                + _("confirmed by {who} on {when}").format(
                    who=row.confirmed_by, when=f"{row.confirmed_at:%Y-%m-%d}"
                )
            )
        elif self.ctx.actor.can_write:
            text.append("\n" + _("c: confirm this week's sweep"), style="dim")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            if not self.ctx.actor.can_write:
                return False
            row = self.table.highlighted if self.is_mounted else None
            return True if row is not None and not row.confirmed else None
        return True

    def can_open(self, row: SweepWeek | None) -> bool | None:
        if not self.ctx.actor.can_write:
            return False  # a confirmed week opens nothing; only a missing one, to confirm it
        return None if row is None or row.confirmed else True

    def open_row(self, row: SweepWeek) -> None:
        if not row.confirmed and self.ctx.actor.can_write:
            self._confirm(row)

    def action_confirm(self) -> None:
        row = self.table.highlighted
        if row is not None and not row.confirmed:
            self._confirm(row)

    def _confirm(self, row: SweepWeek) -> None:
        self.opened = False
        form = SweepForm(self.ctx, row.police_room_id, row.week_start)
        self.app.push_screen(form, self._confirmed)

    def _confirmed(self, row: SweepRow | None) -> None:
        self.opened = False  # read again here, with the missing weeks
        if row is not None:
            self.changed = True
            self.app.notify(confirmed_text(row))
            self.reload()

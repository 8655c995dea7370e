"""The 1-3-5 response log (快速反应): calls of a period with each tier's time to scene, and
how often each tier was on scene in its minutes, over the period and by day, week or month.

``[``/``]`` move the period, ``p`` makes it a week, a month or a year; ``n`` logs a call,
``e`` sets a tier's times of the call under the cursor.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import response
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.response import CallRow
from policeroom.ui.common import styles
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.duty import STYLESHEET as duty_sheet
from policeroom.ui.duty import messages
from policeroom.ui.duty.response_call_form import ArrivalForm, CallForm
from policeroom.ui.duty.response_text import (
    GROUPING,
    SPANS,
    Span,
    arrivals_text,
    compliance_text,
    period_of,
)


class ResponseLogScreen(Screen[None]):
    """Calls of one police room (None: every room) over a week, month or year."""

    CSS_PATH = [styles.FORMS, duty_sheet]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Back"), tooltip=_("Back to the roster"), id="log.close"),
        Binding("n", "new_call", _("New call"), tooltip=_("Log a call"), id="log.new"),
        Binding(
            "e", "arrival", _("Times"), tooltip=_("Set a tier's times of this call"), id="log.edit"
        ),
        Binding(
            "left_square_bracket",
            "move(-1)",
            _("Earlier"),
            tooltip=_("The period before"),
            id="log.previous",
        ),
        Binding(
            "right_square_bracket",
            "move(1)",
            _("Later"),
            tooltip=_("The period after"),
            id="log.next",
        ),
        Binding("p", "span", _("Week/month/year"), tooltip=_("Change the period"), id="log.span"),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        police_room_id: int | None,
        room_name: str,
        anchor: date | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.police_room_id = police_room_id
        self.room_name = room_name
        self.span: Span = "month"
        # the month shown: this one, or one holding a call opened from the statistics
        self.period_anchor = anchor or ctx.clock.today()
        self.loaded: messages.Compliance | None = None

    @property
    def period(self) -> tuple[date, date]:
        return period_of(self.period_anchor, self.span)

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Vertical(id="log-body") as body:
            body.border_title = _("1-3-5 response log: {room}").format(
                room=self.room_name or _("every police room")
            )
            yield Static("", id="log-period")
            yield Static("", id="log-compliance")
            yield PagedTable(
                self._columns(),
                source=self._source(),
                empty_text=_("No call in this period"),
                id="log-calls",
            )
        yield KeyFooter()

    @property
    def table(self) -> PagedTable[CallRow]:
        return self.query_one("#log-calls", PagedTable)

    def _columns(self) -> list[Column[CallRow]]:
        return [
            Column("at", _("Called"), lambda c: f"{c.called_at:%m-%d %H:%M}", 11),
            Column("what", _("What"), lambda c: c.summary, 12, grow=1),
            Column("tiers", _("To scene"), arrivals_text, 24, grow=1),
        ]

    def _source(self) -> TableSource[CallRow]:
        room, (first, last) = self.police_room_id, self.period
        return TableSource(
            count=lambda: roster_views.call_count(self.ctx, room, first, last),
            window=lambda offset, limit: roster_views.call_window(
                self.ctx, room, first, last, offset, limit
            ),
        )

    def on_mount(self) -> None:
        self.table.focus()
        self._read_compliance()

    def _reload(self) -> None:
        self.table.set_source(self._source())
        self._read_compliance()

    def _read_compliance(self) -> None:
        first, last = self.period
        self._read(first, last, GROUPING[self.span])

    @service_worker(messages.LOG)
    def _read(self, first: date, last: date, grouping: response.Period) -> messages.ComplianceRead:
        tiers = response.tiers(self.ctx)
        if not tiers and self.ctx.actor.can_write:
            tiers = response.ensure_default_tiers(self.ctx)
        room = self.police_room_id
        return messages.ComplianceRead(
            messages.Compliance(
                tiers,
                roster_views.rooms_for(self.ctx),
                response.compliance(self.ctx, room, first, last),
                response.compliance(self.ctx, room, first, last, grouping),
            )
        )

    @on(messages.ComplianceRead)
    def _compliance_read(self, message: messages.ComplianceRead) -> None:
        message.stop()
        self.loaded = message.read
        self.query_one("#log-compliance", Static).update(
            compliance_text(self.loaded.whole, self.loaded.parts)
        )
        self._show_period()
        self.refresh_bindings()

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group != messages.LOG:
            return
        message.stop()
        self.query_one("#log-compliance", Static).update(
            Text(_("Could not read the log: {error}").format(error=messages.reason(message)))
        )

    def _show_period(self, total: int | None = None) -> None:
        first, last = self.period
        names = {"week": _("week"), "month": _("month"), "year": _("year")}
        text = Text(f"{first:%Y-%m-%d} – {last:%Y-%m-%d} ({names[self.span]})", style="bold")
        count = total if total is not None else self.table.total
        if count is not None:
            text.append("  " + ngettext("{n} call", "{n} calls", count).format(n=count))
        self.query_one("#log-period", Static).update(text)

    @on(PagedTable.RowSelected, "#log-calls")
    def _chosen(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_arrival()

    @on(PagedTable.Loaded, "#log-calls")
    def _loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        self._show_period(event.total)

    # --- keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_call", "arrival"):
            if not self.ctx.actor.can_write or self.loaded is None or not self.loaded.tiers:
                return None
        if action == "arrival":
            return True if self.table.highlighted is not None else None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        first, last = self.period
        self.period_anchor = last + timedelta(days=1) if step > 0 else first - timedelta(days=1)
        self._reload()

    def action_span(self) -> None:
        self.span = SPANS[(SPANS.index(self.span) + 1) % len(SPANS)]
        self._reload()

    def action_new_call(self) -> None:
        if self.loaded is None:
            return
        rooms = self.loaded.rooms
        self.app.push_screen(
            CallForm(self.ctx, self.loaded.tiers, police_room_id=self.police_room_id, rooms=rooms),
            self._saved,
        )

    def action_arrival(self) -> None:
        call = self.table.highlighted
        if call is None or self.loaded is None:
            return
        self.app.push_screen(ArrivalForm(self.ctx, call, self.loaded.tiers), self._saved)

    def _saved(self, call: CallRow | None) -> None:
        if call is not None:
            self.notify(_("Call saved."))
            if not self.period[0] <= call.called_at.date() <= self.period[1]:
                self.period_anchor = call.called_at.date()
            self._reload()

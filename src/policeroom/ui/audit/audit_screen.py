"""The audit log (审计日志), newest first, a window at a time from the database.

Keys narrow it from the highlighted row: ``u`` to that row's user, ``r`` to its record,
``d`` to its day (``[``/``]`` then step the day); pressed again they drop that filter, ``x``
drops all. Only supervisors and administrators open it; the service refuses anyone else too.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _, ngettext
from policeroom.labels import label
from policeroom.services.core import audit
from policeroom.services.core.audit import AuditEntry, AuditQuery
from policeroom.services.core.context import ServiceContext
from policeroom.ui.audit import STYLESHEET as audit_sheet
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource
from policeroom.ui.common.workers import ServiceFailed


def record_text(entry: AuditEntry) -> str:
    """``resident #12``, ``dispute_ledger`` (an export has no one record)."""
    if entry.record_id is None:
        return entry.table_name
    return f"{entry.table_name} #{entry.record_id}"


def values_text(entry: AuditEntry) -> str:
    """The row's values on one line: ``field: before → after`` per changed field."""
    before = json.loads(entry.before or "{}")
    after = json.loads(entry.after or "{}")
    parts = []
    for key in dict.fromkeys([*before, *after]):
        if key in before and key in after:
            parts.append(f"{key}: {before[key]} → {after[key]}")
        elif key in after:
            parts.append(f"{key}: {after[key]}")
        else:
            parts.append(f"{key}: {before[key]} → —")
    if entry.field:
        parts.insert(0, entry.field)
    return "; ".join(parts)


class AuditScreen(Screen[None]):
    """The whole log, or the rows of one user, one record and/or one day."""

    CSS_PATH = audit_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "close", _("Back"), tooltip=_("Back to the main screen"), id="audit.close"
        ),
        Binding(
            "u",
            "by_user",
            _("By user"),
            tooltip=_("Only the highlighted row's user (again: every user)"),
            id="audit.by-user",
        ),
        Binding(
            "r",
            "by_record",
            _("By record"),
            tooltip=_("Only the highlighted row's record (again: every record)"),
            id="audit.by-record",
        ),
        Binding(
            "d",
            "by_day",
            _("By day"),
            tooltip=_("Only the highlighted row's day (again: every day)"),
            id="audit.by-day",
        ),
        Binding(
            "left_square_bracket",
            "step_day(-1)",
            _("Day before"),
            tooltip=_("The day before the one shown"),
            id="audit.day-before",
        ),
        Binding(
            "right_square_bracket",
            "step_day(1)",
            _("Day after"),
            tooltip=_("The day after the one shown"),
            id="audit.day-after",
        ),
        Binding("x", "clear", _("All rows"), tooltip=_("Drop every filter"), id="audit.clear"),
    ]

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.query_now = AuditQuery()

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static("", id="audit-filter")
        table: PagedTable[AuditEntry] = PagedTable(
            [
                Column("at", _("When"), lambda e: f"{e.at:%m-%d %H:%M}", 11),
                Column("user", _("User"), lambda e: e.user_login, 10),
                Column("action", _("Action"), lambda e: label(e.action), 10),
                Column("record", _("Record"), record_text, 14, grow=1),
                Column("values", _("Values"), values_text, 20, grow=2, drop=1),
            ],
            source=self._source(),
            empty_text=_("No audit row matches"),
            id="audit-table",
        )
        table.border_title = _("Audit log")
        yield table
        yield Static("", id="audit-detail")
        yield KeyFooter()

    @property
    def table(self) -> PagedTable[AuditEntry]:
        return self.query_one("#audit-table", PagedTable)

    def _source(self) -> TableSource[AuditEntry]:
        ctx, query = self.ctx, self.query_now
        return TableSource(
            count=lambda: audit.count(ctx, query),
            window=lambda offset, limit: audit.window(ctx, query, offset, limit),
        )

    def on_mount(self) -> None:
        self._show_filter()
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step_day":
            return True if self.query_now.day is not None else None
        if action in ("by_user", "by_record", "by_day"):
            filtering = {
                "by_user": self.query_now.user_login,
                "by_record": self.query_now.table_name,
                "by_day": self.query_now.day,
            }[action]
            return True if filtering or self.table.highlighted is not None else None
        return True

    # --- filters ----------------------------------------------------------------------

    def _narrow(self, query: AuditQuery) -> None:
        self.query_now = query
        self.table.set_source(self._source())
        self._show_filter()
        self.refresh_bindings()

    def _show_filter(self) -> None:
        query = self.query_now
        parts = []
        if query.user_login:
            parts.append(_("user {login}").format(login=query.user_login))
        if query.table_name:
            record = query.table_name
            if query.record_id is not None:
                record += f" #{query.record_id}"
            parts.append(_("record {record}").format(record=record))
        if query.day is not None:
            parts.append(_("day {day}").format(day=query.day.isoformat()))
        shown = self.query_one("#audit-filter", Static)
        shown.update(Text(" · ".join(parts) if parts else _("Every row, newest first")))
        shown.set_class(bool(parts), "-filtered")

    def action_by_user(self) -> None:
        row = self.table.highlighted
        if self.query_now.user_login:
            self._narrow(replace(self.query_now, user_login=""))
        elif row is not None:
            self._narrow(replace(self.query_now, user_login=row.user_login))

    def action_by_record(self) -> None:
        row = self.table.highlighted
        if self.query_now.table_name:
            self._narrow(replace(self.query_now, table_name="", record_id=None))
        elif row is not None:
            self._narrow(
                replace(self.query_now, table_name=row.table_name, record_id=row.record_id)
            )

    def action_by_day(self) -> None:
        row = self.table.highlighted
        if self.query_now.day is not None:
            self._narrow(replace(self.query_now, day=None))
        elif row is not None:
            self._narrow(replace(self.query_now, day=row.at.date()))

    def action_step_day(self, step: int) -> None:
        if self.query_now.day is not None:
            self._narrow(replace(self.query_now, day=self.query_now.day + timedelta(days=step)))

    def action_clear(self) -> None:
        self._narrow(AuditQuery())

    def action_close(self) -> None:
        self.dismiss(None)

    # --- what the table says ------------------------------------------------------------

    @on(PagedTable.Loaded, "#audit-table")
    def _loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        event.table.border_subtitle = ngettext("{n} row", "{n} rows", event.total).format(
            n=event.total
        )
        if event.total == 0:
            self.query_one("#audit-detail", Static).update("")
        self.refresh_bindings()

    @on(PagedTable.RowHighlighted, "#audit-table")
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        event.stop()
        entry: AuditEntry = event.row
        head = Text(f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.user_login}  ", style="bold")
        head.append(f"{label(entry.action)}  {record_text(entry)}")
        head.append("\n" + (values_text(entry) or "—"))
        self.query_one("#audit-detail", Static).update(head)
        self.refresh_bindings()

    @on(PagedTable.RowSelected, "#audit-table")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        # enter narrows to the record: its whole history
        event.stop()
        self.action_by_record()

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        message.stop()
        self.query_one("#audit-detail", Static).update(Text(message.text))

"""The 1-3-5 calls (快速反应) behind the statistics' "1-3-5" and "in time" figures, for one
station, police room or grid in the period: the calls, each with the tiers sent and those on
scene in time; or the arrivals, a line per tier sent, each in time or not (``i`` keeps those
in time). ``enter`` opens the roster's 1-3-5 log at the call's month, where its times are set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar, Literal

from rich.text import Text
from textual.binding import Binding, BindingType

from policeroom.formatting import minutes_text
from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import figure_lists
from policeroom.services.reports.figure_lists import CallLine, Unit
from policeroom.ui.common.paged_table import Column, TableSource
from policeroom.ui.common.record_list import RecordListScreen

Shown = Literal["calls", "arrivals"]
OpenLog = Callable[[int | None, str, date], None]
"""Opens the roster's 1-3-5 log of a police room (None: every room) at a day's month."""


def tiers_text(call: CallLine) -> str:
    """How many tiers were sent to a call and how many were on scene in time (``2/3``)."""
    return f"{call.tiers_in_time}/{call.tiers_sent}" if call.tiers_sent else "—"


def in_time_text(arrival: CallLine) -> Text:
    return Text("✓") if arrival.in_time else Text("✗", style="bold")


class CallListScreen(RecordListScreen[CallLine]):
    """The period's calls of ``unit`` (as many as its "1-3-5 calls"), or the arrivals sent to
    them (as many as its arrivals; with ``i``, as many as arrived in time)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i",
            "in_time",
            _("In time only"),
            tooltip=_("Only the arrivals on scene within their tier, or every arrival again"),
            id="calls.in-time",
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        unit: Unit,
        date_from: date,
        date_to: date,
        where: str,
        *,
        shown: Shown = "calls",
        open_log: OpenLog | None = None,
    ) -> None:
        title = _("1-3-5 calls") if shown == "calls" else _("1-3-5 arrivals")
        super().__init__(ctx, title, where)
        self.unit = unit
        self.date_from = date_from
        self.date_to = date_to
        self.shown = shown
        self.in_time_only = False
        self.open_log = open_log

    def columns(self) -> list[Column[CallLine]]:
        called: Column[CallLine] = Column(
            "at", _("Called"), lambda c: f"{c.called_at:%m-%d %H:%M}", 11
        )
        place: Column[CallLine] = Column("place", _("Where"), lambda c: c.place, 8, grow=1)
        what: Column[CallLine] = Column("what", _("What"), lambda c: c.summary, 10, grow=4, drop=1)
        if self.shown == "calls":
            return [called, place, Column("tiers", _("In time"), tiers_text, 7), what]
        return [
            called,
            place,
            Column("tier", _("Tier"), lambda c: f"{c.tier_minutes}′", 4),
            Column("scene", _("To scene"), lambda c: minutes_text(c.minutes_to_scene), 8),
            Column("met", _("In time"), in_time_text, 7),
            what,
        ]

    def source(self) -> TableSource[CallLine]:
        ctx, unit, first, last = self.ctx, self.unit, self.date_from, self.date_to
        if self.shown == "calls":
            return TableSource(
                count=lambda: figure_lists.call_count(ctx, unit, first, last),
                window=lambda offset, limit: figure_lists.call_window(
                    ctx, unit, first, last, offset, limit
                ),
            )
        only = self.in_time_only
        return TableSource(
            count=lambda: figure_lists.arrival_count(ctx, unit, first, last, in_time_only=only),
            window=lambda offset, limit: figure_lists.arrival_window(
                ctx, unit, first, last, offset, limit, in_time_only=only
            ),
        )

    def counted(self, total: int) -> str:
        if self.shown == "calls":
            return ngettext("{n} call", "{n} calls", total).format(n=total)
        if self.in_time_only:
            return ngettext(
                "{n} arrival in time (i: every arrival)",
                "{n} arrivals in time (i: every arrival)",
                total,
            ).format(n=total)
        return ngettext(
            "{n} arrival (i: those in time)", "{n} arrivals (i: those in time)", total
        ).format(n=total)

    def empty_text(self) -> str:
        if self.shown == "calls":
            return _("No call in this period")
        return _("No arrival in this period")

    def detail(self, row: CallLine) -> Text:
        text = Text(f"{row.called_at:%Y-%m-%d %H:%M} · {row.place}")
        if row.tier_minutes is not None:
            text.append(f" · {row.tier_minutes}′ {minutes_text(row.minutes_to_scene)} ")
            text.append_text(in_time_text(row))
        else:
            text.append(
                " · "
                + _("{met} of {sent} tiers in time").format(
                    met=row.tiers_in_time, sent=row.tiers_sent
                )
            )
        if row.summary:
            text.append("\n" + row.summary.splitlines()[0])
        if self.open_log is not None:
            text.append("\n" + _("enter: the 1-3-5 log of that month"), style="dim")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "in_time":
            return self.shown == "arrivals"  # a call is not in time; its arrivals are
        return True

    def action_in_time(self) -> None:
        self.in_time_only = not self.in_time_only
        self.table.set_source(self.source())

    def can_open(self, row: CallLine | None) -> bool | None:
        if self.open_log is None:
            return False
        return None if row is None else True

    def open_row(self, row: CallLine) -> None:
        if self.open_log is not None:
            self.open_log(row.police_room_id, row.room_name, row.called_at.date())

"""The roster's findings as a list: under strength in the next 7 days (the alert), or every
check of the week shown. ``enter`` goes back to the week at that day and post (or person)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from rich.text import Text

from policeroom.i18n import _, ngettext
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import coverage
from policeroom.services.duty.coverage import Finding
from policeroom.ui.duty.labels import day_text
from policeroom.ui.duty.roster_list import REST, RosterListScreen

ChecksMode = Literal["alerts", "week"]


def finding_day(finding: Finding) -> date | None:
    return finding.starts_at.date() if finding.starts_at is not None else None


class RosterChecksScreen(RosterListScreen[Finding]):
    """Dismisses with the chosen ``Finding`` (or False when left with ``escape``)."""

    def __init__(
        self,
        ctx: ServiceContext,
        police_room_id: int | None,
        mode: ChecksMode,
        week_start: date | None = None,
        room_names: dict[int, str] | None = None,
    ) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id
        self.mode = mode
        self.week_start = week_start
        self.room_names = room_names or {}
        today = ctx.clock.today()
        if mode == "alerts":
            last = today + timedelta(days=6)
            self.list_title = _("Under strength {first} to {last}").format(
                first=day_text(today), last=day_text(last)
            )
            self.empty_text = _("Every post is at strength in the next 7 days.")
        else:
            monday = week_start or today
            self.list_title = _("Checks of the week {first} to {last}").format(
                first=day_text(monday), last=day_text(monday + timedelta(days=6))
            )
            self.empty_text = _("No check found anything this week.")

    def read(self) -> Sequence[Finding]:
        if self.mode == "alerts":
            found = coverage.alerts_next_7_days(self.ctx, self.police_room_id)
        else:
            monday = self.week_start or self.ctx.clock.today()
            found = coverage.findings(
                self.ctx, self.police_room_id, monday, monday + timedelta(days=6)
            )
        return sorted(found, key=lambda f: f.order)

    def columns(self) -> Sequence[tuple[str, int | None]]:
        heads: list[tuple[str, int | None]] = [(_("Day"), None), (_("Check"), None)]
        if self.police_room_id is None:
            heads.append((_("Police room"), None))
        heads.append((_("What"), REST))
        return heads

    def cells(self, item: Finding) -> Sequence[Text]:
        day = finding_day(item)
        row = [
            Text(day_text(day) if day else "—"),
            Text(label(item.kind), style="bold" if item.refuses else ""),
        ]
        if self.police_room_id is None:
            row.append(Text(self.room_names.get(item.police_room_id or 0, "")))
        row.append(Text(item.message))
        return row

    def status_text(self) -> Text:
        count = len(self.items)
        return Text(
            ngettext("{n} finding", "{n} findings", count).format(n=count)
            + " · "
            + _("enter shows it in the week")
        )

    def chosen(self, item: Finding) -> None:
        self.dismiss(item)

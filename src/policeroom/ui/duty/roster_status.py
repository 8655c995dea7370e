"""The two lines round the week: the status above it (which week, how many gaps, swaps and
people on leave) and the detail below it (the cell under the cursor in words)."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from policeroom.i18n import _, ngettext
from policeroom.services.duty.coverage import week_of
from policeroom.services.duty.roster import WeekCell, WeekRow
from policeroom.ui.duty.messages import RoomWeek
from policeroom.ui.duty.week_cells import cell_detail


def status_text(found: RoomWeek, today: date) -> Text:
    """``4/25–5/1 this week · by post · 3 gaps · 1 swap waiting · 2 on leave``."""
    view = found.week
    last = view.days[-1]
    text = Text(f"{view.week_start.month}/{view.week_start.day}–{last.month}/{last.day}")
    if view.week_start == week_of(today):
        text.append(" " + _("this week"))
    text.append(" · ")
    text.append(_("by post") if view.by == "post" else _("by person"))
    gaps = len(view.gaps)
    if gaps:
        text.append(" · ")
        if found.complete:
            counted = ngettext("{n} gap", "{n} gaps", gaps).format(n=gaps)
        else:  # the rooms not read yet may have more
            counted = ngettext("{n}+ gap", "{n}+ gaps", gaps).format(n=gaps)
        text.append(counted, style="bold reverse")
    if found.swaps:
        text.append(" · ")
        text.append(
            ngettext("{n} swap waiting", "{n} swaps waiting", len(found.swaps)).format(
                n=len(found.swaps)
            ),
            style="bold",
        )
    if found.leaves:
        text.append(" · ")
        text.append(
            ngettext("{n} on leave", "{n} on leave", len(found.leaves)).format(n=len(found.leaves))
        )
    return text


def detail_text(found: RoomWeek | None, row: WeekRow | None, cell: WeekCell | None) -> Text | str:
    """The cell in words, and who is on leave that day; nothing on a heading row."""
    if found is None or row is None or cell is None:
        return ""
    text = cell_detail(found.week, row, cell)
    away = [
        leave.staff_name for leave in found.leaves if leave.starts_on <= cell.day <= leave.ends_on
    ]
    if away:
        text.append("\n")
        text.append(_("On leave: {names}").format(names="、".join(away)))
    return text

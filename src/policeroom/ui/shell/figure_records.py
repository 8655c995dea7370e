"""The records behind a statistics figure: one definition of which figures open what on
``enter`` (the statistics screen asks the main screen), so that each list holds exactly what
its figure counts.

| figure | opens |
|---|---|
| residents; visited / not visited; anti-fraud installs | the residents pane, filtered |
| disputes registered / resolved / open / overdue | the disputes pane, filtered |
| early warnings | the early-warning list (a room's row: with its missing sweeps) |
| visits | the visit list (``ui/people/visit_list.py``) |
| 1-3-5 calls | the call list (``ui/stats/call_list.py``) |
| in time (arrivals, arrivals in time) | the same list, a line per arrival; ``i``: in time |
| missing weekly sweeps | the rooms' passed weeks, confirmed or missing (``c`` confirms) |

The panes take a grid's or a room's row (of one grid) and the statistics screen gives way to
them; the lists of their own take any station's, room's or grid's row, and a room's own
remainder, and open over the statistics screen, so that ``escape`` returns to it as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from policeroom.models.disputes import DisputeStatus
from policeroom.ui.disputes.dispute_filter import DisputeFilter

if TYPE_CHECKING:  # the lists and their reads load when first opened, not with the desk
    from textual.screen import Screen

    from policeroom.services.core.context import ServiceContext
    from policeroom.services.reports.figure_lists import Unit

Lister = Literal["residents", "disputes", "warnings"]


@dataclass(frozen=True)
class FigureRecords:
    """Where a figure's records are listed and how that list is narrowed besides the grid.

    ``residents``: those a visit of ``visited_in`` met (or, with ``not_visited``, none met),
    or who installed the anti-fraud app in ``installed_in``; ``disputes``: the pane's
    ``dispute_filter``; ``warnings``: the early-warning list, with the police rooms' missing
    sweeps only ``with_sweeps`` (a room's figure counts its sweep, a grid's does not).
    """

    lister: Lister
    dispute_filter: DisputeFilter | None = None
    visited_in: tuple[date, date] | None = None
    not_visited: bool = False
    installed_in: tuple[date, date] | None = None
    with_sweeps: bool = False


Period = tuple[date, date]
_RECORDS: dict[str, Callable[[Period, bool], FigureRecords]] = {
    "residents": lambda period, room: FigureRecords("residents"),
    "residents_visited": lambda period, room: FigureRecords("residents", visited_in=period),
    "residents_not_visited": lambda period, room: FigureRecords(
        "residents", visited_in=period, not_visited=True
    ),
    "anti_fraud_installs": lambda period, room: FigureRecords("residents", installed_in=period),
    "disputes_registered": lambda period, room: FigureRecords(
        "disputes", DisputeFilter(date_from=period[0], date_to=period[1])
    ),
    "disputes_resolved": lambda period, room: FigureRecords(
        "disputes",
        DisputeFilter(status=DisputeStatus.RESOLVED, date_from=period[0], date_to=period[1]),
    ),
    "disputes_open": lambda period, room: FigureRecords("disputes", DisputeFilter(open_only=True)),
    "disputes_overdue": lambda period, room: FigureRecords("disputes", DisputeFilter(overdue=True)),
    "early_warnings": lambda period, room: FigureRecords("warnings", with_sweeps=room),
}
LISTED = frozenset(_RECORDS)
"""The figures whose records a desk list shows."""


def records_of(figure: str, date_from: date, date_to: date, *, room: bool) -> FigureRecords | None:
    """How to list what ``figure`` counts for the period, of a police room's row (``room``)
    or a grid's; None when no list shows it."""
    build = _RECORDS.get(figure)
    return None if build is None else build((date_from, date_to), room)


OwnList = Literal["visits", "calls", "arrivals", "arrivals_met", "sweeps"]
_OWN_LISTS: dict[str, OwnList] = {
    "visits": "visits",
    "calls": "calls",
    "arrivals": "arrivals",
    "share_met": "arrivals",
    "arrivals_met": "arrivals_met",
    "missing_sweeps": "sweeps",
}
OWN_LISTED = frozenset(_OWN_LISTS)
"""The figures whose records a list of their own shows, over the statistics screen."""


def figure_list(
    ctx: ServiceContext,
    figure: str,
    unit: Unit,
    date_from: date,
    date_to: date,
    where: str,
    *,
    open_log: Callable[[int | None, str, date], None] | None = None,
) -> Screen[bool] | None:
    """The list of what ``figure`` counts for ``unit`` in the period (None: no such list);
    ``open_log`` opens the roster's 1-3-5 log from a call."""
    # Imported when first asked for: the first frame needs none of these lists.
    shown = _OWN_LISTS.get(figure)
    if shown == "visits":
        from policeroom.ui.people.visit_list import VisitListScreen

        return VisitListScreen(ctx, unit, date_from, date_to, where)
    if shown == "sweeps":
        from policeroom.ui.disputes.sweep_weeks import SweepWeeksScreen

        return SweepWeeksScreen(ctx, unit, date_from, date_to, where)
    if shown is not None:
        from policeroom.ui.stats.call_list import CallListScreen

        screen = CallListScreen(
            ctx,
            unit,
            date_from,
            date_to,
            where,
            shown="calls" if shown == "calls" else "arrivals",
            open_log=open_log,
        )
        screen.in_time_only = shown == "arrivals_met"
        return screen
    return None

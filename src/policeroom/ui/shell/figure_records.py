"""The records behind a statistics figure, as a desk pane lists them: one definition for
which figures open on ``enter`` (the statistics screen asks the main screen) and for the
pane and filter each opens, so that the list holds exactly what the figure counts.

Figures left out have no list in the desk that counts them as the figure does: visits (no
pane lists visits), missing weekly sweeps (the warnings list names the last week only) and
1-3-5 calls (the roster's response log shows weeks, months and years, not any period).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from policeroom.models.disputes import DisputeStatus
from policeroom.ui.disputes.dispute_filter import DisputeFilter

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

"""What the statistics screen's workers answer with."""

from __future__ import annotations

from textual.message import Message

from policeroom.services.reports.stats import StatsSnapshot
from policeroom.services.reports.stats_series import StatsSeries
from policeroom.services.reports.targets import TargetRow

READ = "stats-read"


class SnapshotRead(Message):
    """The figures of one period (and the period before it), for every level."""

    def __init__(self, snapshot: StatsSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


DRILL = "stats-drill"


class Drilled(Message):
    """The level below read into the snapshot: ``place`` (a ``stats_screen.Place``) is now
    shown from it without asking the database."""

    def __init__(self, snapshot: StatsSnapshot, place: object) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.place = place


CHARTS = "stats-charts"


class SeriesRead(Message):
    """The three charts' figures of one period and place."""

    def __init__(self, series: StatsSeries) -> None:
        super().__init__()
        self.series = series


TARGETS = "stats-targets"


class TargetsRead(Message):
    """A grid's targets, newest period first (for the target form)."""

    def __init__(self, found: list[TargetRow]) -> None:
        super().__init__()
        self.found = found


RECORDS = "stats-records"


class RecordsFound(Message):
    """The grids whose records a figure's row stands for (a room's: the grids it is set on)."""

    def __init__(self, grid_ids: list[int], figure: str, *, room: bool, name: str) -> None:
        super().__init__()
        self.grid_ids = grid_ids
        self.figure = figure
        self.room = room  # a room's row: its figures count what the room owns as a whole
        self.name = name

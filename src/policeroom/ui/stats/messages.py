"""What the statistics screen's workers answer with."""

from __future__ import annotations

from textual.message import Message

from policeroom.services.reports.stats import StatsSnapshot
from policeroom.services.reports.stats_series import StatsSeries

READ = "stats-read"


class SnapshotRead(Message):
    """The figures of one period (and the period before it), for every level."""

    def __init__(self, snapshot: StatsSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


CHARTS = "stats-charts"


class SeriesRead(Message):
    """The three charts' figures of one period and place."""

    def __init__(self, series: StatsSeries) -> None:
        super().__init__()
        self.series = series

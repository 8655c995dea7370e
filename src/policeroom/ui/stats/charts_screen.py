"""Charts of the statistics (统计图): disputes per month by category, anti-fraud installs per
week against target, 1-3-5 arrivals by tier, for the statistics screen's period and place.

One chart at a time (``1``/``2``/``3``, ``n`` the next one), drawn by textual-plotext in the
16 basic colours so that an old station terminal shows them as a new one does. Plotext counts
characters, not terminal cells, so nothing Chinese is drawn inside a chart: its title is the
border's and its legend a line below it. Where a chart has no room to be read (fewer than
``MIN_WIDTH`` x ``MIN_HEIGHT`` cells, or under two per bar) or the officer asks (``t``), the same
figures are shown as a table: at 80 columns a year of weeks is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from policeroom.i18n import N_, _
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import stats_series
from policeroom.services.reports.stats_series import StatsSeries
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.stats import STYLESHEET as stats_sheet
from policeroom.ui.stats import messages

CHARTS = ("disputes", "installs", "arrivals")
CHART_TITLES = {
    "disputes": N_("Disputes per month, by category"),
    "installs": N_("Anti-fraud installs per week, against target"),
    "arrivals": N_("1-3-5 calls: sent and on scene in time, by tier"),
}
# The basic colours: plotext's names (ANSI 30-37, 90) and Rich's for the legend below.
COLOURS = (
    ("red", "red"),
    ("green", "green"),
    ("yellow", "yellow"),
    ("blue", "blue"),
    ("magenta", "magenta"),
    ("cyan", "cyan"),
    ("white", "white"),
    ("gray", "bright_black"),
)
MIN_WIDTH, MIN_HEIGHT = 40, 8
AXIS_WIDTH = 8  # the y axis's numbers and the box's borders


@dataclass(frozen=True)
class Chart:
    """What one chart shows: x labels, named series (bars stacked or side by side, and an
    optional line), as plain numbers the table fallback shows too."""

    xs: tuple[str, ...]
    bars: tuple[tuple[str, tuple[int, ...]], ...]
    stacked: bool = False
    line: tuple[str, tuple[int, ...]] | None = None


def chart_of(found: StatsSeries, kind: str) -> Chart:
    """The chart ``kind`` of ``found``: only the categories that occurred, so the legend fits."""
    if kind == "disputes":
        months = tuple(f"{m.month:%Y-%m}" for m in found.months)
        categories = [c for c, _n in found.months[0].by_category] if found.months else []
        bars = []
        for index, category in enumerate(categories):
            numbers = tuple(m.by_category[index][1] for m in found.months)
            if any(numbers):
                bars.append((label(category), numbers))
        return Chart(months, tuple(bars), stacked=True)
    if kind == "installs":
        weeks = tuple(f"{w.week:%m-%d}" for w in found.weeks)
        return Chart(
            weeks,
            ((_("Installs"), tuple(w.installs for w in found.weeks)),),
            line=(_("Target"), tuple(w.target for w in found.weeks)),
        )
    tiers = tuple(_("{minutes} min").format(minutes=t.minutes) for t in found.tiers)
    return Chart(
        tiers,
        (
            (_("Sent"), tuple(t.sent for t in found.tiers)),
            (_("In time"), tuple(t.met for t in found.tiers)),
        ),
    )


def legend(chart: Chart) -> Text:
    text = Text()
    for index, (name, _numbers) in enumerate(chart.bars):
        text.append("■ ", style=COLOURS[index % len(COLOURS)][1])
        text.append(f"{name}  ")
    if chart.line is not None:
        text.append("── ", style="red")
        text.append(chart.line[0])
    return text


def ticks(xs: tuple[str, ...], width: int) -> tuple[list[int], list[str]]:
    """Every k-th label, so that they fit side by side in ``width`` cells."""
    if not xs:
        return [], []
    room = max(width // (max(len(x) for x in xs) + 2), 1)
    step = max(math.ceil(len(xs) / room), 1)
    shown = list(range(0, len(xs), step))
    return [i + 1 for i in shown], [xs[i] for i in shown]


class ChartPlot(PlotextPlot):
    """A plotext plot that draws a ``Chart`` (again whenever its size changes)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self.chart: Chart | None = None

    def show(self, chart: Chart) -> None:
        self.chart = chart
        self.draw()

    def draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        chart = self.chart
        if chart is None or not chart.xs:
            self.refresh()
            return
        xs = list(range(1, len(chart.xs) + 1))
        colours = [COLOURS[i % len(COLOURS)][0] for i in range(len(chart.bars))]
        numbers = [list(values) for _name, values in chart.bars]
        # plotext takes one colour per series; textual-plotext's stubs say one colour only
        if chart.stacked and len(numbers) > 1:
            plt.stacked_bar(xs, numbers, color=colours, width=0.6)  # type: ignore[arg-type]
        elif len(numbers) > 1:
            plt.multiple_bar(xs, numbers, color=colours, width=0.6)  # type: ignore[arg-type]
        elif numbers:
            plt.bar(xs, numbers[0], color=colours[0], width=0.5)
        if chart.line is not None:
            plt.plot(xs, list(chart.line[1]), color="red")
        positions, labels = ticks(chart.xs, max(self.size.width - AXIS_WIDTH, 10))
        plt.xticks([float(p) for p in positions], labels)
        # counts: whole numbers on the axis, not 16.7
        top = max(_highest(chart), 1)
        step = max(math.ceil(top / 5), 1)
        plt.ylim(0, step * math.ceil(top / step))
        plt.yticks([float(y) for y in range(0, step * math.ceil(top / step) + 1, step)])
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self.draw()


def _highest(chart: Chart) -> int:
    if chart.stacked:
        tops = [sum(values) for values in zip(*(v for _n, v in chart.bars), strict=True)]
    else:
        tops = [max(values, default=0) for _n, values in chart.bars]
    if chart.line is not None:
        tops.append(max(chart.line[1], default=0))
    return max(tops, default=0)


class ChartsScreen(Screen[None]):
    """The three charts of one period and place, one at a time."""

    CSS_PATH = stats_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "chart('disputes')", _("Disputes"), id="charts.disputes"),
        Binding("2", "chart('installs')", _("Installs"), id="charts.installs"),
        Binding("3", "chart('arrivals')", _("1-3-5"), id="charts.arrivals"),
        Binding("n", "next_chart", _("Next"), tooltip=_("The next chart"), id="charts.next"),
        Binding(
            "t",
            "table",
            _("Table"),
            tooltip=_("The chart's figures as a table, or the chart again"),
            id="charts.table",
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the figures"), id="charts.back"),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        date_from: date,
        date_to: date,
        where: str,
        grid_code: str | None = None,
        *,
        room_id: int | None = None,
        station_id: int | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.date_from, self.date_to = date_from, date_to
        self.where = where
        self.grid_code = grid_code
        self.room_id, self.station_id = room_id, station_id
        self.kind = CHARTS[0]
        self.as_table = False
        self.found: StatsSeries | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static("", id="stats-where")
        with Vertical(id="chart-box"):
            yield ChartPlot(id="chart-plot")
            table: DataTable[Text | str] = DataTable(id="chart-table", cursor_type="row")
            yield table
        yield Static("", id="chart-legend")
        yield KeyFooter()

    def on_mount(self) -> None:
        dates = f"{self.date_from:%Y-%m-%d} – {self.date_to:%Y-%m-%d}"
        self.query_one("#stats-where", Static).update(Text(f"{self.where}  ·  {dates}"))
        self.query_one("#chart-legend", Static).update(_("Reading …"))
        self._read(self.date_from, self.date_to, self.grid_code)

    @service_worker(messages.CHARTS)
    def _read(self, date_from: date, date_to: date, grid_code: str | None) -> messages.SeriesRead:
        return messages.SeriesRead(stats_series.series(self.ctx, date_from, date_to, grid_code))

    @on(messages.SeriesRead)
    def _got(self, message: messages.SeriesRead) -> None:
        self.found = message.series
        self._show()

    @on(ServiceFailed)
    def _failed(self, message: ServiceFailed) -> None:
        message.stop()
        self.query_one("#chart-legend", Static).update(message.text)

    def _fits(self, chart: Chart) -> bool:
        """Room for the plot, and for every bar at least two cells wide (a year of weeks at
        80 columns has not: its figures are read better as a table)."""
        box = self.query_one("#chart-box")
        side_by_side = 1 if chart.stacked else max(len(chart.bars), 1)
        bars = len(chart.xs) * side_by_side
        return (
            box.size.width >= MIN_WIDTH
            and box.size.height >= MIN_HEIGHT
            and box.size.width - AXIS_WIDTH >= 2 * bars + len(chart.xs)
        )

    def _show(self) -> None:
        if self.found is None:
            return
        chart = chart_of(self.found, self.kind)
        box = self.query_one("#chart-box")
        box.border_title = _(CHART_TITLES[self.kind])
        plot = self.query_one(ChartPlot)
        table = self.query_one("#chart-table", DataTable)
        tabular = self.as_table or not self._fits(chart)
        plot.display = not tabular
        table.display = tabular
        if tabular:
            self._fill_table(table, chart)
        else:
            plot.show(chart)
        if not chart.xs or not any(any(values) for _n, values in chart.bars):
            self.query_one("#chart-legend", Static).update(_("Nothing in this period"))
        else:
            self.query_one("#chart-legend", Static).update(legend(chart))

    def _fill_table(self, table: DataTable[Text | str], chart: Chart) -> None:
        table.clear(columns=True)
        table.add_column("", key="x")
        names = [name for name, _values in chart.bars]
        if chart.line is not None:
            names.append(chart.line[0])
        for name in names:
            table.add_column(Text(name, justify="right"))
        series = [values for _name, values in chart.bars]
        if chart.line is not None:
            series.append(chart.line[1])
        for index, x in enumerate(chart.xs):
            table.add_row(x, *(Text(str(values[index]), justify="right") for values in series))

    def on_resize(self, event: Resize) -> None:
        # a terminal made smaller (or larger) may change chart into table and back
        self.call_after_refresh(self._show)

    # --- keys -----------------------------------------------------------------------------

    def action_chart(self, kind: str) -> None:
        self.kind = kind
        self._show()

    def action_next_chart(self) -> None:
        self.kind = CHARTS[(CHARTS.index(self.kind) + 1) % len(CHARTS)]
        self._show()

    def action_table(self) -> None:
        self.as_table = not self.as_table
        self._show()

    def action_back(self) -> None:
        self.dismiss()

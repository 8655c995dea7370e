"""The statistics report written out: rows for CSV and JSON, and the XLSX workbook with one
sheet per level and the charts as native Excel charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import stats as stats_service
from policeroom.services.reports import stats_series
from policeroom.services.reports.stats import TARGETS, Level, StatsReport, StatsRow
from policeroom.services.reports.stats_counts import (
    FIGURE_LABELS,
    FIGURES,
    LEVEL_LABELS,
    PERIOD_FIGURES,
)


def headers() -> list[str]:
    """The column headers of a flat export, in the interface language."""
    columns = [_("Code"), _("Unit name")]
    columns += [_(FIGURE_LABELS[name]) for name in FIGURES]
    columns.append(_("Share in time"))
    for name in TARGETS:
        columns += [
            _("{figure} target").format(figure=_(FIGURE_LABELS[name])),
            _("{figure} progress").format(figure=_(FIGURE_LABELS[name])),
        ]
    columns += [
        _("{figure} previous period").format(figure=_(FIGURE_LABELS[name]))
        for name in FIGURES
        if name in PERIOD_FIGURES
    ]
    return columns


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def row_values(row: StatsRow) -> list[Any]:
    """One row in the order of ``headers``."""
    values: list[Any] = [row.code, row.name]
    values += [row.get(name) for name in FIGURES]
    values.append(_share(row.share_met))
    for name in TARGETS:
        values += [row.targets.get(name, 0), _share(row.progress(name))]
    values += [row.previous.get(name, 0) for name in FIGURES if name in PERIOD_FIGURES]
    return values


def as_json(report: StatsReport) -> dict[str, Any]:
    """The report as plain data (stable English keys)."""

    def one(row: StatsRow) -> dict[str, Any]:
        return {
            "kind": row.kind,
            "code": row.code,
            "name": row.name,
            "figures": {name: row.get(name) for name in FIGURES},
            "share_met": _share(row.share_met),
            "previous": {
                name: row.previous.get(name, 0) for name in FIGURES if name in PERIOD_FIGURES
            },
            "targets": {name: row.targets.get(name, 0) for name in TARGETS},
        }

    return {
        "level": report.level,
        "grid": report.parent or None,
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "previous_from": report.previous_from.isoformat(),
        "previous_to": report.previous_to.isoformat(),
        "rows": [one(row) for row in report.rows],
        "total": one(report.total),
    }


def _sheet(book: Workbook, title: str, report: StatsReport) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    sheet.append(headers())
    for row in report.rows:
        sheet.append(row_values(row))
    sheet.append(row_values(report.total))
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 24
    return sheet


def _charts(book: Workbook, series: stats_series.StatsSeries) -> None:
    sheet = book.create_sheet(_("Charts")[:31])
    categories = [category for category, _number in series.months[0].by_category]
    sheet.append([_("Month"), *(label(category) for category in categories)])
    for month in series.months:
        sheet.append([month.month.strftime("%Y-%m"), *(n for _c, n in month.by_category)])
    months = len(series.months)
    disputes = BarChart()
    disputes.type, disputes.grouping, disputes.overlap = "col", "stacked", 100
    disputes.title = _("Disputes per month by category")
    disputes.add_data(
        Reference(sheet, min_col=2, max_col=1 + len(categories), min_row=1, max_row=1 + months),
        titles_from_data=True,
    )
    disputes.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + months))
    disputes.width, disputes.height = 24, 10
    sheet.add_chart(disputes, "L2")

    start = months + 3
    sheet.cell(start, 1, _("Week"))
    sheet.cell(start, 2, _("Anti-fraud installs"))
    sheet.cell(start, 3, _("Target"))
    for offset, week in enumerate(series.weeks, start=1):
        sheet.cell(start + offset, 1, week.week.isoformat())
        sheet.cell(start + offset, 2, week.installs)
        sheet.cell(start + offset, 3, week.target)
    end = start + len(series.weeks)
    installs = BarChart()
    installs.title = _("Anti-fraud installs per week against target")
    installs.add_data(
        Reference(sheet, min_col=2, min_row=start, max_row=end), titles_from_data=True
    )
    installs.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=end))
    target = LineChart()
    target.add_data(Reference(sheet, min_col=3, min_row=start, max_row=end), titles_from_data=True)
    installs += target
    installs.width, installs.height = 24, 10
    sheet.add_chart(installs, "L24")

    start = end + 2
    sheet.cell(start, 1, _("Tier"))
    sheet.cell(start, 2, _("Sent"))
    sheet.cell(start, 3, _("In time"))
    for offset, tier in enumerate(series.tiers, start=1):
        sheet.cell(start + offset, 1, f"{tier.code} ({tier.minutes} min)")
        sheet.cell(start + offset, 2, tier.sent)
        sheet.cell(start + offset, 3, tier.met)
    end = start + len(series.tiers)
    tiers = BarChart()
    tiers.type = "col"
    tiers.title = _("1-3-5 arrivals by tier")
    tiers.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=start, max_row=end), titles_from_data=True
    )
    tiers.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=end))
    tiers.width, tiers.height = 16, 8
    sheet.add_chart(tiers, "L46")


def export_xlsx(
    ctx: ServiceContext,
    target: Path | BinaryIO,
    date_from: Any,
    date_to: Any,
    grid_code: str | None = None,
) -> int:
    """A workbook with a sheet per level (stations, rooms, grids) and one of charts; returns
    the number of rows written."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    written = 0
    levels: tuple[Level, ...] = stats_service.LEVELS
    for level in levels:
        report = stats_service.stats(ctx, level, date_from, date_to, grid_code=grid_code)
        _sheet(book, _(LEVEL_LABELS[level]), report)
        written += len(report.rows)
    _charts(book, stats_series.series(ctx, date_from, date_to, grid_code))
    book.save(target)
    return written

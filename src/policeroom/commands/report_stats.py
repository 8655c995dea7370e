"""``policeroom report stats --by station|room|grid [--grid CODE] [--from D] [--to D]
--format table|csv|xlsx|json [--output FILE]``: headquarters' figures, for the report upward.

Without ``--from``/``--to`` the period is this month up to today; the previous period of the
same length is shown beside it (JSON, CSV, XLSX) or as the change (table). ``xlsx`` writes
every level, one sheet each, and the charts; it needs ``--output``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from typing import TextIO

from rich.table import Table

from policeroom import formatting
from policeroom.commands import CommandError, output_path
from policeroom.commands.opening import cli_context, open_database
from policeroom.i18n import _
from policeroom.services.core import audit
from policeroom.services.core.errors import ServiceError
from policeroom.services.core.validation import InvalidValue, parse_date
from policeroom.services.reports import stats as stats_service
from policeroom.services.reports import stats_export
from policeroom.services.reports.stats import StatsReport, StatsRow
from policeroom.services.reports.stats_counts import FIGURE_LABELS, MAIN_FIGURES

WHERE = "report stats"
# The table format keeps to what fits a terminal: the main figures and the change of each.
TABLE_FIGURES = MAIN_FIGURES


def _date(raw: str | None, option: str, today: date) -> date | None:
    if raw is None:
        return None
    try:
        return parse_date(raw, today)
    except InvalidValue as error:
        raise CommandError(f"{WHERE}: {option} {raw}: {error}") from error


def period(args: argparse.Namespace, today: date) -> tuple[date, date]:
    """``--from``/``--to``, defaulting to this month up to today."""
    date_to = _date(args.date_to, "--to", today) or today
    date_from = _date(args.date_from, "--from", today) or date_to.replace(day=1)
    if date_from > date_to:
        raise CommandError(f"{WHERE}: --from {date_from} is after --to {date_to}")
    return date_from, date_to


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise CommandError(f"{WHERE}: --format xlsx needs --output FILE", exit_code=2)
    output = output_path(args.output, f"{WHERE}: --output") if args.output else None
    database = open_database(args)
    try:
        ctx = cli_context(database, args)
        date_from, date_to = period(args, ctx.clock.today())
        if args.format == "xlsx":
            assert output is not None
            written = stats_export.export_xlsx(ctx, output, date_from, date_to, args.grid)
            audit.record_export(ctx, "statistics", written, audit.target_name(output))
            print(f"{written} rows written to {args.output}")
            return 0
        report = stats_service.stats(ctx, args.by, date_from, date_to, grid_code=args.grid)
        if output is not None:
            with output.open("w", encoding="utf-8", newline="") as stream:
                _write(report, args.format, stream)
            # every export to a file is audited, figures of the branch too
            audit.record_export(ctx, "statistics", len(report.rows), audit.target_name(output))
        else:
            _write(report, args.format, sys.stdout)
        return 0
    except ServiceError as error:
        raise CommandError(f"{WHERE}: {error}") from error
    except BrokenPipeError:
        raise  # stdout's reader went away (| head): cli.main ends every command alike
    except OSError as error:
        raise CommandError(f"{WHERE}: --output: {error}") from error
    finally:
        database.dispose()


def _write(report: StatsReport, form: str, stream: TextIO) -> None:
    if form == "json":
        json.dump(stats_export.as_json(report), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif form == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(stats_export.headers())
        for row in (*report.rows, report.total):
            writer.writerow(stats_export.row_values(row))
    else:
        formatting.write(stream, table(report))


def _cell(row: StatsRow, name: str) -> str:
    text = formatting.number(row.get(name))
    change = row.change(name)
    if change:
        text += f" {'↑' if change > 0 else '↓'}{formatting.number(abs(change))}"
    return text


def table(report: StatsReport) -> Table:
    """The rows and their total, with each period figure's change against the period
    before, the share of 1-3-5 arrivals in time and the progress on the installs target."""
    grid = Table(
        title=_("{start} to {end}, compared with {before_start} to {before_end}").format(
            start=report.date_from.isoformat(),
            end=report.date_to.isoformat(),
            before_start=report.previous_from.isoformat(),
            before_end=report.previous_to.isoformat(),
        ),
        box=None,
        pad_edge=False,
    )
    grid.add_column(_("Code"), no_wrap=True)
    grid.add_column(_("Unit name"), no_wrap=True)
    for name in TABLE_FIGURES:
        grid.add_column(_(FIGURE_LABELS[name]), justify="right", no_wrap=True)
    grid.add_column(_("Share in time"), justify="right", no_wrap=True)
    grid.add_column(_("Installs / target"), justify="right", no_wrap=True)
    for row in (*report.rows, report.total):
        share = row.share_met
        progress = row.progress("anti_fraud_installs")
        grid.add_row(
            row.code,
            row.name,
            *(_cell(row, name) for name in TABLE_FIGURES),
            "" if share is None else f"{share:.0%}",
            "" if progress is None else f"{progress:.0%}",
        )
    return grid

"""``policeroom report summary [--format table|json|csv] [--grid CODE] [--from D] [--to D]``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from typing import Any

from rich.table import Table

from policeroom import formatting
from policeroom.commands import CommandError
from policeroom.commands.opening import open_database
from policeroom.i18n import N_, _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound, ServiceError
from policeroom.services.core.validation import InvalidValue, parse_date
from policeroom.services.reports import summary as summary_service

LABELS = {
    "grid": N_("Grid"),
    "from": N_("From"),
    "to": N_("To"),
    "police_rooms": N_("Police rooms"),
    "grids": N_("Grids"),
    "1": N_("level 1 (street/town)"),
    "2": N_("level 2 (village/community)"),
    "3": N_("level 3 (group/block)"),
    "staff": N_("Staff"),
    "teams": N_("Teams"),
    "key_units": N_("Key units"),
    "households": N_("Households"),
    "residents": N_("Residents"),
    "anti_fraud_installs": N_("Anti-fraud app installs"),
    "visits": N_("Visits"),
    "residents_visited": N_("Residents visited"),
    "disputes": N_("Disputes"),
    "total": N_("total"),
    "open": N_("open"),
    "resolved": N_("resolved"),
    "by_status": N_("by status"),
    "by_risk": N_("by risk"),
    "early_warnings": N_("Early warnings"),
    "shifts": N_("Shifts"),
}


def _date(option: str, raw: str | None, today: date) -> date | None:
    if raw is None:
        return None
    try:
        return parse_date(raw, today)
    except InvalidValue as error:
        raise CommandError(f"{option} {raw}: {error}") from error


def run(args: argparse.Namespace) -> int:
    database = open_database(args)
    try:
        ctx = ServiceContext(database)
        today = ctx.clock.today()
        date_from = _date("--from", args.date_from, today)
        date_to = _date("--to", args.date_to, today)
        try:
            report = summary_service.summary(ctx, args.grid, date_from, date_to)
        except NotFound as error:
            raise CommandError(f"--grid {args.grid}: {error}") from error
        except ServiceError as error:
            raise CommandError(f"--to {args.date_to}: {error}") from error
    finally:
        database.dispose()
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["key", "value"])
        writer.writerows(summary_service.flatten(report))
    else:
        formatting.write(sys.stdout, table(report))
    return 0


def _label(key: str) -> str:
    return _(LABELS[key]) if key in LABELS else key.replace("_", " ")


def _lines(report: dict[str, Any], depth: int = 0) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for key, value in report.items():
        if value is None:
            continue
        label = "  " * depth + _label(key)
        if isinstance(value, dict):
            lines.append((label, ""))
            lines += _lines(value, depth + 1)
        else:
            lines.append(
                (label, formatting.number(value) if isinstance(value, int) else str(value))
            )
    return lines


def table(report: dict[str, Any]) -> Table:
    """Labels left (indented under their heading), figures right."""
    grid = Table(box=None, show_header=False, pad_edge=False)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for label, value in _lines(report):
        grid.add_row(label, value)
    return grid

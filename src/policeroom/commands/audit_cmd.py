"""``policeroom audit verify`` and ``policeroom audit export --from --to --user --format csv``."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from datetime import date
from typing import TextIO

from policeroom.commands import CommandError, output_path
from policeroom.commands.opening import cli_context, open_database
from policeroom.services.core import audit
from policeroom.services.core.context import ServiceContext


def run(args: argparse.Namespace) -> int:
    database = open_database(args)
    try:
        ctx = cli_context(database, args)
        if args.audit_command == "verify":
            return _verify(ctx)
        return _export(ctx, args)
    finally:
        database.dispose()


def _verify(ctx: ServiceContext) -> int:
    result = audit.check_chain(ctx)
    if result.ok:
        print(f"audit chain: ok ({result.rows} rows)")
        return 0
    print(f"audit chain: BROKEN at row {result.broken_id}: {result.reason}", file=sys.stderr)
    return 1


def _date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"audit export: {option} {value}: not a date (YYYY-MM-DD)", 2) from None


def _export(ctx: ServiceContext, args: argparse.Namespace) -> int:
    date_from = _date(args.date_from, "--from")
    date_to = _date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise CommandError(f"audit export: --from {date_from} is after --to {date_to}", 2)
    rows = audit.export_rows(ctx, date_from, date_to, args.only_user)
    if args.output:
        target = output_path(args.output, "audit export: --output")
        with target.open("w", newline="", encoding="utf-8") as handle:
            count = _write(handle, rows)
        where = str(target.resolve())
        print(f"{count} audit rows written to {target}", file=sys.stderr)
    else:
        count = _write(sys.stdout, rows)
        where = "stdout"
    # The audit log names users and what they looked at: its export is itself audited.
    audit.record_export(ctx, "audit_log", count, where)
    return 0


def _write(handle: TextIO, rows: Iterator[tuple[object, ...]]) -> int:
    writer = csv.writer(handle)
    writer.writerow(audit.EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count

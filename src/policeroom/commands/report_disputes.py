"""``policeroom report disputes``: the dispute ledger (台账) of a grid and a period.

``--format table`` (default) prints the main columns and the totals; ``csv`` writes one row
per dispute after the header (to stdout without ``--output``); ``xlsx`` needs ``--output``
and adds a totals sheet by status and category.

The table is printed a batch of rows at a time, so a branch's whole ledger neither waits
nor sits in memory.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from rich.table import Table
from rich.text import Text

from policeroom import formatting
from policeroom.commands import CommandError, output_path
from policeroom.commands.opening import cli_context, open_database
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.core.validation import InvalidValue, parse_date
from policeroom.services.disputes import ledger
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.org import grids

WHERE = "report disputes"
# Columns of the table format: index into the paper ledger's row, and its width in cells.
TABLE_COLUMNS = ((0, 4), (1, 12), (2, 11), (3, 12), (4, 24), (5, 14), (8, 8), (10, 12), (11, 11))
TABLE_BATCH = 500


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise CommandError(f"{WHERE}: --format xlsx needs --output FILE", exit_code=2)
    output = output_path(args.output, f"{WHERE}: --output") if args.output else None
    database = open_database(args)
    try:
        ctx = cli_context(database, args)
        query = _query(ctx, args)
        if args.format == "xlsx":
            assert output is not None
            written = ledger.export_xlsx(ctx, output, query)
            print(f"{written} disputes written to {args.output}")
        elif args.format == "csv":
            if output is not None:
                written = ledger.export_csv(ctx, output, query)
                print(f"{written} disputes written to {args.output}")
            else:
                ledger.export_csv(ctx, sys.stdout, query)
        elif output is not None:
            with output.open("w", encoding="utf-8") as stream:
                _table(ctx, query, stream)
        else:
            _table(ctx, query, sys.stdout)
        return 0
    except ServiceError as error:
        raise CommandError(f"{WHERE}: {error}") from error
    except BrokenPipeError:
        raise  # stdout's reader went away (| head): cli.main ends every command alike
    except OSError as error:
        raise CommandError(f"{WHERE}: --output: {error}") from error
    finally:
        database.dispose()


def _date(raw: str | None, option: str, today: date) -> date | None:
    if raw is None:
        return None
    try:
        return parse_date(raw, today)
    except InvalidValue as error:
        raise CommandError(f"{WHERE}: {option} {raw}: {error}") from error


def _query(ctx: ServiceContext, args: argparse.Namespace) -> DisputeQuery:
    today = ctx.clock.today()
    date_from = _date(args.date_from, "--from", today)
    date_to = _date(args.date_to, "--to", today)
    if date_from and date_to and date_from > date_to:
        raise CommandError(f"{WHERE}: --from {date_from} is after --to {date_to}")
    grid_id = None
    if args.grid:
        try:
            grid_id = grids.get_by_code(ctx, args.grid).id
        except ServiceError as error:
            raise CommandError(f"{WHERE}: --grid: {error}") from error
    return DisputeQuery(grid_id=grid_id, date_from=date_from, date_to=date_to)


def _cut(text: str, width: int) -> Text:
    """``text`` on one line, cut or padded to ``width`` cells (hanzi take two)."""
    cell = Text(text.replace("\n", " "))
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


def _batch_table(headers: list[str] | None, rows: Iterable[list[str]]) -> Table:
    """Some of the ledger's rows, under the headers for the first batch.

    Cells are cut and padded to their column's width beforehand, so that every batch has
    the same widths and the batches line up.
    """
    table = Table(box=None, pad_edge=False, show_header=headers is not None)
    for index, width in TABLE_COLUMNS:
        table.add_column(_cut(headers[index], width) if headers else "", no_wrap=True)
    for row in rows:
        table.add_row(*(_cut(row[index], width) for index, width in TABLE_COLUMNS))
    return table


def _table(ctx: ServiceContext, query: DisputeQuery, stream: TextIO) -> None:
    headers: list[str] | None = ledger.ledger_headers()
    with ledger.paper_ledger(ctx, query) as paper:
        rows = iter(paper.rows)
        while batch := list(itertools.islice(rows, TABLE_BATCH)):
            formatting.write(stream, _batch_table(headers, batch))
            headers = None
    if headers is not None:
        formatting.write(stream, _batch_table(headers, []))
    summary = paper.totals
    _, by_status, by_category, total_word, _ledger = ledger.totals_words()
    print(file=stream)
    print(f"{total_word}: {summary.total}", file=stream)
    for title, counts in (
        (by_status, summary.by_status),
        (by_category, summary.by_category),
    ):
        parts = [f"{label(value)} {n}" for value, n in counts if n]
        print(f"{title}: " + ("; ".join(parts) or "-"), file=stream)

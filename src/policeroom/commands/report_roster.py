"""``policeroom report roster --week DATE [--format text|html|xlsx] [--output FILE] [--room CODE]``.

Text goes to stdout unless ``--output`` is given; XLSX always needs ``--output``. Without
``--room`` every police room of the branch is printed, one after another. Text printed to a
terminal is fitted to its width; in a file or a pipe it is as wide as the week needs.
"""

from __future__ import annotations

import argparse
import sys

from policeroom import formatting
from policeroom.commands import CommandError, output_path
from policeroom.commands.opening import cli_context, open_database
from policeroom.services.core import audit
from policeroom.services.core.errors import NotFound
from policeroom.services.core.validation import InvalidValue, parse_date
from policeroom.services.duty import printing as roster_print
from policeroom.services.duty import roster


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise CommandError("--format xlsx writes a file: give --output FILE", exit_code=2)
    output = output_path(args.output, "report roster: --output") if args.output else None
    database = open_database(args)
    try:
        ctx = cli_context(database, args)
        try:
            week_of = parse_date(args.week, ctx.clock.today())
        except InvalidValue as error:
            raise CommandError(f"--week {args.week}: {error}") from error
        if args.room:
            try:
                rooms = [roster.room_by_code(ctx, args.room)]
            except NotFound as error:
                raise CommandError(f"--room {args.room}: {error}") from error
        else:
            rooms = roster.police_rooms(ctx)
            if not rooms:
                raise CommandError(f"no police rooms in {database.url}")
        views = [roster.week(ctx, room.id, week_of) for room in rooms]
        try:
            if args.format == "xlsx":
                assert output is not None
                roster_print.xlsx(views, output)
            elif args.format == "text" and output is None:
                formatting.write(sys.stdout, *roster_print.text_renderables(views))
            else:
                page = (
                    roster_print.text(views)
                    if args.format == "text"
                    else roster_print.html_page(views)
                )
                if output is None:
                    sys.stdout.write(page)
                else:
                    output.write_text(page, encoding="utf-8")
        except BrokenPipeError:
            raise  # stdout's reader went away (| head): cli.main ends every command alike
        except OSError as error:
            raise CommandError(f"cannot write {args.output}: {error.strerror or error}") from error
        where = audit.target_name(output) if output is not None else "stdout"
        audit.record_export(ctx, "roster", len(views), where)
        if output is not None:
            print(f"roster of {len(views)} police room(s) written to {output}", file=sys.stderr)
        return 0
    finally:
        database.dispose()

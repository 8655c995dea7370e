"""``policeroom user add LOGIN --role ROLE --staff CODE --room CODE`` and ``user list``."""

from __future__ import annotations

import argparse
import sys

from rich.table import Table

from policeroom import formatting
from policeroom.commands import CommandError, open_database
from policeroom.models.audit import UserCreate
from policeroom.services.core import fields, users
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.org import staff
from policeroom.services.org import structure as org


def run(args: argparse.Namespace) -> int:
    database = open_database(args)
    ctx = ServiceContext(database)
    try:
        if args.user_command == "add":
            return _add(ctx, args)
        return _list(ctx)
    finally:
        database.dispose()


def _add(ctx: ServiceContext, args: argparse.Namespace) -> int:
    where = f"user add {args.login}"
    try:
        staff_id = staff.get_by_code(ctx, args.staff).id if args.staff else None
    except ServiceError as error:
        raise CommandError(f"{where}: --staff: {error}") from error
    try:
        room_id = org.room_by_code(ctx, args.room).id if args.room else None
    except ServiceError as error:
        raise CommandError(f"{where}: --room: {error}") from error
    try:
        data = fields.parse(
            UserCreate,
            {
                "login": args.login,
                "role": args.role,
                "staff_id": staff_id,
                "police_room_id": room_id,
            },
        )
        user = users.create_user(ctx, data)
    except ServiceError as error:
        raise CommandError(f"{where}: {error}") from error
    print(
        f"user {user.login} added: {user.role.value}"
        + (f", {user.staff_name}" if user.staff_name else "")
        + (f", {user.police_room_name}" if user.police_room_name else "")
    )
    return 0


def _list(ctx: ServiceContext) -> int:
    rows = users.list_users(ctx)
    if not rows:
        print("no users yet; add one with `policeroom user add LOGIN --role admin`")
        return 0
    table = Table(box=None, pad_edge=False)
    for heading in ("Login", "Role", "Staff", "Police room", "Status"):
        table.add_column(heading, no_wrap=True)
    for row in rows:
        table.add_row(
            row.login,
            row.role.value,
            row.staff_name or "-",
            row.police_room_name or "-",
            "active" if row.active else "disabled",
        )
    formatting.write(sys.stdout, table)
    return 0

"""``policeroom user add|passwd|disable|unlock LOGIN`` and ``user list``.

Passwords come on stdin, never on the command line (where ``ps`` and the shell history would
show them). Once an administrator has a password, every change names one with ``--admin``
and gives their password as stdin's first line; a new password is then the second line.
"""

from __future__ import annotations

import argparse
import sys

from rich.table import Table

from policeroom import formatting
from policeroom.commands import CommandError
from policeroom.commands.opening import open_database
from policeroom.models.audit import Role, UserCreate
from policeroom.services.core import fields, passwords, users
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.org import staff
from policeroom.services.org import structure as org


def run(args: argparse.Namespace) -> int:
    database = open_database(args)
    ctx = ServiceContext(database)
    try:
        if args.user_command == "list":
            return _list(ctx)
        where = f"user {args.user_command} {args.login}"
        ctx = _as_admin(ctx, args, where)
        new_password = _read_new_password(args, where)
        if args.user_command == "add":
            return _add(ctx, args, new_password)
        try:
            if args.user_command == "passwd":
                passwords.set_password(ctx, args.login, new_password or "")
                print(f"password of {args.login} changed")
            elif args.user_command == "disable":
                passwords.disable(ctx, args.login)
                print(f"user {args.login} disabled")
            else:
                passwords.unlock(ctx, args.login)
                print(f"user {args.login} unlocked")
        except ServiceError as error:
            raise CommandError(f"{where}: {error}") from error
        return 0
    finally:
        database.dispose()


def _stdin_line() -> str | None:
    line = sys.stdin.readline()
    return line.rstrip("\r\n") if line else None


def _as_admin(ctx: ServiceContext, args: argparse.Namespace, where: str) -> ServiceContext:
    """``ctx`` acting as the ``--admin`` whose password is stdin's first line; as the system
    while no administrator has a password (the first one is being set up)."""
    if not passwords.has_admin(ctx):
        return ctx
    if not args.admin:
        raise CommandError(
            f"{where}: an administrator must do this: give --admin LOGIN and their password "
            "as stdin's first line",
            exit_code=2,
        )
    secret = _stdin_line()
    if secret is None:
        raise CommandError(f"{where}: --admin: no password on stdin")
    try:
        actor = passwords.authenticate(ctx, args.admin, secret)
    except ServiceError as error:
        raise CommandError(f"{where}: --admin: {error}") from error
    if actor.role is not Role.ADMIN:
        raise CommandError(f"{where}: --admin: {args.admin} is not an administrator")
    return ctx.as_actor(actor)


def _read_new_password(args: argparse.Namespace, where: str) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    password = _stdin_line()
    if password is None:
        raise CommandError(f"{where}: --password-stdin: no password on stdin")
    return password


def _add(ctx: ServiceContext, args: argparse.Namespace, password: str | None) -> int:
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
        user = users.create_user(ctx, data, password)
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

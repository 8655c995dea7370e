"""The ``policeroom`` command line (a contract: scripts and tests rely on it).

Exit 0 on success, 1 on a data or validation error (one clear line on stderr naming the
file, record and field), 2 on wrong usage. A failed command changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from policeroom import __version__
from policeroom.commands import CommandError


def _language(value: str) -> str:
    from policeroom import i18n

    try:
        return i18n.language_code(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_globals(
    parser: argparse.ArgumentParser, top: bool = False, db: bool = True, user: bool = True
) -> None:
    # The global options work after the command's name too; there they must not reset one
    # given before it (``policeroom --db X fixtures load …``), so only the top level has a
    # default.
    if db:
        parser.add_argument(
            "--db",
            metavar="URL",
            default=None if top else argparse.SUPPRESS,
            help="database URL or SQLite path "
            "(default: $POLICEROOM_DB, then a file in the user data directory)",
        )
    parser.add_argument(
        "--lang",
        type=_language,
        metavar="{en,zh}",
        default=None if top else argparse.SUPPRESS,
        help="interface language (zh_CN and other locale names are understood)",
    )
    if user:
        parser.add_argument(
            "--user",
            metavar="LOGIN",
            default=None if top else argparse.SUPPRESS,
            help="the login: the desk's login screen fills it in and asks its password; "
            "training acts as its role and room",
        )


def _idle_minutes(value: str) -> int:
    # Imported here: parsing the command line must not load the services for every command.
    from policeroom.services.core.errors import ValidationError
    from policeroom.services.core.idle_time import check_idle_minutes

    try:
        minutes = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {value!r}") from None
    try:
        return check_idle_minutes(minutes)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(" ".join(error.for_field("idle_lock"))) from None


def _idle_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument(
        "--idle-lock",
        type=_idle_minutes,
        metavar="MINUTES",
        default=None if top else argparse.SUPPRESS,
        help="lock the desk after MINUTES without a key (1 to 15; default 10)",
    )


def _admin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--admin",
        metavar="LOGIN",
        help="the administrator doing this; their password is stdin's first line "
        "(not needed until an administrator has a password)",
    )


def _password_options(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        required=required,
        help="read the new password from stdin (its second line after --admin's password)",
    )
    _admin_option(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policeroom",
        description="Desk program of a community police room: grids, residents, disputes, duty.",
    )
    parser.add_argument("--version", action="version", version=f"policeroom {__version__}")
    _add_globals(parser, top=True)
    _idle_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    tui = commands.add_parser("tui", help="the full-screen program (the default)")
    _add_globals(tui)
    _idle_option(tui)

    training = commands.add_parser("training", help="the TUI on a fresh training copy")
    _add_globals(training, db=False)
    _idle_option(training)
    training.add_argument("fixture", nargs="?", default="training", metavar="FIXTURE")

    db = commands.add_parser("db", help="create, upgrade, check or back up the database")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    _add_globals(db_commands.add_parser("upgrade", help="create or upgrade the schema"))
    _add_globals(db_commands.add_parser("check", help="integrity and schema revision"))
    backup = db_commands.add_parser("backup", help="consistent copy of a SQLite database")
    _add_globals(backup)
    backup.add_argument("path", metavar="PATH")
    restore = db_commands.add_parser(
        "restore", help="put a backup in place of the SQLite database (checked first)"
    )
    _add_globals(restore)
    restore.add_argument("path", metavar="PATH")

    fixtures = commands.add_parser("fixtures", help="load, export, generate fixture data")
    fx = fixtures.add_subparsers(dest="fixtures_command", metavar="ACTION", required=True)
    load = fx.add_parser("load", help="load a named fixture set or a JSON file (all or nothing)")
    _add_globals(load)
    load.add_argument("source", metavar="NAME|PATH")
    export = fx.add_parser("export", help="write the whole database as a fixture file")
    _add_globals(export)
    export.add_argument("path", metavar="PATH")
    export.add_argument(
        "--unmasked",
        action="store_true",
        help="full ID numbers and phones (a loadable copy); needs --reason, and is audited",
    )
    export.add_argument("--reason", default="", help="why the full numbers leave the database")
    generate = fx.add_parser("generate", help="generate a deterministic synthetic branch")
    _add_globals(generate)
    generate.add_argument("--scale", choices=["small", "branch"], default="small")
    generate.add_argument("--seed", type=int, default=1)
    _add_globals(fx.add_parser("schema", help="print the JSON Schema of fixture files"), db=False)

    report = commands.add_parser("report", help="summaries and printable ledgers")
    rp = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    summary = rp.add_parser("summary", help="counts of every area")
    _add_globals(summary)
    summary.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_period(summary)
    disputes = rp.add_parser("disputes", help="the dispute ledger (台账)")
    _add_globals(disputes)
    disputes.add_argument("--format", choices=["table", "csv", "xlsx"], default="table")
    disputes.add_argument("--output", metavar="FILE")
    _add_period(disputes)
    stats = rp.add_parser("stats", help="headquarters' figures by station, room or grid")
    _add_globals(stats)
    stats.add_argument("--by", choices=["station", "room", "grid"], default="room")
    stats.add_argument("--format", choices=["table", "csv", "xlsx", "json"], default="table")
    stats.add_argument("--output", metavar="FILE")
    _add_period(stats)

    roster = rp.add_parser("roster", help="a week of duty roster")
    _add_globals(roster)
    roster.add_argument("--week", required=True, metavar="DATE")
    roster.add_argument("--format", choices=["text", "html", "xlsx"], default="text")
    roster.add_argument("--output", metavar="FILE")
    roster.add_argument("--room", metavar="CODE")

    user = commands.add_parser("user", help="manage logins")
    us = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = us.add_parser("add", help="add a login")
    _add_globals(add)
    add.add_argument("login")
    add.add_argument(
        "--role", choices=["desk", "supervisor", "hq", "admin", "trainer"], default="desk"
    )
    add.add_argument("--staff", metavar="CODE", help="staff code (badge) of this login")
    add.add_argument("--room", metavar="CODE", help="police room code")
    _password_options(add)
    passwd = us.add_parser("passwd", help="set a login's password (read from stdin)")
    _add_globals(passwd)
    passwd.add_argument("login")
    _password_options(passwd, required=True)
    for action, words in (
        ("disable", "stop a login from logging in"),
        ("unlock", "lift a lock after too many failed logins"),
    ):
        sub = us.add_parser(action, help=words)
        _add_globals(sub)
        sub.add_argument("login")
        _admin_option(sub)
    _add_globals(us.add_parser("list", help="list logins"))

    audit = commands.add_parser("audit", help="check or export the audit log")
    au = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    _add_globals(
        au.add_parser("verify", help="check the hash chain; exit 1 naming the first broken row")
    )
    audit_export = au.add_parser("export", help="audit rows of a period as CSV (itself audited)")
    # Here --user picks whose rows (as the issue asks); who exports is given before ``audit``.
    _add_globals(audit_export, user=False)
    audit_export.add_argument("--from", dest="date_from", metavar="DATE")
    audit_export.add_argument("--to", dest="date_to", metavar="DATE")
    audit_export.add_argument(
        "--user",
        dest="only_user",
        metavar="LOGIN",
        help="only this user's rows (who exports is `policeroom --user LOGIN audit export`)",
    )
    audit_export.add_argument("--format", choices=["csv"], default="csv")
    audit_export.add_argument("--output", metavar="FILE", help="file to write (default: stdout)")

    ssh = commands.add_parser("ssh", help="officers' SSH keys, each opening the desk as one login")
    sh = ssh.add_subparsers(dest="ssh_command", metavar="ACTION", required=True)
    key = sh.add_parser(
        "authorized-key", help="print the authorized_keys line that maps KEYFILE to LOGIN"
    )
    _add_globals(key)
    key.add_argument("login", metavar="LOGIN")
    key.add_argument("keyfile", metavar="KEYFILE", help="the officer's public key (.pub)")
    key.add_argument("--exports", metavar="DIR", help="the only folder this login's exports go to")
    _idle_option(key)
    session = sh.add_parser("session", help="the forced command of an authorized_keys line")
    _add_globals(session)
    session.add_argument("login", metavar="LOGIN")
    session.add_argument("--key", metavar="FINGERPRINT", help="recorded in the login's audit row")
    session.add_argument("--exports", metavar="DIR", help="the only folder exports go to")
    _idle_option(session)
    return parser


def _add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--grid", metavar="CODE", help="this grid and every grid under it")
    parser.add_argument("--from", dest="date_from", metavar="DATE")
    parser.add_argument("--to", dest="date_to", metavar="DATE")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from policeroom import i18n

    i18n.set_language(args.lang)
    # Every file this program creates (database, backups, exports, reports) holds personal
    # data: readable by its owner only.
    os.umask(PRIVATE_UMASK)
    # No log line, however it is written, prints a full ID number or phone.
    from policeroom.services.core.redact import log_redaction

    try:
        with log_redaction():
            return _dispatch(args)
    except CommandError as error:
        _say(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        _say("interrupted; nothing was changed")
        return 1
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python's own flush at
        # exit from failing on the closed pipe again.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        _say("output closed before the end")
        return 1
    except Exception as error:  # noqa: BLE001 - the last resort: one line, never a traceback
        _say(last_resort_message(error))
        return 1


PRIVATE_UMASK = 0o077


def _say(message: str) -> None:
    from policeroom.services.core.redact import redact

    print(f"policeroom: {redact(message)}", file=sys.stderr)


def last_resort_message(error: BaseException) -> str:
    """One line for an error nobody turned into a CommandError (database, files, input)."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(error, DBAPIError) and error.orig is not None:
        text = str(error.orig).strip().splitlines()
        return "database error: " + " ".join(line.strip() for line in text[:2])
    if isinstance(error, SQLAlchemyError):
        return f"database error: {str(error).splitlines()[0]}"
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    if isinstance(error, RecursionError):
        return "input nested too deeply"
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}"


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "tui"
    if command in ("tui", "training"):
        from policeroom.commands import tui_cmd

        return tui_cmd.run(args)
    if command == "db":
        from policeroom.commands import db_cmd

        return db_cmd.run(args)
    if command == "fixtures":
        from policeroom.commands import fixtures_cmd

        return fixtures_cmd.run(args)
    if command == "report":
        from policeroom.commands import report_cmd

        return report_cmd.run(args)
    if command == "user":
        from policeroom.commands import user_cmd

        return user_cmd.run(args)
    if command == "audit":
        from policeroom.commands import audit_cmd

        return audit_cmd.run(args)
    if command == "ssh":
        from policeroom.commands import ssh_cmd

        return ssh_cmd.run(args)
    raise CommandError(f"unknown command {command}", exit_code=2)


if __name__ == "__main__":
    sys.exit(main())

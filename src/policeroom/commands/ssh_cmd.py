"""``policeroom ssh authorized-key LOGIN KEYFILE`` and ``policeroom ssh session LOGIN``.

Headquarters reaches the program over SSH as one OS account (the program's), with one key
per officer. Each key's ``authorized_keys`` line carries ``restrict,pty`` and a forced
command, ``policeroom ssh session LOGIN``, so the key can do one thing: open the desk as
that login. sshd has checked the key before the command runs; the mapping is exactly as
trusted as that OS account and its ``authorized_keys`` file (README: "Users, roles and SSH").
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import make_url

from policeroom.commands import CommandError
from policeroom.commands.opening import open_database
from policeroom.database_url import resolve_url
from policeroom.services.core import users
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError

# What sshd's "restrict" turns off (port, agent and X11 forwarding, the pty, user rc), with
# the pty given back: the desk program needs a terminal and nothing else.
KEY_OPTIONS = "restrict,pty"


@dataclass(frozen=True)
class PublicKey:
    line: str  # "ssh-ed25519 AAAA… comment", as read
    fingerprint: str  # "SHA256:…"


def run(args: argparse.Namespace) -> int:
    if args.ssh_command == "authorized-key":
        return _authorized_key(args)
    from policeroom.commands import ssh_session

    return ssh_session.run(args)


def default_exports(login: str) -> Path:
    """The folder a login's remote exports go to when the administrator names none."""
    return Path(user_data_dir("policeroom", appauthor=False)) / "exports" / login


def _authorized_key(args: argparse.Namespace) -> int:
    where = f"ssh authorized-key {args.login}"
    key = read_public_key(Path(args.keyfile))
    url = resolve_url(getattr(args, "db", None))
    database = open_database(args)
    try:
        user = users.get_user(ServiceContext(database), args.login)
    except ServiceError as error:
        raise CommandError(f"{where}: {error}") from error
    finally:
        database.dispose()
    if not user.active:
        raise CommandError(f"{where}: user {user.login} is disabled; enable it first")
    exports = (
        Path(args.exports).expanduser().absolute() if args.exports else default_exports(user.login)
    )
    command = session_command(
        url,
        user.login,
        key.fingerprint,
        exports,
        getattr(args, "lang", None),
        getattr(args, "idle_lock", None),
    )
    if make_url(url).password:
        print(
            "policeroom: warning: the line carries the database password; prefer peer "
            "authentication over the local socket (README: Users, roles and SSH)",
            file=sys.stderr,
        )
    print(authorized_keys_line(command, key))
    return 0


def program_argv() -> list[str]:
    """This program as an absolute command: sshd runs forced commands with a bare PATH."""
    script = Path(sys.executable).with_name("policeroom")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "policeroom.cli"]


def session_command(
    url: str,
    login: str,
    fingerprint: str,
    exports: Path,
    lang: str | None = None,
    idle_minutes: int | None = None,
) -> str:
    argv = [*program_argv(), "--db", url]
    if lang:
        argv += ["--lang", lang]
    argv += ["ssh", "session", login, "--key", fingerprint, "--exports", str(exports)]
    if idle_minutes is not None:
        argv += ["--idle-lock", str(idle_minutes)]
    return shlex.join(argv)


def authorized_keys_line(command: str, key: PublicKey) -> str:
    # Inside command="…" sshd takes \" for a quote and nothing else is special.
    quoted = command.replace("\\", "\\\\").replace('"', '\\"')
    return f'{KEY_OPTIONS},command="{quoted}" {key.line}'


def read_public_key(path: Path) -> PublicKey:
    """The one public key in ``path``, checked and fingerprinted by ``ssh-keygen``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot read the key file ({error})") from error
    if "PRIVATE KEY" in text:
        raise CommandError(f"{path}: this is a private key; give the officer's .pub file")
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    if len(lines) != 1:
        raise CommandError(f"{path}: expected one public key line, found {len(lines)}")
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        raise CommandError("ssh-keygen is not installed (Debian: apt install openssh-client)")
    done = subprocess.run(
        [keygen, "-l", "-E", "sha256", "-f", "/dev/stdin"],
        input=lines[0] + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    fields = done.stdout.split()
    if done.returncode != 0 or len(fields) < 2 or not fields[1].startswith("SHA256:"):
        raise CommandError(f"{path}: not an OpenSSH public key")
    # A line that already has options would carry them past ours; only "type key comment".
    if not lines[0].startswith(("ssh-", "ecdsa-", "sk-")):
        raise CommandError(f"{path}: the key line has options; give the plain .pub file")
    return PublicKey(line=lines[0], fingerprint=fields[1])

"""Writers killed with SIGKILL at random moments, and what the database holds afterwards.

A writer is a real process that saves residents through the residents service, each create
carrying a request key (``crash-N``), and prints ``ack N ID`` only after the commit returned:
an acknowledged write is one an officer was told had been saved. The harness kills it after
a random number of acknowledgements, while it is somewhere inside its next write (connecting,
checking, inserting, committing), then starts a new writer that first sends the write that
was in flight again, with the same key: a retry after a lost answer. At the end nothing
acknowledged may be missing, no key may have made two residents, and the database must be
sound (SQLite's ``integrity_check`` and foreign keys; on both, the audit hash chain, and every
resident with its audit row and its search keys, i.e. no half-written record).

Importing the program takes a second or more, which dozens of rounds cannot afford; so the
writers are forked from one ``python -c`` process (the "zygote") that has imported
everything but opened no connection. Each fork is a process of its own with its own engine,
killed alone; the zygote reaps it and reports its end, after every line it printed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass, field

import sqlalchemy as sa

from policeroom.db import Database, is_sqlite
from policeroom.services.core import audit

PREFIX = "crash-"

# Runs in its own process. Reads "FIRST COUNT LOSE" lines: fork a writer that creates
# residents crash-FIRST, crash-FIRST+1, … (COUNT of them, or until killed when COUNT is -1);
# the write numbered FIRST+LOSE kills its own process after its commit, before its ack.
ZYGOTE = """
import os, signal, sys
from policeroom.db import Database
from policeroom.models.people import ResidentCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.people import residents

from sqlalchemy.orm import configure_mappers

url, grid_id, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# What the first create would load (mappers, the pinyin dictionaries), loaded once here.
configure_mappers()
residents.search_columns("王小明", "", None)

def say(line):
    os.write(1, (line + "\\n").encode())  # one write() per line: never interleaved

def writer(first, count, lose):
    database = Database.open(url)
    ctx = ServiceContext(database)
    number = first
    while count < 0 or number < first + count:
        key = prefix + str(number)
        data = ResidentCreate(name="王小明", grid_id=grid_id, notes=key)
        saved = residents.create(ctx.keyed(key), data)
        if number == first + lose:
            os.kill(os.getpid(), signal.SIGKILL)  # the answer is lost after the commit
        say(f"ack {number} {saved.id}")
        number += 1
    database.dispose()

for order in sys.stdin:
    first, count, lose = (int(part) for part in order.split())
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            writer(first, count, lose)
        except BaseException as error:
            say(f"error {type(error).__name__}: {error}".replace("\\n", " "))
            code = 1
        os._exit(code)
    say(f"pid {pid}")
    _, status = os.waitpid(pid, 0)
    say(f"exit {pid} {status}")
"""


@dataclass
class Figures:
    """What the rounds did and what the database held afterwards."""

    kills: int = 0
    acknowledged: int = 0
    # Writes that committed but were killed before their ack: the retry must hand them back.
    committed_unacknowledged: int = 0
    lost: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unacknowledged_kept: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"kills {self.kills}, acknowledged writes {self.acknowledged}, "
            f"committed before the kill but not acknowledged {self.committed_unacknowledged}, "
            f"lost {len(self.lost)}, duplicates {len(self.duplicates)}, "
            f"integrity problems {len(self.problems)}"
        )


class Zygote:
    """The ``python -c`` process the writers are forked from."""

    def __init__(self, url: str, grid_id: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, url, str(grid_id), PREFIX],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def start(self, first: int, count: int, lose: int = -1) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{first} {count} {lose}\n")
        self.process.stdin.flush()

    def line(self) -> tuple[str, list[str]]:
        assert self.process.stdout is not None
        text = self.process.stdout.readline()
        if not text:
            raise RuntimeError(f"the zygote ended ({self.process.wait()})")
        word, *rest = text.split()
        return word, rest

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def run(database: Database, grid_id: int, rounds: int, seed: int, most_acks: int = 3) -> Figures:
    """``rounds`` writers killed at random, then one that finishes; the figures found."""
    url = database.engine.url.render_as_string(hide_password=False)
    chooser = random.Random(seed)
    figures = Figures()
    acked: dict[int, int] = {}
    following = 1
    zygote = Zygote(url, grid_id)
    try:
        for _round in range(rounds):
            following = _killed_round(zygote, database, following, chooser, most_acks, acked)
            figures.kills += 1
            if _committed(database, following):
                figures.committed_unacknowledged += 1
        # The last writer retries the write in flight at the last kill and ends by itself.
        zygote.start(following, 2)
        while True:
            word, rest = zygote.line()
            if word == "ack":
                acked[int(rest[0])] = int(rest[1])
            elif word == "error":
                figures.errors.append(" ".join(rest))
            elif word == "exit":
                break
    finally:
        zygote.close()
    figures.acknowledged = len(acked)
    _inspect(database, acked, figures)
    return figures


def _killed_round(
    zygote: Zygote,
    database: Database,
    first: int,
    chooser: random.Random,
    most_acks: int,
    acked: dict[int, int],
) -> int:
    """One writer, killed after a random number of acknowledgements (none: while it starts
    or during its first write), by the harness while it writes or, one round in three, by
    itself just after a commit (the answer lost). Returns the number of the write that was
    in flight."""
    wanted = chooser.randint(0, most_acks)
    losing = chooser.randrange(3) == 0
    zygote.start(first, -1, wanted if losing else -1)
    killed = losing
    pid: int | None = None
    seen = 0
    while True:
        word, rest = zygote.line()
        if word == "pid":
            pid = int(rest[0])
        elif word == "ack":
            acked[int(rest[0])] = int(rest[1])
            seen += 1
        elif word == "exit":
            assert killed, f"the writer ended by itself: {rest}"
            assert int(rest[1]) & 0x7F == signal.SIGKILL, f"not killed by SIGKILL: {rest}"
            break
        elif word == "error":
            raise AssertionError(f"the writer failed before it was killed: {' '.join(rest)}")
        if pid is not None and seen >= wanted and not killed:
            os.kill(pid, signal.SIGKILL)
            killed = True
    return max(acked, default=first - 1) + 1


def _committed(database: Database, number: int) -> bool:
    with database.engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT count(*) FROM request_key WHERE kind = 'resident' AND key = :key"),
            {"key": f"{PREFIX}{number}"},
        ).scalar()
    return bool(found)


def _inspect(database: Database, acked: dict[int, int], figures: Figures) -> None:
    with database.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT id, notes FROM resident WHERE notes LIKE :prefix"),
            {"prefix": f"{PREFIX}%"},
        ).all()
        by_key: dict[str, list[int]] = {}
        for resident_id, notes in rows:
            by_key.setdefault(notes, []).append(resident_id)
        figures.duplicates = sorted(key for key, ids in by_key.items() if len(ids) > 1)
        figures.lost = sorted(
            number
            for number, resident_id in acked.items()
            if resident_id not in by_key.get(f"{PREFIX}{number}", [])
        )
        told = {f"{PREFIX}{number}" for number in acked}
        figures.unacknowledged_kept = sorted(set(by_key) - told)
        figures.problems += _half_records(connection)
        if is_sqlite(database.engine):
            for (row,) in connection.execute(sa.text("PRAGMA integrity_check")):
                if row != "ok":
                    figures.problems.append(str(row))
            for row in connection.execute(sa.text("PRAGMA foreign_key_check")):
                figures.problems.append(f"foreign key: {tuple(row)}")
    with database.session() as session:
        chain = audit.verify(session)
        if not chain.ok:
            figures.problems.append(f"audit chain: row {chain.broken_id} {chain.reason}")


def _half_records(connection: sa.Connection) -> list[str]:
    """Residents without their audit row or search keys, keys without their resident."""
    checks = {
        "a resident without its audit row": """
            SELECT count(*) FROM resident r WHERE r.notes LIKE :prefix AND NOT EXISTS (
              SELECT 1 FROM audit_log a WHERE a.table_name = 'resident' AND a.record_id = r.id
                AND a.action = 'create')""",
        "a resident without its name keys": """
            SELECT count(*) FROM resident r WHERE r.notes LIKE :prefix AND NOT EXISTS (
              SELECT 1 FROM resident_name_gram g WHERE g.resident_id = r.id)""",
        "a request key without its resident": """
            SELECT count(*) FROM request_key k WHERE k.key LIKE :prefix AND NOT EXISTS (
              SELECT 1 FROM resident r WHERE r.id = k.record_id AND r.notes = k.key)""",
    }
    found = []
    for what, query in checks.items():
        count = connection.execute(sa.text(query), {"prefix": f"{PREFIX}%"}).scalar()
        if count:
            found.append(f"{count} × {what}")
    return found

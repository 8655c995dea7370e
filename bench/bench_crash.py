"""Writers SIGKILLed at random, at a larger scale than the suite's crash test.

    .venv/bin/python bench/bench_crash.py [--rounds 200] [--seed 1] [--db-dir /tmp]
                                          [--postgres URL | --no-postgres]

The harness of ``tests/unit/crash_harness.py`` (see its docstring): real writer processes
saving residents through the services with request keys, killed while they write or just
after a commit, each followed by a retry of the write in flight. On a SQLite file and on
PostgreSQL (a throw-away server from the installed binaries unless ``--postgres`` names
one), both loaded with the training set. Prints per database: kills, acknowledged writes,
writes committed before their kill but not acknowledged, lost, duplicates, integrity
problems, and the time taken. Exit 1 when anything was lost, doubled or damaged.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' harness

from tests.pg_server import PostgresServer, find_bindir  # noqa: E402
from tests.unit import crash_harness  # noqa: E402

from policeroom import fixtures  # noqa: E402
from policeroom.db import Database, sqlite_url, upgrade  # noqa: E402
from policeroom.services.core.context import ServiceContext  # noqa: E402

GRID = "WD010201"  # a level-3 grid of the training set


def _trained(database: Database) -> int:
    upgrade(database.engine)
    fixtures.load(ServiceContext(database), "training")
    with database.engine.connect() as connection:
        grid_id = connection.execute(
            sa.text("SELECT id FROM grid WHERE code = :code"), {"code": GRID}
        ).scalar_one()
    return int(grid_id)


@contextmanager
def _sqlite(folder: Path) -> Iterator[Database]:
    path = folder / "bench-crash.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = Database.open(sqlite_url(path))
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def _postgres(url: str | None) -> Iterator[Database]:
    server = None
    if url is None:
        server = PostgresServer().start()
        url = server.url()
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("DROP DATABASE IF EXISTS bench_crash"))
        connection.execute(sa.text("CREATE DATABASE bench_crash"))
    database = Database.open(url.rsplit("/", 1)[0] + "/bench_crash")
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE bench_crash WITH (FORCE)"))
        admin.dispose()
        if server is not None:
            server.stop()


def _run(name: str, database: Database, rounds: int, seed: int) -> bool:
    grid_id = _trained(database)
    start = time.perf_counter()
    figures = crash_harness.run(database, grid_id, rounds=rounds, seed=seed, most_acks=6)
    seconds = time.perf_counter() - start
    print(f"{name:10}: {figures.line()}; {seconds:.1f} s")
    for what in ("lost", "duplicates", "unacknowledged_kept", "problems", "errors"):
        found = getattr(figures, what)
        if found:
            print(f"{name:10}: {what}: {found[:10]}")
    return not (
        figures.lost
        or figures.duplicates
        or figures.unacknowledged_kept
        or figures.problems
        or figures.errors
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--postgres", metavar="URL", help="postgresql+psycopg://… of a server")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    sound = True
    with _sqlite(args.db_dir) as database:
        sound &= _run("sqlite", database, args.rounds, args.seed)
    if args.no_postgres or (args.postgres is None and find_bindir() is None):
        print("postgresql: skipped (no server binaries; give --postgres URL)")
    else:
        with _postgres(args.postgres) as database:
            sound &= _run("postgresql", database, args.rounds, args.seed)
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())

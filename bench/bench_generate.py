"""How generating a branch grows with its size: ``small`` against ``branch``, as a ratio.

    .venv/bin/python bench/bench_generate.py [--db-dir /tmp] [--postgres URL]

Generates each scale into a fresh SQLite file (and, given a server URL, into a fresh
PostgreSQL database of that server), and prints seconds, residents per second, the file
size and the branch/small ratio of time next to the ratio of residents. A ratio of time
well above the ratio of rows would mean something grows faster than linearly.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from policeroom import fixtures
from policeroom.db import Database, sqlite_url, upgrade
from policeroom.fixtures.generate import SCALES
from policeroom.services.core.context import ServiceContext


def _sqlite(folder: Path, scale: str) -> Database:
    path = folder / f"generate-{scale}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = Database.open(sqlite_url(path))
    upgrade(database.engine)
    return database


def _postgres(server: str, scale: str) -> Database:
    name = f"bench_generate_{scale}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    database = Database.open(server.rsplit("/", 1)[0] + f"/{name}")
    upgrade(database.engine)
    return database


def _time(database: Database, scale: str) -> float:
    start = time.perf_counter()
    fixtures.generate(ServiceContext(database), scale, 1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--postgres", metavar="URL", help="postgresql+psycopg://… of a server")
    args = parser.parse_args()
    backends = [("sqlite", lambda scale: _sqlite(args.db_dir, scale))]
    if args.postgres:
        backends.append(("postgresql", lambda scale: _postgres(args.postgres, scale)))
    rows = SCALES["branch"].residents / SCALES["small"].residents
    for backend, open_database in backends:
        seconds: dict[str, float] = {}
        for scale in ("small", "branch"):
            database = open_database(scale)
            try:
                seconds[scale] = _time(database, scale)
                size = ""
                if backend == "sqlite" and database.engine.url.database:
                    size = f", {Path(database.engine.url.database).stat().st_size / 2**20:.1f} MiB"
            finally:
                database.dispose()
            per_second = SCALES[scale].residents / seconds[scale]
            print(
                f"{backend} {scale:6}: {seconds[scale]:7.2f} s, {per_second:8.0f} residents/s{size}"
            )
        ratio = seconds["branch"] / seconds["small"]
        print(
            f"{backend} branch/small: time x{ratio:.0f} for residents x{rows:.0f} "
            f"(time per resident x{ratio / rows:.2f})"
        )


if __name__ == "__main__":
    main()

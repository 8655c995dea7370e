"""The databases the benchmarks share, built once and cached under ``.bench-cache/``.

A generated branch takes minutes; every benchmark reads the same file. The file's name
carries a hash of the generator's and the migrations' source, so a change to either builds
a fresh one, and a stale file is never measured. A file is built under a temporary name
and renamed when complete, so a run stopped half-way leaves nothing that looks finished.

``--smoke`` runs use the ``small`` scale for every scale asked for: they prove that the
benchmarks still run, not how fast.

With ``POLICEROOM_BENCH_POSTGRES`` set to a PostgreSQL server's URL (``run_all.py
--postgres`` starts a throw-away one and sets it), the same databases are built on that
server instead, one database each, named as the files are; ``generated`` and ``training``
then return its URL, and ``open_database`` and ``residents_in`` take either.
"""

from __future__ import annotations

import hashlib
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from policeroom import fixtures
from policeroom.db import Database, sqlite_url, upgrade
from policeroom.services.core.context import ServiceContext

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("POLICEROOM_BENCH_CACHE", ROOT / ".bench-cache"))
_PACKAGE = ROOT / "src" / "policeroom"
TRAINING = ROOT / "fixtures" / "training"


def generator_version() -> str:
    """A short hash of everything that decides what a generated database holds."""
    digest = hashlib.sha256()
    sources = sorted((_PACKAGE / "fixtures").glob("*.py"))
    sources += sorted((_PACKAGE / "migrations" / "versions").glob("*.py"))
    sources += sorted((_PACKAGE / "models").glob("*.py"))
    sources += sorted(TRAINING.glob("*.json"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _build(path: Path, fill: Callable[[ServiceContext], object], what: str) -> Path:
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    kind = path.name.rsplit("-", 1)[0]
    for stale in CACHE.glob(f"{kind}-*.db*"):
        # Another generator version's copy of the same database: never read again.
        stale.unlink(missing_ok=True)
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"building {what} into {path} (once; cached) …", flush=True)
    started = time.perf_counter()
    database = Database.open(sqlite_url(partial))
    try:
        upgrade(database.engine)
        fill(ServiceContext(database))
        with database.engine.connect() as connection:
            # Folds the WAL into the file, so the rename moves one complete file.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.dispose()
    partial.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


# Where a bench database is: a SQLite file, or a PostgreSQL database's URL.
Location = Path | str
SERVER = os.environ.get("POLICEROOM_BENCH_POSTGRES")


@contextmanager
def postgres_server(url: str | None = None) -> Iterator[str]:
    """Build and read the bench databases on PostgreSQL while inside: on the server at
    ``url``, or on a throw-away one started here (the tests' ``tests/pg_server.py``), stopped
    on the way out (a kill included)."""
    global SERVER
    server = None
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.pg_server import PostgresServer

        server = PostgresServer().start()
        url = server.url()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    before, SERVER = SERVER, url
    try:
        yield url
    finally:
        SERVER = before
        if server is not None:
            server.stop()


def url_of(location: Location) -> str:
    return location if isinstance(location, str) else sqlite_url(location)


def _build_on_server(
    server: str, name: str, fill: Callable[[ServiceContext], object], what: str
) -> str:
    """``name`` on the server, built once per server like a cached file (under a temporary
    name, renamed when complete)."""
    base = sa.engine.make_url(server)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    partial = f"{name}_partial"
    try:
        with admin.connect() as connection:
            there = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if there is None:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{partial}"')
                connection.exec_driver_sql(f'CREATE DATABASE "{partial}"')
        if there is None:
            print(f"building {what} into PostgreSQL {name} (once per server) …", flush=True)
            started = time.perf_counter()
            database = Database.open(base.set(database=partial).render_as_string(False))
            try:
                upgrade(database.engine)
                fill(ServiceContext(database))
                # As autovacuum does on a live server within minutes of a bulk load: its
                # planner statistics, and pages marked all-visible so that an index-only
                # scan reads no table page. Measured before it, a count read every page.
                vacuum = database.engine.execution_options(isolation_level="AUTOCOMMIT")
                with vacuum.connect() as connection:
                    connection.exec_driver_sql("VACUUM ANALYZE")
            finally:
                database.dispose()
            with admin.connect() as connection:
                connection.exec_driver_sql(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
            print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(False)


def generated(scale: str, *, seed: int = 1, smoke: bool = False) -> Location:
    """A SQLite file holding ``fixtures generate --scale scale --seed seed`` (on a
    PostgreSQL server: that database's URL)."""
    if smoke:
        scale = "small"
    name = f"generated-{scale}-s{seed}-{generator_version()}"
    return _cached(name, lambda ctx: fixtures.generate(ctx, scale, seed), f"the {scale} branch")


def training() -> Location:
    """A SQLite file holding the training set (``fixtures load fixtures/training``)."""
    name = f"training-{generator_version()}"
    return _cached(name, lambda ctx: fixtures.load(ctx, TRAINING), "the training set")


def _cached(name: str, fill: Callable[[ServiceContext], object], what: str) -> Location:
    if SERVER:
        return _build_on_server(SERVER, name.replace("-", "_"), fill, what)
    return _build(CACHE / f"{name}.db", fill, what)


def open_database(location: Location) -> Database:
    """The cached database, opened as the program opens a database."""
    database = Database.open(url_of(location))
    upgrade(database.engine)
    return database


def median_ms(call: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of ``call`` after one warm-up run."""
    call()
    samples = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def interleaved_ms(calls: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median milliseconds of each call, the calls taking turns so load hits them alike."""
    for call in calls.values():
        call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(max(1, repeat)):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def ratio_line(label: str, value_ms: float, baseline_ms: float, goal: float | None) -> str:
    """One printed figure: the time, its baseline's, the ratio and whether it meets the goal."""
    ratio = value_ms / baseline_ms if baseline_ms > 0 else float("inf")
    verdict = ""
    if goal is not None:
        verdict = f"  goal ≤{goal:g}× {'ok' if ratio <= goal else 'MISSED'}"
    return f"{label:48} {value_ms:9.2f} ms / {baseline_ms:8.2f} ms = {ratio:6.2f}×{verdict}"


def residents_in(path: Location) -> int:
    engine = sa.create_engine(url_of(path))
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SELECT count(*) FROM resident")).scalar_one())
    finally:
        engine.dispose()

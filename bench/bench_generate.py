"""The bulk paths at branch scale: generate, export and load, time and peak memory.

    .venv/bin/python bench/bench_generate.py [--repeat 5] [--postgres [URL] [--only-postgres]]
    .venv/bin/python bench/bench_generate.py --smoke    # small data, one run

Each figure is a whole process (a fresh interpreter per run), so its peak RSS is the
process's own; runs of a figure and its baseline take turns, and the median of
``--repeat`` is printed:

* ``fixtures generate --scale branch`` into an empty SQLite file, against the baseline of
  raw ``sqlite3`` ``executemany`` of the same resident rows (read from the cached branch)
  into an empty copy of the ``resident`` table with its indexes: the ratio is per resident.
  The issue's goal: ≤ 5×, ≤ 300 MB;
* ``fixtures export`` of the branch against the export of the small branch: memory must not
  grow with the data (a ratio near 1), time should grow no faster than the rows;
* ``fixtures load``: ``bench_load.py`` (small and branch, against raw executemany).

``--postgres`` measures the same on PostgreSQL as well (a throw-away server from the
installed binaries, or the server at URL, where it makes and drops ``bench_*`` databases):
generate into an empty database against raw psycopg ``executemany`` of the cached branch's
resident rows into an empty table like ``resident`` (its indexes, no foreign keys, as the
SQLite baseline), then export of that branch against a small one, and load.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import benchdata
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' server helper

from tests.pg_server import PostgresServer  # noqa: E402

from policeroom.fixtures.generate import SCALES  # noqa: E402


def _peak_mb() -> float:
    """This process's own peak resident memory. Not ``ru_maxrss``: Linux carries that over
    ``exec`` from the forking parent, so a child forked by a bench that had just built the
    branch (284 MB) reported at least that much whatever it did itself."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _url(place: str) -> str:
    """A database URL as given, or a SQLite file's."""
    from policeroom.db import sqlite_url

    return place if place.startswith("postgresql") else sqlite_url(Path(place))


def child(case: str, scale: str, source: str, out: str) -> dict[str, float]:
    """One measured run in this process: its seconds and the process's peak MB.
    ``source`` and ``out`` are files, or PostgreSQL URLs for a database."""
    from policeroom import fixtures
    from policeroom.db import Database, upgrade
    from policeroom.services.core.context import ServiceContext

    started = time.perf_counter()
    if case == "generate":
        database = Database.open(_url(out))
        upgrade(database.engine)
        fixtures.generate(ServiceContext(database), scale, 1)
    elif case == "export":
        database = Database.open(_url(source))
        # the full copy, since the load that follows reads it back
        fixtures.export(ServiceContext(database), out, unmasked="benchmark")
    elif case == "load":
        database = Database.open(_url(out))
        upgrade(database.engine)
        fixtures.load(ServiceContext(database), source)
    elif case == "raw":
        database = None
        raw_residents(Path(source), Path(out))
    elif case == "raw-pg":
        database = None
        raw_residents_pg(Path(source), out)
    else:
        raise SystemExit(f"no case {case}")
    if database is not None:
        database.dispose()
    return {"seconds": time.perf_counter() - started, "mb": _peak_mb()}


def raw_residents(source: Path, out: Path) -> None:
    """The baseline: the branch's resident rows, executemany'd into an empty table."""
    reader = sqlite3.connect(source)
    schema = [
        sql
        for (sql,) in reader.execute(
            # the table and its indexes, not the statistics' triggers (they write other
            # tables): the baseline stays a bare executemany, the generator pays for them
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'resident' AND sql IS NOT NULL "
            "AND type IN ('table', 'index') ORDER BY type DESC"  # the table before its indexes
        )
    ]
    columns = [row[1] for row in reader.execute("PRAGMA table_info(resident)")]
    writer = sqlite3.connect(out)
    writer.execute("PRAGMA journal_mode = WAL")
    for sql in schema:
        writer.execute(sql)
    insert = f"INSERT INTO resident ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    rows = reader.execute(f"SELECT {', '.join(columns)} FROM resident")
    with writer:
        while block := rows.fetchmany(5_000):
            writer.executemany(insert, block)
    writer.close()
    reader.close()


def raw_residents_pg(source: Path, url: str) -> None:
    """The PostgreSQL baseline: the branch's resident rows, psycopg ``executemany``'d into
    ``raw_resident``, an empty table like ``resident`` (made before the clock starts)."""
    reader = sqlite3.connect(source)
    info = list(reader.execute("PRAGMA table_info(resident)"))
    columns = [row[1] for row in info]
    flags = [index for index, row in enumerate(info) if row[2].upper() == "BOOLEAN"]
    engine = sa.create_engine(url)
    writer = engine.raw_connection()
    insert = (
        f"INSERT INTO raw_resident ({', '.join(columns)}) "
        f"VALUES ({', '.join('%s' for _ in columns)})"
    )
    rows = reader.execute(f"SELECT {', '.join(columns)} FROM resident")
    cursor = writer.cursor()
    while block := rows.fetchmany(5_000):
        # SQLite keeps booleans as 0 and 1; PostgreSQL wants them as booleans.
        converted = [
            tuple(bool(v) if i in flags and v is not None else v for i, v in enumerate(row))
            for row in block
        ]
        cursor.executemany(insert, converted)
    writer.commit()
    writer.close()
    engine.dispose()
    reader.close()


def run(
    case: str, scale: str, source: Path | str, out: Path | str, *, smoke: bool
) -> dict[str, float]:
    """A run in a fresh process (its own peak memory); a smoke run stays in this one."""
    if isinstance(out, Path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out}{suffix}").unlink(missing_ok=True)
    if smoke:
        return child(case, scale, str(source), str(out))
    found = subprocess.run(
        [sys.executable, __file__, "--child", case, "--scale", scale, str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        raise SystemExit(f"{case} {scale} failed:\n{found.stderr}")
    result: dict[str, float] = json.loads(found.stdout.strip().splitlines()[-1])
    return result


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="small data, one run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scale", default="branch", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="URL",
        help="on PostgreSQL too: a throw-away server, or the one at URL",
    )
    parser.add_argument(
        "--only-postgres", action="store_true", help="with --postgres: skip the SQLite figures"
    )
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.scale, *args.paths)))
        return 0
    repeat = 1 if args.smoke else args.repeat
    scale = "small" if args.smoke else "branch"
    branch = benchdata.generated(scale)
    small = benchdata.generated("small")
    scratch = benchdata.CACHE / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    residents = SCALES[scale].residents

    if not args.only_postgres:
        turns: dict[str, list[dict[str, float]]] = {"generate": [], "raw": []}
        for _ in range(repeat):
            turns["generate"].append(
                run("generate", scale, branch, scratch / "generate.db", smoke=args.smoke)
            )
            turns["raw"].append(run("raw", scale, branch, scratch / "raw.db", smoke=args.smoke))
        generate, raw = medians(turns["generate"]), medians(turns["raw"])
        print(
            f"generate {scale}: {generate['seconds']:.1f} s, {generate['mb']:.0f} MB peak, "
            f"{residents / generate['seconds']:,.0f} residents/s"
        )
        print(f"raw sqlite3 executemany of its residents: {raw['seconds']:.2f} s")
        print(
            benchdata.ratio_line(
                "generate per resident / raw executemany",
                generate["seconds"] * 1000,
                raw["seconds"] * 1000,
                5.0,
            )
            + f"  ({generate['mb']:.0f} MB, goal ≤300 MB "
            f"{'ok' if generate['mb'] <= 300 else 'MISSED'})"
        )

        exports: dict[str, list[dict[str, float]]] = {"small": [], scale: []}
        for _ in range(repeat):
            exports["small"].append(
                run("export", "small", small, scratch / "small.json", smoke=args.smoke)
            )
            exports[scale].append(
                run("export", scale, branch, scratch / f"{scale}.json", smoke=args.smoke)
            )
        small_export, big_export = medians(exports["small"]), medians(exports[scale])
        size = (scratch / f"{scale}.json").stat().st_size / 2**20
        print(
            f"export {scale}: {big_export['seconds']:.1f} s, {big_export['mb']:.0f} MB peak, "
            f"{size:.0f} MB of JSON; small: {small_export['seconds']:.1f} s, "
            f"{small_export['mb']:.0f} MB peak"
        )
        print(
            f"{'export memory: ' + scale + ' / small':48} {big_export['mb']:9.0f} MB / "
            f"{small_export['mb']:8.0f} MB = {big_export['mb'] / small_export['mb']:6.2f}×"
        )
    if args.postgres is not None:
        postgres(args.postgres or None, scale, branch, scratch, repeat, smoke=args.smoke)
    return 0


def postgres(
    url: str | None, scale: str, branch: Path, scratch: Path, repeat: int, *, smoke: bool
) -> None:
    """The same figures on PostgreSQL, in ``bench_*`` databases made and dropped here."""
    from policeroom.db import Database, upgrade

    server = PostgresServer().start() if url is None else None
    url = server.url() if server is not None else str(url)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    made: set[str] = set()

    def fresh(name: str) -> str:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        made.add(name)
        return url.rsplit("/", 1)[0] + "/" + name

    def raw_table(target: str) -> str:
        database = Database.open(target)
        upgrade(database.engine)
        with database.engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE raw_resident (LIKE resident INCLUDING ALL)"))
        database.dispose()
        return target

    try:
        turns: dict[str, list[dict[str, float]]] = {"generate": [], "raw": []}
        for _ in range(repeat):
            generated = fresh("bench_generate")
            turns["generate"].append(run("generate", scale, branch, generated, smoke=smoke))
            raw = raw_table(fresh("bench_raw"))
            turns["raw"].append(run("raw-pg", scale, branch, raw, smoke=smoke))
        generate, raw_figures = medians(turns["generate"]), medians(turns["raw"])
        print(
            f"postgresql generate {scale}: {generate['seconds']:.1f} s, "
            f"{generate['mb']:.0f} MB peak; raw psycopg executemany of its residents: "
            f"{raw_figures['seconds']:.2f} s"
        )
        print(
            benchdata.ratio_line(
                "pg generate per resident / raw executemany",
                generate["seconds"] * 1000,
                raw_figures["seconds"] * 1000,
                5.0,
            )
            + f"  ({generate['mb']:.0f} MB, goal ≤300 MB "
            f"{'ok' if generate['mb'] <= 300 else 'MISSED'})"
        )
        small = fresh("bench_small")
        run("generate", "small", branch, small, smoke=smoke)
        exports: dict[str, list[dict[str, float]]] = {"small": [], scale: []}
        for _ in range(repeat):
            exports["small"].append(
                run("export", "small", small, scratch / "pg-small.json", smoke=smoke)
            )
            exports[scale].append(
                run("export", scale, generated, scratch / f"pg-{scale}.json", smoke=smoke)
            )
        small_export, big_export = medians(exports["small"]), medians(exports[scale])
        print(
            f"postgresql export {scale}: {big_export['seconds']:.1f} s, "
            f"{big_export['mb']:.0f} MB peak; small: {small_export['seconds']:.1f} s, "
            f"{small_export['mb']:.0f} MB peak "
            f"(memory {big_export['mb'] / small_export['mb']:.2f}×)"
        )
        load = run("load", "small", scratch / "pg-small.json", fresh("bench_load"), smoke=smoke)
        print(
            f"postgresql load of the small export: {load['seconds']:.1f} s, "
            f"{load['mb']:.0f} MB peak"
        )
    finally:
        with admin.connect() as connection:
            for name in made:
                connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())

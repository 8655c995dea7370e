"""The bulk paths at branch scale: generate, export and load, time and peak memory.

    .venv/bin/python bench/bench_generate.py [--repeat 5]
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
* ``fixtures load`` of the exported small branch (proves the round trip runs).
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

from policeroom.fixtures.generate import SCALES


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(case: str, scale: str, source: Path, out: Path) -> dict[str, float]:
    """One measured run in this process: its seconds and the process's peak MB."""
    from policeroom import fixtures
    from policeroom.db import Database, sqlite_url, upgrade
    from policeroom.services.core.context import ServiceContext

    started = time.perf_counter()
    if case == "generate":
        database = Database.open(sqlite_url(out))
        upgrade(database.engine)
        fixtures.generate(ServiceContext(database), scale, 1)
    elif case == "export":
        database = Database.open(sqlite_url(source))
        # the full copy, since the load that follows reads it back
        fixtures.export(ServiceContext(database), out, unmasked="benchmark")
    elif case == "load":
        database = Database.open(sqlite_url(out))
        upgrade(database.engine)
        fixtures.load(ServiceContext(database), source)
    elif case == "raw":
        database = None
        raw_residents(source, out)
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
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'resident' AND sql IS NOT NULL "
            "ORDER BY type DESC"  # the table before its indexes
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


def run(case: str, scale: str, source: Path, out: Path, *, smoke: bool) -> dict[str, float]:
    """A run in a fresh process (its own peak memory); a smoke run stays in this one."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    if smoke:
        return child(case, scale, source, out)
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
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
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
        + f"  ({generate['mb']:.0f} MB, goal ≤300 MB {'ok' if generate['mb'] <= 300 else 'MISSED'})"
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
    load = run("load", "small", scratch / "small.json", scratch / "load.db", smoke=args.smoke)
    print(f"load of the small export: {load['seconds']:.1f} s, {load['mb']:.0f} MB peak")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

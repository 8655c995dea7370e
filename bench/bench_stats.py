"""Headquarters statistics at branch scale against the small generated branch, as ratios.

    .venv/bin/python bench/bench_stats.py [--repeat 5] [--smoke] [--postgres [URL]]

Reads the ``small`` and ``branch`` synthetic branches (``benchdata``: built once, cached),
then times what the statistics pane does: its first screen (every police room of the branch
for the year, with the previous year beside it), a drill-down into one room's grids and one
grid's children, and the charts' series. Prints milliseconds on each database and
the branch/small ratio of each step; the issue asks for ≤ 1.5×. The pane reads a period's
rooms once (``stats.snapshot``); a drill-down reads the grids it shows (timed here on a
snapshot that has read none), ranking is made from what was read. Baseline
from the same run: a ``SELECT 1`` round trip on each database. Beside the wall-clock
milliseconds, the process's CPU milliseconds (SQLite works in the process): on a machine
shared with other work the wall clock measures the neighbours as much as the step.

``--postgres`` measures the same on PostgreSQL (a throw-away server from the installed
binaries, or the server at URL), each branch generated into it first by ``benchdata``
(minutes for the branch; ``run_all.py --postgres`` shares one server among the benches);
its CPU ratio is the client's only, the server's work being in another process.
"""

from __future__ import annotations

import argparse
import statistics
import time as clock
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time

import benchdata
import sqlalchemy as sa
from bench_search import timed

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.fixtures.generate import REFERENCE
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import stats, stats_series


def _database(scale: str, smoke: bool) -> Database:
    return benchdata.open_database(benchdata.generated(scale, smoke=smoke))


def _steps(ctx: ServiceContext) -> dict[str, object]:
    year = (date(REFERENCE.year, 1, 1), REFERENCE)
    rooms = stats.stats(ctx, "room", *year)
    room = max(rooms.rows, key=lambda row: row.get("residents"))
    grids = stats.stats(ctx, "grid", *year, room_id=room.id)
    grid = next(row for row in grids.rows if row.kind == "grid")
    read = stats.snapshot(ctx, *year)

    def select_one() -> None:
        with ctx.db.session() as session:
            session.execute(sa.text("SELECT 1")).scalar_one()

    return {
        "SELECT 1 (baseline)": select_one,
        "first screen: all rooms": lambda: stats.stats(ctx, "room", *year),
        "stations": lambda: stats.stats(ctx, "station", *year),
        # each drill-down on a snapshot that has read none yet: what ``enter`` costs
        "drill-down: a room's grids": lambda: stats.rows_of(
            replace(read, _parts={}), "grid", room_id=room.id
        ),
        "drill-down: a grid's children": lambda: stats.rows_of(
            replace(read, _parts={}), "grid", grid_code=grid.code
        ),
        "ranking of rooms": lambda: stats.ranking(
            stats.rows_of(read, "room").rows, "anti_fraud_installs"
        ),
        "charts' series": lambda: stats_series.series(ctx, *year),
        "rooms, rows": lambda: len(rooms.rows),
    }


def cpu_timed(call: Callable[[], object], repeat: int) -> float:
    """Median CPU milliseconds of ``call`` after one warm-up run."""
    call()
    samples = []
    for _ in range(repeat):
        started = clock.process_time()
        call()
        samples.append((clock.process_time() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="small data, one run")
    parser.add_argument("--postgres", nargs="?", const="", default=None, metavar="URL")
    args = parser.parse_args()
    repeat = 1 if args.smoke else args.repeat
    if args.postgres is not None:
        with benchdata.postgres_server(args.postgres or None):
            measure(_database, repeat, args.smoke)
        return
    measure(_database, repeat, args.smoke)


def measure(database_of: Callable[[str, bool], Database], repeat: int, smoke: bool) -> None:
    found: dict[str, dict[str, float]] = {}
    cpu: dict[str, dict[str, float]] = {}
    for scale in ("small", "branch"):
        database = database_of(scale, smoke)
        ctx = ServiceContext(database, clock=Clock.fixed(datetime.combine(REFERENCE, time(12))))
        for name, step in _steps(ctx).items():
            if name == "rooms, rows":
                print(f"{scale}: {step()} police rooms")  # type: ignore[operator]
                continue
            found.setdefault(name, {})[scale] = timed(step, repeat)  # type: ignore[arg-type]
            cpu.setdefault(name, {})[scale] = cpu_timed(step, repeat)  # type: ignore[arg-type]
        database.dispose()
    print(f"{'step':32} {'small ms':>10} {'branch ms':>10} {'ratio':>7} {'cpu ratio':>10}")
    for name, times in found.items():
        ratio = times["branch"] / times["small"]
        used = cpu[name]
        cpu_ratio = used["branch"] / used["small"] if used["small"] else float("nan")
        print(
            f"{name:32} {times['small']:10.1f} {times['branch']:10.1f} {ratio:7.2f}"
            f" {cpu_ratio:10.2f}"
        )


if __name__ == "__main__":
    main()

"""Headquarters statistics at branch scale against the small generated branch, as ratios.

    .venv/bin/python bench/bench_stats.py [--repeat 5] [--smoke] [--postgres [URL]]

Reads the ``small`` and ``branch`` synthetic branches (``benchdata``: built once, cached),
then times what the statistics pane does: its first screen (every police room of the branch
for the year, with the previous year beside it), a drill-down into one room's grids and one
grid's children, and the charts' series. Prints milliseconds on each database and
the branch/small ratio of each step; the issue asks for ≤ 1.5×. The pane reads a period's
rooms once (``stats.snapshot``); a drill-down reads the grids it shows (timed here on a
snapshot that has read none), ranking is made from what was read. The two scales take
turns at each step, run by run, so that the machine's load weighs on both. Baseline
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
from dataclasses import dataclass, replace
from datetime import date, datetime, time

import benchdata
import sqlalchemy as sa

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.fixtures.generate import REFERENCE
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import stats, stats_series


def _database(scale: str, smoke: bool) -> Database:
    return benchdata.open_database(benchdata.generated(scale, smoke=smoke))


def _steps(ctx: ServiceContext) -> dict[str, Callable[[], object]]:
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


def interleaved(calls: dict[str, Callable[[], object]], repeat: int) -> dict[str, Sample]:
    """Median wall and CPU milliseconds of each call, after one warm-up run each, the calls
    taking turns: a neighbour's burst on a shared machine then slows every scale alike
    rather than the one that happened to be running."""
    for call in calls.values():
        call()
    wall: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            started, used = clock.perf_counter(), clock.process_time()
            call()
            cpu[name].append((clock.process_time() - used) * 1000)
            wall[name].append((clock.perf_counter() - started) * 1000)
    return {
        name: Sample(statistics.median(wall[name]), statistics.median(cpu[name])) for name in calls
    }


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float


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
    scales = ("small", "branch")
    databases = {scale: database_of(scale, smoke) for scale in scales}
    steps = {
        scale: _steps(
            ServiceContext(database, clock=Clock.fixed(datetime.combine(REFERENCE, time(12))))
        )
        for scale, database in databases.items()
    }
    for scale in scales:
        print(f"{scale}: {steps[scale].pop('rooms, rows')()} police rooms")
    print(f"{'step':32} {'small ms':>10} {'branch ms':>10} {'ratio':>7} {'cpu ratio':>10}")
    for name in steps["small"]:
        found = interleaved({scale: steps[scale][name] for scale in scales}, repeat)
        small, branch = found["small"], found["branch"]
        cpu_ratio = branch.cpu / small.cpu if small.cpu else float("nan")
        print(
            f"{name:32} {small.wall:10.1f} {branch.wall:10.1f} {branch.wall / small.wall:7.2f}"
            f" {cpu_ratio:10.2f}"
        )
    for database in databases.values():
        database.dispose()


if __name__ == "__main__":
    main()

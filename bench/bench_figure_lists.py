"""The lists behind the statistics' figures (visits, 1-3-5 calls and arrivals, weekly sweeps)
at branch scale against the small generated branch, as ratios.

    .venv/bin/python bench/bench_figure_lists.py [--repeat 5] [--smoke]

For this year to the generator's reference day, on the station, police room and grid with
the most visits: what a list does when ``enter`` opens it — its first window (30 rows) and
its count — in milliseconds on each database and the branch/small ratio of each. Baseline
from the same run: the statistics' own read of the period (``stats.snapshot``), which the
screen has already paid for before ``enter``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime, time

import benchdata
from bench_search import timed

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.fixtures.generate import REFERENCE
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import figure_lists, stats
from policeroom.services.reports.figure_lists import Unit
from policeroom.services.reports.stats import StatsRow

WINDOW = 30


def _database(scale: str, smoke: bool) -> Database:
    return benchdata.open_database(benchdata.generated(scale, smoke=smoke))


def _busiest(rows: tuple[StatsRow, ...], kind: str) -> StatsRow:
    return max((row for row in rows if row.kind == kind), key=lambda row: row.get("visits"))


def _steps(ctx: ServiceContext) -> dict[str, Callable[[], object]]:
    year = (date(REFERENCE.year, 1, 1), REFERENCE)
    read = stats.snapshot(ctx, *year)
    station = _busiest(stats.rows_of(read, "station").rows, "station")
    room = _busiest(stats.rows_of(read, "room", station_id=station.id).rows, "room")
    grid = _busiest(stats.rows_of(read, "grid", room_id=room.id).rows, "grid")
    steps: dict[str, Callable[[], object]] = {
        "stats.snapshot (baseline)": lambda: stats.snapshot(ctx, *year),
    }
    for kind, row in (("station", station), ("room", room), ("grid", grid)):
        assert row.id is not None
        unit = Unit(kind, row.id)  # type: ignore[arg-type]

        def window(read_rows: Callable[..., object], unit: Unit = unit) -> Callable[[], object]:
            return lambda: read_rows(ctx, unit, *year, 0, WINDOW)

        def count(read_count: Callable[..., object], unit: Unit = unit) -> Callable[[], object]:
            return lambda: read_count(ctx, unit, *year)

        steps[f"{kind}: visits window"] = window(figure_lists.visit_window)
        steps[f"{kind}: visits count"] = count(figure_lists.visit_count)
        steps[f"{kind}: calls window"] = window(figure_lists.call_window)
        steps[f"{kind}: calls count"] = count(figure_lists.call_count)
        steps[f"{kind}: arrivals window"] = window(figure_lists.arrival_window)
        steps[f"{kind}: arrivals count"] = count(figure_lists.arrival_count)
        if kind != "grid":  # a grid's row counts no sweep
            steps[f"{kind}: sweeps window"] = window(figure_lists.sweep_week_window)
            steps[f"{kind}: sweeps missing"] = count(figure_lists.missing_sweep_count)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="small data, one run")
    args = parser.parse_args()
    repeat = 1 if args.smoke else args.repeat
    found: dict[str, dict[str, float]] = {}
    for scale in ("small", "branch"):
        database = _database(scale, args.smoke)
        ctx = ServiceContext(database, clock=Clock.fixed(datetime.combine(REFERENCE, time(12))))
        for name, step in _steps(ctx).items():
            found.setdefault(name, {})[scale] = timed(step, repeat)
        database.dispose()
    print(f"{'step':28} {'small ms':>10} {'branch ms':>10} {'ratio':>7}")
    for name, times in found.items():
        ratio = times["branch"] / times["small"] if times["small"] else float("nan")
        print(f"{name:28} {times['small']:10.1f} {times['branch']:10.1f} {ratio:7.2f}")


if __name__ == "__main__":
    main()

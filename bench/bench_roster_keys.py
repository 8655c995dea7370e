"""The all-rooms roster week through the real app: what ``]`` and ``[`` cost, and the stall.

    .venv/bin/python bench/bench_roster_keys.py [--repeat 5] [--keys 6]
    .venv/bin/python bench/bench_roster_keys.py --smoke      # small data, one run: proves it runs

Drives ``PoliceRoomApp`` headless at 80x24 as headquarters (every police room) on the cached
branch database (``benchdata``: 58 rooms, 300,000 residents) and on the small one, with Pilot
keys: ``4`` for the roster, then ``]`` and ``[`` in turn. For each key: the time from the key
sent to the first frame that shows the new week, and to the moment no worker runs any more
(what the key set reading, in the background too); and the longest the UI thread went
without running a 5 ms timer meanwhile (a read holding the GIL stalls every key). Sessions
alternate between the two databases; medians over every key of every session, and ratios of
the branch to the small database. Nothing is asserted: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchdata
from bench_residents_pane import Frames, at

from policeroom.clock import SYSTEM_CLOCK
from policeroom.db import Database, sqlite_url
from policeroom.fixtures.generate import REFERENCE
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.people.residents_pane import ResidentsPane

SIZE = (80, 24)
TICK = 0.005


def hq_context(path: Path) -> ServiceContext:
    """Headquarters on ``path``, on the day the generated data is written around."""
    clock = SYSTEM_CLOCK.shifted(timedelta(days=(REFERENCE - SYSTEM_CLOCK.today()).days))
    return ServiceContext(
        Database.open(sqlite_url(path)), actor=Actor(login="bench", role=Role.HQ), clock=clock
    )


def _pane(app: PoliceRoomApp) -> RosterPane:
    assert app.main_screen is not None
    return app.main_screen.query_one(RosterPane)


def _monday(app: PoliceRoomApp) -> Any:
    found = _pane(app).last_read
    return found.week.week_start if found is not None else None


def _residents_shown(app: PoliceRoomApp) -> bool:
    return (
        app.main_screen is not None
        and app.main_screen.query_one(ResidentsPane).table.cached_rows > 0
    )


async def _quiet(app: PoliceRoomApp) -> None:
    while any(worker.is_running for worker in app.workers):
        await asyncio.sleep(0.002)


class Stalls:
    """The longest gap between two runs of a short timer on the UI thread."""

    def __init__(self, app: PoliceRoomApp) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        app.set_interval(TICK, self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0


async def session(path: Path, keys: int) -> dict[str, list[float]]:
    """One session on ``path``: milliseconds per key (shown, quiet, stall)."""
    ctx = hq_context(path)
    out: dict[str, list[float]] = {"shown": [], "quiet": [], "stall": []}
    try:
        app = PoliceRoomApp(ctx, language="en")
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            # The desk is ready for keys once the residents on show have their first rows.
            await at(frames.when(lambda: _residents_shown(app)), "the desk's first rows")
            week = frames.when(lambda: _monday(app) is not None)
            await pilot.press("4")
            await at(week, "the roster's week")
            await _quiet(app)
            stalls = Stalls(app)
            for n in range(keys):
                key, step = (
                    ("right_square_bracket", 7) if n % 2 == 0 else ("left_square_bracket", -7)
                )
                wanted = _monday(app) + timedelta(days=step)
                shown = frames.when(lambda wanted=wanted: _monday(app) == wanted)
                await pilot.pause()
                stalls.reset()
                sent = time.perf_counter()
                await pilot.press(key)
                out["shown"].append((await at(shown, "the week after the key") - sent) * 1000)
                await _quiet(app)
                out["quiet"].append((time.perf_counter() - sent) * 1000)
                out["stall"].append(stalls.longest * 1000)
    finally:
        ctx.db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="sessions per database")
    parser.add_argument("--keys", type=int, default=6, help="] and [ in turn, per session")
    parser.add_argument("--smoke", action="store_true", help="small data, one short session")
    args = parser.parse_args(argv)
    repeat, keys = (1, 2) if args.smoke else (args.repeat, args.keys)
    branch = benchdata.generated("branch", smoke=args.smoke)
    small = benchdata.generated("small")
    print(
        f"branch: {benchdata.residents_in(branch):,} residents, "
        f"small: {benchdata.residents_in(small):,}; {repeat} sessions of {keys} keys each, 80x24"
    )
    times: dict[str, dict[str, list[float]]] = {"branch": {}, "small": {}}
    for _ in range(repeat):
        for name, path in (("branch", branch), ("small", small)):
            for figure, values in asyncio.run(session(path, keys)).items():
                times[name].setdefault(figure, []).extend(values)
    for figure, what in (
        ("shown", "] / [ all rooms (HQ): the new week on screen"),
        ("quiet", "  every read the key set off ended"),
        ("stall", "  longest the UI thread was held meanwhile"),
    ):
        big = statistics.median(times["branch"][figure])
        base = statistics.median(times["small"][figure])
        goal = 1.5 if figure == "shown" else None
        print(benchdata.ratio_line(what, big, base, goal), flush=True)
    if args.smoke:
        print("smoke run: figures are not meaningful at small scale")
    return 0


if __name__ == "__main__":
    sys.exit(main())

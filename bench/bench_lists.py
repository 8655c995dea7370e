"""What a key costs in the lists, the roster week and the summary, as ratios in one run.

    .venv/bin/python bench/bench_lists.py [--repeat 7]
    .venv/bin/python bench/bench_lists.py --smoke      # small data, one run: proves it runs

Reads the cached generated databases (``benchdata``: built once under ``.bench-cache/``) and
times the service calls a key makes, exactly as the UI makes them: the paged table's first
window for a search or ``escape`` (what the key waits for), and the count it reads after the
rows are on screen; its window for ``end``; the roster's reads for ``]`` (the all-rooms
week: its first page of rooms, and the next page, read as the cursor nears it); ``report
summary``. Each figure is a ratio to a baseline timed in the same run, interleaved with it
(median of ``--repeat``); figures with no goal are read after the rows are on screen, out of a
key's way:

* search ``张``, ``escape`` to the whole list, ``]`` on the roster: the same call on the
  ``small`` (2,000-resident) database;
* one page of residents: the same SQL text run in raw ``sqlite3`` on the same file;
* ``report summary``: the same call on the training set.

Nothing is asserted: the machine is shared, and a benchmark reports.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import benchdata
import sqlalchemy as sa

from policeroom.clock import SYSTEM_CLOCK
from policeroom.db import Database
from policeroom.fixtures.generate import REFERENCE
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.disputes import ledger
from policeroom.services.duty import roster, shifts
from policeroom.services.duty import views as roster_views
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery
from policeroom.services.reports import summary
from policeroom.ui.duty.roster_week import FIRST_ROOMS

POSTGRES = bool(benchdata.SERVER)
# The paged table reads a screenful and a margin of five rows each side (80x24: 18 rows).
WINDOW = 28
PAGE = 50


def context(path: benchdata.Location, role: Role = Role.TRAINER) -> ServiceContext:
    """Someone who reads the whole of ``path`` (the lists' worst case), on the day the
    generated data is written around."""
    clock = SYSTEM_CLOCK.shifted(timedelta(days=(REFERENCE - SYSTEM_CLOCK.today()).days))
    return ServiceContext(benchdata.open_database(path), actor=Actor("bench", role), clock=clock)


def shown(ctx: ServiceContext, q: ResidentQuery, *, first_time: bool) -> Callable[[], object]:
    """What a key that changes the residents table's filter waits for: its first rows (the
    paged table reads the count after them, in a queue of its own: ``counted``).

    ``first_time``: the filter has not been shown before, so no count of it is kept (the
    kept counts are dropped before each run; that takes microseconds).
    """

    def read() -> object:
        if first_time:
            residents._COUNTS.clear()
        return residents.window(ctx, q, 0, WINDOW)

    return read


def counted(ctx: ServiceContext, q: ResidentQuery, *, first_time: bool) -> Callable[[], object]:
    """The count the residents table reads once the first rows are on screen."""

    def read() -> object:
        if first_time:
            residents._COUNTS.clear()
        return residents.count(ctx, q)

    return read


def end_of(ctx: ServiceContext, q: ResidentQuery) -> Callable[[], object]:
    """What ``end`` reads: the window that ends at the last row."""
    total = residents.count(ctx, q)
    return lambda: residents.window(ctx, q, max(0, total - WINDOW), WINDOW)


def week_key(ctx: ServiceContext, room_id: int | None, *, page: int = 0) -> Callable[[], object]:
    """What ``]`` reads in the roster (ui/duty/roster_week.py ``_read``), one week on, before
    it shows the week: one room's week, or the all-rooms week's first page of rooms; ``page``
    1: the next page, read as the grid's cursor or scroll nears it (``_read_page``)."""
    weeks = [REFERENCE - timedelta(days=7), REFERENCE]
    turn = [0]
    first: list[int] | None = None
    if room_id is None:
        rooms = sorted(room.id for room in roster_views.rooms_for(ctx))
        if len(rooms) > FIRST_ROOMS:
            first = rooms[page * FIRST_ROOMS : (page + 1) * FIRST_ROOMS] or rooms[:FIRST_ROOMS]

    def read() -> object:
        turn[0] += 1
        monday = roster.week(ctx, room_id, weeks[turn[0] % 2], "post", first).week_start
        return (
            roster.on_duty_now(ctx, room_id, first),
            roster_views.pending_swaps(ctx, room_id),
            shifts.leaves(ctx, room_id, monday, monday + timedelta(days=6)),
        )

    return read


def raw_page(
    path: benchdata.Location, ctx: ServiceContext, q: ResidentQuery
) -> Callable[[], object]:
    """The service's own first-page SQL, run through the driver alone (``sqlite3``, or
    ``psycopg`` on PostgreSQL)."""
    with ctx.read() as session:
        statement = residents.select_rows(session, q, None, PAGE)
        compiled = statement.compile(session.connection())
        sql = str(compiled)
        if isinstance(path, str):
            import psycopg

            url = sa.engine.make_url(path).set(drivername="postgresql")
            connection = psycopg.connect(url.render_as_string(False), autocommit=True)
            named = dict(compiled.params)
            return lambda: connection.execute(sql, named).fetchall()  # type: ignore[arg-type]
        params = tuple(compiled.params[name] for name in compiled.positiontup or [])
    plain = sqlite3.connect(path, check_same_thread=False)
    return lambda: plain.execute(sql, params).fetchall()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="small data, one run")
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    branch_path = benchdata.generated("branch", smoke=args.smoke)
    small_path = benchdata.generated("small")
    training_path = benchdata.training()
    big, small = context(branch_path), context(small_path)
    hq_big, hq_small = context(branch_path, Role.HQ), context(small_path, Role.HQ)
    hq_training = context(training_path, Role.HQ)
    opened: list[Database] = [c.db for c in (big, small, hq_big, hq_small, hq_training)]
    print(
        f"branch: {benchdata.residents_in(branch_path):,} residents, "
        f"small: {benchdata.residents_in(small_path):,}, repeat {repeat}"
    )
    everyone, zhang = ResidentQuery(), ResidentQuery(text="张")
    rooms = roster.police_rooms(big)
    room_big = rooms[len(rooms) // 2].id
    room_small = roster.police_rooms(small)[0].id
    # The whole list is on screen before a search: its count is read at start, not by a key.
    shown(big, everyone, first_time=True)()
    shown(small, everyone, first_time=True)()
    figures: list[tuple[str, Callable[[], Any], Callable[[], Any], float | None]] = [
        (
            "search 张 (first time): first rows",
            shown(big, zhang, first_time=True),
            shown(small, zhang, first_time=True),
            1.5,
        ),
        (
            "  its count, after the rows (first time)",
            counted(big, zhang, first_time=True),
            counted(small, zhang, first_time=True),
            None,
        ),
        (
            "whole list (first time, as at start): rows",
            shown(big, everyone, first_time=True),
            shown(small, everyone, first_time=True),
            1.2,
        ),
        (
            "  its count, after the rows (first time)",
            counted(big, everyone, first_time=True),
            counted(small, everyone, first_time=True),
            None,
        ),
        (
            "escape back to the whole list: rows",
            shown(big, everyone, first_time=False),
            shown(small, everyone, first_time=False),
            1.2,
        ),
        (
            "  its kept count, after the rows",
            counted(big, everyone, first_time=False),
            counted(small, everyone, first_time=False),
            None,
        ),
        ("end of the whole list", end_of(big, everyone), end_of(small, everyone), 1.2),
        ("end of 张", end_of(big, zhang), end_of(small, zhang), 1.5),
        (
            f"one page of residents: service / raw {'psycopg' if POSTGRES else 'sqlite3'}",
            lambda: residents.window(big, everyone, 0, PAGE),
            raw_page(branch_path, big, everyone),
            5.0,
        ),
        ("roster ] one room", week_key(big, room_big), week_key(small, room_small), 1.5),
        (
            f"roster ] all rooms (HQ): first {FIRST_ROOMS} rooms",
            week_key(hq_big, None),
            week_key(hq_small, None),
            1.5,
        ),
        (
            "  the next page, as the cursor nears it",
            week_key(hq_big, None, page=1),
            week_key(hq_small, None, page=1),
            None,
        ),
        (
            "disputes list: first rows",
            lambda: ledger.window(big, ledger.DisputeQuery(), 0, WINDOW),
            lambda: ledger.window(small, ledger.DisputeQuery(), 0, WINDOW),
            1.5,
        ),
        (
            "  its count, after the rows (first time)",
            lambda: (ledger._COUNTS.clear(), ledger.count(big, ledger.DisputeQuery())),
            lambda: (ledger._COUNTS.clear(), ledger.count(small, ledger.DisputeQuery())),
            None,
        ),
        (
            "report summary: branch / training",
            lambda: summary.summary(hq_big),
            lambda: summary.summary(hq_training),
            3.0,
        ),
    ]
    missed = 0
    for label, measured, baseline, goal in figures:
        times = benchdata.interleaved_ms({"measured": measured, "baseline": baseline}, repeat)
        line = benchdata.ratio_line(label, times["measured"], times["baseline"], goal)
        missed += "MISSED" in line
        print(line, flush=True)
    for database in opened:
        database.dispose()
    if args.smoke:
        print("smoke run: figures are not meaningful at small scale")
    else:
        goals = sum(goal is not None for *_, goal in figures)
        print(f"{goals - missed} of {goals} figures within their goals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

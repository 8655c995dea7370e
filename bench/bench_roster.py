"""Generating a month of duty roster for a branch of 58 police rooms, against baselines.

    .venv/bin/python bench/bench_roster.py [--db URL] [--rooms 58] [--repeat 3]

Builds (SQLAlchemy Core executemany) a branch: 58 police rooms, each with a desk, a 1-minute
tier, a night patrol in pairs and a school guard post, eleven staff and nine RRULE patterns;
58 village grids with their officers. Then times, through the service functions:

* baselines: generating one day for the branch, and one month for one room;
* the target: generating May 2022 (31 days) for the branch;
* generating the same month again (idempotent: nothing added);
* reading it back: the week view of one room, the 7-day alert for the branch, the branch print.

Prints seconds (best of ``--repeat``) and ratios to the baselines from the same run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

import sqlalchemy as sa

from policeroom.clock import Clock
from policeroom.db import Database, make_engine, sqlite_url, upgrade
from policeroom.models.audit import AuditLog
from policeroom.models.org import Branch, Grid, PoliceRoom, PoliceStation, Staff
from policeroom.models.roster import Post, Shift, ShiftPattern
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import coverage, patterns, roster
from policeroom.services.duty import printing as roster_print

DEFAULT_DB = Path("/tmp/policeroom-bench-roster.db")
MAY_1, MAY_31 = date(2022, 5, 1), date(2022, 5, 31)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国志文斌宇浩凯鹏飞鑫波辉峰亮林海燕"
# Staff of one room: kind, how many.
ROOM_STAFF = (("police", 4), ("auxiliary", 3), ("volunteer", 4))


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 13) % len(GIVEN)]


def build(engine: sa.Engine, rooms: int) -> None:
    """The branch's org, posts and patterns, written with Core executemany."""
    now = datetime(2022, 4, 1, 9, 0)
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    with engine.begin() as connection:

        def insert(table: sa.Table, rows: list[dict[str, object]]) -> None:
            connection.execute(sa.insert(table), [stamp | row for row in rows])

        insert(Branch.__table__, [{"id": 1, "code": "FJ", "name": "新华分局"}])  # type: ignore[attr-defined]
        insert(
            PoliceStation.__table__,  # type: ignore[attr-defined]
            [
                {
                    "id": s,
                    "code": f"PCS{s}",
                    "name": f"第{s}派出所",
                    "branch_id": 1,
                    "address": "",
                    "phone": "",
                }
                for s in range(1, 5)
            ],
        )
        insert(
            PoliceRoom.__table__,  # type: ignore[attr-defined]
            [
                {
                    "id": r,
                    "code": f"JWS{r:02d}",
                    "name": f"{_name(r)[:2]}社区警务室",
                    "station_id": 1 + r % 4,
                    "address": "",
                    "phone": f"0375-{2000000 + r}",
                }
                for r in range(1, rooms + 1)
            ],
        )
        staff_rows, grid_rows, post_rows, pattern_rows = [], [], [], []
        staff_id = 0
        grid_rows.append({"id": 1, "code": "G0", "name": "新华街道", "level": 1, "path": "/1/"})
        for r in range(1, rooms + 1):
            people: dict[str, list[int]] = {}
            for kind, count in ROOM_STAFF:
                for _ in range(count):
                    staff_id += 1
                    people.setdefault(kind, []).append(staff_id)
                    staff_rows.append(
                        {
                            "id": staff_id,
                            "code": f"S{staff_id:05d}",
                            "name": _name(staff_id),
                            "kind": kind,
                            "phone": f"138{staff_id:08d}",
                            "police_room_id": r,
                            "committee_post": "",
                            "active": True,
                        }
                    )
            police, auxiliary, volunteer = (
                people["police"],
                people["auxiliary"],
                people["volunteer"],
            )
            grid_rows.append(
                {
                    "id": 1 + r,
                    "code": f"G0-{r:02d}",
                    "name": f"{_name(r)[:2]}村",
                    "level": 2,
                    "parent_id": 1,
                    "path": f"/1/{1 + r}/",
                    "police_room_id": r,
                    "officer_id": police[0],
                }
            )
            base = 10 * r
            for offset, (code, name, kind, extra) in enumerate(
                (
                    ("D", "值班台", "desk", {"needs_police": 1, "needs_auxiliary": 1}),
                    ("T1", "1分钟处置", "response_tier", {"needs_auxiliary": 1, "tier_minutes": 1}),
                    ("P", "夜间巡逻", "patrol", {"needs_police": 2, "pair_required": True}),
                    ("G", "护学岗", "guard", {"needs_volunteer": 1}),
                )
            ):
                post_rows.append(
                    {
                        "id": base + offset,
                        "code": f"JWS{r:02d}-{code}",
                        "name": name,
                        "kind": kind,
                        "police_room_id": r,
                        "needs_police": 0,
                        "needs_auxiliary": 0,
                        "needs_volunteer": 0,
                        "pair_required": False,
                        "active": True,
                    }
                    | extra
                )
            plan = (
                (base, police[0], "FREQ=DAILY", clock_time(8), 720),
                (base, auxiliary[0], "FREQ=DAILY", clock_time(8), 720),
                (base + 1, auxiliary[1], "FREQ=DAILY", clock_time(8), 720),
                (base + 1, auxiliary[2], "FREQ=DAILY", clock_time(20), 720),
                (base + 2, police[1], "FREQ=WEEKLY;BYDAY=MO,WE,FR", clock_time(20), 720),
                (base + 2, police[2], "FREQ=WEEKLY;BYDAY=MO,WE,FR", clock_time(20), 720),
                (base + 2, police[3], "FREQ=WEEKLY;BYDAY=TU,TH,SA", clock_time(20), 720),
                (base + 3, volunteer[0], "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", clock_time(7, 30), 60),
                (
                    base + 3,
                    volunteer[1],
                    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                    clock_time(16, 30),
                    90,
                ),
            )
            for post_id, person, rule, starts_at, minutes in plan:
                pattern_rows.append(
                    {
                        "post_id": post_id,
                        "staff_id": person,
                        "rrule": rule,
                        "starts_at": starts_at,
                        "duration_minutes": minutes,
                        "valid_from": date(2022, 1, 1),
                        "valid_until": None,
                    }
                )
        insert(Staff.__table__, staff_rows)  # type: ignore[attr-defined]
        grid_defaults = {
            "parent_id": None,
            "police_room_id": None,
            "households": 0,
            "population": 0,
            "leader_id": None,
            "officer_id": None,
            "archived": False,
        }
        insert(Grid.__table__, [grid_defaults | row for row in grid_rows])  # type: ignore[attr-defined]
        post_defaults = {"grid_id": None, "key_unit_id": None, "tier_minutes": None}
        insert(Post.__table__, [post_defaults | row for row in post_rows])  # type: ignore[attr-defined]
        insert(ShiftPattern.__table__, pattern_rows)  # type: ignore[attr-defined]


def clear_shifts(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.delete(Shift.__table__))  # type: ignore[attr-defined]
        connection.execute(sa.delete(AuditLog.__table__))  # type: ignore[attr-defined]


def best(repeat: int, setup: Callable[[], None], work: Callable[[], object]) -> float:
    """Best wall-clock seconds of ``work`` over ``repeat`` runs, each after ``setup``."""
    times = []
    for _ in range(repeat):
        setup()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help=f"database URL (default: a fresh SQLite file {DEFAULT_DB})")
    parser.add_argument("--rooms", type=int, default=58)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.db:
        url = args.db
    else:
        DEFAULT_DB.unlink(missing_ok=True)
        url = sqlite_url(DEFAULT_DB)
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    build(engine, args.rooms)
    backend = engine.url.get_backend_name()
    print(f"built {args.rooms} police rooms in {time.perf_counter() - started:.2f} s ({backend})")
    ctx = ServiceContext(Database(engine), clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)))
    nothing = lambda: None  # noqa: E731
    clear = lambda: clear_shifts(engine)  # noqa: E731

    day = best(args.repeat, clear, lambda: patterns.generate(ctx, None, MAY_1, MAY_1))
    one_room = best(args.repeat, clear, lambda: patterns.generate(ctx, 1, MAY_1, MAY_31))
    month = best(args.repeat, clear, lambda: patterns.generate(ctx, None, MAY_1, MAY_31))
    with engine.connect() as connection:
        shifts = connection.execute(
            sa.select(sa.func.count()).select_from(Shift.__table__)
        ).scalar_one()  # type: ignore[attr-defined]
    again = best(args.repeat, nothing, lambda: patterns.generate(ctx, None, MAY_1, MAY_31))
    week_view = best(args.repeat, nothing, lambda: roster.week(ctx, 1, date(2022, 5, 2)))
    alerts = best(args.repeat, nothing, lambda: coverage.alerts_next_7_days(ctx, None))

    def print_branch() -> None:
        views = [roster.week(ctx, room.id, date(2022, 5, 2)) for room in roster.police_rooms(ctx)]
        roster_print.text(views)

    printed = best(1, nothing, print_branch)

    print(f"\nshifts in a month for the branch: {shifts}")
    rows = [
        ("baseline: 1 day, whole branch", day),
        ("baseline: 1 month, one room", one_room),
        ("month, whole branch", month),
        ("same month again (no-op)", again),
        ("week view, one room", week_view),
        ("7-day alert, whole branch", alerts),
        (f"print week, {args.rooms} rooms (text)", printed),
    ]
    print(f"{'':40} {'seconds':>9} {'x 1 day':>9} {'x 1 room':>9}")
    for label, seconds in rows:
        print(f"{label:40} {seconds:9.3f} {seconds / day:9.1f} {seconds / one_room:9.1f}")
    print(f"\nper shift generated: {1e6 * month / shifts:.0f} µs")
    engine.dispose()


if __name__ == "__main__":
    main()

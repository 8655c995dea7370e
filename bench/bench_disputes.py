"""The dispute ledger at branch scale: lists, search, warnings, card and export.

    .venv/bin/python bench/bench_disputes.py [--db PATH] [--disputes 50000] [--rebuild]

Builds (SQLAlchemy Core executemany) or reuses a SQLite file with the bench grid of 58
villages, 20,000 residents and ``--disputes`` ledger entries over five years with their
parties, sessions, follow-ups and events, then times the service calls the disputes pane,
the card, the header's warning count and the export make. Baselines from the same run: a
``SELECT 1`` round trip and a full scan of the parties (``LIKE '%张%'``). Prints
milliseconds and ratios.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from bench_search import GIVEN, _grids, _weighted_surnames, timed

from policeroom.clock import Clock
from policeroom.db import Database, make_engine, sqlite_url, upgrade
from policeroom.models.disputes import (
    Dispute,
    DisputeCategory,
    DisputeEvent,
    DisputeParty,
    DisputeSource,
    DisputeStatus,
    FollowUp,
    MediationMethod,
    MediationResult,
    MediationSession,
    RiskGrade,
)
from policeroom.models.org import Branch, Grid, PoliceRoom, PoliceStation
from policeroom.models.people import Resident
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.name_keys import name_keys
from policeroom.services.disputes import ledger, warnings
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes.ledger import DisputeQuery

DEFAULT_DB = Path("/tmp/policeroom-bench-disputes.db")
TODAY = date(2022, 5, 1)
RESIDENTS = 20_000


def _name(rng: random.Random, surnames: list[str], weights: list[int]) -> str:
    surname = rng.choices(surnames, weights)[0]
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def build(path: Path, count: int, seed: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    engine = make_engine(sqlite_url(path))
    upgrade(engine)
    rng = random.Random(seed)
    surnames, weights = _weighted_surnames()
    grid_rows, level3 = _grids()
    now = datetime(2022, 5, 1, 9, 0)
    with engine.begin() as connection:
        connection.execute(sa.insert(Branch), [{"code": "B", "name": "分局", "version": 1}])
        connection.execute(
            sa.insert(PoliceStation),
            [{"code": "S", "name": "派出所", "branch_id": 1, "version": 1}],
        )
        villages = [row for row in grid_rows if row["level"] == 2]
        connection.execute(
            sa.insert(PoliceRoom),
            [
                {"id": i + 1, "code": f"R{i:02d}", "name": f"{v['name']}警务室", "station_id": 1}
                | {"version": 1}
                for i, v in enumerate(villages)
            ],
        )
        for index, village in enumerate(villages):
            village["police_room_id"] = index + 1
        connection.execute(sa.insert(Grid), grid_rows)
        residents = []
        for resident_id in range(1, RESIDENTS + 1):
            name = _name(rng, surnames, weights)
            keys = name_keys(name)
            residents.append(
                {
                    "id": resident_id,
                    "name": name,
                    "grid_id": rng.choice(level3),
                    "name_pinyin": keys.pinyin,
                    "name_initials": keys.initials,
                    "version": 1,
                }
            )
        connection.execute(sa.insert(Resident), residents)
        id_pool = [
            f"41040219{rng.randint(50, 99)}0101{rng.randint(100, 999)}1" for _ in range(5000)
        ]
        disputes, parties, sessions, follow_ups, events = [], [], [], [], []
        start = TODAY - timedelta(days=5 * 365)
        for dispute_id in range(1, count + 1):
            reported = start + timedelta(days=int((dispute_id / count) * 5 * 365))
            age = (TODAY - reported).days
            open_ = age < 40 and rng.random() < 0.6
            status = (
                rng.choice(
                    [DisputeStatus.REGISTERED, DisputeStatus.INVESTIGATING, DisputeStatus.MEDIATING]
                )
                if open_
                else rng.choices(
                    [
                        DisputeStatus.RESOLVED,
                        DisputeStatus.REFERRED,
                        DisputeStatus.CLOSED_UNRESOLVED,
                    ],
                    [90, 6, 4],
                )[0]
            )
            risk = rng.choices(list(RiskGrade), [70, 22, 8])[0]
            resolved = reported + timedelta(days=rng.randint(1, 20))
            if resolved > TODAY:
                resolved = TODAY
            due = None
            if status is DisputeStatus.RESOLVED:
                due = (
                    resolved + timedelta(days=30)
                    if resolved + timedelta(days=30) >= TODAY
                    else None
                )
            elif open_:
                due = reported + timedelta(days=rng.choice((1, 3, 7, 15)))
            disputes.append(
                {
                    "id": dispute_id,
                    "number": f"JF-{reported.year}-{dispute_id:05d}",
                    "category": rng.choice(list(DisputeCategory)),
                    "description": "因琐事发生纠纷",
                    "grid_id": rng.choice(level3),
                    "source": rng.choice(list(DisputeSource)),
                    "reported_on": reported,
                    "risk": risk,
                    "risk_reasons": "many_parties" if risk is not RiskGrade.LOW else "",
                    "status": status,
                    "status_since": reported,
                    "due_on": due,
                    "resolved_on": resolved if status is DisputeStatus.RESOLVED else None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for _ in range(rng.choice((2, 2, 2, 3))):
                if rng.random() < 0.4:
                    resident = residents[rng.randrange(RESIDENTS)]
                    name, resident_id, number = resident["name"], resident["id"], ""
                else:
                    name, resident_id = _name(rng, surnames, weights), None
                    number = rng.choice(id_pool) if rng.random() < 0.3 else ""
                keys = name_keys(name)
                parties.append(
                    {
                        "dispute_id": dispute_id,
                        "resident_id": resident_id,
                        "name": name,
                        "id_number": number,
                        "name_pinyin": keys.pinyin,
                        "name_initials": keys.initials,
                    }
                )
            events.append(
                {
                    "dispute_id": dispute_id,
                    "at": datetime.combine(reported, now.time()),
                    "user_login": "bench",
                    "to_status": DisputeStatus.REGISTERED,
                    "reason": "registered",
                }
            )
            if status is DisputeStatus.RESOLVED:
                sessions.append(
                    {
                        "dispute_id": dispute_id,
                        "held_on": resolved,
                        "place": "警务室",
                        "method": MediationMethod.NEGOTIATION,
                        "mediators": "民警",
                        "result": MediationResult.AGREEMENT,
                        "agreement": "达成协议",
                    }
                )
                for days in (7, 30):
                    due_on = resolved + timedelta(days=days)
                    done = due_on if due_on < TODAY - timedelta(days=3) else None
                    follow_ups.append(
                        {
                            "dispute_id": dispute_id,
                            "due_on": due_on,
                            "done_on": done,
                            "outcome": "stable" if done else None,
                            "satisfaction": 5 if done else None,
                        }
                    )
        for table, rows in (
            (Dispute, disputes),
            (DisputeParty, parties),
            (DisputeEvent, events),
            (MediationSession, sessions),
            (FollowUp, follow_ups),
        ):
            for offset in range(0, len(rows), 20_000):
                connection.execute(sa.insert(table), rows[offset : offset + 20_000])
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--disputes", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    database = Database(make_engine(sqlite_url(args.db)))
    have = 0
    if args.db.exists():
        with database.engine.connect() as connection:
            try:
                have = connection.execute(sa.text("SELECT count(*) FROM dispute")).scalar_one()
            except sa.exc.OperationalError:
                have = 0
    if args.rebuild or have != args.disputes:
        database.dispose()
        started = time.perf_counter()
        build(args.db, args.disputes, args.seed)
        print(f"built in {time.perf_counter() - started:.0f} s")
        database = Database(make_engine(sqlite_url(args.db)))
    ctx = ServiceContext(database, clock=Clock.fixed(datetime(2022, 5, 1, 9, 30)))
    total = ledger.count(ctx, DisputeQuery())
    print(f"database {args.db} ({args.db.stat().st_size / 2**20:.0f} MB), {total} disputes")

    def sql(text: str) -> Any:
        def run() -> object:
            with database.session() as session:
                return session.execute(sa.text(text)).all()

        return run

    select_one = timed(sql("SELECT 1"), args.repeat * 4)
    scan = timed(sql("SELECT count(*) FROM dispute_party WHERE name LIKE '%张%'"), args.repeat)
    with database.session() as session:
        street = session.execute(sa.select(Grid.id).where(Grid.level == 1).limit(1)).scalar_one()
        village = session.execute(sa.select(Grid.id).where(Grid.level == 2).limit(1)).scalar_one()
    rules = dispute_rules.current(ctx)
    print(f"rules: {rules.limits}")
    cases: list[tuple[str, Any]] = [
        ("count, whole ledger", lambda: ledger.count(ctx, DisputeQuery())),
        ("window 50 at 0", lambda: ledger.window(ctx, DisputeQuery(), 0, 50)),
        ("window 50 at the middle", lambda: ledger.window(ctx, DisputeQuery(), total // 2, 50)),
        ("page_after, first page", lambda: ledger.page_after(ctx, DisputeQuery(), None, 50)),
        ("count, one street", lambda: ledger.count(ctx, DisputeQuery(grid_id=street))),
        (
            "window 50, one village",
            lambda: ledger.window(ctx, DisputeQuery(grid_id=village), 0, 50),
        ),
        ("count, open only", lambda: ledger.count(ctx, DisputeQuery(open_only=True))),
        ("count, needs action", lambda: ledger.count(ctx, DisputeQuery(needs_action=True))),
        (
            "window, needs action",
            lambda: ledger.window(ctx, DisputeQuery(needs_action=True), 0, 50),
        ),
        ("search 张 (count)", lambda: ledger.count(ctx, DisputeQuery(text="张"))),
        ("search 张 (window)", lambda: ledger.window(ctx, DisputeQuery(text="张"), 0, 50)),
        ("search zw (window)", lambda: ledger.window(ctx, DisputeQuery(text="zw"), 0, 50)),
        ("search number 01234", lambda: ledger.window(ctx, DisputeQuery(text="01234"), 0, 50)),
        ("card", lambda: ledger.card(ctx, total // 2)),
        ("warnings.count, all", lambda: warnings.count(ctx)),
        ("warnings.count, one village", lambda: warnings.count(ctx, village)),
        ("early_warnings, all", lambda: warnings.early_warnings(ctx)),
        ("totals, whole ledger", lambda: ledger.totals(ctx, DisputeQuery())),
    ]
    print(f"{'case':32} {'ms':>9} {'x SELECT 1':>11} {'x scan':>8}")
    print(f"{'SELECT 1':32} {select_one:9.2f}")
    print(f"{'parties LIKE %张% (scan)':30} {scan:9.2f} {scan / select_one:11.1f}")
    for label, call in cases:
        ms = timed(call, args.repeat)
        print(f"{label:32} {ms:9.2f} {ms / select_one:11.1f} {ms / scan:8.2f}")
    print(f"warnings: {warnings.count(ctx)}")
    started = time.perf_counter()
    written = ledger.export_csv(ctx, io.StringIO(), DisputeQuery())
    elapsed = time.perf_counter() - started
    print(f"export_csv: {written} rows in {elapsed:.2f} s ({written / elapsed:,.0f} rows/s)")
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

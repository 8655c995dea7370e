"""The statistics' per-grid tallies (and each visited resident's day, grid and archived flag)
equal a fresh count of the rows after every door that writes them, on SQLite and PostgreSQL;
and a tally whose trigger is gone is caught."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.commands import tui_cmd
from policeroom.db import Database, alembic_config, upgrade
from policeroom.models.org import GridUpdate
from policeroom.models.people import (
    HouseholdCreate,
    ResidentUpdate,
    VisitCreate,
    VisitPurpose,
)
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.people import residents, visits
from policeroom.services.reports import stats, stats_series
from policeroom.services.reports.stats_tallies import Split, split, whole_months, whole_weeks
from policeroom.services.reports.summary import summary
from tests.templates import load_training
from tests.unit.dispute_world import build_dispute_world
from tests.unit.people_world import World, build_world, make_id

Tallies = dict[tuple[Any, ...], int]


def _month(db: Database, day: str) -> str:
    if db.engine.dialect.name == "postgresql":
        return f"CAST(date_trunc('month', {day}) AS DATE)"
    return f"date({day}, 'start of month')"


def _week(db: Database, day: str) -> str:
    if db.engine.dialect.name == "postgresql":
        return f"CAST(date_trunc('week', {day}) AS DATE)"
    return f"date({day}, 'weekday 0', '-6 days')"


_VISITED_DAYS = (
    "visit_resident JOIN visit ON visit.id = visit_resident.visit_id "
    "JOIN resident ON resident.id = visit_resident.resident_id"
)


def fresh_counts(db: Database) -> Tallies:
    """Every tally as ``COUNT(*)`` of the rows themselves says it should be."""
    statements = {
        "residents": "SELECT grid_id, count(*) FROM resident WHERE NOT archived GROUP BY grid_id",
        "households": "SELECT grid_id, count(*) FROM household GROUP BY grid_id",
        "installs": f"SELECT grid_id, {_month(db, 'anti_fraud_on')}, count(*) FROM resident "
        "WHERE NOT archived AND anti_fraud_installed AND anti_fraud_on IS NOT NULL "
        "GROUP BY 1, 2",
        "visits": f"SELECT grid_id, {_month(db, 'visit_date')}, count(*) FROM visit GROUP BY 1, 2",
        "week installs": f"SELECT grid_id, {_week(db, 'anti_fraud_on')}, count(*) FROM resident "
        "WHERE NOT archived AND anti_fraud_installed AND anti_fraud_on IS NOT NULL "
        "GROUP BY 1, 2",
        "week visits": f"SELECT grid_id, {_week(db, 'visit_date')}, count(*) FROM visit "
        "GROUP BY 1, 2",
        "day installs": "SELECT grid_id, anti_fraud_on, count(*) FROM resident "
        "WHERE NOT archived AND anti_fraud_installed AND anti_fraud_on IS NOT NULL "
        "GROUP BY 1, 2",
        "day visits": "SELECT grid_id, visit_date, count(*) FROM visit GROUP BY 1, 2",
    }
    for name, bucket in (
        ("", lambda day: _month(db, day)),
        ("week ", lambda day: _week(db, day)),
        ("day ", lambda day: day),
    ):
        statements[f"{name}registered"] = (
            f"SELECT grid_id, {bucket('reported_on')}, count(*) FROM dispute GROUP BY 1, 2"
        )
        statements[f"{name}resolved"] = (
            f"SELECT grid_id, {bucket('reported_on')}, count(*) FROM dispute "
            "WHERE status = 'resolved' GROUP BY 1, 2"
        )
        # each visited resident's day, on the resident's grid
        statements[f"{name}resident_days"] = (
            f"SELECT resident.grid_id, {bucket('visit.visit_date')}, count(*) "
            f"FROM {_VISITED_DAYS} GROUP BY 1, 2"
        )
    # the room tallies: each grid's rows under the room it answers to (0: none)
    room = "coalesce(g.police_room_id, p.police_room_id, gp.police_room_id, 0)"
    above = (
        "JOIN grid AS g ON g.id = {table}.grid_id LEFT JOIN grid AS p ON p.id = g.parent_id "
        "LEFT JOIN grid AS gp ON gp.id = p.parent_id"
    )
    installed = (
        "NOT resident.archived AND resident.anti_fraud_installed "
        "AND resident.anti_fraud_on IS NOT NULL"
    )
    for name, bucket in (
        ("room", lambda day: _month(db, day)),
        ("room week", lambda day: _week(db, day)),
        ("room day", lambda day: day),
    ):
        statements[f"{name} installs"] = (
            f"SELECT {room}, {bucket('resident.anti_fraud_on')}, count(*) FROM resident "
            f"{above.format(table='resident')} WHERE {installed} GROUP BY 1, 2"
        )
        statements[f"{name} visits"] = (
            f"SELECT {room}, {bucket('visit.visit_date')}, count(*) FROM visit "
            f"{above.format(table='visit')} GROUP BY 1, 2"
        )
        statements[f"{name} registered"] = (
            f"SELECT {room}, {bucket('dispute.reported_on')}, count(*) FROM dispute "
            f"{above.format(table='dispute')} GROUP BY 1, 2"
        )
        statements[f"{name} resolved"] = (
            f"SELECT {room}, {bucket('dispute.reported_on')}, count(*) FROM dispute "
            f"{above.format(table='dispute')} WHERE dispute.status = 'resolved' GROUP BY 1, 2"
        )
        statements[f"{name} resident_days"] = (
            f"SELECT {room}, {bucket('visit.visit_date')}, count(*) FROM {_VISITED_DAYS} "
            f"{above.format(table='resident')} GROUP BY 1, 2"
        )
    # each visited resident's day before, from the rows themselves (by day, then by visit)
    statements["visited"] = (
        "SELECT visit_resident.visit_id, visit_resident.resident_id, resident.grid_id, "
        "visit.visit_date, resident.archived, (SELECT max(v.visit_date) FROM visit AS v "
        "JOIN visit_resident AS vr ON vr.visit_id = v.id "
        "WHERE vr.resident_id = visit_resident.resident_id AND (v.visit_date < visit.visit_date "
        "OR (v.visit_date = visit.visit_date AND v.id < visit.id))), 1 FROM visit_resident "
        "JOIN visit ON visit.id = visit_resident.visit_id "
        "JOIN resident ON resident.id = visit_resident.resident_id"
    )
    found: Tallies = {}
    with db.engine.connect() as connection:
        for name, statement in statements.items():
            for *key, number in connection.execute(sa.text(statement)):
                found[(name, *(str(part) for part in key))] = int(number)
    return found


def tallies(db: Database) -> Tallies:
    """What the tally tables hold (rows counted down to zero are no difference)."""
    found: Tallies = {}
    with db.engine.connect() as connection:
        for grid_id, *numbers in connection.execute(
            sa.text("SELECT grid_id, residents, households FROM grid_tally")
        ):
            for name, number in zip(("residents", "households"), numbers, strict=True):
                found[(name, str(grid_id))] = int(number)
        figures = ("installs", "visits", "registered", "resolved", "resident_days")
        for table, key, prefix in (
            ("grid_month_tally", "month", ""),
            ("grid_week_tally", "week", "week "),
            ("grid_day_tally", "day", "day "),
        ):
            for grid_id, day, *numbers in connection.execute(
                sa.text(f"SELECT grid_id, {key}, {', '.join(figures)} FROM {table}")
            ):
                for name, number in zip(figures, numbers, strict=True):
                    found[(f"{prefix}{name}", str(grid_id), str(day))] = int(number)
        for name, table, key in (
            ("room", "room_month_tally", "month"),
            ("room week", "room_week_tally", "week"),
            ("room day", "room_day_tally", "day"),
        ):
            for room_id, day, *numbers in connection.execute(
                sa.text(f"SELECT room_id, {key}, {', '.join(figures)} FROM {table}")
            ):
                for figure, number in zip(figures, numbers, strict=True):
                    found[(f"{name} {figure}", str(room_id), str(day))] = int(number)
        for key in connection.execute(
            sa.text(
                "SELECT visit_id, resident_id, grid_id, visit_date, archived, "
                "previous_visit_date FROM resident_visit_day"
            )
        ):
            found[("visited", *(str(part) for part in key))] = 1
    return {key: number for key, number in found.items() if number}


def assert_exact(db: Database) -> None:
    expected = fresh_counts(db)
    assert expected, "nothing counted: the check would pass on empty tables"
    assert tallies(db) == expected


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def test_every_service_write_keeps_the_tallies_exact(world: World) -> None:
    ctx, db = world.ctx, world.ctx.db
    first = world.resident("张秀英", id_number=make_id(date(1960, 3, 8), 11))
    second = world.resident("李建军", grid=world.group_b, id_number=make_id(date(1971, 5, 2), 13))
    assert_exact(db)

    household = residents.create_household(
        ctx, HouseholdCreate(code="H-001", address="光明路12号", grid_id=world.group_b.id)
    )
    version = residents.card(ctx, first).version
    # moved to another grid and into the household
    version = residents.update(
        ctx,
        first,
        ResidentUpdate(grid_id=world.group_b.id, household_id=household.id),
        version,
    ).version
    assert_exact(db)

    version = residents.mark_anti_fraud(ctx, first, True, world.officer_id, version).version
    assert_exact(db)
    version = residents.archive(ctx, first, version).version  # an archived install counts not
    assert_exact(db)
    version = residents.archive(ctx, first, version, archived=False).version
    version = residents.mark_anti_fraud(ctx, first, False, None, version).version
    assert_exact(db)

    visits.record(
        ctx,
        VisitCreate(
            visit_date=date(2022, 4, 30),
            staff_id=world.officer_id,
            resident_ids=[first, second],
            purpose=VisitPurpose.ANTI_FRAUD,
            summary="入户走访，宣传反诈APP",
            checklist=["app_installed"],
        ),
    )
    counted = fresh_counts(db)
    # the visit sits on its first resident's grid, where the move put them
    assert counted[("visits", str(world.group_b.id), "2022-04-01")] == 1
    # 2022-04-30 is a Saturday: its week is the one from Monday 25 April
    assert counted[("week visits", str(world.group_b.id), "2022-04-25")] == 1
    assert sum(n for key, n in counted.items() if key[0] == "installs") == 2
    assert sum(n for key, n in counted.items() if key[0] == "visited") == 2
    assert_exact(db)

    # a visited resident moved back and another archived: their visits go with them
    version = residents.card(ctx, first).version
    residents.update(ctx, first, ResidentUpdate(grid_id=world.group.id, household_id=None), version)
    residents.archive(ctx, second, residents.card(ctx, second).version)
    assert_exact(db)


def test_a_grid_given_another_room_or_moved_takes_its_room_tallies_along(world: World) -> None:
    """The room tallies follow the grid tallies, and a grid's room or parent changing (by
    the services or by raw SQL) counts them again under the room it now answers to."""
    ctx, db = world.ctx, world.ctx.db
    for number, grid in enumerate((world.group, world.group_b, world.group2)):
        resident = world.resident(
            f"孙{'一二三'[number]}", grid=grid, id_number=make_id(date(1975, 6, 1), 50 + number)
        )
        version = residents.card(ctx, resident).version
        residents.mark_anti_fraud(ctx, resident, True, world.officer_id, version)
    month = str(date(2022, 5, 1))  # the day the tests live in
    assert_exact(db)
    assert tallies(db)[("room installs", str(world.room_id), month)] == 2
    assert tallies(db)[("room installs", "0", month)] == 1  # 曹镇村 has no room

    village2 = grids.update(
        ctx, world.village2.id, GridUpdate(police_room_id=world.room_id), world.village2.version
    )
    assert_exact(db)
    assert tallies(db)[("room installs", str(world.room_id), month)] == 3
    assert ("room installs", "0", month) not in tallies(db)

    grids.move(ctx, world.group_b.id, world.village2.id, world.group_b.version)
    assert_exact(db)
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE grid SET police_room_id = NULL WHERE id = :id"), {"id": village2.id}
        )
    assert_exact(db)
    assert tallies(db)[("room installs", "0", month)] == 2  # 二组 moved there, and 三组


def test_raw_sql_keeps_the_tallies_exact(world: World) -> None:
    """What no service does — a bulk insert like the generator's, a move of many rows, a
    delete — through the triggers all the same."""
    db = world.ctx.db
    for number in range(3):
        world.resident(f"王{'一二三'[number]}", id_number=make_id(date(1980, 1, 1), 20 + number))
    columns = (
        "version, created_at, updated_at, name, gender, phone, address, grid_id, "
        "household_role, anti_fraud_installed, anti_fraud_on, notes, archived, name_pinyin, "
        "name_initials, phone_rev, id_rev"
    )
    rows = [
        {
            "grid": world.group2.id if number % 2 else world.group.id,
            "on": date(2022, 1 + number % 4, 1 + number),
            "installed": number % 3 != 0,
            "archived": number == 5,
            "name": f"赵{number}",
        }
        for number in range(8)
    ]
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                f"INSERT INTO resident ({columns}) VALUES (1, NULL, NULL, :name, 'unknown', '', "
                "'', :grid, 'member', :installed, :on, '', :archived, '', '', '', '')"
            ),
            rows,
        )
    assert_exact(db)
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE resident SET grid_id = :to WHERE grid_id = :from"),
            {"to": world.group_b.id, "from": world.group2.id},
        )
        connection.execute(sa.text("DELETE FROM resident WHERE name = :name"), {"name": "赵2"})
    assert_exact(db)
    with db.engine.begin() as connection:
        visit_id = connection.execute(
            sa.text(
                "INSERT INTO visit (version, visit_date, staff_id, grid_id, purpose, summary, "
                "checklist) VALUES (1, :day, :staff, :grid, 'routine', '', '[]') RETURNING id"
            ),
            {"day": date(2022, 2, 27), "staff": world.officer_id, "grid": world.group.id},
        ).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO visit_resident (visit_id, resident_id) "
                "SELECT :visit, id FROM resident WHERE name LIKE '赵%'"
            ),
            {"visit": visit_id},
        )
    assert_exact(db)
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE visit SET visit_date = :day, grid_id = :grid WHERE id = :visit"),
            {"day": date(2022, 3, 1), "grid": world.group_b.id, "visit": visit_id},
        )
        connection.execute(
            sa.text("UPDATE resident SET archived = :yes WHERE name = :name"),
            {"yes": True, "name": "赵3"},
        )
        connection.execute(
            sa.text(
                "DELETE FROM visit_resident WHERE visit_id = :visit AND resident_id = "
                "(SELECT id FROM resident WHERE name = :name)"
            ),
            {"visit": visit_id, "name": "赵4"},
        )
    assert_exact(db)
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM visit_resident WHERE visit_id = :visit"), {"visit": visit_id}
        )
        connection.execute(sa.text("DELETE FROM visit WHERE id = :visit"), {"visit": visit_id})
    assert_exact(db)


def test_a_fixtures_load_keeps_the_tallies_exact(db: Database, clock: Clock) -> None:
    load_training(ServiceContext(db, clock=clock))
    assert_exact(db)


def test_the_generators_bulk_inserts_keep_the_tallies_exact(db: Database, clock: Clock) -> None:
    """Through the triggers on SQLite; on PostgreSQL with them off for the bulk inserts and
    the tallies counted afresh before the commit. Either way they count again after."""
    fixtures.generate(ServiceContext(db, clock=clock), "small", 1)
    assert_exact(db)
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE resident SET archived = NOT archived, grid_id = "
                "(SELECT min(id) FROM grid WHERE level = 3) WHERE id IN "
                "(SELECT resident_id FROM visit_resident ORDER BY resident_id LIMIT 3)"
            )
        )
        connection.execute(sa.text("DELETE FROM visit_resident WHERE resident_id % 7 = 0"))
    assert_exact(db)


def _triggers_on(db: Database) -> set[tuple[str, str]]:
    """The triggers there are and are switched on, as (name, table)."""
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            rows = connection.execute(
                sa.text(
                    "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                    "WHERE NOT tgisinternal AND tgenabled <> 'D'"
                )
            )
        else:
            rows = connection.execute(
                sa.text("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
            )
        return {(name, table) for name, table in rows}


def test_the_generator_leaves_every_trigger_as_it_found_it(
    db: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generator switches the counting triggers off (PostgreSQL) or drops them (SQLite)
    for its bulk inserts: they are all back after it, and after a generate that fails half
    way, whose rollback takes the switch back with the rows."""
    before = _triggers_on(db)
    assert len(before) >= 4
    ctx = ServiceContext(db, clock=clock)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    # the package exports the function under the module's name
    generate_module = importlib.import_module("policeroom.fixtures.generate")
    monkeypatch.setattr(generate_module, "make_ledger", broken)
    with pytest.raises(RuntimeError):
        fixtures.generate(ctx, "small", 1)
    assert _triggers_on(db) == before
    monkeypatch.undo()
    fixtures.generate(ctx, "small", 1)
    assert _triggers_on(db) == before


def test_a_tally_whose_trigger_is_gone_is_caught(world: World) -> None:
    """The check above can fail: without the resident insert trigger a new resident is
    missing from the tally."""
    db = world.ctx.db
    world.resident("陈桂兰", id_number=make_id(date(1955, 7, 1), 31))
    assert_exact(db)
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP TRIGGER tally_resident ON resident"))
        else:
            connection.execute(sa.text("DROP TRIGGER tally_resident_insert"))
    world.resident("陈国强", id_number=make_id(date(1957, 9, 1), 33))
    with pytest.raises(AssertionError):
        assert_exact(db)


def test_whole_months_and_ragged_edges() -> None:
    assert whole_months(date(2022, 1, 1), date(2022, 4, 30)) == (
        (date(2022, 1, 1), date(2022, 4, 1)),
        [],
    )
    assert whole_months(date(2021, 9, 3), date(2021, 12, 31)) == (
        (date(2021, 10, 1), date(2021, 12, 1)),
        [(date(2021, 9, 3), date(2021, 9, 30))],
    )
    assert whole_months(date(2022, 3, 15), date(2022, 5, 10)) == (
        (date(2022, 4, 1), date(2022, 4, 1)),
        [(date(2022, 3, 15), date(2022, 3, 31)), (date(2022, 5, 1), date(2022, 5, 10))],
    )
    assert whole_months(date(2022, 4, 3), date(2022, 4, 20)) == (
        None,
        [(date(2022, 4, 3), date(2022, 4, 20))],
    )
    assert whole_months(date(2021, 12, 2), date(2022, 1, 30)) == (
        None,
        [(date(2021, 12, 2), date(2022, 1, 30))],
    )


def test_whole_weeks_and_the_split_of_a_period() -> None:
    # 2021-09-03 is a Friday, 2021-09-30 a Thursday
    assert whole_weeks(date(2021, 9, 3), date(2021, 9, 30)) == (
        (date(2021, 9, 6), date(2021, 9, 20)),
        [(date(2021, 9, 3), date(2021, 9, 5)), (date(2021, 9, 27), date(2021, 9, 30))],
    )
    assert whole_weeks(date(2022, 4, 25), date(2022, 5, 1)) == (
        (date(2022, 4, 25), date(2022, 4, 25)),
        [],
    )
    assert whole_weeks(date(2022, 4, 26), date(2022, 5, 1)) == (
        None,
        [(date(2022, 4, 26), date(2022, 5, 1))],
    )
    assert split(date(2021, 9, 3), date(2021, 12, 31)) == Split(
        months=[(date(2021, 10, 1), date(2021, 12, 1))],
        weeks=[(date(2021, 9, 6), date(2021, 9, 20))],
        days=[(date(2021, 9, 3), date(2021, 9, 5)), (date(2021, 9, 27), date(2021, 9, 30))],
    )
    assert split(date(2022, 4, 3), date(2022, 4, 20)) == Split(
        weeks=[(date(2022, 4, 4), date(2022, 4, 11))],
        days=[(date(2022, 4, 3), date(2022, 4, 3)), (date(2022, 4, 18), date(2022, 4, 20))],
    )


@pytest.mark.parametrize(
    "period",
    [
        (date(2021, 9, 3), date(2022, 4, 30)),
        (date(2022, 3, 15), date(2022, 5, 10)),
        (date(2022, 4, 3), date(2022, 4, 20)),
        (date(2021, 12, 2), date(2022, 4, 30)),
    ],
)
def test_a_ragged_period_counts_as_the_rows_do(
    db: Database, clock: Clock, period: tuple[date, date]
) -> None:
    """Months from the tallies, edge days from the rows: the sum is the rows' count, for the
    period and for the one before it."""
    ctx = load_training(ServiceContext(db, clock=clock))
    report = stats.stats(ctx, "room", *period)
    now = summary(ctx, None, *period)
    before = summary(ctx, None, report.previous_from, report.previous_to)
    for name in ("visits", "anti_fraud_installs"):
        assert report.total.get(name) == now[name], name
        assert report.total.previous.get(name, 0) == before[name], name
    assert now["visits"] and now["anti_fraud_installs"]
    weeks = stats_series.series(ctx, *period).weeks
    assert sum(week.installs for week in weeks) == now["anti_fraud_installs"]
    for week in weeks:  # each week's as the rows of its days in the period say
        days = (max(week.week, period[0]), min(week.week + timedelta(days=6), period[1]))
        assert week.installs == summary(ctx, None, *days)["anti_fraud_installs"], week


def test_not_visited_leaves_out_a_visited_resident_archived_since(world: World) -> None:
    ctx = world.ctx
    met = [
        world.resident(name, id_number=make_id(date(1966, 2, 2), 40 + number))
        for number, name in enumerate(("周建华", "吴桂芳"))
    ]
    world.resident("郑小明", id_number=make_id(date(1990, 8, 8), 45))
    visits.record(
        ctx,
        VisitCreate(
            visit_date=date(2022, 4, 20),
            staff_id=world.officer_id,
            resident_ids=met,
            purpose=VisitPurpose.ROUTINE,
            summary="入户走访",
        ),
    )
    residents.archive(ctx, met[1], residents.card(ctx, met[1]).version)
    read = stats.snapshot(ctx, date(2022, 4, 1), date(2022, 4, 30))
    found = read.grids_of(("grid", world.group.id)).now.by_grid[world.group.id]
    assert found["residents"] == 2
    assert found["residents_visited"] == 2  # the archived one was visited all the same
    assert found["residents_not_visited"] == 1  # 郑小明: current, not visited


def test_the_training_reset_leaves_the_tallies_exact(db: Database, clock: Clock) -> None:
    """The reset empties every table in one transaction, the tallies among them in whatever
    order, then loads again: no count is left negative or doubled."""
    load_training(ServiceContext(db, clock=clock))
    tui_cmd.reset_training(db, "training", tui_cmd.load_fixture)
    assert_exact(db)


def _visited(world: World, *days: date) -> int:
    """Residents visited from the first day to the last, from the statistics' own count."""
    read = stats.snapshot(world.ctx, days[0], days[-1])
    by_grid = read.grids_of(("grid", world.group.id)).now.by_grid
    on_grids = sum(counts.get("residents_visited", 0) for counts in by_grid.values())
    # the first screen's count, from the room tallies, and the previous period's
    by_room = stats.stats(world.ctx, "room", days[0], days[-1]).total
    assert by_room.get("residents_visited") == on_grids
    earlier = stats.previous_period(days[0], days[-1])
    assert by_room.previous.get("residents_visited", 0) == _distinct_visited(world, *earlier)
    return on_grids


def _distinct_visited(world: World, *days: date) -> int:
    with world.ctx.db.engine.connect() as connection:
        return int(
            connection.execute(
                sa.text(
                    "SELECT count(DISTINCT visit_resident.resident_id) FROM visit_resident "
                    "JOIN visit ON visit.id = visit_resident.visit_id "
                    "WHERE visit.visit_date >= :start AND visit.visit_date <= :end"
                ),
                {"start": days[0], "end": days[-1]},
            ).scalar_one()
        )


_DROP_VISIT = sa.text("DELETE FROM visit_resident WHERE visit_id = :v")


def test_a_residents_day_before_follows_every_change_of_their_visits(world: World) -> None:
    """Residents visited count each resident once in a period by the day before each visit
    day: out of order, twice in a day, a visit deleted, moved to another day or given to
    another resident, the days before stay exact, and the figure is a distinct count's."""
    db = world.ctx.db
    people = [
        world.resident(name, id_number=make_id(date(1975, 6, 6), 60 + number))
        for number, name in enumerate(("冯丽娟", "陈国强"))
    ]
    # a visit's grid is its first resident's; a visit without residents is raw SQL only
    made: list[int] = []
    with db.engine.begin() as connection:
        for day in (date(2022, 3, 20), date(2022, 3, 5), date(2022, 3, 20), date(2022, 2, 1)):
            made.append(
                connection.execute(
                    sa.text(
                        "INSERT INTO visit (version, visit_date, staff_id, grid_id, purpose, "
                        "summary, checklist) VALUES (1, :day, :staff, :grid, 'routine', '', "
                        "'[]') RETURNING id"
                    ),
                    {"day": day, "staff": world.officer_id, "grid": world.group.id},
                ).scalar_one()
            )
        # the later days first: each insert reorders the resident's earlier rows
        for visit_id in made:
            connection.execute(
                sa.text("INSERT INTO visit_resident (visit_id, resident_id) VALUES (:v, :r)"),
                {"v": visit_id, "r": people[0]},
            )
        connection.execute(
            sa.text("INSERT INTO visit_resident (visit_id, resident_id) VALUES (:v, :r)"),
            {"v": made[1], "r": people[1]},
        )
    assert_exact(db)
    periods = [
        (date(2022, 3, 1), date(2022, 3, 31)),
        (date(2022, 3, 6), date(2022, 3, 31)),  # twice on the 20th: once
        (date(2022, 3, 20), date(2022, 3, 20)),
        (date(2022, 2, 1), date(2022, 3, 5)),
        (date(2022, 1, 1), date(2022, 12, 31)),
    ]
    expected = [2, 1, 1, 2, 2]
    assert [_visited(world, *days) for days in periods] == expected
    assert [_distinct_visited(world, *days) for days in periods] == expected
    with db.engine.begin() as connection:
        # the first day goes: 5 March is the resident's first day now
        connection.execute(_DROP_VISIT, {"v": made[3]})
        # one of the two 20 March visits moves before all the others
        connection.execute(
            sa.text("UPDATE visit SET visit_date = :day WHERE id = :v"),
            {"day": date(2022, 1, 15), "v": made[2]},
        )
        # 5 March's second resident now met on the other 20 March visit instead
        connection.execute(
            sa.text(
                "UPDATE visit_resident SET visit_id = :to WHERE visit_id = :v AND resident_id = :r"
            ),
            {"to": made[0], "v": made[1], "r": people[1]},
        )
    assert_exact(db)
    for days in periods:
        assert _visited(world, *days) == _distinct_visited(world, *days), days
    with db.engine.begin() as connection:
        connection.execute(_DROP_VISIT, {"v": made[0]})
    assert_exact(db)
    for days in periods:
        assert _visited(world, *days) == _distinct_visited(world, *days), days


# The rows that name a dispute, deleted before it.
_DISPUTES_OWN = ("dispute_party", "mediation_session", "follow_up", "dispute_event")


def test_disputes_registered_and_resolved_follow_every_change(db: Database, clock: Clock) -> None:
    """Registered by the desk, then resolved, moved to another day and grid, and deleted,
    by raw SQL as much as by the service: the tallies and the statistics follow."""
    world = build_dispute_world(db, clock)
    base = world.base
    saved = [
        world.register(reported_on=day, grid_id=grid.id)
        for day, grid in (
            (date(2022, 3, 31), base.group),
            (date(2022, 4, 1), base.group),
            (date(2022, 4, 2), base.group_b),
        )
    ]
    assert_exact(db)
    april = (date(2022, 4, 1), date(2022, 4, 30))

    def figures() -> tuple[int, int]:
        total = stats.stats(base.ctx, "room", *april).total
        return total.get("disputes_registered"), total.get("disputes_resolved")

    assert figures() == (2, 0)
    ids = [entry.id for entry in saved]
    steps = [
        ("UPDATE dispute SET status = 'resolved' WHERE id IN (:a, :b)", (2, 1)),
        ("UPDATE dispute SET reported_on = :day WHERE id = :a", (3, 2)),  # 31 March into April
        ("UPDATE dispute SET grid_id = :grid, status = 'mediating' WHERE id = :b", (3, 1)),
        ("DELETE FROM dispute WHERE id = :c", (2, 1)),
    ]
    parameters = {"a": ids[0], "b": ids[1], "c": ids[2]}
    parameters |= {"day": date(2022, 4, 5), "grid": base.group2.id}
    for statement, expected in steps:
        with db.engine.begin() as connection:
            if statement.startswith("DELETE"):
                for table in _DISPUTES_OWN:
                    connection.execute(
                        sa.text(f"DELETE FROM {table} WHERE dispute_id = :c"), parameters
                    )
            names = [name for name in parameters if f":{name}" in statement]
            connection.execute(sa.text(statement), {name: parameters[name] for name in names})
        assert_exact(db)
        assert figures() == expected, statement


def test_the_migrations_count_what_is_already_there(db: Database, clock: Clock) -> None:
    """A database with visits and disputes taken back to before the days before and the
    dispute tallies, then brought up again: the migrations' own fill is exact."""
    load_training(ServiceContext(db, clock=clock))
    command.downgrade(alembic_config(db.engine), "0008_room_tallies")
    upgrade(db.engine)
    counted = fresh_counts(db)
    # the training data has what the fills count: repeat visits and resolved disputes
    assert any(key[0] == "resolved" for key in counted)
    assert any(key[0] == "visited" and key[-1] != "None" for key in counted)
    assert tallies(db) == counted

"""Resident search at branch scale: every search kind against baselines from the same run.

    .venv/bin/python bench/bench_search.py [--db PATH] [--residents 300000] [--rebuild]

Builds (SQLAlchemy Core executemany, a minute or so) or reuses a SQLite file of 300,000
residents with realistic Chinese names, valid ID numbers and mobile numbers, then times each
search kind through the service functions the UI calls. Baselines: a ``SELECT 1`` round trip
and the naive ``LIKE '%张%'`` full scan. Prints milliseconds and ratios, and the SQLite plan
of each kind so a scan would show.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from stdnum.cn import ric

from policeroom.db import Database, make_engine, sqlite_url, upgrade
from policeroom.models.org import Grid
from policeroom.models.people import Gender, Resident, ResidentNameGram
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery

# Surnames with rough weights (per mille of the population), most common first.
SURNAMES = (
    "王72 李71 张68 刘53 陈45 杨31 黄22 赵22 吴20 周19 徐17 孙15 马15 朱14 胡13 郭12 何12 "
    "高12 林11 罗10 郑10 梁9 谢8 宋8 唐8 许7 韩7 冯7 邓7 曹7 彭6 曾6 肖6 田6 董5 袁5 潘5 "
    "于5 蒋5 蔡5 余5 杜5 叶4 程4 苏4 魏4 吕4 丁4 任4 沈4 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪3 "
    "范3 金3 石3 廖3 贾3 夏3 韦3 付3 方3 白3 邹2 孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 "
    "侯2 龙2 史2 陶2 黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 严2 覃1 武2 戴2 莫1 孔2 向1 汤1 "
    "单1 欧阳1 司马1 诸葛1"
).split()
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂红玉华建国志文斌宇浩凯鹏飞鑫波辉峰亮"
    "林海燕萍晶雪琳婷慧颖佳欣晨阳俊子轩梓涵一诺雨泽博怡然振东德福春梅金凤荣新利清成永胜"
    "保山水生发光小大二三喜爱民学忠秋菊翠花莲香云丹宏刚毅思雅琪欢乐安康嘉铭天佑正"
)
REGIONS = ("410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425")
MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 "
    "176 177 180 181 182 183 185 186 187 188 189 198 199"
).split()
DEFAULT_DB = Path("/tmp/policeroom-bench-search.db")


def _weighted_surnames() -> tuple[list[str], list[int]]:
    names, weights = [], []
    for entry in SURNAMES:
        digits = entry.lstrip("".join(ch for ch in entry if not ch.isdigit()))
        names.append(entry[: len(entry) - len(digits)])
        weights.append(int(digits))
    return names, weights


def _grids() -> tuple[list[dict[str, Any]], list[int]]:
    rows: list[dict[str, Any]] = []
    level3: list[int] = []
    next_id = 1

    def add(level: int, parent: dict[str, Any] | None, code: str, name: str) -> dict[str, Any]:
        nonlocal next_id
        path = (parent["path"] if parent else "/") + f"{next_id}/"
        row = dict(
            id=next_id,
            code=code,
            name=name,
            level=level,
            path=path,
            parent_id=parent["id"] if parent else None,
            households=0,
            population=0,
            archived=False,
            version=1,
        )
        rows.append(row)
        next_id += 1
        return row

    villages = 0
    for street in range(10):
        top = add(1, None, f"J{street:02d}", f"第{street + 1}街道")
        for _ in range(6 if street < 8 else 5):
            village = add(2, top, f"J{street:02d}-{villages:02d}", f"第{villages + 1}社区")
            villages += 1
            for group in range(10 + villages % 3):
                level3.append(
                    add(3, village, f"{village['code']}-{group:02d}", f"{group + 1}组")["id"]
                )
    return rows, level3


def _people(
    count: int, level3: list[int], seed: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    rng = random.Random(seed)
    surnames, weights = _weighted_surnames()
    ids: set[str] = set()
    phones: set[str] = set()
    start = date(1930, 1, 1)
    for resident_id in range(1, count + 1):
        surname = rng.choices(surnames, weights)[0]
        given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
        name = surname + given
        while True:
            born = start + timedelta(days=rng.randrange(33_000))
            body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in ids:
                ids.add(number)
                break
        while True:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in phones:
                phones.add(phone)
                break
        keys = residents.search_columns(name, phone, number)
        row = dict(
            id=resident_id,
            name=name,
            id_number=number,
            phone=phone,
            birth_date=born,
            gender=(Gender.MALE if int(number[16]) % 2 else Gender.FEMALE).value,
            address="",
            grid_id=rng.choice(level3),
            household_role="",
            notes="",
            anti_fraud_installed=rng.random() < 0.67,
            archived=False,
            version=1,
            **keys,
        )
        yield row, residents.gram_rows(resident_id, name, keys["name_pinyin"])


def build(path: Path, count: int, seed: int) -> None:
    """A fresh database of ``count`` residents, through B's generator when it exists."""
    if path.exists():
        path.unlink()
    database = Database(make_engine(sqlite_url(path)))
    upgrade(database.engine)
    try:
        from policeroom.fixtures import generate  # type: ignore[attr-defined]
    except ImportError:
        generate = None
    if generate is not None and count == 300_000:
        print("building with policeroom.fixtures.generate(scale='branch')", flush=True)
        generate(ServiceContext(database), "branch", seed)
        return
    grid_rows, level3 = _grids()
    started = time.perf_counter()
    with database.engine.begin() as connection:
        connection.execute(sa.insert(Grid), grid_rows)
        batch: list[dict[str, Any]] = []
        grams: list[dict[str, Any]] = []
        for row, gram_rows in _people(count, level3, seed):
            batch.append(row)
            grams.extend(gram_rows)
            if len(batch) == 20_000:
                connection.execute(sa.insert(Resident), batch)
                connection.execute(sa.insert(ResidentNameGram), grams)
                batch, grams = [], []
                print(f"  {row['id']:>7} residents", flush=True)
        if batch:
            connection.execute(sa.insert(Resident), batch)
            connection.execute(sa.insert(ResidentNameGram), grams)
    print(f"built {count} residents in {time.perf_counter() - started:.1f} s", flush=True)
    database.dispose()


def timed(call: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of ``call`` after one warm-up run."""
    call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def plan(database: Database, q: ResidentQuery, after: tuple[object, ...] | None) -> str:
    with database.session() as session:
        statement = residents.select_rows(session, q, after, 50)
    with database.engine.connect() as connection:
        compiled = statement.compile(connection)
        params = [compiled.params[name] for name in compiled.positiontup or []]
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), tuple(params))
        return " | ".join(row[3] for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--residents", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    database = Database(make_engine(sqlite_url(args.db)))
    have = 0
    if args.db.exists():
        with database.engine.connect() as connection:
            try:
                have = connection.execute(sa.text("SELECT count(*) FROM resident")).scalar_one()
            except sa.exc.OperationalError:
                have = 0
    if args.rebuild or have != args.residents:
        database.dispose()
        build(args.db, args.residents, args.seed)
        database = Database(make_engine(sqlite_url(args.db)))
    ctx = ServiceContext(database)
    total = residents.count(ctx, ResidentQuery())
    print(
        f"database {args.db} ({args.db.stat().st_size / 2**20:.0f} MB), {total} residents, "
        f"SQLite {sa.__version__ and database.engine.dialect.dbapi.sqlite_version}"
    )  # type: ignore[union-attr]

    # Search texts taken from the data so each kind has real matches.
    with database.session() as session:
        sample = session.execute(
            sa.select(
                Resident.name,
                Resident.name_pinyin,
                Resident.name_initials,
                Resident.phone,
                Resident.id_number,
            )
            .where(sa.func.length(Resident.name) == 3, Resident.name.like("张%"))
            .limit(1)
        ).one()
    name3, pinyin, initials, phone, id_number = sample

    def with_session(sql: str) -> Callable[[], object]:
        def run() -> object:
            with database.session() as session:
                return session.execute(sa.text(sql)).all()

        return run

    select_one = timed(with_session("SELECT 1"), args.repeat * 4)
    naive = timed(
        with_session(
            "SELECT id, name FROM resident WHERE name LIKE '%张%' ORDER BY name_pinyin, id LIMIT 50"
        ),
        max(3, args.repeat // 3),
    )
    deep_offset = min(250_000, max(0, total - 50))
    deep_cursor = residents.window(ctx, ResidentQuery(), deep_offset, 1)[0].cursor

    cases: list[tuple[str, ResidentQuery, tuple[object, ...] | None, str]] = [
        ("1 hanzi", ResidentQuery(text="张"), None, "page"),
        ("1 hanzi, rare", ResidentQuery(text="翠"), None, "page"),
        ("2 hanzi", ResidentQuery(text=name3[:2]), None, "page"),
        ("3 hanzi", ResidentQuery(text=name3), None, "page"),
        ("initials", ResidentQuery(text=initials), None, "page"),
        ("full pinyin", ResidentQuery(text=pinyin), None, "page"),
        ("pinyin, 1 letter", ResidentQuery(text="z"), None, "page"),
        ("phone tail", ResidentQuery(text=phone[-4:]), None, "page"),
        ("ID tail", ResidentQuery(text=id_number[-4:]), None, "page"),
        ("first page", ResidentQuery(), None, "page"),
        ("deep keyset page", ResidentQuery(), deep_cursor, "page"),
        (f"window at {deep_offset}", ResidentQuery(), None, "window"),
        ("count all", ResidentQuery(), None, "count"),
        ("count 张", ResidentQuery(text="张"), None, "count"),
        ("level-2 grid, first page", ResidentQuery(grid_id=2), None, "page"),
    ]
    print()
    print(
        f"baseline SELECT 1 round trip: {select_one:.3f} ms; "
        f"naive LIKE '%张%' full scan: {naive:.1f} ms"
    )
    print()
    header = f"{'kind':<26}{'text':<22}{'matches':>9}{'ms':>9}{'x SELECT 1':>12}{'x LIKE scan':>13}"
    print(header)
    print("-" * len(header))
    plans = []
    for label, q, after, how in cases:
        call: Callable[[], object]
        if how == "page":
            call = partial(residents.page_after, ctx, q, after, 50)
        elif how == "window":
            call = partial(residents.window, ctx, q, deep_offset, 50)
        else:
            call = partial(residents.count, ctx, q)
        ms = timed(call, args.repeat)
        matches = residents.count(ctx, q)
        text = q.text or (f"grid {q.grid_id}" if q.grid_id else "")
        print(
            f"{label:<26}{text:<22}{matches:>9}{ms:>9.2f}{ms / select_one:>12.1f}"
            f"{ms / naive:>13.3f}"
        )
        if how != "count":
            plans.append((label, plan(database, q, after)))
    print()
    print("grid tree (subtree counts of residents and open disputes):")
    tree_calls: list[tuple[str, Callable[[], object]]] = [
        ("children(None)", partial(grids.children, ctx, None)),
        ("children(level 1)", partial(grids.children, ctx, 1)),
        ("get(level 1)", partial(grids.get, ctx, 1)),
        ("card(level 2)", partial(grids.card, ctx, 2)),
    ]
    for label, call in tree_calls:
        ms = timed(call, args.repeat)
        print(f"  {label:<24}{ms:>9.2f} ms{ms / select_one:>10.1f} x SELECT 1")
    print()
    print("plans (SQLite EXPLAIN QUERY PLAN):")
    for label, text in plans:
        print(f"  {label:<26}{text}")
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

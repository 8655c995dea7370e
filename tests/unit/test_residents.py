"""Residents: validation, search keys, every search kind, pages, masking, reveal, locking."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, text

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, RevealReason, Role
from policeroom.models.people import (
    Gender,
    Resident,
    ResidentCreate,
    ResidentNameGram,
    ResidentTagKind,
    ResidentUpdate,
)
from policeroom.services.core import fields
from policeroom.services.core.context import Actor
from policeroom.services.core.errors import Forbidden, NotFound, StaleRecord, ValidationError
from policeroom.services.core.reveal import Reason
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery, SearchKind
from tests.unit.people_world import World, build_world, make_id
from tests.unit.sessions import rows_skipped, statements, transactions

VISIT = Reason(RevealReason.VISIT)


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def _names(rows: object) -> list[str]:
    return [row.name for row in rows]  # type: ignore[attr-defined]


def _rows_in(db: Database, table: type) -> int:
    with db.session() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


# --- validation --------------------------------------------------------------------------


def test_the_resident_schema_names_every_field_typed_wrong() -> None:
    with pytest.raises(ValidationError) as caught:
        fields.parse(
            ResidentCreate,
            {"name": "  ", "phone": "1380013800", "household_role": "户" * 21, "notes": "\n"},
        )
    assert {error.field: error.message for error in caught.value.errors} == {
        "name": "required",
        "phone": "10 digits; a mainland mobile number has 11",
        "household_role": "at most 20 characters, this has 21",
    }
    assert fields.parse(ResidentCreate, {"name": "孙悟空", "phone": "+86 138-0013-8000"}).phone == (
        "13800138000"
    )
    assert fields.parse(ResidentUpdate, {"name": " 孙悟空 "}).name == "孙悟空"


def test_create_reports_every_wrong_field_and_writes_nothing(world: World, db: Database) -> None:
    audit_before = _rows_in(db, AuditLog)
    bad_checksum = make_id(date(1980, 3, 4), 12)[:-1] + "0"
    if bad_checksum == make_id(date(1980, 3, 4), 12):
        bad_checksum = bad_checksum[:-1] + "1"
    with pytest.raises(ValidationError) as caught:
        residents.create(
            world.ctx,
            ResidentCreate(
                name="孙悟空",
                id_number=bad_checksum,
                grid_id=world.village.id,  # level 2
            ),
        )
    assert {error.field for error in caught.value.errors} == {"id_number", "grid_id"}
    assert "level-3" in caught.value.for_field("grid_id")[0]
    assert _rows_in(db, Resident) == 0
    assert _rows_in(db, AuditLog) == audit_before


def test_birth_date_and_gender_come_from_the_id(world: World) -> None:
    number = make_id(date(1949, 12, 31), 3)  # sequence 003: odd digit, male
    saved = residents.create(
        world.ctx, ResidentCreate(name="刘德明", id_number=number, grid_id=world.group.id)
    )
    card = residents.card(world.ctx, saved.id)
    assert card.birth_date is None and card.birth_date_hidden  # masked with the ID number
    assert residents.reveal(world.ctx, saved.id, "birth_date", reason=VISIT) == "1949-12-31"
    assert card.gender is Gender.MALE
    assert card.age == 72


def test_birth_date_that_contradicts_the_id_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        residents.create(
            world.ctx,
            ResidentCreate(
                name="刘德明",
                id_number=make_id(date(1949, 12, 31), 3),
                birth_date=date(1950, 1, 1),
                grid_id=world.group.id,
            ),
        )
    assert caught.value.for_field("birth_date") == ["the ID number says 1949-12-31"]


def test_unknown_region_is_a_warning_not_an_error(world: World) -> None:
    number = make_id(date(1971, 1, 1), 1, region="110115")  # 大兴区: newer than stdnum's table
    saved = residents.create(
        world.ctx, ResidentCreate(name="赵立新", id_number=number, grid_id=world.group.id)
    )
    assert saved.warnings and "110115" in saved.warnings[0]


def test_future_birth_date_without_id_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        residents.create(
            world.ctx,
            ResidentCreate(name="周宁", birth_date=date(2022, 5, 2), grid_id=world.group.id),
        )
    assert [error.field for error in caught.value.errors] == ["birth_date"]


def test_same_id_twice_is_refused_naming_the_holder(world: World, db: Database) -> None:
    number = make_id(date(1985, 6, 1), 21)
    first = world.resident("陈静", id_number=number)
    with pytest.raises(ValidationError) as caught:
        residents.create(
            world.ctx, ResidentCreate(name="陈晶", id_number=number, grid_id=world.group_b.id)
        )
    message = caught.value.for_field("id_number")[0]
    assert "陈静" in message and str(first) in message
    assert _rows_in(db, Resident) == 1


def test_find_duplicates_by_id_or_by_name_and_phone(world: World) -> None:
    number = make_id(date(1990, 2, 2), 5)
    by_id = world.resident("孙丽", id_number=number)
    by_phone = world.resident("孙丽", world.group_b, phone="13912345678")
    world.resident("孙丽", world.group2, phone="13912345679")
    found = residents.find_duplicates(
        world.ctx, ResidentCreate(name="孙丽", id_number=number, phone="139 1234 5678")
    )
    assert sorted(row.id for row in found) == sorted([by_id, by_phone])


# --- search keys and search kinds --------------------------------------------------------


@pytest.fixture
def village_people(world: World) -> dict[str, int]:
    people = {
        "张三": world.resident("张三", phone="13800138000", id_number=make_id(date(1980, 3, 4), 2)),
        "张三丰": world.resident("张三丰", world.group_b, phone="13700001111"),
        "李四": world.resident("李四", world.group2, phone="15900008000"),
        "曾国华": world.resident("曾国华", world.group_b),
        "单丽": world.resident("单丽", world.group2),
        "王小三": world.resident("王小三"),
        "欧阳明": world.resident("欧阳明", world.group2),
        "黄x": world.resident("黄晓", id_number="11010519491231002X"),
    }
    return people


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("张三", ["张三", "张三丰"]),
        ("三", ["王小三", "张三", "张三丰"]),
        ("张", ["张三", "张三丰"]),
        ("张三丰", ["张三丰"]),
        ("欧阳明", ["欧阳明"]),
        ("zs", ["张三", "张三丰"]),
        ("zsf", ["张三丰"]),
        ("zhangsan", ["张三", "张三丰"]),
        ("ZhangSan", ["张三", "张三丰"]),
        ("zhang san", ["张三", "张三丰"]),
        ("zeng", ["曾国华"]),
        ("zgh", ["曾国华"]),
        ("shanli", ["单丽"]),
        ("ouyang", ["欧阳明"]),
        ("z", ["曾国华", "张三", "张三丰"]),
        ("8000", ["李四", "张三"]),
        ("138-0013-8000", ["张三"]),
        ("002X", ["黄晓"]),
        ("002x", ["黄晓"]),
        ("1111", ["张三丰"]),
        ("800", []),
        ("?!", []),
    ],
)
def test_every_search_kind_finds_by_its_key(
    world: World, village_people: dict[str, int], typed: str, expected: list[str]
) -> None:
    query = ResidentQuery(text=typed)
    found = residents.page_after(world.ctx, query, None, 50).rows
    assert _names(found) == expected
    assert residents.count(world.ctx, query) == len(expected)


def test_search_kinds_are_recognised() -> None:
    kinds = {
        text: residents.parse_search(text).kind
        for text in ["", "三", "张三", "张三丰", "zs", "8000", "002X", "800", "a1"]
    }
    assert kinds == {
        "": SearchKind.ALL,
        "三": SearchKind.GRAM,
        "张三": SearchKind.GRAM,
        "张三丰": SearchKind.GRAM_LIKE,
        "zs": SearchKind.LETTERS,
        "8000": SearchKind.DIGITS,
        "002X": SearchKind.DIGITS,
        "800": SearchKind.NOTHING,
        "a1": SearchKind.NOTHING,
    }


def test_like_wildcards_in_a_search_are_literal(world: World) -> None:
    world.resident("张三丰")
    assert residents.search(world.ctx, "张三%") == []
    assert residents.search(world.ctx, "张_丰") == []


def test_grid_filter_is_the_whole_subtree(world: World, village_people: dict[str, int]) -> None:
    def names(grid_id: int, typed: str = "") -> list[str]:
        q = ResidentQuery(grid_id=grid_id, text=typed)
        assert residents.count(world.ctx, q) == len(residents.window(world.ctx, q, 0, 100))
        return _names(residents.window(world.ctx, q, 0, 100))

    assert names(world.street.id) == ["黄晓", "王小三", "曾国华", "张三", "张三丰"]
    assert names(world.village.id) == names(world.street.id)
    assert names(world.group.id) == ["黄晓", "王小三", "张三"]
    assert names(world.group_b.id) == ["曾国华", "张三丰"]
    assert names(world.street2.id) == ["李四", "欧阳明", "单丽"]
    assert names(world.street.id, "三") == ["王小三", "张三", "张三丰"]
    assert names(world.group.id, "zs") == ["张三"]
    assert names(world.street2.id, "8000") == ["李四"]


def test_tag_filter(world: World) -> None:
    world.resident("刘奶奶", tags=[ResidentTagKind.ELDERLY_ALONE])
    world.resident("刘小宝", tags=[ResidentTagKind.LEFT_BEHIND_CHILD])
    world.resident("刘强")
    q = ResidentQuery(tag=ResidentTagKind.ELDERLY_ALONE)
    assert _names(residents.window(world.ctx, q, 0, 10)) == ["刘奶奶"]
    assert (
        residents.count(world.ctx, ResidentQuery(text="刘", tag=ResidentTagKind.ELDERLY_ALONE)) == 1
    )


# --- pages -------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"


@pytest.fixture
def crowd(world: World, db: Database) -> list[int]:
    ids = []
    for i in range(37):
        # Repeated names make the id the tie-breaker of the order.
        name = SURNAMES[i % 10] + GIVEN[(i * 3) % 10]
        grid = (world.group, world.group_b, world.group2)[i % 3]
        ids.append(world.resident(name, grid))
    return ids


@pytest.mark.parametrize(
    "query",
    [
        ResidentQuery(),
        ResidentQuery(grid_id=1),  # replaced by the village in the test
        ResidentQuery(text="王"),
        ResidentQuery(text="l"),
        ResidentQuery(text="ly"),
    ],
    ids=["all", "village", "hanzi", "letter", "initials"],
)
def test_keyset_pages_join_without_gaps_or_duplicates(
    world: World, crowd: list[int], query: ResidentQuery
) -> None:
    if query.grid_id is not None:
        query = ResidentQuery(grid_id=world.village.id)
    whole = residents.window(world.ctx, query, 0, 500)
    assert len(whole) == residents.count(world.ctx, query) > 0
    walked: list[int] = []
    after = None
    while True:
        page = residents.page_after(world.ctx, query, after, 4)
        walked.extend(row.id for row in page.rows)
        if not page.has_more:
            break
        after = page.after
    assert walked == [row.id for row in whole]
    keys = [(row.name_pinyin, row.id) for row in whole]
    assert keys == sorted(keys)
    assert [row.id for row in residents.window(world.ctx, query, 3, 5)] == walked[3:8]
    assert [row.id for row in residents.window(world.ctx, query, len(walked) - 2, 5)] == walked[-2:]
    assert residents.window(world.ctx, query, len(walked), 5) == []


@pytest.mark.parametrize(
    "query",
    [
        ResidentQuery(),
        ResidentQuery(grid_id=-1),  # replaced by the village in the test
        ResidentQuery(text="王"),
        ResidentQuery(text="l"),
        ResidentQuery(text="ly"),
    ],
    ids=["all", "village", "hanzi", "letter", "initials"],
)
def test_every_window_matches_the_offset_read_from_either_end(
    world: World, crowd: list[int], query: ResidentQuery
) -> None:
    # ``end`` reads the list backwards from its last row and a window in the second half is
    # found from the end: each must give exactly the rows at those positions of the list.
    if query.grid_id is not None:
        query = ResidentQuery(grid_id=world.village.id)
    walked = [row.id for row in residents.window(world.ctx, query, 0, 500)]
    total = residents.count(world.ctx, query)
    assert total == len(walked) >= 3
    for limit in (1, 3, total):
        for offset in range(total + 1):
            got = [row.id for row in residents.window(world.ctx, query, offset, limit)]
            assert got == walked[offset : offset + limit], (offset, limit)


@pytest.mark.parametrize(
    "query",
    [ResidentQuery(), ResidentQuery(grid_id=-1), ResidentQuery(text="王")],
    ids=["all", "village", "hanzi"],
)
def test_end_reads_the_last_rows_backwards_with_no_offset(
    world: World, crowd: list[int], query: ResidentQuery
) -> None:
    # ``end`` must cost what ``home`` does: no statement skips rows with OFFSET, and the
    # rows are those a keyset walk from the first page ends with.
    if query.grid_id is not None:
        query = ResidentQuery(grid_id=world.village.id)
    walked: list[int] = []
    after = None
    while True:
        page = residents.page_after(world.ctx, query, after, 4)
        walked += [row.id for row in page.rows]
        if not page.has_more:
            break
        after = page.after
    total = residents.count(world.ctx, query)
    assert total == len(walked) > 3
    with statements(world.ctx.db) as sent:
        last = residents.window(world.ctx, query, total - 3, 3)
    assert [row.id for row in last] == walked[-3:]
    assert sent and not [s for s, params in sent if rows_skipped(s, params)], sent
    with statements(world.ctx.db) as sent:
        residents.window(world.ctx, query, 1, 1)  # a jump does skip: the check sees it
    assert [s for s, params in sent if rows_skipped(s, params) == 1]


def test_a_kept_count_is_read_again_after_any_change(world: World) -> None:
    # Counts are kept per filter while nothing changed: a create, an archive and an edit
    # that moves a resident out of a grid must each be counted afresh.
    everyone, here = ResidentQuery(), ResidentQuery(grid_id=world.group.id)
    first = world.resident("钱多多")
    assert (residents.count(world.ctx, everyone), residents.count(world.ctx, here)) == (1, 1)
    world.resident("钱少少")
    assert (residents.count(world.ctx, everyone), residents.count(world.ctx, here)) == (2, 2)
    residents.archive(world.ctx, first, expected_version=1)
    assert residents.count(world.ctx, everyone) == 1
    assert residents.count(world.ctx, ResidentQuery(archived=True)) == 1
    second = residents.window(world.ctx, everyone, 0, 1)[0]
    residents.update(
        world.ctx,
        second.id,
        ResidentUpdate(grid_id=world.group2.id),
        expected_version=second.version,
    )
    assert residents.count(world.ctx, here) == 0
    assert residents.count(world.ctx, ResidentQuery(grid_id=world.group2.id)) == 1


def test_archived_residents_leave_the_lists(world: World) -> None:
    gone = world.resident("赵敏")
    world.resident("赵强")
    residents.archive(world.ctx, gone, expected_version=1)
    assert _names(residents.search(world.ctx, "赵")) == ["赵强"]
    assert residents.count(world.ctx, ResidentQuery()) == 1
    # The whole list and one name piece are counted as all less the archived ones.
    assert residents.count(world.ctx, ResidentQuery(text="赵")) == 1
    assert residents.count(world.ctx, ResidentQuery(text="赵敏")) == 0
    assert residents.count(world.ctx, ResidentQuery(text="赵", archived=True)) == 1
    assert _names(residents.window(world.ctx, ResidentQuery(archived=True), 0, 5)) == ["赵敏"]


# --- masking and reveal ------------------------------------------------------------------


def test_masks() -> None:
    assert residents.mask_id("110105199001010023") == "110105********0023"
    assert residents.mask_phone("13800138000") == "138****8000"
    assert residents.mask_id(None) == "" and residents.mask_phone("") == ""


def test_card_masks_and_reveal_is_audited(world: World, db: Database) -> None:
    number = make_id(date(1980, 3, 4), 2)
    rid = world.resident("张三", id_number=number, phone="13800138000")
    with transactions(db) as begun:
        card = residents.card(world.ctx, rid)
    assert len(begun) == 1  # the card with its visits, one snapshot
    assert card.id_number_masked == number[:6] + "********" + number[-4:]
    assert card.phone_masked == "138****8000"
    assert card.grid_path_names == ("西市场街道", "光明路社区", "光明路一组")
    desk = world.ctx.as_actor(Actor("wangjg", Role.DESK, world.room_id))
    assert residents.reveal(desk, rid, "id_number", reason=VISIT) == number
    with db.session() as session:
        row = session.execute(
            select(AuditLog).where(AuditLog.action == AuditAction.REVEAL)
        ).scalar_one()
    assert (row.user_login, row.table_name, row.record_id, row.field) == (
        "wangjg",
        "resident",
        rid,
        "id_number",
    )
    assert json.loads(row.after) == {"reason": "visit"}


def test_a_reveal_without_a_reason_is_refused_and_other_needs_words(
    world: World, db: Database
) -> None:
    rid = world.resident("张三", phone="13800138000")
    with pytest.raises(ValidationError) as missing:
        residents.reveal(world.ctx, rid, "phone")
    assert missing.value.for_field("reason")
    with pytest.raises(ValidationError) as bare_other:
        residents.reveal(world.ctx, rid, "phone", reason=Reason(RevealReason.OTHER, "  "))
    assert bare_other.value.for_field("reason_detail")
    with db.session() as session:
        assert (
            session.execute(
                select(func.count()).where(AuditLog.action == AuditAction.REVEAL)
            ).scalar_one()
            == 0
        )
    typed = Reason(RevealReason.OTHER, "核对 13900139000 来电")
    assert residents.reveal(world.ctx, rid, "phone", reason=typed) == "13800138000"
    with db.session() as session:
        row = session.execute(
            select(AuditLog).where(AuditLog.action == AuditAction.REVEAL)
        ).scalar_one()
    # the words are kept, a number typed into them is masked like any other
    assert json.loads(row.after) == {"reason": "other", "detail": "核对 *******9000 来电"}


def test_headquarters_reveals_with_a_reason_and_a_roomless_desk_cannot(
    world: World, db: Database
) -> None:
    rid = world.resident("张三", phone="13800138000")
    hq = world.ctx.as_actor(Actor("hq1", Role.HQ))
    assert residents.reveal(hq, rid, "phone", reason=VISIT) == "13800138000"
    # a desk login saved without a room reaches no room: nothing to reveal, nothing audited
    roomless = world.ctx.as_actor(Actor("wangjg", Role.DESK))
    with pytest.raises((Forbidden, NotFound)):
        residents.reveal(roomless, rid, "phone", reason=VISIT)
    with db.session() as session:
        reveals = session.execute(
            select(AuditLog.user_login).where(AuditLog.action == AuditAction.REVEAL)
        ).all()
    assert [row[0] for row in reveals] == ["hq1"]


# --- updates -----------------------------------------------------------------------------


def test_update_rewrites_search_keys_and_is_audited(world: World, db: Database) -> None:
    rid = world.resident("张三", phone="13800138000")
    saved = residents.update(
        world.ctx, rid, ResidentUpdate(name="李四", phone="13900139000"), expected_version=1
    )
    assert saved.version == 2
    assert residents.search(world.ctx, "张三") == []
    assert _names(residents.search(world.ctx, "ls")) == ["李四"]
    assert _names(residents.search(world.ctx, "9000")) == ["李四"]
    with db.session() as session:
        grams = session.execute(
            select(ResidentNameGram.gram, ResidentNameGram.name_pinyin).where(
                ResidentNameGram.resident_id == rid
            )
        ).all()
        entry = session.execute(
            select(AuditLog).where(AuditLog.action == AuditAction.UPDATE)
        ).scalar_one()
    assert sorted(grams) == sorted([("李", "lisi"), ("李四", "lisi"), ("四", "lisi")])
    assert json.loads(entry.before)["name"] == "张三"
    assert json.loads(entry.after)["phone"] == "139****9000"  # masked in the audit, too


def test_stale_update_is_refused_and_changes_nothing(world: World, db: Database) -> None:
    rid = world.resident("张三", phone="13800138000", tags=[ResidentTagKind.RENTER])
    residents.update(world.ctx, rid, ResidentUpdate(address="光明路12号"), expected_version=1)
    audit_rows = _rows_in(db, AuditLog)
    with pytest.raises(StaleRecord):
        residents.update(
            world.ctx,
            rid,
            ResidentUpdate(name="张山", tags=[ResidentTagKind.KEY_PERSON]),
            expected_version=1,
        )
    card = residents.card(world.ctx, rid)
    assert (card.name, card.address, card.tags, card.version) == (
        "张三",
        "光明路12号",
        (ResidentTagKind.RENTER,),
        2,
    )
    assert _names(residents.search(world.ctx, "张三")) == ["张三"]
    assert residents.search(world.ctx, "张山") == []
    assert _rows_in(db, AuditLog) == audit_rows


def test_update_keeps_own_id_and_sets_tags(world: World) -> None:
    rid = world.resident("张三", id_number=make_id(date(1980, 3, 4), 2))
    residents.update(
        world.ctx, rid, ResidentUpdate(tags=[ResidentTagKind.KEY_PERSON]), expected_version=1
    )
    assert residents.card(world.ctx, rid).tags == (ResidentTagKind.KEY_PERSON,)


def test_mark_anti_fraud(world: World) -> None:
    rid = world.resident("张三")
    residents.mark_anti_fraud(world.ctx, rid, True, world.officer_id, expected_version=1)
    card = residents.card(world.ctx, rid)
    assert (card.anti_fraud_installed, card.anti_fraud_on, card.anti_fraud_by) == (
        True,
        date(2022, 5, 1),
        "王建国",
    )
    with pytest.raises(StaleRecord):
        residents.mark_anti_fraud(world.ctx, rid, False, None, expected_version=1)


# --- every search kind is an index lookup ------------------------------------------------

PLAN_KEYS = {
    "三": "ix_resident_name_gram_order (gram=?",
    "张三": "ix_resident_name_gram_order (gram=?",
    "张三丰": "ix_resident_name_gram_order (gram=?",
    "z": "ix_resident_order (archived=? AND name_pinyin>? AND name_pinyin<?",
    "zs": "ix_resident_initials (name_initials>? AND name_initials<?)",
    "zhangsan": "ix_resident_order (archived=? AND name_pinyin>? AND name_pinyin<?",
    "8000": "ix_resident_phone_rev (phone_rev>? AND phone_rev<?)",
    "0023": "ix_resident_id_rev (id_rev>? AND id_rev<?)",
    "002X": "ix_resident_id_rev (id_rev>? AND id_rev<?)",
}


def _plan(db: Database, statement: object) -> list[str]:
    with db.engine.connect() as connection:
        compiled = statement.compile(connection)  # type: ignore[attr-defined]
        rows = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(compiled),
            tuple(
                compiled.positiontup
                and [compiled.params[name] for name in compiled.positiontup]
                or ()
            ),
        ).all()
    return [row[3] for row in rows]


@pytest.mark.parametrize("analyzed", [False, True], ids=["no-stats", "analyzed"])
@pytest.mark.parametrize("typed", sorted(PLAN_KEYS))
def test_search_statements_use_an_index_not_a_scan(
    sqlite_db: Database, clock: Clock, typed: str, analyzed: bool
) -> None:
    world = build_world(sqlite_db, clock)
    for i in range(60):
        world.resident(SURNAMES[i % 10] + GIVEN[i % 7] + GIVEN[(i * 7) % 10])
    if analyzed:
        with sqlite_db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    for query in (ResidentQuery(text=typed), ResidentQuery(text=typed, grid_id=world.street.id)):
        with sqlite_db.session() as session:
            statement = residents.select_rows(session, query, after=("wang", 5), limit=50)
        plan = _plan(sqlite_db, statement)
        assert any(PLAN_KEYS[typed] in line for line in plan), plan
        assert not any(line.startswith("SCAN resident") for line in plan), plan
        # ``archived`` alone would be a walk over every current resident.
        assert not any(line.endswith("(archived=?)") for line in plan), plan

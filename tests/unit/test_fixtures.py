"""Fixture sets: the training set loads whole, broken files load nothing, exports round-trip."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from stdnum.cn import ric

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database, sqlite_url
from policeroom.fixtures import FixtureError
from policeroom.models import metadata
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.disputes import (
    Dispute,
    DisputeStatus,
    FollowUp,
    MediationSession,
    PartyInput,
    PartyRole,
)
from policeroom.models.org import Grid, Staff, StaffCreate
from policeroom.models.people import Resident, ResidentNameGram
from policeroom.resources import fixtures_dir
from policeroom.services.core import fields
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.validation import check_id_number, check_mobile
from policeroom.services.org import tree
from policeroom.services.people import residents
from tests.templates import load_training

REFERENCE = date(2022, 5, 1)

MOVE = "培训库迁移"  # the reason a full, loadable copy is made


def valid_id(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def dump(db: Database) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows, to prove nothing changed."""
    found: dict[str, tuple[int, str]] = {}
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).all()
            digest = hashlib.sha256(
                "\n".join(sorted(repr(tuple(row)) for row in rows)).encode()
            ).hexdigest()
            found[table.name] = (len(rows), digest)
    return found


def write(path: Path, content: dict[str, Any] | str) -> Path:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def trained(ctx: ServiceContext) -> ServiceContext:
    return load_training(ctx)


def count(ctx: ServiceContext, table: Any, *where: Any) -> int:
    with ctx.read() as session:
        statement = sa.select(sa.func.count()).select_from(table).where(*where)
        return int(session.execute(statement).scalar_one())


# --- the training set -------------------------------------------------------------------


def test_training_set_fills_every_area(trained: ServiceContext) -> None:
    ctx = trained
    for table in metadata.sorted_tables:
        if table.name in ("setting", "request_key"):  # kept by the program, not training data
            continue
        assert count(ctx, table) > 0, f"{table.name} is empty after loading training"
    assert count(ctx, Resident) >= 300
    assert 35 <= count(ctx, Dispute) <= 45
    for level in (1, 2, 3):
        assert count(ctx, Grid, Grid.level == level) > 0
    for status in DisputeStatus:
        assert count(ctx, Dispute, Dispute.status == status) > 0, status
    overdue = count(ctx, FollowUp, FollowUp.done_on.is_(None), FollowUp.due_on < REFERENCE)
    assert overdue > 0
    audits = count(ctx, AuditLog)
    assert audits == count(ctx, AuditLog, AuditLog.action == AuditAction.LOAD) == 1


def test_training_set_holds_the_reports_case(trained: ServiceContext) -> None:
    with trained.read() as session:
        mediations = session.execute(
            sa.select(Dispute, MediationSession)
            .join(MediationSession, MediationSession.dispute_id == Dispute.id)
            .where(MediationSession.held_on == REFERENCE)
            .where(MediationSession.mediators.contains("李少卿"))
        ).all()
        assert len(mediations) == 1
        case, session_row = mediations[0]
        assert case.status == DisputeStatus.RESOLVED and case.resolved_on == REFERENCE
        assert "抚养费" in case.description and "抚养费" in session_row.agreement
        assert case.visit_id is not None
        li = session.execute(sa.select(Staff).where(Staff.name == "李少卿")).scalar_one()
        assert case.assignee_id == li.id
    found = {row.name for row in residents.search(trained, "张建军")}
    assert found == {"张建军"}
    card = residents.card(trained, residents.search(trained, "zhangjianjun")[0].id)
    assert [d.id for d in card.disputes] == [case.id]


def test_loaded_residents_have_the_services_search_keys(trained: ServiceContext) -> None:
    with trained.read() as session:
        rows = session.execute(sa.select(Resident)).scalars().all()
        for row in rows:
            expected = residents.search_columns(row.name, row.phone, row.id_number)
            assert {k: getattr(row, k) for k in expected} == expected
            grams = set(
                session.execute(
                    sa.select(ResidentNameGram.gram).where(ResidentNameGram.resident_id == row.id)
                ).scalars()
            )
            assert grams == {g["gram"] for g in residents.gram_rows(row.id, row.name, "")}
    assert residents.search(trained, "zjj")[0].name.startswith("张")


def test_grid_paths_roll_up_every_level(trained: ServiceContext) -> None:
    with trained.read() as session:
        street = session.execute(sa.select(Grid).where(Grid.code == "WD01")).scalar_one()
        community = session.execute(sa.select(Grid).where(Grid.code == "WD0102")).scalar_one()
        assert community.path.startswith(street.path) and community.parent_id == street.id
        under = session.execute(
            sa.select(sa.func.count()).select_from(Grid).where(tree.path_condition(street.path))
        ).scalar_one()
        assert under == 1 + 3 + 10


def test_training_files_hold_valid_ids_and_phones() -> None:
    folder = fixtures_dir() / "training"
    people = json.loads((folder / "20-people.json").read_text(encoding="utf-8"))
    numbers = [r["id_number"] for r in people["residents"]]
    assert len(numbers) == len(set(numbers)) >= 300
    for resident in people["residents"]:
        checked = check_id_number(resident["id_number"], REFERENCE)
        assert checked.warnings == () and resident["id_number"].startswith("4104")
        if "phone" in resident:
            assert check_mobile(resident["phone"]) == resident["phone"]


# --- broken files leave the database exactly as it was ----------------------------------

GOOD_RESIDENT = {"name": "欧阳晓雯", "id_number": valid_id("41040319900101001"), "grid": "WD010101"}

BROKEN: dict[str, tuple[dict[str, Any] | str, str]] = {
    "bad_json": ('{"residents": [{"name": "欧阳晓雯",}]}', "not valid JSON"),
    "checksum": (
        {"residents": [GOOD_RESIDENT | {"id_number": "410403199001010012"}]},
        "residents[0] 欧阳晓雯: id_number: the check digit is wrong",
    ),
    "30_february_in_id": (
        {"residents": [GOOD_RESIDENT | {"id_number": valid_id("41040319900230001")}]},
        "residents[0] 欧阳晓雯: id_number: the birth date ****0230",
    ),
    "30_february_date": (
        {"residents": [GOOD_RESIDENT | {"birth_date": "1990-02-30"}]},
        "residents[0] 欧阳晓雯: birth_date:",
    ),
    "unknown_parent": (
        {"grids": [{"code": "WD9901", "name": "新建社区", "level": 2, "parent": "WD99"}]},
        "grids[0] WD9901: parent: no grid WD99",
    ),
    "parent_two_levels_up": (
        {"grids": [{"code": "WD019901", "name": "新楼院", "level": 3, "parent": "WD01"}]},
        "grids[0] WD019901: parent: grid WD01 is at level 1",
    ),
    "duplicate_code_in_file": (
        {
            "grids": [
                {"code": "WD06", "name": "蒲城街道", "level": 1},
                {"code": "WD06", "name": "皇台街道", "level": 1},
            ]
        },
        "grids[1] WD06: code: grid WD06 appears twice",
    ),
    "duplicate_code_in_database": (
        {"grids": [{"code": "WD01", "name": "优越路街道", "level": 1}]},
        "grids[0] WD01: code: grid WD01 is already in the database",
    ),
    "wrong_phone": (
        {"residents": [GOOD_RESIDENT | {"phone": "1234567"}]},
        "residents[0] 欧阳晓雯: phone:",
    ),
    "future_birth_date": (
        {
            "residents": [
                {k: v for k, v in GOOD_RESIDENT.items() if k != "id_number"}
                | {"birth_date": "2099-01-01"}
            ]
        },
        "residents[0] 欧阳晓雯: birth_date: the birth date is in the future",
    ),
    "markup_name": (
        {"residents": [GOOD_RESIDENT | {"name": "[b red]欧阳晓雯[/]"}]},
        "name: a name cannot hold [ ] < > { }",
    ),
    "unknown_staff": (
        {"residents": [GOOD_RESIDENT | {"anti_fraud": {"on": "2022-04-01", "by": "X999"}}]},
        "residents[0] 欧阳晓雯: anti_fraud.by: no staff member X999",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_loads_nothing(trained: ServiceContext, tmp_path: Path, case: str) -> None:
    content, expected = BROKEN[case]
    path = write(tmp_path / "broken.json", content)
    before = dump(trained.db)
    with pytest.raises(FixtureError) as raised:
        fixtures.load(trained, path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and expected in message, message
    assert "\n" not in message
    assert dump(trained.db) == before


def test_error_in_a_late_record_still_writes_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    folder = tmp_path / "set"
    shutil.copytree(fixtures_dir() / "training", folder)
    admin = json.loads((folder / "50-admin.json").read_text(encoding="utf-8"))
    admin["users"][-1]["police_room"] = "R9999"
    write(folder / "50-admin.json", admin)
    before = dump(ctx.db)
    with pytest.raises(FixtureError, match=r"50-admin.json: users\[\d+\] desk\.r0503: police_room"):
        fixtures.load(ctx, folder)
    assert dump(ctx.db) == before


def test_a_file_breaks_the_rules_a_form_does_and_hears_the_same_words(tmp_path: Path) -> None:
    staff = {"code": "P9", "name": "王" * 51, "kind": "police"}
    grid = {"code": "WD9", "name": " ", "level": 1, "households": -1}
    with pytest.raises(FixtureError) as raised:
        fixtures.read_sources(write(tmp_path / "rules.json", {"staff": [staff], "grids": [grid]}))
    assert [(p.record, p.field, p.message) for p in raised.value.problems] == [
        ("staff[0] P9", "name", f"at most 50 characters, this has 51 ({'王' * 51})"),
        ("grids[0] WD9", "name", "required ( )"),
        ("grids[0] WD9", "households", "cannot be negative (-1)"),
    ]
    with pytest.raises(ValidationError) as typed:
        fields.parse(StaffCreate, staff)
    assert typed.value.errors[0].message == "at most 50 characters, this has 51"


def test_every_problem_is_counted_on_the_one_line(ctx: ServiceContext, tmp_path: Path) -> None:
    bad = {"grids": [{"code": f"X{i}", "name": "甲", "level": 2, "parent": "NONE"} for i in (1, 2)]}
    with pytest.raises(FixtureError) as raised:
        fixtures.load(ctx, write(tmp_path / "two.json", bad))
    assert len(raised.value.problems) == 2
    assert str(raised.value).endswith("(and 1 more problems)")


# --- loading on top of a database ---------------------------------------------------------


def test_a_file_may_point_at_records_of_the_database(
    trained: ServiceContext, tmp_path: Path
) -> None:
    with trained.read() as session:
        li = session.execute(sa.select(Staff.code).where(Staff.name == "李少卿")).scalar_one()
    extra = {
        "households": [
            {"code": "H-NEW-1", "address": "东环路3号院9号楼1单元101", "grid": "WD010101"}
        ],
        "residents": [GOOD_RESIDENT | {"household": "H-NEW-1", "phone": "13937519876"}],
        "visits": [
            {
                "visit_date": "2022-04-30",
                "staff": li,
                "residents": [GOOD_RESIDENT["id_number"]],
            }
        ],
    }
    result = fixtures.load(trained, write(tmp_path / "extra.json", extra))
    assert result.counts == {"households": 1, "residents": 1, "visits": 1}
    found = residents.search(trained, "欧阳晓雯")
    assert [r.name for r in found] == ["欧阳晓雯"]
    card = residents.card(trained, found[0].id)
    assert card.household is not None and card.household.code == "H-NEW-1"
    assert [v.staff_name for v in card.visits] == ["李少卿"]


def test_unknown_region_is_a_warning_not_an_error(ctx: ServiceContext, tmp_path: Path) -> None:
    extra = {
        "branches": [{"code": "B", "name": "分局"}],
        "grids": [
            {"code": "A", "name": "甲街道", "level": 1},
            {"code": "A1", "name": "乙社区", "level": 2, "parent": "A"},
            {"code": "A11", "name": "丙小区", "level": 3, "parent": "A1"},
        ],
        "residents": [{"name": "王芳", "id_number": valid_id("11011519710101002"), "grid": "A11"}],
    }
    result = fixtures.load(ctx, write(tmp_path / "region.json", extra))
    assert result.counts["residents"] == 1
    assert len(result.warnings) == 1 and "region code 110115" in result.warnings[0]


def test_unknown_set_name_is_an_error(ctx: ServiceContext) -> None:
    with pytest.raises(FixtureError, match="no such file, folder or fixture set.*training"):
        fixtures.load(ctx, "nonesuch")


def test_schema_describes_every_section() -> None:
    schema = json.loads(fixtures.schema_json())
    assert {"residents", "disputes", "shifts", "users", "grids"} <= set(schema["properties"])
    assert "ResidentIn" in schema["$defs"]


# --- export -------------------------------------------------------------------------------


def test_export_of_a_load_of_an_export_is_the_same_file(
    db: Database, clock: Clock, sqlite_template: Path, tmp_path: Path
) -> None:
    other_path = tmp_path / "other" / "source.db"
    other_path.parent.mkdir()
    shutil.copyfile(sqlite_template, other_path)
    source = Database.open(sqlite_url(other_path))
    try:
        fixtures.load(ServiceContext(source, clock=clock), "training")
        first = tmp_path / "first.json"
        counts = fixtures.export(ServiceContext(source, clock=clock), first, unmasked=MOVE)
    finally:
        source.dispose()
    assert counts["residents"] >= 300 and counts["shifts"] > 0
    ctx = ServiceContext(db, clock=clock)
    fixtures.load(ctx, first)
    second = tmp_path / "second.json"
    fixtures.export(ctx, second, unmasked=MOVE)
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert not any(p.name.endswith(".partial") for p in tmp_path.iterdir())
    assert len(exported["disputes"]) == counts["disputes"]


def test_training_set_feeds_the_ledger_services(trained: ServiceContext) -> None:
    from policeroom.models.disputes import (
        DisputeCategory,
        DisputeCreate,
        DisputeSource,
    )
    from policeroom.services.disputes import entries as disputes
    from policeroom.services.disputes import warnings

    kinds = {w.kind.value for w in warnings.early_warnings(trained)}
    assert {"follow_up_overdue", "missing_sweep", "repeated_parties"} <= kinds
    assert warnings.count(trained) >= len(kinds)
    with trained.read() as session:
        grid_id = session.execute(sa.select(Grid.id).where(Grid.code == "WD010101")).scalar_one()
        highest = session.execute(sa.select(sa.func.max(Dispute.number))).scalar_one()
    saved = disputes.register(
        trained,
        DisputeCreate(
            category=DisputeCategory.NEIGHBOURS,
            description="楼道堆放杂物",
            grid_id=grid_id,
            source=DisputeSource.WALK_IN,
            reported_on=REFERENCE,
            parties=[PartyInput(name="王某", role=PartyRole.APPLICANT)],
        ),
    )
    assert highest.startswith("JF-2022-")
    assert saved.number == f"JF-2022-{int(highest[-4:]) + 1:04d}"


def test_the_readme_example_loads_on_top_of_training(
    trained: ServiceContext, tmp_path: Path
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```json\n", 1)[1].split("```", 1)[0]
    result = fixtures.load(trained, write(tmp_path / "example.json", example))
    assert result.counts == {"residents": 1} and result.warnings == ()


def test_a_form_refuses_a_name_that_is_markup_in_the_same_words() -> None:
    """Issue 13, defect 7: one rule for every way in (the shared base carries it)."""
    with pytest.raises(ValidationError) as typed:
        fields.parse(StaffCreate, {"code": "P9", "name": "[b]王强[/b]", "kind": "police"})
    assert typed.value.errors[0].message == "a name cannot hold [ ] < > { }"

"""``fixtures load`` reads its files a record at a time, twice (issue 11: memory flat in the
data's size): the reader reads what ``json.loads`` reads at any chunk size, a file in any
order loads like the same records in order, and every rule of the whole-file load holds —
the same words for a bad record, nothing kept after a problem at the very last record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database, sqlite_url
from policeroom.fixtures import FixtureError
from policeroom.fixtures.schema import SECTIONS
from policeroom.fixtures.stream import BrokenJson, Reader
from policeroom.models.org import Grid, Staff
from policeroom.models.people import Household, Resident, Visit
from policeroom.resources import fixtures_dir
from policeroom.services.core.context import ServiceContext
from tests.conftest import FROZEN_NOW
from tests.unit.test_fixtures import GOOD_RESIDENT, MOVE, dump, valid_id, write

TEXT = (
    '{"format": "policeroom-fixtures/1",\r\n "description": "卫东分局 \\"培训\\" \\u5e93",'
    ' "masked" :false, "n": -12.5e3,\n'
    '  "grids": [ {"code": "WD01", "name": "优越路街道", "level": 1, "households": 12345},'
    '\n    {"code": "WD0101", "name": "建东社区", "level": 2, "parent": "WD01",'
    ' "administrators": ["P1", "P2"]} ],\n'
    '  "residents": [],  "empty": {}, "nothing": null, "truth": true,\n'
    '  "settings": [{"key": "k", "value": "[1, 2, {\\"a\\": \\"乙\\"}]"}, 7, "x", [[]]]\n}\n'
)


def read_back(path: Path, chunk: int) -> tuple[dict[str, Any], dict[str, int]]:
    """The file as the reader sees it, and where each list began (bytes)."""
    found: dict[str, Any] = {}
    offsets: dict[str, int] = {}
    with Reader(path, chunk=chunk) as reader:
        for key in reader.keys():
            if reader.peek() == "[":
                offsets[key] = reader.offset()
                found[key] = list(reader.items())
            else:
                found[key] = reader.value()
    return found, offsets


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1 << 20])
def test_the_reader_reads_what_json_loads_reads(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(TEXT.encode("utf-8"))
    found, offsets = read_back(path, chunk)
    assert found == json.loads(TEXT)
    for key, offset in offsets.items():
        # A list is read again from its offset alone, as the second pass does.
        with Reader(path, offset, chunk=chunk) as again:
            assert list(again.items()) == found[key]


@pytest.mark.parametrize(
    "text",
    ['{"grids": [1 2]}', '{"grids": [1,]}', '{"a": 1} x', '{"a" 1}', "[1]", '{"a": "乙', ""],
)
def test_the_reader_stops_at_broken_json(tmp_path: Path, text: str) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(BrokenJson):
        read_back(path, 2)


def one_file(order: list[str]) -> dict[str, Any]:
    """The training set as one file, its sections in ``order``."""
    merged: dict[str, list[Any]] = {}
    reference = None
    for path in sorted((fixtures_dir() / "training").glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        reference = reference or content.get("reference_date")
        for section in SECTIONS:
            merged.setdefault(section, []).extend(content.get(section, []))
    return {"reference_date": reference} | {
        section: merged[section] for section in order if merged[section]
    }


def fresh(sqlite_template: Path, path: Path) -> Database:
    shutil.copyfile(sqlite_template, path)
    return Database.open(sqlite_url(path))


def test_records_pointing_at_later_records_load_like_the_same_records_in_order(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """Sections backwards: every visit names residents further down, every resident its
    household and grid, every grid its staff; the load is the same as in order."""
    exports = []
    for name, order in (("in_order", list(SECTIONS)), ("backwards", list(reversed(SECTIONS)))):
        database = fresh(sqlite_template, tmp_path / f"{name}.db")
        try:
            ctx = ServiceContext(database, clock=Clock.fixed(FROZEN_NOW))
            result = fixtures.load(ctx, write(tmp_path / f"{name}.json", one_file(order)))
            assert result.counts["visits"] > 0 and result.reference_date == "2022-05-01"
            fixtures.export(ctx, tmp_path / f"{name}-export.json", unmasked=MOVE)
        finally:
            database.dispose()
        exports.append((tmp_path / f"{name}-export.json").read_text(encoding="utf-8"))
    assert exports[0] == exports[1]


@pytest.fixture
def trained(db: Database, clock: Clock) -> ServiceContext:
    from tests.templates import load_training

    return load_training(ServiceContext(db, clock=clock))


def test_a_grid_before_its_parent_and_a_resident_before_its_household_load(
    trained: ServiceContext, tmp_path: Path
) -> None:
    later = {
        "residents": [GOOD_RESIDENT | {"household": "H-LATER", "grid": "WD9901"}],
        "grids": [
            {"code": "WD9901", "name": "后建小区", "level": 3, "parent": "WD99"},
            {"code": "WD99", "name": "后建社区", "level": 2, "parent": "WD01"},
        ],
        "households": [{"code": "H-LATER", "address": "东环路9号", "grid": "WD9901"}],
    }
    result = fixtures.load(trained, write(tmp_path / "later.json", later))
    assert result.counts == {"grids": 2, "households": 1, "residents": 1}
    with trained.read() as session:
        grids = {g.code: g for g in session.scalars(sa.select(Grid).where(Grid.code.like("WD99%")))}
        home = session.scalars(sa.select(Household).where(Household.code == "H-LATER")).one()
        person = session.scalars(sa.select(Resident).where(Resident.name == "欧阳晓雯")).one()
    assert grids["WD9901"].parent_id == grids["WD99"].id
    assert grids["WD9901"].path == f"{grids['WD99'].path}{grids['WD9901'].id}/"
    assert home.grid_id == person.grid_id == grids["WD9901"].id
    assert person.household_id == home.id


def test_type_problems_are_worded_and_ordered_as_the_whole_file_check_words_them(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    # Sections out of the format's order, problems in both, and one at the top level.
    content = {
        "grids": [{"code": "WD9", "name": " ", "level": 1, "households": -1}],
        "staff": [{"code": "P9", "name": "王" * 51, "kind": "police"}],
        "reference_date": "2022-02-30",
    }
    path = write(tmp_path / "rules.json", content)
    with pytest.raises(FixtureError) as whole:
        fixtures.read_sources(path)
    before = dump(db)
    with pytest.raises(FixtureError) as streamed:
        fixtures.load(ServiceContext(db, clock=clock), path)
    assert streamed.value.problems == whole.value.problems
    assert [(p.file, p.record, p.field) for p in streamed.value.problems][:2] == [
        (str(path), "", "reference_date"),
        (str(path), "staff[0] P9", "name"),
    ]
    assert str(streamed.value).startswith(f"{path}: reference_date: ")
    assert dump(db) == before


def test_a_problem_at_the_files_very_last_record_changes_nothing(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    """The training set as one file, whose last record (a user, the format's last section
    but settings, which the file leaves out) names a police room there is none of: only
    the second pass finds it, after every other record was checked and written."""
    content = one_file([s for s in SECTIONS if s != "settings"])
    last = content["users"][-1] | {"police_room": "R9999"}
    content["users"][-1] = last
    path = write(tmp_path / "last.json", content)
    before = dump(db)
    with pytest.raises(FixtureError) as refused:
        fixtures.load(ServiceContext(db, clock=clock), path)
    index = len(content["users"]) - 1
    assert str(refused.value) == (
        f"{path}: users[{index}] {last['login']}: police_room: "
        "no police room R9999 in the fixtures or the database"
    )
    assert dump(db) == before


class _ChangeOnCheck:
    """Progress that edits the file when the second pass begins, as another program might."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def step(self, label: str) -> None:
        if label == "checking":
            self.path.write_text(self.path.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    def update(self, done: int, total: int) -> None:
        pass


def test_a_file_changed_between_the_passes_is_refused_and_changes_nothing(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    path = write(tmp_path / "org.json", one_file(list(SECTIONS)))
    before = dump(db)
    with pytest.raises(FixtureError, match="the file changed while it was loaded"):
        fixtures.load(ServiceContext(db, clock=clock), path, _ChangeOnCheck(path))
    assert dump(db) == before


def test_a_section_twice_in_one_file_is_refused(db: Database, clock: Clock, tmp_path: Path) -> None:
    grid = '{"code": "WD9", "name": "甲街道", "level": 1}'
    path = write(tmp_path / "twice.json", f'{{"grids": [{grid}], "grids": []}}')
    with pytest.raises(FixtureError) as refused:
        fixtures.load(ServiceContext(db, clock=clock), path)
    assert str(refused.value) == f"{path}: grids: appears twice in the file"


def test_what_a_resident_or_household_record_stands_for_reaches_later_records(
    trained: ServiceContext, tmp_path: Path
) -> None:
    """A household's grid reaches its residents' check, a resident's grid reaches a visit
    that names no grid, and a duplicate names the first record with its name: the facts
    the first pass keeps of every resident and household, packed."""
    second = valid_id("41040319850505002")
    mismatch = {
        "households": [
            {"code": "H-A", "address": "东环路1号", "grid": "WD010101"},
            {"code": "H-B", "address": "东环路2号", "grid": "WD010102"},
        ],
        "residents": [
            GOOD_RESIDENT | {"household": "H-A"},
            {"name": "李建华", "id_number": second, "grid": "WD010101", "household": "H-B"},
            {"name": "王秀兰", "id_number": GOOD_RESIDENT["id_number"], "grid": "WD010101"},
        ],
    }
    path = write(tmp_path / "mismatch.json", mismatch)
    with pytest.raises(FixtureError) as refused:
        fixtures.load(trained, path)
    assert [str(p) for p in refused.value.problems] == [
        f"{path}: residents[2] 王秀兰: id_number: resident {GOOD_RESIDENT['id_number']} "
        f"appears twice (also {path} residents[0] 欧阳晓雯)",
        f"{path}: residents[1] 李建华: household: household H-B is in another grid",
    ]
    with trained.read() as session:
        staff = session.scalars(sa.select(Staff.code).limit(1)).one()
    visit = {"visit_date": "2022-04-30", "staff": staff, "residents": [second]}
    fine = {
        "visits": [visit],
        "residents": [{"name": "李建华", "id_number": second, "grid": "WD010102"}],
    }
    fixtures.load(trained, write(tmp_path / "fine.json", fine))
    with trained.read() as session:
        grid = session.scalars(sa.select(Grid).where(Grid.code == "WD010102")).one()
        visited = session.scalars(sa.select(Visit).order_by(Visit.id.desc()).limit(1)).one()
    assert visited.grid_id == grid.id

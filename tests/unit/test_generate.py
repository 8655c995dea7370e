"""The generator: same seed same data, the requested figures exactly, valid people, loadable."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum.cn import ric

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database, sqlite_url
from policeroom.fixtures import FixtureError
from policeroom.fixtures.generate import SCALES
from policeroom.fixtures.synth_names import check_digit
from policeroom.models.disputes import Dispute, DisputeStatus
from policeroom.models.org import Grid
from policeroom.models.people import Resident, VisitResident
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.validation import check_id_number, check_mobile
from policeroom.services.disputes import warnings
from policeroom.services.people import residents

SMALL = SCALES["small"]


@pytest.fixture
def other_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A second fresh SQLite database beside the test's ``db``."""
    path = tmp_path / "other" / "other.db"
    path.parent.mkdir()
    shutil.copyfile(sqlite_template, path)
    database = Database.open(sqlite_url(path))
    yield database
    database.dispose()


@pytest.fixture
def generated(db: Database, clock: Clock) -> ServiceContext:
    ctx = ServiceContext(db, clock=clock)
    fixtures.generate(ctx, "small", 1)
    return ctx


def scalar(ctx: ServiceContext, statement: sa.Select[tuple[int]]) -> int:
    with ctx.read() as session:
        return int(session.execute(statement).scalar_one())


def test_same_seed_gives_the_same_branch(
    generated: ServiceContext, other_db: Database, clock: Clock, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    fixtures.export(generated, first)
    again = ServiceContext(other_db, clock=clock)
    fixtures.generate(again, "small", 1)
    fixtures.export(again, second)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_another_seed_gives_other_people(generated: ServiceContext, other_db: Database) -> None:
    other = ServiceContext(other_db)
    fixtures.generate(other, "small", 2)
    with generated.read() as session:
        names = set(session.execute(sa.select(Resident.name)).scalars())
    with other.read() as session:
        other_names = set(session.execute(sa.select(Resident.name)).scalars())
    assert names != other_names


def test_small_scale_has_the_figures_asked_for(generated: ServiceContext) -> None:
    ctx = generated
    count = sa.select(sa.func.count())
    assert scalar(ctx, count.select_from(Resident)) == SMALL.residents
    installs = count.select_from(Resident).where(Resident.anti_fraud_installed)
    assert scalar(ctx, installs) == SMALL.installs
    visited = sa.select(sa.func.count(sa.distinct(VisitResident.resident_id)))
    assert scalar(ctx, visited) == SMALL.visited
    assert scalar(ctx, count.select_from(Dispute)) == SMALL.disputes
    resolved = count.select_from(Dispute).where(Dispute.status == DisputeStatus.RESOLVED)
    assert scalar(ctx, resolved) == SMALL.resolved
    for status in DisputeStatus:
        assert scalar(ctx, count.select_from(Dispute).where(Dispute.status == status)) > 0
    levels = {
        level: scalar(ctx, count.select_from(Grid).where(Grid.level == level))
        for level in (1, 2, 3)
    }
    assert levels == {1: SMALL.streets, 2: SMALL.rooms, 3: SMALL.level3}
    assert warnings.count(ctx) >= 0


def test_generated_people_are_valid_and_unique(generated: ServiceContext) -> None:
    with generated.read() as session:
        rows = session.execute(sa.select(Resident)).scalars().all()
    numbers = [row.id_number for row in rows]
    assert len(set(numbers)) == len(numbers) == SMALL.residents
    for row in rows:
        assert row.id_number is not None
        checked = check_id_number(row.id_number, date(2022, 5, 1))
        assert checked.warnings == () and checked.birth_date == row.birth_date
        assert checked.is_male == (row.gender.value == "male")
        if row.phone:
            assert check_mobile(row.phone) == row.phone
        assert residents.search_columns(row.name, row.phone, row.id_number)["name_pinyin"] == (
            row.name_pinyin
        )
    phones = [row.phone for row in rows if row.phone]
    assert len(set(phones)) == len(phones)
    someone = rows[123]
    assert someone.id in {r.id for r in residents.search(generated, someone.name, limit=50)}


def test_fast_check_digit_agrees_with_stdnum() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        region = rng.choice(["410400", "410403", "410482"])
        born = date(1930, 1, 1).fromordinal(date(1930, 1, 1).toordinal() + rng.randrange(33000))
        sequence = rng.randrange(1000)
        body = f"{region}{born:%Y%m%d}{sequence:03d}"
        assert check_digit(region, born, sequence) == ric.calc_check_digit(body + "0")


def test_generated_data_passes_the_loaders_checks(
    generated: ServiceContext, other_db: Database, clock: Clock, tmp_path: Path
) -> None:
    exported = tmp_path / "generated.json"
    fixtures.export(generated, exported, unmasked="核对生成数据")
    loaded = ServiceContext(other_db, clock=clock)
    result = fixtures.load(loaded, exported)
    assert result.warnings == ()
    again = tmp_path / "again.json"
    fixtures.export(loaded, again, unmasked="核对生成数据")
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_generate_refuses_a_database_with_records(
    generated: ServiceContext,
) -> None:
    before = scalar(generated, sa.select(sa.func.count()).select_from(Resident))
    with pytest.raises(FixtureError, match="already holds records"):
        fixtures.generate(generated, "small", 3)
    assert scalar(generated, sa.select(sa.func.count()).select_from(Resident)) == before


def test_unknown_scale_is_refused(db: Database) -> None:
    with pytest.raises(FixtureError, match="no scale huge"):
        fixtures.generate(ServiceContext(db), "huge", 1)

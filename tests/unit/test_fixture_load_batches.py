"""``fixtures load`` writes its rows a batch at a time as it checks them (issue 11): a file of
many batches loads to the same rows, and a problem found after batches went in keeps none."""

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
from policeroom.fixtures.writer import BATCH
from policeroom.models.people import Resident
from policeroom.services.core.context import ServiceContext
from tests.conftest import FROZEN_NOW
from tests.unit.test_fixture_export_stream import MOVE, copy_residents


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A generated small branch with its residents copied four times more (10,000, two
    batches of the loader), exported as a loadable file."""
    folder = tmp_path_factory.mktemp("source")
    path = folder / "source.db"
    shutil.copyfile(sqlite_template, path)
    source = Database.open(sqlite_url(path))
    try:
        ctx = ServiceContext(source, clock=Clock.fixed(FROZEN_NOW))
        fixtures.generate(ctx, "small", 1)
        copy_residents(source, 4)
        target = folder / "branch.json"
        fixtures.export(ctx, target, unmasked=MOVE)
    finally:
        source.dispose()
    return target


def residents_in(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(Resident)).scalar_one()
        )


def test_a_file_of_many_batches_loads_and_exports_as_the_same_file(
    exported: Path, db: Database, clock: Clock, tmp_path: Path
) -> None:
    ctx = ServiceContext(db, clock=clock)
    result = fixtures.load(ctx, exported)
    assert result.counts["residents"] == 10_000 > BATCH
    assert residents_in(db) == 10_000
    again = tmp_path / "again.json"
    fixtures.export(ctx, again, unmasked=MOVE)
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def _with(exported: Path, tmp_path: Path, section: str, record: dict[str, Any]) -> Path:
    content = json.loads(exported.read_text(encoding="utf-8"))
    content[section].append(record)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("section", "record", "said"),
    [
        (
            "residents",
            {
                "name": "末尾居民",
                "ref": "末尾",
                "gender": "male",
                "birth_date": "1980-01-01",
                "grid": "NO-SUCH-GRID",
            },
            "residents[10000] 末尾",
        ),
        ("users", {"login": "admin", "role": "admin"}, "login: user admin appears twice"),
    ],
)
def test_a_problem_found_after_batches_went_in_keeps_nothing(
    exported: Path,
    db: Database,
    clock: Clock,
    tmp_path: Path,
    section: str,
    record: dict[str, Any],
    said: str,
) -> None:
    """The last resident, or a user twice in one of the file's last sections: batches of
    residents were already written when the check finds it, and the load keeps none."""
    ctx = ServiceContext(db, clock=clock)
    broken = _with(exported, tmp_path, section, record)
    with pytest.raises(FixtureError) as refused:
        fixtures.load(ctx, broken)
    assert any(said in str(problem) for problem in refused.value.problems), refused.value
    assert residents_in(db) == 0

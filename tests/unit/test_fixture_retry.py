"""Issue 14: loading the same fixture file again (a retry after a lost answer) makes no
second visit and no second resident without an ID number; their digest is their key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.fixtures import FixtureError
from policeroom.models.people import Resident, Visit
from policeroom.services.core.context import ServiceContext
from tests.templates import load_training

GRID = "WD010201"
OFFICER = "041307"
KNOWN = "410400194305206015"  # a resident of the training set


def walk_in(ref: str, summary: str) -> dict[str, Any]:
    """A walk-in without an ID number and the visit that met them, plus a second visit to a
    resident of the training set."""
    return {
        "residents": [{"name": "王小明", "ref": ref, "grid": GRID, "address": "光明路12号"}],
        "visits": [
            {
                "visit_date": "2022-04-30",
                "staff": OFFICER,
                "residents": [ref],
                "summary": summary,
            },
            {
                "visit_date": "2022-04-29",
                "staff": OFFICER,
                "residents": [KNOWN],
                "summary": summary,
            },
        ],
    }


def write(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def count(ctx: ServiceContext, table: Any) -> int:
    with ctx.read() as session:
        return int(session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


@pytest.fixture
def trained(db: Database, clock: Clock) -> ServiceContext:
    return load_training(ServiceContext(db, clock=clock))


def test_the_same_file_loaded_twice_makes_each_record_once(
    trained: ServiceContext, tmp_path: Path
) -> None:
    before = count(trained, Resident), count(trained, Visit)
    path = write(tmp_path / "walk-ins.json", walk_in("walk-in-1", "入户走访，了解家庭情况"))
    fixtures.load(trained, path)
    after = count(trained, Resident), count(trained, Visit)
    assert after == (before[0] + 1, before[1] + 2)
    with pytest.raises(FixtureError) as caught:
        fixtures.load(trained, path)
    assert "already in the database" in str(caught.value)
    assert (count(trained, Resident), count(trained, Visit)) == after


def test_other_records_still_load_and_twins_in_one_file_both_load(
    trained: ServiceContext, tmp_path: Path
) -> None:
    before = count(trained, Visit)
    fixtures.load(trained, write(tmp_path / "a.json", walk_in("walk-in-1", "入户走访")))
    # Another walk-in and other visits: new records, not a retry.
    fixtures.load(trained, write(tmp_path / "b.json", walk_in("walk-in-2", "回访调解结果")))
    twins = walk_in("walk-in-3", "安全防范宣传")
    twins["visits"].append(dict(twins["visits"][1]))
    fixtures.load(trained, write(tmp_path / "c.json", twins))
    assert count(trained, Visit) == before + 7
    with pytest.raises(FixtureError):
        fixtures.load(trained, tmp_path / "c.json")
    assert count(trained, Visit) == before + 7

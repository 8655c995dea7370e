"""``fixtures export`` streams: residents without ID numbers keep their refs, and the memory
an export takes does not grow with the residents it writes (issue 11)."""

from __future__ import annotations

import json
import shutil
import tracemalloc
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from policeroom import fixtures
from policeroom.clock import Clock
from policeroom.db import Database, sqlite_url
from policeroom.models.people import Resident
from policeroom.services.core.context import ServiceContext
from tests.templates import load_training

MOVE = "培训库迁移"  # the reason a full, loadable copy is made
LI = "041302"  # 穆磊, a community police officer of the training set
TRAINED_NUMBER = "410400194305206015"  # a resident of the training set


def _without_number(name: str, ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "ref": ref,
        "gender": "female",
        "birth_date": "1950-03-02",
        "grid": "WD010101",
    } | extra


UNNUMBERED = {
    "residents": [
        _without_number("王秀兰", "无证-甲", tags=["elderly_alone", "disabled"]),
        _without_number("刘桂英", "无证-乙", notes="户口未迁入"),
    ],
    "visits": [
        {"ref": "走访-1", "visit_date": "2022-04-28", "staff": LI, "residents": ["无证-乙"]},
        {
            "visit_date": "2022-04-29",
            "staff": LI,
            "residents": ["无证-甲", TRAINED_NUMBER, "无证-乙"],
        },
    ],
    "disputes": [
        {
            "number": "JF-2022-0901",
            "category": "neighbours",
            "description": "王秀兰与邻居因楼道堆放杂物发生争执",
            "grid": "WD010101",
            "source": "visit",
            "reported_on": "2022-04-28",
            "visit": "走访-1",
            "parties": [
                {"resident": "无证-乙"},
                {"name": "赵某", "phone": "13937510001"},
                {"resident": "无证-甲"},
            ],
        }
    ],
}


def _residents_by_ref(exported: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["ref"]: r for r in exported["residents"] if "ref" in r}


def test_residents_without_id_numbers_keep_their_refs_wherever_they_are_named(
    db: Database, clock: Clock, sqlite_template: Path, tmp_path: Path
) -> None:
    """The refs ``R<n>`` come from a query (their place among the residents without a
    number), not from a dict of every resident: they must still name the same people in
    the residents, in visits and in dispute parties, on both databases."""
    ctx = load_training(ServiceContext(db, clock=clock))
    extra = tmp_path / "unnumbered.json"
    extra.write_text(json.dumps(UNNUMBERED, ensure_ascii=False), encoding="utf-8")
    fixtures.load(ctx, extra)
    first = tmp_path / "first.json"
    fixtures.export(ctx, first, unmasked=MOVE)
    exported = json.loads(first.read_text(encoding="utf-8"))

    by_ref = _residents_by_ref(exported)
    assert {ref: r["name"] for ref, r in by_ref.items()} == {"R1": "王秀兰", "R2": "刘桂英"}
    assert by_ref["R1"]["tags"] == ["disabled", "elderly_alone"]  # in the tags' order
    visits = exported["visits"][-2:]
    assert [v["residents"] for v in visits] == [
        ["R2"],
        [TRAINED_NUMBER, "R1", "R2"],
    ]  # by resident id
    assert visits[0]["ref"].startswith("V")
    (dispute,) = [d for d in exported["disputes"] if d["number"] == "JF-2022-0901"]
    assert [p.get("resident") for p in dispute["parties"]] == ["R2", None, "R1"]
    assert dispute["visit"] == visits[0]["ref"]

    # The export loads into an empty database and exports as the same file.
    other_path = tmp_path / "other" / "copy.db"
    other_path.parent.mkdir()
    shutil.copyfile(sqlite_template, other_path)
    other = Database.open(sqlite_url(other_path))
    try:
        copy = ServiceContext(other, clock=clock)
        fixtures.load(copy, first)
        second = tmp_path / "second.json"
        fixtures.export(copy, second, unmasked=MOVE)
    finally:
        other.dispose()
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def _export_peak(ctx: ServiceContext, path: Path) -> int:
    """The most Python memory ``export`` held at once, in bytes."""
    tracemalloc.start()
    try:
        fixtures.export(ctx, path, unmasked=MOVE)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def copy_residents(db: Database, times: int) -> None:
    """Every resident ``times`` more times, without an ID number (so each copy also needs a
    ref ``R<n>`` of its own), written straight to the table: the set-up of the data, not a
    path of the program."""
    table = Resident.__table__
    copied = [c for c in table.c if c.name not in ("id", "id_number", "id_rev")]
    with db.engine.begin() as connection:
        for _ in range(times):
            originals = sa.select(*copied).where(table.c.id_number.is_not(None))
            connection.execute(sa.insert(table).from_select([c.name for c in copied], originals))


def test_export_memory_stays_flat_as_the_residents_grow(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    """Issue 11: an export reads a batch at a time, so ten times the residents (over 4 MB
    more of JSON) take no more memory; a whole-list export (every resident's key in a dict,
    the rows fetched at once) grows by several MB. Memory, not time: the figure is exact
    enough to compare without a timing assertion."""
    ctx = ServiceContext(db, clock=clock)
    fixtures.generate(ctx, "small", 1)
    # The first export compiles and caches its statements; those are not the data's memory.
    fixtures.export(ctx, tmp_path / "warm.json", unmasked=MOVE)
    small_peak = _export_peak(ctx, tmp_path / "small.json")
    copy_residents(db, 10)
    large_peak = _export_peak(ctx, tmp_path / "large.json")

    small_size = (tmp_path / "small.json").stat().st_size
    large_size = (tmp_path / "large.json").stat().st_size
    assert large_size - small_size > 4_000_000  # the data really grew
    exported = json.loads((tmp_path / "large.json").read_text(encoding="utf-8"))
    assert exported["residents"][-1]["ref"] == "R20000"
    assert large_peak - small_peak < 1_000_000, (small_peak, large_peak)

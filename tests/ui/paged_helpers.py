"""Small pieces shared by the UI tests of paged lists: a counting source and a settle wait."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from textual.pilot import Pilot

from policeroom.ui.common.paged_table import Column, PagedTable, TableSource

SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = ["三", "小红", "建国", "秀英", "伟", "3号楼[b座]", "[bold]粗[/bold]"]


@dataclass(frozen=True)
class Person:
    number: int
    name: str
    phone: str


def person(number: int) -> Person:
    name = SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)]
    return Person(number, name, f"138{number:08d}")


PEOPLE_COLUMNS: list[Column[Person]] = [
    Column("number", "No.", lambda p: str(p.number), width=6, justify="right"),
    Column("name", "Name", lambda p: p.name, width=10, grow=1),
    Column("phone", "Phone", lambda p: p.phone, width=11, drop=1),
]


@dataclass
class CountingSource:
    """A list of ``size`` people made on demand that remembers every read it was asked for."""

    size: int
    reads: list[tuple[int, int]] = field(default_factory=list)
    counts: int = 0
    gate: threading.Event | None = None
    # Holds every count until set: the rows must come without waiting for it.
    count_gate: threading.Event | None = None

    def count(self) -> int:
        self.counts += 1
        if self.count_gate is not None:
            self.count_gate.wait(timeout=10)
        return self.size

    def window(self, offset: int, limit: int) -> list[Person]:
        if self.gate is not None:
            self.gate.wait(timeout=10)
        self.reads.append((offset, limit))
        return [person(n) for n in range(offset, min(self.size, offset + limit))]

    def source(self) -> TableSource[Person]:
        return TableSource(self.count, self.window)


async def settle(pilot: Pilot[object], table: PagedTable[object] | PagedTable[Person]) -> None:
    """Wait until the table has no read running or waiting."""
    for _ in range(500):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not table.is_loading:
            return
    raise AssertionError("the table never finished reading")

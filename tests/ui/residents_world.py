"""A small branch with named residents for the residents UI tests, and a host app for the pane."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import col, delete
from textual.app import App, ComposeResult
from textual.notifications import SeverityLevel
from textual.widgets import Footer

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.people import Resident, ResidentNameGram, ResidentTag, ResidentTagKind
from policeroom.services.core.context import ServiceContext
from policeroom.ui.common import styles
from policeroom.ui.common.terminal import hold_cursors_steady
from policeroom.ui.people import STYLESHEET as people_sheet
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.templates import templated
from tests.unit.people_world import World, build_world, make_id

# (name, birth date, ID sequence, phone, address)
PEOPLE = [
    ("张三", date(1977, 3, 2), 11, "13800138000", "光明路12号3号楼[b座]"),
    ("张小红", date(1990, 7, 15), 22, "13937511234", "光明路14号"),
    ("李四", date(1950, 1, 20), 33, "13700001111", "光明路16号"),
    ("王五", date(1985, 11, 5), 44, "13612345678", "光明路18号"),
    ("赵建国", date(1962, 5, 30), 55, "13598765432", "曹镇村三组7号"),
]


@dataclass
class ResidentsWorld:
    world: World
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def ctx(self) -> ServiceContext:
        return self.world.ctx


@templated
def build_residents_world(db: Database, clock: Clock) -> ResidentsWorld:
    world = build_world(db, clock)
    made = ResidentsWorld(world)
    for name, born, sequence, phone, address in PEOPLE:
        grid = world.group2 if "曹镇" in address else world.group
        tags = [ResidentTagKind.ELDERLY_ALONE] if born.year < 1955 else []
        made.ids[name] = world.resident(
            name,
            grid,
            id_number=make_id(born, sequence),
            phone=phone,
            address=address,
            tags=tags,
        )
    return made


def remove_resident(db: Database, resident_id: int) -> None:
    """Another desk's removal, behind the pane's back (no service removes a resident)."""
    with db.session() as session:
        for table in (ResidentTag, ResidentNameGram):
            session.exec(delete(table).where(col(table.resident_id) == resident_id))
        session.exec(delete(Resident).where(col(Resident.id) == resident_id))
        session.commit()


class PaneApp(App[None]):
    """The residents pane alone, as the main screen will hold it; ``errors`` keeps every error
    it was told to show."""

    # the real app's own styles too: without them a form's header bar takes half the screen
    CSS_PATH = [styles.APP, people_sheet]

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.errors: list[str] = []

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        if severity == "error":
            self.errors.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def compose(self) -> ComposeResult:
        yield ResidentsPane(self.ctx)
        yield Footer()

    def on_mount(self) -> None:
        hold_cursors_steady(self)  # as the desk program does in the tests' terminal
        self.query_one(ResidentsPane).focus()

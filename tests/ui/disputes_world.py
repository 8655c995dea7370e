"""The report's case for the ledger's UI tests: a divorced couple in 光明路一组, and a settle
helper that also waits for lookups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, delete
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    Dispute,
    DisputeEvent,
    DisputeParty,
    FollowUp,
    MediationSession,
)
from policeroom.models.people import Gender
from tests.templates import templated
from tests.ui.conftest import settle
from tests.unit.people_world import World, build_world, make_id


@dataclass
class CaseWorld:
    """``people_world`` plus 张某 and his ex-wife 刘某芳, both of 光明路一组."""

    world: World
    husband_id: int
    wife_id: int

    @property
    def ctx(self):  # type: ignore[no-untyped-def]
        return self.world.ctx


@templated
def build_case_world(db: Database, clock: Clock) -> CaseWorld:
    world = build_world(db, clock)
    husband = world.resident(
        "张某",
        world.group,
        gender=Gender.MALE,
        id_number=make_id(date(1988, 6, 1), 13),
        phone="13937512001",
        address="光明路12号",
    )
    wife = world.resident(
        "刘某芳",
        world.group,
        gender=Gender.FEMALE,
        id_number=make_id(date(1990, 2, 3), 24),
        phone="13937512002",
        address="光明路20号",
    )
    return CaseWorld(world, husband, wife)


async def press(pilot: Pilot[object], *keys: str) -> None:
    """Press ``keys`` one by one, letting the app settle after each.

    Characters typed into a text field are the exception: the app settles once the word is
    typed, before the next key (what a field does with each character is the same, but
    settling after every one made a long test spend most of its time waiting).
    """
    typing = False
    for key in keys:
        typed = len(key) == 1 and isinstance(pilot.app.focused, (Input, TextArea))
        if typing and not typed:
            await settle(pilot)
        await pilot.press(key)
        typing = typed
        if not typed:
            await settle(pilot)
    if typing:
        await settle(pilot)


def remove_dispute(db: Database, dispute_id: int) -> None:
    """Another desk's removal, behind the screen's back (no service removes a dispute)."""
    with db.transaction() as session:
        for table in (DisputeParty, MediationSession, FollowUp, DisputeEvent):
            session.exec(delete(table).where(col(table.dispute_id) == dispute_id))
        session.exec(delete(Dispute).where(col(Dispute.id) == dispute_id))

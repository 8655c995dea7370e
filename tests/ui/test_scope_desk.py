"""The desk as each role sees it on the training branch: the grid tree, the residents and the
ledger hold that role's police rooms only, and a desk officer reaches a walk-in from another
room through the audited lookup by full ID number (``l`` in the residents pane)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role
from policeroom.models.org import PoliceRoom
from policeroom.models.people import Resident
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.disputes import ledger
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.org import grids
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.help import HelpScreen
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.resident_lookup import ResidentLookup
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.templates import load_training
from tests.ui.conftest import settle
from tests.ui.test_palette import palette_choose

LOOKUP_TOOLTIP = "Find a resident of any police room by full ID number (audited)"


@pytest.fixture
def branch(sqlite_db: Database, clock: Clock) -> ServiceContext:
    return load_training(ServiceContext(sqlite_db, clock=clock))


def _room_id(ctx: ServiceContext, code: str) -> int:
    with ctx.db.session() as session:
        found = session.exec(select(PoliceRoom.id).where(col(PoliceRoom.code) == code)).one()
    assert found is not None
    return found


def _actor(ctx: ServiceContext, role: str) -> Actor:
    return {
        "desk": Actor("desk.r0101", Role.DESK, _room_id(ctx, "R0101")),
        "supervisor": Actor("lishaoqing", Role.SUPERVISOR, _room_id(ctx, "R0102")),
        "hq": Actor("hq.mulei", Role.HQ),
        "admin": Actor("admin", Role.ADMIN),
        "trainer": Actor("trainer", Role.TRAINER),
    }[role]


@pytest.mark.parametrize("role", ["desk", "supervisor", "hq", "admin", "trainer"])
async def test_each_role_opens_the_desk_on_its_own_rows(branch: ServiceContext, role: str) -> None:
    ctx = branch.as_actor(_actor(branch, role))
    # What the services give this role, which the panes must show and nothing more.
    streets = [node.name for node in grids.children(ctx, None)]
    everyone = residents.count(branch, ResidentQuery())
    own = residents.count(ctx, ResidentQuery())
    own_disputes = ledger.count(ctx, DisputeQuery())
    if role in ("hq", "trainer"):
        assert own == everyone
    else:
        assert own < everyone
    app = PoliceRoomApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(GridTree)
        assert [str(node.label).split(" ")[0] for node in tree.root.children] == streets
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(ResidentsPane).table.total == own
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.query_one(DisputesPane).table.total == own_disputes
    if role == "desk":
        assert len(streets) == 1 and own > 0 and own_disputes > 0
    if role == "admin":
        assert streets == [] and own == own_disputes == 0


async def test_a_desk_looks_up_a_walk_in_from_another_room(branch: ServiceContext) -> None:
    desk = branch.as_actor(_actor(branch, "desk"))
    with branch.db.session() as session:
        elsewhere = _room_id(branch, "R0201")
        walk_in = session.exec(
            select(Resident).where(col(Resident.id_number).is_not(None)).order_by(col(Resident.id))
        ).all()
        stranger = next(r for r in walk_in if grids.room_of_grid(branch, r.grid_id) == elsewhere)
    assert stranger.id_number is not None
    app = PoliceRoomApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        # the key is in the footer, on the help screen and in the palette
        shown = {
            key: active.binding.description
            for key, active in app.screen.active_bindings.items()
            if active.binding.show
        }
        assert shown.get("l") == "Look up"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert LOOKUP_TOOLTIP in {entry.tooltip for entry in app.screen.entries}
        await pilot.press("escape")
        await settle(pilot)
        await palette_choose(pilot, LOOKUP_TOOLTIP)
        assert isinstance(app.screen, ResidentLookup)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ResidentLookup)
        await pilot.press(*stranger.id_number[-6:], "enter")  # a tail is refused
        await settle(pilot)
        assert isinstance(app.screen, ResidentLookup)
        assert "18 characters" in str(app.screen.query_one("#lookup-message").render())
        await pilot.press("ctrl+a", "ctrl+k", *stranger.id_number, "ctrl+s")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ResidentCardScreen)
        assert card.card is not None and card.card.name == stranger.name
        assert "read only" in str(card.query_one("#card-notice").render())
        for action in ("edit", "visit", "reveal", "dispute"):
            assert card.check_action(action, ()) is False
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen.query_one(ResidentsPane), ResidentsPane)
    with branch.db.session() as session:
        rows = session.exec(
            select(AuditLog).where(col(AuditLog.action) == AuditAction.REVEAL)
        ).all()
    assert [(r.user_login, r.record_id, r.field) for r in rows] == [
        ("desk.r0101", stranger.id, "lookup")
    ]

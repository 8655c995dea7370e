"""Scope, enforced in the services: each role reads only its police rooms' records and has
every change outside them refused with a clear message, on SQLite and PostgreSQL.

The training branch has five stations of two or three rooms each. The desk officer is at
东环路 (R0101, station 优越路); the supervisor's room is 优越路 (R0102), so their station
holds R0101, R0102 and R0103; 建设路 (R0201) is in another station and nobody's but
headquarters' and the trainer's to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, RevealReason, Role
from policeroom.models.disputes import DisputeUpdate
from policeroom.models.org import GridUpdate, PoliceRoomCreate, StaffUpdate
from policeroom.models.people import ResidentCreate, ResidentUpdate, VisitCreate
from policeroom.models.roster import CallCreate, LeaveCreate
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound, ValidationError
from policeroom.services.core.reveal import Reason
from policeroom.services.disputes import card as dispute_card
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import follow_ups, ledger, mediation, warnings
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.duty import response, roster, shifts
from policeroom.services.duty import views as roster_views
from policeroom.services.org import grids, structure
from policeroom.services.org import staff as staff_service
from policeroom.services.org import targets as org_targets
from policeroom.services.people import residents, visits
from policeroom.services.people.residents import ResidentQuery
from policeroom.services.reports import summary
from policeroom.services.reports import targets as target_service
from tests.templates import load_training

DESK_ROOM, SUPERVISOR_ROOM, OTHER_STATION_ROOM = "R0101", "R0102", "R0201"


@dataclass(frozen=True)
class Room:
    """One police room's ids and a record of each kind in it."""

    id: int
    village: int  # its level-2 grid
    group: int  # a level-3 grid under it
    resident: int
    id_number: str
    dispute: int
    shift: int
    post: int
    staff: int
    residents: int  # how many residents its grids hold
    disputes: int


@dataclass(frozen=True)
class Branch:
    system: ServiceContext
    db: Database
    rooms: dict[str, Room]
    total_residents: int
    total_disputes: int

    def as_role(self, role: str) -> ServiceContext:
        ids = {code: room.id for code, room in self.rooms.items()}
        actor = {
            "desk": Actor("desk.r0101", Role.DESK, ids[DESK_ROOM]),
            "supervisor": Actor("lishaoqing", Role.SUPERVISOR, ids[SUPERVISOR_ROOM]),
            "hq": Actor("hq.mulei", Role.HQ),
            "admin": Actor("admin", Role.ADMIN),
            "trainer": Actor("trainer", Role.TRAINER),
        }[role]
        return self.system.as_actor(actor)


def _room(db: Database, code: str) -> Room:
    with db.engine.connect() as c:
        room_id, village, path = c.execute(
            text(
                "SELECT r.id, g.id, g.path FROM police_room r JOIN grid g "
                "ON g.police_room_id = r.id AND g.level = 2 WHERE r.code = :code"
            ),
            {"code": code},
        ).one()
        under = "SELECT id FROM grid WHERE path LIKE :path"
        group = c.execute(
            text("SELECT id FROM grid WHERE parent_id = :v ORDER BY id"), {"v": village}
        ).first()
        resident, id_number = c.execute(
            text(
                f"SELECT id, id_number FROM resident WHERE grid_id IN ({under}) "
                "AND id_number IS NOT NULL AND archived = false ORDER BY id"
            ),
            {"path": path + "%"},
        ).first()
        count = c.execute(
            text(f"SELECT count(*) FROM resident WHERE grid_id IN ({under}) AND archived = false"),
            {"path": path + "%"},
        ).scalar_one()
        dispute = c.execute(
            text(f"SELECT id FROM dispute WHERE grid_id IN ({under}) ORDER BY id"),
            {"path": path + "%"},
        ).first()
        dispute_count = c.execute(
            text(f"SELECT count(*) FROM dispute WHERE grid_id IN ({under})"),
            {"path": path + "%"},
        ).scalar_one()
        shift, post = c.execute(
            text(
                "SELECT s.id, p.id FROM shift s JOIN post p ON p.id = s.post_id "
                "WHERE p.police_room_id = :r AND s.status <> 'cancelled' ORDER BY s.id"
            ),
            {"r": room_id},
        ).first()
        staff = c.execute(
            text("SELECT id FROM staff WHERE police_room_id = :r AND active ORDER BY id"),
            {"r": room_id},
        ).first()
    assert group and dispute and staff
    return Room(
        room_id,
        village,
        group[0],
        resident,
        id_number,
        dispute[0],
        shift,
        post,
        staff[0],
        count,
        dispute_count,
    )


@pytest.fixture
def branch(db: Database, clock: Clock) -> Branch:
    system = load_training(ServiceContext(db, clock=clock))
    rooms = {code: _room(db, code) for code in (DESK_ROOM, "R0102", "R0103", OTHER_STATION_ROOM)}
    with db.engine.connect() as c:
        total = c.execute(text("SELECT count(*) FROM resident")).scalar_one()
        total_disputes = c.execute(text("SELECT count(*) FROM dispute")).scalar_one()
    return Branch(system, db, rooms, total, total_disputes)


ROLES = ("desk", "supervisor", "hq", "admin", "trainer")
VISIT = Reason(RevealReason.VISIT)
# The rooms (of the four above) whose records each role reads.
SEES = {
    "desk": {DESK_ROOM},
    "supervisor": {DESK_ROOM, "R0102", "R0103"},
    "hq": {DESK_ROOM, "R0102", "R0103", OTHER_STATION_ROOM},
    "admin": set(),
    "trainer": {DESK_ROOM, "R0102", "R0103", OTHER_STATION_ROOM},
}
# The rooms each role may change.
CHANGES = {
    "desk": {DESK_ROOM},
    "supervisor": {DESK_ROOM, "R0102", "R0103"},
    "hq": set(),
    "admin": set(),
    "trainer": SEES["trainer"],
}
# What the refusal says, in the words of the role.
REFUSAL = {
    "desk": "belongs to another police room",
    "supervisor": "another police station's room",
    "hq": "headquarters may read every police room's records but change none",
    "admin": "an administrator manages users and settings",
}


def _refused(role: str, error: pytest.ExceptionInfo[Forbidden]) -> None:
    assert REFUSAL[role] in str(error.value)


def _writes(branch: Branch, role: str, attempt: object) -> None:
    """``attempt(code)`` on the desk's room and on the other station's room: done where the
    role may change records, refused with the role's message elsewhere."""
    assert callable(attempt)
    for code in (DESK_ROOM, OTHER_STATION_ROOM):
        if code in CHANGES[role]:
            attempt(code)
        else:
            with pytest.raises(Forbidden) as refused:
                attempt(code)
            _refused(role, refused)


# --- residents, households, lookup ------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_residents_follow_the_role(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    visible = sum(branch.rooms[code].residents for code in SEES[role])
    listed = residents.count(ctx, ResidentQuery())
    if role in ("hq", "trainer"):
        assert listed == branch.total_residents
    else:
        # the four rooms here are all the desk and the supervisor reach
        assert listed == visible
    window = residents.window(ctx, ResidentQuery(), 0, 500)
    for code, room in branch.rooms.items():
        seen = code in SEES[role]
        assert (room.resident in {row.id for row in window}) == seen
        if seen:
            assert residents.card(ctx, room.resident).id == room.resident
            assert residents.find_households(ctx, room.group) == residents.find_households(
                branch.system, room.group
            )
        else:
            with pytest.raises(NotFound):
                residents.card(ctx, room.resident)
            assert residents.find_households(ctx, room.group) == []
            # the ID tail search finds nothing either
            assert residents.search(ctx, room.id_number[-6:]) == []

    def edit(code: str) -> None:
        room = branch.rooms[code]
        version = residents.card(branch.system, room.resident).version
        residents.update(ctx, room.resident, ResidentUpdate(notes="上门核实"), version)

    def new(code: str) -> None:
        residents.create(ctx, ResidentCreate(name="赵新来", grid_id=branch.rooms[code].group))

    def archive(code: str) -> None:
        room = branch.rooms[code]
        version = residents.card(branch.system, room.resident).version
        residents.archive(ctx, room.resident, version)

    _writes(branch, role, edit)
    _writes(branch, role, new)
    _writes(branch, role, archive)
    # refused writes changed nothing
    other = branch.rooms[OTHER_STATION_ROOM]
    if OTHER_STATION_ROOM not in CHANGES[role]:
        card = residents.card(branch.system, other.resident)
        assert card.version == 1 and not card.archived and card.notes != "上门核实"


@pytest.mark.parametrize("role", ROLES)
def test_a_reveal_outside_the_rooms_finds_nothing_and_is_not_audited(
    branch: Branch, role: str
) -> None:
    ctx = branch.as_role(role)
    other = branch.rooms[OTHER_STATION_ROOM]
    if OTHER_STATION_ROOM in SEES[role] and ctx.actor.can_reveal:
        assert residents.reveal(ctx, other.resident, "id_number", reason=VISIT) == other.id_number
        return
    with pytest.raises((NotFound, Forbidden)):
        residents.reveal(ctx, other.resident, "id_number", reason=VISIT)
    with branch.db.session() as session:
        assert not session.exec(
            select(AuditLog).where(col(AuditLog.action) == AuditAction.REVEAL)
        ).all()


def test_a_desk_looks_a_walk_in_up_by_full_id_number_and_it_is_audited(branch: Branch) -> None:
    desk = branch.as_role("desk")
    other = branch.rooms[OTHER_STATION_ROOM]
    card = residents.lookup_by_id_number(desk, other.id_number)
    assert (card.id, card.foreign) == (other.resident, True)
    assert card.id_number_masked.endswith(other.id_number[-4:]) and "*" in card.id_number_masked
    own = branch.rooms[DESK_ROOM]
    assert residents.lookup_by_id_number(desk, own.id_number).foreign is False
    with branch.db.session() as session:
        rows = session.exec(
            select(AuditLog)
            .where(col(AuditLog.action) == AuditAction.REVEAL)
            .order_by(col(AuditLog.id))
        ).all()
    assert [(r.user_login, r.record_id, r.field) for r in rows] == [
        ("desk.r0101", other.resident, "lookup"),
        ("desk.r0101", own.resident, "lookup"),
    ]
    # Only a full, valid number: no fishing with a tail.
    with pytest.raises(ValidationError) as partial:
        residents.lookup_by_id_number(desk, other.id_number[-6:])
    assert partial.value.for_field("id_number")
    # The looked-up resident stays outside the desk's lists and writes.
    with pytest.raises(NotFound):
        residents.card(desk, other.resident)
    with pytest.raises(Forbidden):
        residents.update(desk, other.resident, ResidentUpdate(notes="x"), card.version)


# --- visits -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_visits_follow_the_role(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    for code, room in branch.rooms.items():
        if code not in SEES[role]:
            assert visits.of_resident(ctx, room.resident) == []

    def visit(code: str) -> None:
        room = branch.rooms[code]
        visits.record(
            ctx,
            VisitCreate(
                visit_date=date(2022, 4, 30),
                staff_id=room.staff,
                resident_ids=[room.resident],
                grid_id=room.group,
                summary="入户走访",
            ),
        )

    for code in (DESK_ROOM, OTHER_STATION_ROOM):
        if code in CHANGES[role]:
            visit(code)
        else:
            # Outside the rooms the resident is not there to visit; headquarters is refused
            # before it looks.
            with pytest.raises((Forbidden, ValidationError)) as refused:
                visit(code)
            assert REFUSAL[role] in str(refused.value) or "no resident with number" in str(
                refused.value
            )


# --- the grid tree ----------------------------------------------------------------------


def _tree(ctx: ServiceContext) -> set[int]:
    seen: set[int] = set()
    waiting: list[int | None] = [None]
    while waiting:
        for node in grids.children(ctx, waiting.pop()):
            seen.add(node.id)
            waiting.append(node.id)
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_the_grid_tree_follows_the_role(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    tree = _tree(ctx)
    for code, room in branch.rooms.items():
        seen = code in SEES[role]
        assert (room.village in tree, room.group in tree) == (seen, seen)
        if not seen:
            with pytest.raises(NotFound):
                grids.card(ctx, room.group)
    if role == "desk":
        village = grids.get(ctx, branch.rooms[DESK_ROOM].village)
        # the street above shows, counting only what the desk's room holds
        street = grids.get(ctx, village.ancestor_ids[0])
        assert street.residents == village.residents == branch.rooms[DESK_ROOM].residents

    def rename(code: str) -> None:
        room = branch.rooms[code]
        node = grids.get(branch.system, room.group)
        grids.update(ctx, room.group, GridUpdate(population=node.residents + 1), node.version)

    _writes(branch, role, rename)


def test_a_desk_or_supervisor_with_no_room_reaches_nothing(branch: Branch) -> None:
    # once the old whole-branch view of a desk that named no room; now nobody's records
    for role in (Role.DESK, Role.SUPERVISOR):
        ctx = branch.system.as_actor(Actor("nobody", role))
        assert residents.count(ctx, ResidentQuery()) == 0
        assert _tree(ctx) == set()
        assert ledger.window(ctx, DisputeQuery(), 0, 10) == []
        with pytest.raises(Forbidden):
            residents.create(
                ctx, ResidentCreate(name="赵新来", grid_id=branch.rooms[DESK_ROOM].group)
            )


# --- targets, staff and the branch's structure ------------------------------------------

TARGET_FIGURES = {"visits": 90, "app_installs": 60, "disputes_resolved": 4}


@pytest.mark.parametrize("role", ROLES)
def test_targets_follow_the_role(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    for code, room in branch.rooms.items():
        if code in SEES[role]:
            assert target_service.of_grid(ctx, room.village) == target_service.of_grid(
                branch.system, room.village
            )
            assert len(org_targets.for_grid(ctx, room.village)) == len(
                org_targets.for_grid(branch.system, room.village)
            )
        else:
            with pytest.raises(NotFound):
                target_service.of_grid(ctx, room.village)
            assert org_targets.for_grid(ctx, room.village) == []
    for code in (DESK_ROOM, OTHER_STATION_ROOM):
        grid = branch.rooms[code].village
        period = (date(2031, 1, 1), date(2031, 3, 31))
        may = role in ("supervisor", "trainer") and code in CHANGES[role]
        if may:
            made = target_service.set_target(ctx, grid, *period, TARGET_FIGURES)
            target_service.update_target(ctx, made.id, made.version, *period, TARGET_FIGURES)
            continue
        with pytest.raises(Forbidden) as refused:
            target_service.set_target(ctx, grid, *period, TARGET_FIGURES)
        words = "may not set targets" if role in ("desk", "hq") else REFUSAL[role]
        assert words in str(refused.value)
    # another station's targets cannot be edited either, whoever set them
    other = branch.rooms[OTHER_STATION_ROOM].village
    made = target_service.set_target(
        branch.system, other, date(2032, 1, 1), date(2032, 3, 31), TARGET_FIGURES
    )
    if role != "trainer" and role != "hq":
        with pytest.raises(Forbidden):
            target_service.update_target(
                ctx, made.id, made.version, date(2032, 1, 1), date(2032, 3, 31), TARGET_FIGURES
            )


@pytest.mark.parametrize("role", ROLES)
def test_staff_pickers_list_only_the_roles_rooms(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    listed = {row.id for row in staff_service.list_staff(ctx, limit=500)}
    for code, room in branch.rooms.items():
        # an administrator makes the logins of every room's staff, so finds them all
        assert (room.staff in listed) == (code in SEES[role] or role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_an_administrator_or_trainer_changes_stations_rooms_and_staff(
    branch: Branch, role: str
) -> None:
    ctx = branch.as_role(role)
    station = structure.get_room(branch.system, branch.rooms[DESK_ROOM].id).station_id
    person = staff_service.get(branch.system, branch.rooms[DESK_ROOM].staff)

    def changes() -> None:
        structure.create_room(
            ctx, PoliceRoomCreate(code=f"R09{len(role)}", name="新开警务室", station_id=station)
        )
        staff_service.update(ctx, person.id, StaffUpdate(phone="13912345678"), person.version)

    if role in ("admin", "trainer"):
        changes()
        return
    with (
        pytest.raises(Forbidden, match="only an administrator")
        if role != "hq"
        else (pytest.raises(Forbidden, match="headquarters"))
    ):
        changes()
    assert staff_service.get(branch.system, person.id).phone == person.phone


# --- disputes ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_disputes_follow_the_role(branch: Branch, role: str, tmp_path: object) -> None:
    ctx = branch.as_role(role)
    listed = ledger.count(ctx, DisputeQuery())
    if role in ("hq", "trainer"):
        assert listed == branch.total_disputes
    else:
        assert listed == sum(branch.rooms[code].disputes for code in SEES[role])
    assert ledger.totals(ctx, DisputeQuery()).total == listed
    assert sum(1 for _row in ledger.ledger_rows(ctx, DisputeQuery())) == listed
    shown = {w.dispute_id for w in warnings.early_warnings(ctx) if w.dispute_id is not None}
    for code, room in branch.rooms.items():
        if code in SEES[role]:
            assert dispute_card.card(ctx, room.dispute).id == room.dispute
        else:
            with pytest.raises(NotFound):
                dispute_card.card(ctx, room.dispute)
            with pytest.raises(NotFound):
                follow_ups.of_dispute(ctx, room.dispute)
            assert room.dispute not in shown
    listed_ids = {row.id for row in ledger.window(ctx, DisputeQuery(), 0, 500)}
    due = {f.dispute_id for f in follow_ups.due(ctx, date(2030, 1, 1), limit=500)}
    everything = {f.dispute_id for f in follow_ups.due(branch.system, date(2030, 1, 1), limit=500)}
    assert due == everything & listed_ids
    assert shown <= listed_ids

    def edit(code: str) -> None:
        room = branch.rooms[code]
        version = dispute_card.card(branch.system, room.dispute).version
        disputes.update(ctx, room.dispute, DisputeUpdate(description="双方再次协商"), version)

    _writes(branch, role, edit)


def test_mediation_elsewhere_is_refused(branch: Branch) -> None:
    from policeroom.models.disputes import MediationCreate, MediationMethod, MediationResult

    desk = branch.as_role("desk")
    other = branch.rooms[OTHER_STATION_ROOM]
    with pytest.raises(Forbidden) as refused:
        mediation.record(
            desk,
            other.dispute,
            MediationCreate(
                held_on=date(2022, 4, 30),
                method=MediationMethod.NEGOTIATION,
                result=MediationResult.ADJOURNED,
                place="东环路社区警务室",
                mediators="王建国",
            ),
        )
    _refused("desk", refused)


# --- the roster -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_roster_follows_the_role(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    rooms = {row.code for row in roster_views.rooms_for(ctx)}
    assert {code for code in branch.rooms if code in rooms} == SEES[role]
    week = roster.week(ctx, None, date(2022, 5, 2))
    on_show = {shift.shift_id for row in week.rows for cell in row.cells for shift in cell.shifts}
    everyone = roster.week(branch.system, None, date(2022, 5, 2))
    if role in ("hq", "trainer"):
        assert week.rows == everyone.rows
    else:
        ids = {branch.rooms[code].id for code in SEES[role]}
        assert {row.police_room_id for row in week.rows} <= ids
        assert bool(week.rows) == bool(ids)
    for code, room in branch.rooms.items():
        if code in SEES[role]:
            assert shifts.get_shift(ctx, room.shift).id == room.shift
        else:
            with pytest.raises(NotFound):
                shifts.get_shift(ctx, room.shift)
            assert roster.week(ctx, room.id, date(2022, 5, 2)).rows == ()
            assert room.shift not in on_show
    calls = response.calls(ctx, None, date(2022, 1, 1), date(2022, 12, 31), size=200).rows
    room_of = {room.id: code for code, room in branch.rooms.items()}
    assert {room_of[c.police_room_id] for c in calls if c.police_room_id in room_of} <= SEES[role]

    def cancel(code: str) -> None:
        room = branch.rooms[code]
        shifts.cancel_shift(ctx, room.shift, shifts.get_shift(branch.system, room.shift).version)

    def leave(code: str) -> None:
        shifts.add_leave(
            ctx,
            LeaveCreate(
                staff_id=branch.rooms[code].staff,
                starts_on=date(2022, 6, 6),
                ends_on=date(2022, 6, 7),
                reason="年休",
            ),
        )

    def call(code: str) -> None:
        response.log_call(
            ctx,
            CallCreate(
                police_room_id=branch.rooms[code].id,
                called_at=datetime(2022, 5, 1, 8, 0),
                summary="群众求助",
            ),
        )

    _writes(branch, role, cancel)
    _writes(branch, role, leave)
    _writes(branch, role, call)


# --- reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_summary_counts_only_the_roles_rooms(branch: Branch, role: str) -> None:
    ctx = branch.as_role(role)
    report = summary.summary(ctx)
    if role in ("hq", "trainer"):
        assert report == summary.summary(branch.system)
        return
    assert report["residents"] == sum(branch.rooms[code].residents for code in SEES[role])
    assert report["police_rooms"] == len(SEES[role])
    assert report["disputes"]["total"] == sum(branch.rooms[code].disputes for code in SEES[role])


# --- two real processes -------------------------------------------------------------------

OTHER_DESK = """
import sys
from policeroom import i18n
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.models.people import ResidentUpdate
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery

url, room, mine, theirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
i18n.set_language("en")  # the refusal's words are checked below
database = Database.open(url)
ctx = ServiceContext(database).as_actor(Actor("desk.other", Role.DESK, room))
print("mine", residents.card(ctx, mine).name)
try:
    residents.card(ctx, theirs)
    print("read theirs")
except NotFound:
    print("theirs not found")
try:
    residents.update(ctx, theirs, ResidentUpdate(address="别的警务室改的地址"), 1)
    print("changed theirs")
except Forbidden as error:
    print("change refused:", "another police room" in str(error))
listed = residents.page_after(ctx, ResidentQuery(), None, 1000).rows
print("listed theirs" if any(r.id == theirs for r in listed) else "theirs not listed")
database.dispose()
"""


def test_a_desk_in_another_process_neither_reads_nor_changes_this_rooms_resident(
    branch: Branch,
) -> None:
    """Two desks at once, each its own process: the one of the other station's room works on
    its own resident while this room's desk edits theirs, and never sees or changes it."""
    import subprocess
    import sys

    here = branch.rooms[DESK_ROOM]
    there = branch.rooms[OTHER_STATION_ROOM]
    desk = branch.as_role("desk")
    url = branch.db.engine.url.render_as_string(hide_password=False)
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            OTHER_DESK,
            url,
            str(there.id),
            str(there.resident),
            str(here.resident),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Meanwhile this room's desk changes its own resident.
    card = residents.card(desk, here.resident)
    residents.update(desk, here.resident, ResidentUpdate(address="本室改的地址"), card.version)
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("mine ")
    assert lines[1:] == ["theirs not found", "change refused: True", "theirs not listed"]
    assert residents.card(desk, here.resident).address == "本室改的地址"

"""Every write leaves audit rows with the values before and after, personal numbers masked.

The suite runs under ``tests/audit_guard.py`` (root ``conftest``): any service transaction a
test drives that changes records without an audit row, or updates one without the values
before, fails that test. Here: the guard catches both faults (so it can fail), real service
writes pass it, and the list of write paths is enumerated from the source, so a new service
function that writes must be named here with the test that drives it under the guard.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.org import StaffUpdate
from policeroom.models.people import ResidentUpdate
from policeroom.models.roster import LeaveCreate
from policeroom.services.core import audit
from policeroom.services.core.redact import mask_value
from policeroom.services.duty import shifts
from policeroom.services.org import staff
from policeroom.services.people import residents
from tests import audit_guard
from tests.unit.people_world import World, build_world, make_id

SERVICES = Path(__file__).parents[2] / "src" / "policeroom" / "services"
TESTS = Path(__file__).parents[1]

# Every service function that opens a write transaction, and the test module that drives it
# (under the guard). Found by ``_write_paths``; a new one fails
# ``test_every_write_path_is_named_with_the_test_that_drives_it`` until it is added here.
DRIVEN_BY = {
    "core.audit.record_export": "unit/test_export_audit.py export_csv",
    "core.desk_session._record": "unit/test_desk_session.py lock",
    "core.passwords.authenticate": "unit/test_passwords.py",
    "core.passwords.disable": "unit/test_passwords.py",
    "core.passwords.set_password": "unit/test_passwords.py",
    "core.passwords.unlock": "unit/test_passwords.py",
    "core.remote.open_remote_session": "unit/test_remote_access.py",
    "core.users.create_user": "unit/test_users.py",
    "disputes.entries.register": "unit/test_dispute_register.py",
    "disputes.entries.update": "unit/test_dispute_register.py",
    "disputes.entries.add_party": "unit/test_dispute_register.py",
    "disputes.entries.set_party_role": "unit/test_dispute_parties.py",
    "disputes.entries.remove_party": "unit/test_dispute_parties.py",
    "disputes.agreement.write": "unit/test_mediation_agreement.py",
    "disputes.entries.move": "unit/test_follow_up_plan.py",
    "disputes.follow_ups.done": "unit/test_dispute_case.py",
    "disputes.follow_ups.plan": "unit/test_follow_up_plan.py",
    "disputes.mediation.record": "unit/test_follow_up_plan.py",
    "disputes.rules.set_follow_up_rule": "unit/test_dispute_register.py",
    "disputes.rules.set_deadlines": "unit/test_dispute_register.py",
    "disputes.sweeps.confirm_sweep": "unit/test_warnings.py",
    "duty.coverage.set_limits": "unit/test_coverage.py",
    "duty.patterns.create_post": "unit/test_patterns.py",
    "duty.patterns.update_post": "unit/test_patterns.py",
    "duty.patterns.create_pattern": "unit/test_patterns.py",
    "duty.patterns.update_pattern": "unit/test_roster_views.py",
    "duty.patterns.generate": "unit/test_patterns.py",
    "duty.response.ensure_default_tiers": "unit/test_response.py",
    "duty.response.save_tier": "unit/test_versions.py",
    "duty.response.log_call": "unit/test_response.py",
    "duty.response.record_arrival": "unit/test_response.py",
    "duty.shifts.create_shift": "unit/test_roster_shifts.py",
    "duty.shifts.update_shift": "unit/test_roster_shifts.py",
    "duty.shifts.cancel_shift": "unit/test_roster_shifts.py",
    "duty.shifts.add_leave": "unit/test_roster_shifts.py",
    "duty.shifts.cancel_leave": "unit/test_every_write_audited.py",
    "duty.shifts.add_stand_in": "unit/test_coverage.py",
    "duty.swaps.request_swap": "unit/test_roster_swaps.py",
    "duty.swaps.agree_swap": "unit/test_roster_swaps.py",
    "duty.swaps.decline_swap": "unit/test_roster_swaps.py",
    "duty.swaps.cancel_swap": "unit/test_roster_swaps.py",
    "org.grids.create": "unit/test_grids.py",
    "org.grids.update": "unit/test_grids.py",
    "org.grids.move": "unit/test_grids.py",
    "org.grids.assign": "unit/test_grids.py",
    "org.staff.create": "unit/test_staff.py",
    "org.staff.update": "unit/test_every_write_audited.py",
    "org.structure.create_branch": "unit/people_world.py",
    "org.structure.create_station": "unit/people_world.py",
    "org.structure.create_room": "unit/people_world.py",
    "org.structure.create_team": "unit/test_staff.py",
    "org.structure.create_key_unit": "unit/test_staff.py",
    "org.targets.create": "unit/test_grids.py",
    "people.residents.reveal_numbers": "unit/test_residents.py reveal",
    "people.residents.create": "unit/test_residents.py",
    "people.residents.lookup_by_id_number": "unit/test_scope.py",
    "people.residents.update": "unit/test_every_write_audited.py",
    "people.residents.archive": "unit/test_residents.py",
    "people.residents.mark_anti_fraud": "unit/test_residents.py",
    "people.residents.create_household": "ui/test_form_base.py",
    "people.visits.record": "unit/test_visits.py",
    "reports.targets.set_target": "unit/test_targets.py",
    "reports.targets.update_target": "unit/test_targets.py",
}


def _write_paths() -> set[str]:
    """``area.module.function`` of every module-level service function that opens a write
    transaction (``.transaction()``) in its body."""
    found: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        module = ".".join(path.relative_to(SERVICES).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and ".transaction()" in ast.unparse(node):
                found.add(f"{module}.{node.name}")
    return found


def test_every_write_path_is_named_with_the_test_that_drives_it() -> None:
    paths = _write_paths()
    assert len(paths) > 40  # the enumeration finds the services' writes at all
    assert paths == set(DRIVEN_BY), (
        "name each new service write here with the test that drives it (under the audit "
        "guard); drop the ones that are gone"
    )
    for path, driver in DRIVEN_BY.items():
        # "file" calls the function itself; "file name" calls ``name``, which writes through it
        test_file, _, name = driver.partition(" ")
        name = name or path.rsplit(".", 1)[1]
        source = (TESTS / test_file).read_text(encoding="utf-8")
        assert re.search(rf"\b{name}\(", source), f"{test_file} does not call {name}"


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


@pytest.mark.unaudited
def test_the_guard_catches_a_write_whose_audit_row_was_taken_out(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "record", lambda *args, **kwargs: None)
    with audit_guard.watch() as guard:
        staff.update(world.ctx, world.officer_id, StaffUpdate(name="王建军"), 1)
    assert guard.violations == ["services.org.staff.update: wrote ['staff'] with no audit row"]


@pytest.mark.unaudited
def test_the_guard_catches_an_update_audited_without_the_values_before(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = audit.record

    def without_before(*args: Any, **kwargs: Any) -> None:
        session, ctx, action, table, record_id, _before, after = args
        record(session, ctx, action, table, record_id, None, after, **kwargs)

    monkeypatch.setattr(audit, "record", without_before)
    with audit_guard.watch() as guard:
        residents.update(world.ctx, world.resident("张三"), ResidentUpdate(address="光明路"), 1)
    assert len(guard.violations) == 1
    assert guard.violations[0].startswith("services.people.residents.update: changed")
    assert "no audit row has the values before" in guard.violations[0]


def _rows(db: Database, table: str, record_id: int) -> list[AuditLog]:
    with db.session() as session:
        return list(
            session.exec(
                select(AuditLog)
                .where(AuditLog.table_name == table, AuditLog.record_id == record_id)
                .order_by(col(AuditLog.id))
            ).all()
        )


def test_updates_keep_before_and_after_with_personal_numbers_masked(
    world: World, db: Database
) -> None:
    number = make_id(date(1980, 3, 4), 2)
    rid = world.resident("张三", id_number=number, phone="13800138000", notes="电话13800138000")
    with audit_guard.watch() as guard:
        residents.update(
            world.ctx, rid, ResidentUpdate(phone="13900139000", address="光明路8号"), 1
        )
        changed = staff.update(
            world.ctx,
            world.officer_id,
            StaffUpdate(phone="13937511009"),
            1,
        )
    assert guard.violations == [] and guard.checked == 2
    assert changed.phone == "13937511009"
    created, updated = _rows(db, "resident", rid)
    assert created.action == AuditAction.CREATE
    made = json.loads(created.after)
    assert made["id_number"] == number[:6] + "********" + number[-4:]
    assert made["phone"] == "138****8000"
    assert made["birth_date"] == "****-**-**"  # the ID number's own digits
    assert made["notes"] == "电话*******8000"
    assert updated.action == AuditAction.UPDATE
    assert json.loads(updated.before) == {"phone": "138****8000", "address": ""}
    assert json.loads(updated.after) == {"phone": "139****9000", "address": "光明路8号"}
    staff_change = _rows(db, "staff", world.officer_id)[-1]
    assert json.loads(staff_change.before) == {"phone": "139****1001"}
    assert json.loads(staff_change.after) == {"phone": "139****1009"}
    for row in (created, updated, staff_change):
        for raw in (number, "13800138000", "13900139000", "13937511009", "1980-03-04"):
            assert raw not in row.before + row.after


def test_a_leave_withdrawn_keeps_what_it_was(world: World, db: Database) -> None:
    made = shifts.add_leave(
        world.ctx,
        LeaveCreate(
            staff_id=world.officer_id,
            starts_on=date(2022, 5, 3),
            ends_on=date(2022, 5, 4),
            reason="病假",
        ),
    ).leave
    with audit_guard.watch() as guard:
        shifts.cancel_leave(world.ctx, made.id, made.version)
    assert guard.violations == [] and guard.checked == 1
    withdrawn = _rows(db, "leave", made.id)[-1]
    assert withdrawn.action == AuditAction.DELETE
    assert json.loads(withdrawn.before)["reason"] == "病假"


def test_mask_value_reaches_nested_parties() -> None:
    parties = [{"name": "李四", "phone": "13800138000", "id_number": "410402198003040029"}]
    assert mask_value("parties", parties) == [
        {"name": "李四", "phone": "138****8000", "id_number": "410402********0029"}
    ]
    assert mask_value("records", 12) == 12 and mask_value("phone", "") == ""

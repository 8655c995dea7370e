"""Registering disputes: every wrong field at once, numbers per year under concurrency,
edits, added parties, and the configurable rules."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeParty,
    DisputeStatus,
    DisputeUpdate,
    MediationCreate,
    MediationMethod,
    MediationResult,
    PartyInput,
    PartyRole,
    RiskGrade,
    RiskReason,
    StatusMove,
)
from policeroom.services.core import fields
from policeroom.services.core.context import Actor
from policeroom.services.core.errors import Forbidden, StaleRecord, ValidationError
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger, mediation
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes.rules import Deadlines, DeadlineState, Limits
from tests.unit.dispute_world import DisputeWorld, build_dispute_world


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


def test_the_schema_names_every_field_typed_wrong_before_the_service_is_called() -> None:
    with pytest.raises(ValidationError) as caught:
        fields.parse(
            DisputeCreate,
            {
                "description": " ",
                "parties": [{"resident_id": 999}, {"name": " ", "phone": "12345"}],
                "risk_reasons": ["not a reason"],
            },
        )
    assert {error.field: error.message for error in caught.value.errors} == {
        "description": "required",
        "parties[1].name": "required",
        "parties[1].phone": "not a valid phone number",
        "risk_reasons[0]": "not one of the choices",
    }


def test_every_wrong_field_is_named_and_nothing_is_written(world: DisputeWorld) -> None:
    before = world.row_counts()
    with pytest.raises(ValidationError) as caught:
        disputes.register(
            world.ctx,
            DisputeCreate(
                description="邻里纠纷",
                reported_on=date(2022, 5, 2),
                risk=RiskGrade.HIGH,
                parties=[
                    PartyInput(resident_id=999),
                    PartyInput(name="李某", phone="0375-2961234"),
                    PartyInput(name="外地人", id_number="41040219900101001"),
                    PartyInput(resident_id=world.zhang),
                    PartyInput(resident_id=world.zhang),
                ],
                assignee_id=999,
            ),
        )
    wrong = {error.field for error in caught.value.errors}
    assert wrong == {
        "category",
        "grid_id",
        "source",
        "reported_on",
        "risk_reasons",
        "assignee_id",
        "parties[0].resident_id",
        "parties[2].id_number",
        "parties[4]",
    }
    assert "张某 is already party no. 4" in str(caught.value)
    with pytest.raises(ValidationError, match="parties: name at least one party"):
        disputes.check(world.ctx, DisputeCreate(description="邻里纠纷"))
    assert world.row_counts() == before


def test_numbers_run_per_year_of_the_report(world: DisputeWorld) -> None:
    first = world.register(reported_on=date(2021, 12, 30))
    second = world.register()
    third = world.register(reported_on=date(2021, 12, 31))
    assert [first.number, second.number, third.number] == [
        "JF-2021-0001",
        "JF-2022-0001",
        "JF-2021-0002",
    ]


# The test writes its own rows straight through a transaction (no service).
@pytest.mark.unaudited
def test_numbers_skip_those_already_in_the_table(world: DisputeWorld) -> None:
    saved = world.register()
    # As a fixture load would: a number written without the counter.
    with world.ctx.transaction() as session:
        from policeroom.models.disputes import Dispute

        row = session.get(Dispute, saved.id)
        assert row is not None
        row.number = "JF-2022-0041"
        session.add(row)
    assert world.register().number == "JF-2022-0042"


def test_concurrent_registrations_get_different_numbers(world: DisputeWorld) -> None:
    errors: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def desk() -> None:
        try:
            start.wait()
            for _ in range(3):
                number = world.register().number
                with lock:
                    numbers.append(number)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=desk) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"JF-2022-{n:04d}" for n in range(1, 13)]


def test_parties_copy_the_residents_keys(world: DisputeWorld) -> None:
    saved = world.register(
        parties=[
            PartyInput(resident_id=world.zhang, role=PartyRole.RESPONDENT),
            PartyInput(name="欧阳明"),
        ]
    )
    with world.ctx.read() as session:
        parties = session.exec(
            select(DisputeParty).where(DisputeParty.dispute_id == saved.id)
        ).all()
    assert [(p.name, p.name_pinyin, p.name_initials) for p in parties] == [
        ("张某", "zhangmou", "zm"),
        ("欧阳明", "ouyangming", "oym"),
    ]
    assert parties[0].phone == "13937512001" and len(parties[0].id_number) == 18
    after = disputes.add_party(
        world.ctx,
        saved.id,
        PartyInput(resident_id=world.liu, role=PartyRole.APPLICANT),
        saved.version,
    )
    assert ledger.card(world.ctx, saved.id).parties_text == "张某、欧阳明、刘某"
    with pytest.raises(ValidationError, match="already party no. 3"):
        disputes.add_party(world.ctx, saved.id, PartyInput(resident_id=world.liu), after.version)


def test_update_regrades_and_moves_the_deadline(world: DisputeWorld) -> None:
    saved = world.register()
    assert ledger.card(world.ctx, saved.id).due_on == date(2022, 5, 4)
    with pytest.raises(ValidationError, match="say why the risk is High"):
        disputes.update(world.ctx, saved.id, DisputeUpdate(risk=RiskGrade.HIGH), saved.version)
    updated = disputes.update(
        world.ctx,
        saved.id,
        DisputeUpdate(
            risk=RiskGrade.HIGH,
            risk_reasons=[RiskReason.THREAT_OF_VIOLENCE],
            leader_id=world.leader_id,
        ),
        saved.version,
    )
    card = ledger.card(world.ctx, saved.id)
    assert (card.risk, card.risk_reasons, card.due_on, card.leader_name) == (
        RiskGrade.HIGH,
        (RiskReason.THREAT_OF_VIOLENCE,),
        date(2022, 5, 2),
        "李少卿",
    )
    assert card.deadline_state is DeadlineState.DUE_SOON
    with pytest.raises(StaleRecord):
        disputes.update(world.ctx, saved.id, DisputeUpdate(description="x"), saved.version)
    with pytest.raises(StaleRecord):
        disputes.move(
            world.ctx,
            saved.id,
            StatusMove(to_status=DisputeStatus.INVESTIGATING, reason="核实"),
            saved.version,
        )
    assert ledger.card(world.ctx, saved.id).version == updated.version
    reader = world.ctx.as_actor(Actor("hq1", Role.HQ))
    with pytest.raises(Forbidden):
        disputes.update(reader, saved.id, DisputeUpdate(description="x"), updated.version)


def test_follow_up_rule_and_deadlines_are_settings(world: DisputeWorld) -> None:
    read = dispute_rules.current(world.ctx)
    read = dispute_rules.set_follow_up_rule(
        world.ctx, DisputeCategory.MARRIAGE_FAMILY, [{"days": 3}, {"months": 1}], read.versions
    )
    rules = dispute_rules.set_deadlines(
        world.ctx,
        Deadlines(registered=5, investigating=10),
        Limits(open_too_long=60),
        read.versions,
    )
    assert rules.deadlines.registered == 5 and rules.limits.open_too_long == 60
    with pytest.raises(ValidationError, match="offsets"):
        dispute_rules.set_follow_up_rule(world.ctx, None, [{"years": 1}], rules.versions)
    family = world.register(category=DisputeCategory.MARRIAGE_FAMILY)
    assert ledger.card(world.ctx, family.id).due_on == date(2022, 5, 6)
    mediation.record(
        world.ctx,
        family.id,
        MediationCreate(
            held_on=date(2022, 5, 1),
            place="警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="李少卿",
            result=MediationResult.AGREEMENT,
            agreement="按月支付",
        ),
    )
    disputes.move(
        world.ctx,
        family.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="协议"),
        ledger.card(world.ctx, family.id).version,
    )
    due = [f.due_on for f in ledger.card(world.ctx, family.id).follow_ups]
    assert due == [date(2022, 5, 4), date(2022, 6, 1)]
    # Other categories keep the default 7 and 30 days.
    assert dispute_rules.current(world.ctx).follow_up_dates(
        DisputeCategory.DEBT, date(2022, 5, 1)
    ) == [date(2022, 5, 8), date(2022, 5, 31)]

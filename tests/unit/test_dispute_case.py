"""The report's case end to end: a divorced couple's child-support dispute found on a
community visit, graded, mediated in the police room on 1 May, resolved, followed up."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeSource,
    DisputeStatus,
    FollowUpDone,
    FollowUpOutcome,
    MediationCreate,
    MediationMethod,
    MediationResult,
    PartyInput,
    PartyRole,
    RiskGrade,
    RiskReason,
    StatusMove,
)
from policeroom.models.people import VisitCreate, VisitPurpose
from policeroom.services.core import fields
from policeroom.services.core.errors import TransitionError, ValidationError
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import follow_ups, ledger, mediation, warnings
from policeroom.services.disputes.ledger import DisputeQuery, HistoryKind
from policeroom.services.disputes.rules import DeadlineState
from policeroom.services.disputes.warnings import WarningKind
from policeroom.services.people import visits
from tests.unit.dispute_world import DisputeWorld, build_dispute_world


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


def _warning_kinds(world: DisputeWorld, dispute_id: int, clock: Clock | None = None) -> set[str]:
    ctx = world.with_clock(clock) if clock else world.ctx
    return {w.kind for w in warnings.early_warnings(ctx) if w.dispute_id == dispute_id}


def test_child_support_dispute_from_visit_to_follow_up(world: DisputeWorld) -> None:
    base = world.base
    visit = visits.record(
        world.ctx,
        VisitCreate(
            visit_date=date(2022, 4, 28),
            staff_id=base.officer_id,
            resident_ids=[world.zhang, world.liu],
            purpose=VisitPurpose.DISPUTE,
            summary="社区走访时发现张某与前妻刘某因孩子抚养费争执",
        ),
    )
    saved = disputes.register(
        world.ctx,
        DisputeCreate(
            category=DisputeCategory.MARRIAGE_FAMILY,
            description="张某与前妻刘某离婚后因孩子抚养费支付问题多次争吵",
            reported_on=date(2022, 4, 28),
            risk=RiskGrade.HIGH,
            risk_reasons=[RiskReason.VULNERABLE_PARTY],
            parties=[
                PartyInput(resident_id=world.zhang, role=PartyRole.RESPONDENT),
                PartyInput(resident_id=world.liu, role=PartyRole.APPLICANT),
                PartyInput(resident_id=world.child, role=PartyRole.CHILD),
            ],
            assignee_id=base.officer_id,
            leader_id=world.leader_id,
            visit_id=visit.id,
        ),
    )
    assert saved.number == "JF-2022-0001"
    card = ledger.card(world.ctx, saved.id)
    # Found on a visit: the source and the grid come from it.
    assert (card.source, card.grid_id, card.visit_date) == (
        DisputeSource.VISIT,
        base.group.id,
        date(2022, 4, 28),
    )
    assert card.parties_text == "张某、刘某、张小明"
    assert card.parties[0].phone_masked == "139****2001"
    assert (card.assignee_name, card.leader_name) == ("王建国", "李少卿")
    # High risk, registered on 04-28, due the next day: overdue and warned on 05-01.
    assert (card.due_on, card.deadline_state) == (date(2022, 4, 29), DeadlineState.OVERDUE)
    assert WarningKind.HIGH_RISK_NOT_MEDIATING in _warning_kinds(world, saved.id)

    version = disputes.move(
        world.ctx,
        saved.id,
        StatusMove(
            to_status=DisputeStatus.INVESTIGATING, reason="分别约谈双方", on=date(2022, 4, 29)
        ),
        saved.version,
    ).version
    session = mediation.record(
        world.ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 5, 1),
            place="光明路社区警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="李少卿",
            parties_present="张某、刘某",
            result=MediationResult.AGREEMENT,
            agreement="张某每月5日前支付抚养费800元，刘某保障张某每周探视一次",
        ),
    )
    card = ledger.card(world.ctx, saved.id)
    assert card.status is DisputeStatus.MEDIATING
    assert card.version == version + 1
    assert card.sessions[0].id == session.id
    assert WarningKind.HIGH_RISK_NOT_MEDIATING not in _warning_kinds(world, saved.id)

    resolved = disputes.move(
        world.ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="双方达成调解协议并签字"),
        card.version,
    )
    card = ledger.card(world.ctx, saved.id)
    assert card.resolved_on == date(2022, 5, 1)
    assert [f.due_on for f in card.follow_ups] == [date(2022, 5, 8), date(2022, 5, 31)]
    assert (card.due_on, card.deadline_state) == (date(2022, 5, 8), DeadlineState.ON_TIME)
    assert card.next_action == "Follow-up by 2022-05-08"

    later = Clock.fixed(datetime(2022, 5, 10, 9, 0))
    late = world.with_clock(later)
    overdue = [w for w in warnings.early_warnings(late) if w.kind is WarningKind.FOLLOW_UP_OVERDUE]
    assert [(w.dispute_id, w.on) for w in overdue] == [(saved.id, date(2022, 5, 8))]
    assert "2 days overdue" in overdue[0].message
    row = ledger.window(late, DisputeQuery(needs_action=True), 0, 10)[0]
    assert (row.id, row.deadline_state) == (saved.id, DeadlineState.OVERDUE)

    result = follow_ups.done(
        late,
        card.follow_ups[0].id,
        FollowUpDone(outcome=FollowUpOutcome.STABLE, satisfaction=5, notes="按时支付，双方满意"),
    )
    assert not result.reopened and result.dispute_version == resolved.version + 1
    assert _warning_kinds(world, saved.id, later) == set()
    assert warnings.count(late) == len(warnings.early_warnings(late))
    card = ledger.card(late, saved.id)
    assert (card.due_on, card.deadline_state) == (date(2022, 5, 31), DeadlineState.ON_TIME)
    assert [f.state for f in card.follow_ups] == [DeadlineState.CLOSED, DeadlineState.ON_TIME]
    assert [(h.on, h.kind) for h in card.history] == [
        (date(2022, 4, 28), HistoryKind.STATUS),
        (date(2022, 4, 29), HistoryKind.STATUS),
        (date(2022, 5, 1), HistoryKind.MEDIATION),
        (date(2022, 5, 1), HistoryKind.STATUS),
        (date(2022, 5, 1), HistoryKind.STATUS),
        (date(2022, 5, 10), HistoryKind.FOLLOW_UP),
    ]
    assert [e.to_status for e in card.events] == [
        DisputeStatus.REGISTERED,
        DisputeStatus.INVESTIGATING,
        DisputeStatus.MEDIATING,
        DisputeStatus.RESOLVED,
    ]
    assert card.events[-1].reason == "双方达成调解协议并签字"
    with world.ctx.read() as db_session:
        actions = db_session.exec(
            select(AuditLog.table_name, AuditLog.action).order_by(col(AuditLog.id))
        ).all()
    dispute_actions = [action for table, action in actions if table == "dispute"]
    assert dispute_actions == [
        AuditAction.CREATE,
        AuditAction.STATUS,
        AuditAction.STATUS,
        AuditAction.STATUS,
        AuditAction.UPDATE,
    ]
    assert ("mediation_session", AuditAction.CREATE) in actions
    assert actions.count(("follow_up", AuditAction.CREATE)) == 2


def _refused(world: DisputeWorld, error: type[Exception], match: str, call: object) -> None:
    before = world.row_counts()
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]
    assert world.row_counts() == before


def test_forbidden_moves_are_refused_and_change_nothing(world: DisputeWorld) -> None:
    saved = world.register(reported_on=date(2022, 4, 25))
    ctx = world.ctx

    def move(to: DisputeStatus, reason: str = "理由", **extra: object) -> object:
        # Built as a form's typing is, so that the schema's findings arrive as field errors.
        version = ledger.card(ctx, saved.id).version
        values = {"to_status": to, "reason": reason, **extra}
        return lambda: disputes.move(ctx, saved.id, fields.parse(StatusMove, values), version)

    _refused(
        world,
        TransitionError,
        "cannot move from Registered to Resolved",
        move(DisputeStatus.RESOLVED),
    )
    move(DisputeStatus.MEDIATING)()
    # Mediating with no session that reached agreement, and no referral.
    _refused(
        world, TransitionError, "record the mediation session first", move(DisputeStatus.RESOLVED)
    )
    mediation.record(
        ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 4, 30),
            place="现场",
            method=MediationMethod.ON_SITE,
            mediators="王建国",
            result=MediationResult.NO_AGREEMENT,
        ),
    )
    _refused(
        world, TransitionError, "record the mediation session first", move(DisputeStatus.RESOLVED)
    )
    _refused(world, ValidationError, "reason: required", move(DisputeStatus.REFERRED, ""))
    _refused(
        world, ValidationError, "say where the dispute is referred to", move(DisputeStatus.REFERRED)
    )
    _refused(
        world,
        ValidationError,
        "in the future",
        move(DisputeStatus.CLOSED_UNRESOLVED, on=date(2022, 5, 2)),
    )
    _refused(
        world,
        ValidationError,
        "before the dispute was reported",
        move(DisputeStatus.CLOSED_UNRESOLVED, on=date(2022, 4, 1)),
    )

    def session_on(day: date) -> object:
        data = MediationCreate(
            held_on=day,
            place="警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="李少卿",
            result=MediationResult.AGREEMENT,
            agreement="赔偿500元",
        )
        return lambda: mediation.record(ctx, saved.id, data)

    _refused(
        world, ValidationError, "before the dispute was reported", session_on(date(2022, 4, 24))
    )
    _refused(world, ValidationError, "in the future", session_on(date(2022, 5, 2)))
    with pytest.raises(ValidationError) as caught:
        fields.parse(MediationCreate, {"result": MediationResult.PARTIAL, "place": " "})
    assert {e.field for e in caught.value.errors} == {"place", "mediators"}
    with pytest.raises(ValidationError) as caught:
        mediation.record(
            ctx,
            saved.id,
            MediationCreate(result=MediationResult.PARTIAL, place="警务室", mediators="王建国"),
        )
    assert {e.field for e in caught.value.errors} == {"held_on", "method", "agreement"}
    session_on(date(2022, 5, 1))()  # type: ignore[operator]
    _refused(
        world,
        ValidationError,
        "before the agreement was reached",
        move(DisputeStatus.RESOLVED, on=date(2022, 4, 30)),
    )
    move(DisputeStatus.RESOLVED, on=date(2022, 5, 1))()
    first = ledger.card(ctx, saved.id).follow_ups[0]

    def follow_up(**fields: object) -> object:
        data = FollowUpDone(**fields)  # type: ignore[arg-type]
        return lambda: follow_ups.done(ctx, first.id, data)

    _refused(
        world,
        ValidationError,
        "before the dispute was resolved",
        follow_up(done_on=date(2022, 4, 30), outcome=FollowUpOutcome.STABLE, satisfaction=4),
    )
    with pytest.raises(ValidationError, match="satisfaction: satisfaction is from 1 to 5"):
        fields.parse(FollowUpDone, {"satisfaction": 7})
    with pytest.raises(ValidationError) as caught:
        follow_ups.done(ctx, first.id, FollowUpDone())
    assert {e.field for e in caught.value.errors} == {"outcome", "satisfaction"}
    _refused(
        world,
        ValidationError,
        "say how the dispute has flared up",
        follow_up(outcome=FollowUpOutcome.RECURRING, satisfaction=2),
    )
    _refused(
        world,
        TransitionError,
        "reopen it before recording a mediation",
        session_on(date(2022, 5, 1)),
    )
    assert ledger.card(ctx, saved.id).status is DisputeStatus.RESOLVED


def test_recurring_follow_up_reopens_and_referral_resolves(world: DisputeWorld) -> None:
    ctx = world.ctx
    saved = world.register(reported_on=date(2022, 4, 1))
    mediation.record(
        ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 4, 2),
            place="村委会",
            method=MediationMethod.JOINT_VILLAGE,
            mediators="李秀兰",
            result=MediationResult.AGREEMENT,
            agreement="共同清理排水沟",
        ),
    )
    version = ledger.card(ctx, saved.id).version
    disputes.move(
        ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="协议履行", on=date(2022, 4, 3)),
        version,
    )
    card = ledger.card(ctx, saved.id)
    result = follow_ups.done(
        ctx,
        card.follow_ups[0].id,
        FollowUpDone(outcome=FollowUpOutcome.RECURRING, satisfaction=2, notes="又因排水再次争吵"),
    )
    assert result.reopened
    card = ledger.card(ctx, saved.id)
    assert (card.status, card.resolved_on) == (DisputeStatus.INVESTIGATING, None)
    # The 30-day follow-up not yet done went with the resolution it followed.
    assert [f.outcome for f in card.follow_ups] == [FollowUpOutcome.RECURRING]
    assert "recurring" in card.events[-1].reason and "又因排水" in card.events[-1].reason
    with pytest.raises(TransitionError, match="already done"):
        follow_ups.done(ctx, card.follow_ups[0].id, FollowUpDone())

    referred = disputes.move(
        ctx,
        saved.id,
        StatusMove(
            to_status=DisputeStatus.REFERRED,
            reason="涉及宅基地确权，移交法院",
            referred_to="court",  # type: ignore[arg-type]
        ),
        card.version,
    )
    assert ledger.card(ctx, saved.id).referred_to == "court"
    done = disputes.move(
        ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="法院判决已执行"),
        referred.version,
    )
    assert done.status is DisputeStatus.RESOLVED
    assert len(ledger.card(ctx, saved.id).follow_ups) == 3

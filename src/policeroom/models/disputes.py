"""The contradiction-and-dispute ledger (矛盾纠纷排查化解台账)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import (
    Code,
    Count,
    LocalDateTime,
    Login,
    PersonName,
    Phone,
    Required,
    Rules,
    Text50,
    Text100,
    Text200,
    Text500,
    Text1000,
    Text2000,
    Text4000,
    Tracked,
    enum_type,
    ranged,
)


class DisputeCategory(StrEnum):
    MARRIAGE_FAMILY = "marriage_family"
    NEIGHBOURS = "neighbours"
    LAND_PROPERTY = "land_property"
    DEBT = "debt"
    WAGES = "wages"
    CONSUMER = "consumer"
    TRAFFIC = "traffic"
    OTHER = "other"


register(
    DisputeCategory,
    {
        DisputeCategory.MARRIAGE_FAMILY: N_("Marriage and family"),
        DisputeCategory.NEIGHBOURS: N_("Neighbours"),
        DisputeCategory.LAND_PROPERTY: N_("Land and property"),
        DisputeCategory.DEBT: N_("Debt"),
        DisputeCategory.WAGES: N_("Wages"),
        DisputeCategory.CONSUMER: N_("Consumer"),
        DisputeCategory.TRAFFIC: N_("Traffic"),
        DisputeCategory.OTHER: N_("Other"),
    },
)


class DisputeSource(StrEnum):
    VISIT = "visit"
    WALK_IN = "walk_in"
    REFERRAL_110 = "referral_110"
    GRID_WORKER = "grid_worker"
    OTHER_AGENCY = "other_agency"


register(
    DisputeSource,
    {
        DisputeSource.VISIT: N_("Visit"),
        DisputeSource.WALK_IN: N_("Walk-in"),
        DisputeSource.REFERRAL_110: N_("110 referral"),
        DisputeSource.GRID_WORKER: N_("Grid worker"),
        DisputeSource.OTHER_AGENCY: N_("Other agency"),
    },
)


class RiskGrade(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


register(
    RiskGrade,
    {RiskGrade.LOW: N_("Low"), RiskGrade.MEDIUM: N_("Medium"), RiskGrade.HIGH: N_("High")},
    # the narrow ledger list
    short={RiskGrade.MEDIUM: N_("Med")},
)


class DisputeStatus(StrEnum):
    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    MEDIATING = "mediating"
    RESOLVED = "resolved"
    REFERRED = "referred"
    CLOSED_UNRESOLVED = "closed_unresolved"


register(
    DisputeStatus,
    {
        DisputeStatus.REGISTERED: N_("Registered"),
        DisputeStatus.INVESTIGATING: N_("Investigating"),
        DisputeStatus.MEDIATING: N_("Mediating"),
        DisputeStatus.RESOLVED: N_("Resolved"),
        DisputeStatus.REFERRED: N_("Referred"),
        DisputeStatus.CLOSED_UNRESOLVED: N_("Closed unresolved"),
    },
    # no short forms: the list, the card and the reports name a status the same way
)


OPEN_STATUSES = frozenset(
    {DisputeStatus.REGISTERED, DisputeStatus.INVESTIGATING, DisputeStatus.MEDIATING}
)


class MediationMethod(StrEnum):
    NEGOTIATION = "negotiation"
    ON_SITE = "on_site"
    JOINT_VILLAGE = "joint_village"
    PEOPLES_MEDIATION = "peoples_mediation"
    CIVIL_AFFAIRS = "civil_affairs"


register(
    MediationMethod,
    {
        MediationMethod.NEGOTIATION: N_("Negotiation in the police room"),
        MediationMethod.ON_SITE: N_("On site"),
        MediationMethod.JOINT_VILLAGE: N_("Joint with the village committee"),
        MediationMethod.PEOPLES_MEDIATION: N_("People's mediation"),
        MediationMethod.CIVIL_AFFAIRS: N_("Civil-affairs assistance"),
    },
)


class MediationResult(StrEnum):
    AGREEMENT = "agreement"
    PARTIAL = "partial"
    NO_AGREEMENT = "no_agreement"
    ADJOURNED = "adjourned"


register(
    MediationResult,
    {
        MediationResult.AGREEMENT: N_("Agreement"),
        MediationResult.PARTIAL: N_("Partial agreement"),
        MediationResult.NO_AGREEMENT: N_("No agreement"),
        MediationResult.ADJOURNED: N_("Adjourned"),
    },
)


class ReferralTarget(StrEnum):
    COURT = "court"
    PEOPLES_MEDIATION = "peoples_mediation"
    CIVIL_AFFAIRS = "civil_affairs"
    OTHER_AGENCY = "other_agency"


register(
    ReferralTarget,
    {
        ReferralTarget.COURT: N_("Court"),
        ReferralTarget.PEOPLES_MEDIATION: N_("People's mediation committee"),
        ReferralTarget.CIVIL_AFFAIRS: N_("Civil affairs"),
        ReferralTarget.OTHER_AGENCY: N_("Other agency"),
    },
)


class FollowUpOutcome(StrEnum):
    STABLE = "stable"
    RECURRING = "recurring"


register(
    FollowUpOutcome,
    {FollowUpOutcome.STABLE: N_("Stable"), FollowUpOutcome.RECURRING: N_("Recurring")},
)


Description = Annotated[Text4000, Required]
Satisfaction = Annotated[int, ranged(1, 5, N_("satisfaction is from 1 to 5"))]
Reason = Annotated[Text1000, Required]
"""Why a dispute moves: every move of the status machine says why."""

# Each table's fields that people type sit on a ``…Base`` that the table and its input schema
# share, so a rule is written once; the services check what needs the database or today.


class DisputeBase(Rules):
    description: Description
    risk: RiskGrade = Field(default=RiskGrade.LOW, sa_type=enum_type(RiskGrade), index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    leader_id: int | None = Field(default=None, foreign_key="staff.id", description="包案领导")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")


class Dispute(DisputeBase, Tracked, table=True):
    """A contradiction-and-dispute ledger entry (矛盾纠纷)."""

    __table_args__ = (
        # The ledger lists newest first: the whole ledger, a grid's, a status's.
        Index("ix_dispute_reported", "reported_on", "id"),
        Index("ix_dispute_grid_reported", "grid_id", "reported_on", "id"),
        Index("ix_dispute_status_reported", "status", "reported_on", "id"),
        # Statistics count a grid's disputes by status and dates from the index alone.
        Index("ix_dispute_grid_stats", "grid_id", "status", "reported_on", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: Code = Field(unique=True)
    category: DisputeCategory = Field(sa_type=enum_type(DisputeCategory))
    grid_id: int = Field(foreign_key="grid.id")
    source: DisputeSource = Field(sa_type=enum_type(DisputeSource))
    reported_on: date
    risk_reasons: Text500 = Field(default="", description="comma-separated")
    status: DisputeStatus = Field(
        default=DisputeStatus.REGISTERED, sa_type=enum_type(DisputeStatus)
    )
    status_since: date | None = Field(default=None)
    due_on: date | None = Field(default=None, description="deadline of the current status")
    resolved_on: date | None = Field(default=None)
    referred_to: ReferralTarget | None = Field(default=None, sa_type=enum_type(ReferralTarget))
    closed_on: date | None = Field(default=None)


class PartyRole(StrEnum):
    """What a party is in the dispute, as a people's mediation agreement names them."""

    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    THIRD_PARTY = "third_party"
    CHILD = "child"
    """A child whose support or custody the dispute is about: named, not a signatory."""


register(
    PartyRole,
    {
        PartyRole.APPLICANT: N_("Applicant"),
        PartyRole.RESPONDENT: N_("Respondent"),
        PartyRole.THIRD_PARTY: N_("Third party"),
        PartyRole.CHILD: N_("Child concerned"),
    },
)

PARTY_ROLE_NAMES = {
    "申请人": PartyRole.APPLICANT,
    "被申请人": PartyRole.RESPONDENT,
    "第三人": PartyRole.THIRD_PARTY,
    "子女": PartyRole.CHILD,
    "被抚养人": PartyRole.CHILD,
}
"""The Chinese names a hand-written fixture or an older database may carry."""


def default_role(index: int) -> PartyRole:
    """A party registered without a role: the first (who brought the dispute) applies, the
    others respond; the card's parties screen changes them."""
    return PartyRole.APPLICANT if index == 0 else PartyRole.RESPONDENT


class PartyBase(Rules):
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    phone: Phone = ""


class DisputeParty(PartyBase, table=True):
    """A party to a dispute: a resident, or someone from outside the jurisdiction."""

    __tablename__ = "dispute_party"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    name: PersonName
    # Indexed for the early warning on the same person in another dispute.
    id_number: str = Field(default="", max_length=18, index=True)
    name_pinyin: str = Field(default="", max_length=200, index=True)
    name_initials: str = Field(default="", max_length=50, index=True)
    role: PartyRole = Field(default=PartyRole.APPLICANT, sa_type=enum_type(PartyRole))


class MediationBase(Rules):
    place: Annotated[Text100, Required]
    mediators: Annotated[Text200, Required]
    parties_present: Text200 = ""
    agreement: Text4000 = ""


class MediationSession(MediationBase, table=True):
    """One mediation (调解) of a dispute."""

    __tablename__ = "mediation_session"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    held_on: date
    method: MediationMethod = Field(sa_type=enum_type(MediationMethod))
    result: MediationResult = Field(sa_type=enum_type(MediationResult))
    created_at: datetime | None = Field(sa_type=LocalDateTime, default=None)
    # The agreement document (人民调解协议书) last written from this session: its file name
    # and when, so the ledger entry points at the paper the parties signed.
    document_name: str = Field(default="", max_length=255)
    document_at: datetime | None = Field(sa_type=LocalDateTime, default=None)


class FollowUpBase(Rules):
    done_on: date | None = Field(default=None)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    outcome: FollowUpOutcome | None = Field(default=None, sa_type=enum_type(FollowUpOutcome))
    satisfaction: Satisfaction | None = Field(default=None)
    notes: Text2000 = ""


class FollowUp(FollowUpBase, table=True):
    """A follow-up visit (回访) after a dispute was resolved."""

    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_open", "done_on", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    due_on: date


class DisputeEvent(SQLModel, table=True):
    """One line of a dispute's history: a status move with its reason."""

    __tablename__ = "dispute_event"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    at: datetime = Field(sa_type=LocalDateTime)
    user_login: Login
    from_status: DisputeStatus | None = Field(default=None, sa_type=enum_type(DisputeStatus))
    to_status: DisputeStatus = Field(sa_type=enum_type(DisputeStatus))
    reason: Text1000 = ""


class SweepReportBase(Rules):
    disputes_found: Count = 0
    nil_report: bool = Field(default=False, description="零报告")
    notes: Text1000 = ""


class SweepReport(SweepReportBase, table=True):
    """A police room's weekly confirmation that its grids were swept (排查), or a nil report."""

    __tablename__ = "sweep_report"
    __table_args__ = (Index("ux_sweep_room_week", "police_room_id", "week_start", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    police_room_id: int = Field(foreign_key="police_room.id")
    week_start: date
    confirmed_by: Login
    confirmed_at: datetime = Field(sa_type=LocalDateTime)


class RiskReason(StrEnum):
    """Why a dispute is graded as it is; stable ids stored comma-separated in ``risk_reasons``."""

    THREAT_OF_VIOLENCE = "threat_of_violence"
    MANY_PARTIES = "many_parties"
    VULNERABLE_PARTY = "vulnerable_party"
    REPEATED_DISPUTE = "repeated_dispute"
    EXTREME_WORDS = "extreme_words"
    MENTAL_HEALTH = "mental_health"
    LARGE_SUM = "large_sum"
    PETITION_RISK = "petition_risk"


register(
    RiskReason,
    {
        RiskReason.THREAT_OF_VIOLENCE: N_("Threat of violence"),
        RiskReason.MANY_PARTIES: N_("Many parties"),
        RiskReason.VULNERABLE_PARTY: N_("Vulnerable party (child, elderly, disabled)"),
        RiskReason.REPEATED_DISPUTE: N_("Repeated dispute"),
        RiskReason.EXTREME_WORDS: N_("Extreme words or behaviour"),
        RiskReason.MENTAL_HEALTH: N_("Mental-health concern"),
        RiskReason.LARGE_SUM: N_("Large sum of money"),
        RiskReason.PETITION_RISK: N_("Risk of petitioning or mass incident"),
    },
)


# --- input schemas ----------------------------------------------------------------------
# Fields are named by their attribute (``parties[1].name`` for a party's).


class PartyInput(PartyBase):
    """A party: a resident by id (name, phone and ID number are copied), or an outsider."""

    # An outsider is known by name only; a resident by id (the name is copied).
    name: Text50 = PydanticField(default="", validate_default=True)
    id_number: str = ""
    role: PartyRole | None = None
    """None on registration: ``default_role`` by the party's place in the list."""

    @field_validator("name")
    @classmethod
    def _outsider_is_named(cls, name: str, info: ValidationInfo) -> str:
        if not name and info.data.get("resident_id") is None:
            raise PydanticCustomError("missing", "an outsider needs a name")
        return name


class DisputeCreate(DisputeBase):
    """A new ledger entry. ``source`` and ``grid_id`` default from ``visit_id`` when given."""

    category: DisputeCategory | None = None
    grid_id: int | None = None
    source: DisputeSource | None = None
    reported_on: date | None = None
    risk_reasons: list[RiskReason] = []
    parties: list[PartyInput] = []


class DisputeUpdate(Rules):
    """Plain fields of a dispute; only the fields that were set change."""

    category: DisputeCategory | None = None
    description: Description | None = None
    grid_id: int | None = None
    source: DisputeSource | None = None
    risk: RiskGrade | None = None
    risk_reasons: list[RiskReason] | None = None
    assignee_id: int | None = None
    leader_id: int | None = None


class StatusMove(Rules):
    """A move of the status machine; ``on`` defaults to today."""

    to_status: DisputeStatus
    reason: Reason
    on: date | None = None
    referred_to: ReferralTarget | None = None


class MediationCreate(MediationBase):
    held_on: date | None = None
    method: MediationMethod | None = None
    result: MediationResult | None = None


class FollowUpDone(FollowUpBase):
    pass

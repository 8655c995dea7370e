"""People: households, residents with their search keys and tags, visits."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import (
    Address,
    Code,
    Mobile,
    PersonName,
    Required,
    Rules,
    Text20,
    Text2000,
    Tracked,
    enum_type,
    ordered_key,
)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


register(
    Gender, {Gender.MALE: N_("male"), Gender.FEMALE: N_("female"), Gender.UNKNOWN: N_("not known")}
)


class ResidentTagKind(StrEnum):
    ELDERLY_ALONE = "elderly_alone"
    LEFT_BEHIND_CHILD = "left_behind_child"
    KEY_PERSON = "key_person"
    PREVIOUS_DISPUTE = "previous_dispute"
    DISABLED = "disabled"
    MENTAL_HEALTH = "mental_health"
    RENTER = "renter"


register(
    ResidentTagKind,
    {
        ResidentTagKind.ELDERLY_ALONE: N_("elderly living alone"),
        ResidentTagKind.LEFT_BEHIND_CHILD: N_("left-behind child"),
        ResidentTagKind.KEY_PERSON: N_("key person"),
        ResidentTagKind.PREVIOUS_DISPUTE: N_("previous dispute"),
        ResidentTagKind.DISABLED: N_("disabled"),
        ResidentTagKind.MENTAL_HEALTH: N_("mental health"),
        ResidentTagKind.RENTER: N_("renter"),
    },
)


class VisitPurpose(StrEnum):
    ROUTINE = "routine"
    ANTI_FRAUD = "anti_fraud"
    KEY_PERSON = "key_person"
    DISPUTE = "dispute"
    FOLLOW_UP = "follow_up"
    OTHER = "other"


register(
    VisitPurpose,
    {
        VisitPurpose.ROUTINE: N_("routine visit"),
        VisitPurpose.ANTI_FRAUD: N_("anti-fraud promotion"),
        VisitPurpose.KEY_PERSON: N_("key person check"),
        VisitPurpose.DISPUTE: N_("dispute"),
        VisitPurpose.FOLLOW_UP: N_("follow-up"),
        VisitPurpose.OTHER: N_("other"),
    },
)


class HouseholdBase(Rules):
    code: Code = Field(unique=True)
    address: Annotated[Address, Required]
    grid_id: int = Field(foreign_key="grid.id", index=True)


class Household(HouseholdBase, Tracked, table=True):
    """A household (户) at one address in a level-3 grid."""

    id: int | None = Field(default=None, primary_key=True)


class HouseholdCreate(HouseholdBase):
    pass


class ResidentBase(Rules):
    """What a resident's form and row share; the ID number, gender and grid are checked by the
    service, which fills gender and birth date from a valid ID number."""

    name: PersonName
    birth_date: date | None = Field(default=None)
    phone: Mobile = ""
    address: Address = ""
    household_id: int | None = Field(default=None, foreign_key="household.id", index=True)
    household_role: Text20 = Field(default="", description="户主, 配偶, 子女 …")
    notes: Text2000 = ""


class Resident(ResidentBase, Tracked, table=True):
    """A resident of the jurisdiction (居民).

    ``name_pinyin`` / ``name_initials`` and the reversed ``phone_rev`` / ``id_rev`` are written
    by the service with the record so every search kind is an index range, not a scan.
    """

    __table_args__ = (
        # ``archived`` leads so that lists of current residents (the only lists there are)
        # read in order, page and count from the index alone.
        Index("ix_resident_order", "archived", "name_pinyin", "id"),
        Index("ix_resident_grid_order", "grid_id", "archived", "name_pinyin", "id"),
        Index("ix_resident_initials", "name_initials", "id"),
        # Statistics count residents and a period's installs per grid from this index alone.
        Index("ix_resident_stats", "grid_id", "archived", "anti_fraud_installed", "anti_fraud_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    gender: Gender = Field(default=Gender.UNKNOWN, sa_type=enum_type(Gender))
    id_number: str | None = Field(default=None, max_length=18, unique=True)
    grid_id: int = Field(foreign_key="grid.id")
    anti_fraud_installed: bool = Field(default=False)
    anti_fraud_on: date | None = Field(default=None)
    anti_fraud_by_id: int | None = Field(default=None, foreign_key="staff.id")
    archived: bool = Field(default=False)
    name_pinyin: str = Field(default="", sa_type=ordered_key(200))
    name_initials: str = Field(default="", sa_type=ordered_key(50))
    phone_rev: str = Field(default="", sa_type=ordered_key(20), index=True)
    id_rev: str = Field(default="", sa_type=ordered_key(18), index=True)


class ResidentTag(SQLModel, table=True):
    """A watch tag on a resident (独居老人, 留守儿童, 重点人员 …)."""

    __tablename__ = "resident_tag"

    resident_id: int = Field(foreign_key="resident.id", primary_key=True)
    tag: ResidentTagKind = Field(sa_type=enum_type(ResidentTagKind), primary_key=True, index=True)


class ResidentNameGram(SQLModel, table=True):
    """Every one- and two-character piece of a resident's name.

    Most Chinese names are two or three characters, so a search for 三 or 张三 is an exact
    match on this index; trigram full-text indexes find nothing under three characters.
    ``name_pinyin`` copies the resident's list order so that one gram's residents come out
    of the index already sorted: the first page of 张 (a tenth of all names) reads 50 rows,
    not every 张.
    """

    __tablename__ = "resident_name_gram"
    __table_args__ = (Index("ix_resident_name_gram_order", "gram", "name_pinyin", "resident_id"),)

    gram: str = Field(max_length=2, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", primary_key=True, index=True)
    name_pinyin: str = Field(default="", sa_type=ordered_key(200))


class VisitBase(Rules):
    visit_date: date = Field(index=True)
    purpose: VisitPurpose = Field(default=VisitPurpose.ROUTINE, sa_type=enum_type(VisitPurpose))
    summary: Text2000 = ""


class Visit(VisitBase, Tracked, table=True):
    """A visit (走访) by staff to one or more residents."""

    __table_args__ = (Index("ix_visit_grid_date", "grid_id", "visit_date"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    grid_id: int = Field(foreign_key="grid.id")
    checklist: str = Field(default="", max_length=2000, description="JSON list of items done")


class VisitResident(SQLModel, table=True):
    __tablename__ = "visit_resident"

    visit_id: int = Field(foreign_key="visit.id", primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", primary_key=True, index=True)


# --- input schemas ----------------------------------------------------------------------
# ``ResidentUpdate`` changes only the fields that were set (``model_fields_set``).


class ResidentCreate(ResidentBase):
    """A new resident. Birth date and gender come from the ID number when one is given."""

    id_number: str = ""
    gender: Gender | None = None
    grid_id: int | None = None
    tags: list[ResidentTagKind] = []


class ResidentUpdate(Rules):
    name: PersonName | None = None
    id_number: str | None = None
    phone: Mobile | None = None
    gender: Gender | None = None
    birth_date: date | None = None
    address: Address | None = None
    grid_id: int | None = None
    household_id: int | None = None
    household_role: Text20 | None = None
    notes: Text2000 | None = None
    tags: list[ResidentTagKind] | None = None


class VisitCreate(VisitBase):
    """One visit to one or more residents; ``grid_id`` defaults to the first resident's."""

    staff_id: int | None = None
    resident_ids: list[int] = []
    checklist: list[str] = []
    grid_id: int | None = None

"""Translated labels of the people enumerations (the database keeps the English values)."""

from __future__ import annotations

from enum import StrEnum

from policeroom.i18n import N_, _
from policeroom.models.people import Gender, ResidentTagKind, VisitPurpose

GENDERS: dict[Gender, str] = {
    Gender.MALE: N_("male"),
    Gender.FEMALE: N_("female"),
    Gender.UNKNOWN: N_("not known"),
}
TAGS: dict[ResidentTagKind, str] = {
    ResidentTagKind.ELDERLY_ALONE: N_("elderly living alone"),
    ResidentTagKind.LEFT_BEHIND_CHILD: N_("left-behind child"),
    ResidentTagKind.KEY_PERSON: N_("key person"),
    ResidentTagKind.PREVIOUS_DISPUTE: N_("previous dispute"),
    ResidentTagKind.DISABLED: N_("disabled"),
    ResidentTagKind.MENTAL_HEALTH: N_("mental health"),
    ResidentTagKind.RENTER: N_("renter"),
}
PURPOSES: dict[VisitPurpose, str] = {
    VisitPurpose.ROUTINE: N_("routine visit"),
    VisitPurpose.ANTI_FRAUD: N_("anti-fraud promotion"),
    VisitPurpose.KEY_PERSON: N_("key person check"),
    VisitPurpose.DISPUTE: N_("dispute"),
    VisitPurpose.FOLLOW_UP: N_("follow-up"),
    VisitPurpose.OTHER: N_("other"),
}


def label(value: StrEnum) -> str:
    """The translated label of an enumeration value (its words, if none is listed)."""
    for table in (GENDERS, TAGS, PURPOSES):
        if value in table:
            return _(table[value])  # type: ignore[index]
    return _(str(value.value).replace("_", " "))

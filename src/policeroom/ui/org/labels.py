"""Translated labels of the organisation's enumerations (the database keeps English values)."""

from __future__ import annotations

from policeroom.i18n import _
from policeroom.models.org import KeyUnitKind, StaffKind, TeamKind


def staff_kind_label(kind: StaffKind) -> str:
    labels = {
        StaffKind.POLICE: _("police officer"),
        StaffKind.AUXILIARY: _("auxiliary police"),
        StaffKind.GRID_WORKER: _("grid worker"),
        StaffKind.VOLUNTEER: _("volunteer"),
    }
    return labels.get(kind, str(kind))


def team_kind_label(kind: TeamKind) -> str:
    labels = {
        TeamKind.VOLUNTEER_PATROL: _("volunteer patrol"),
        TeamKind.SCHOOL_GUARD: _("school guard"),
        TeamKind.HOSPITAL_GUARD: _("hospital guard"),
        TeamKind.FACTORY_GUARD: _("factory guard"),
        TeamKind.OTHER: _("other team"),
    }
    return labels.get(kind, str(kind))


def key_unit_kind_label(kind: KeyUnitKind) -> str:
    labels = {
        KeyUnitKind.SCHOOL: _("school"),
        KeyUnitKind.HOSPITAL: _("hospital"),
        KeyUnitKind.ENTERPRISE: _("enterprise"),
        KeyUnitKind.MARKET: _("market"),
        KeyUnitKind.OTHER: _("other unit"),
    }
    return labels.get(kind, str(kind))

"""Changing a recurring shift pattern: its rule, time, length, person or dates.

Shifts already generated stay as they are (some may have been changed by hand); the next
``patterns.generate`` follows the new pattern from its ``valid_from``. Ending a pattern is
setting ``valid_until``.
"""

from __future__ import annotations

from policeroom.i18n import _
from policeroom.models.audit import AuditAction
from policeroom.models.org import Staff
from policeroom.models.roster import PatternCreate, Post, ShiftPattern
from policeroom.services.core import audit
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, ValidationError
from policeroom.services.core.locking import save_versioned
from policeroom.services.duty.patterns import PatternRow, pattern_row, rule_problem


def update_pattern(
    ctx: ServiceContext, pattern_id: int, data: PatternCreate, expected_version: int
) -> PatternRow:
    """Replace a pattern's fields with ``data`` (checked like a new one; optimistic locking)."""
    ctx.require_write()
    with ctx.transaction() as session:
        pattern = session.get(ShiftPattern, pattern_id)
        if pattern is None:
            raise NotFound(_("pattern {id} does not exist").format(id=pattern_id))
        errors: list[FieldError] = []
        if data.post_id is None or session.get(Post, data.post_id) is None:
            errors.append(FieldError("post_id", _("choose a post")))
        if data.staff_id is not None:
            staff = session.get(Staff, data.staff_id)
            if staff is None or not staff.active:
                errors.append(FieldError("staff_id", _("no such active staff member")))
        problem = rule_problem(data.rrule)
        if problem:
            errors.append(FieldError("rrule", problem))
        if not 0 < data.duration_minutes <= 24 * 60:
            errors.append(FieldError("duration_minutes", _("a shift lasts 1 minute to 24 hours")))
        if data.valid_from is None:
            errors.append(FieldError("valid_from", _("a start date is needed")))
        elif data.valid_until is not None and data.valid_until < data.valid_from:
            errors.append(FieldError("valid_until", _("ends before it starts")))
        if errors:
            raise ValidationError(errors, "shift pattern")
        before = audit.snapshot(pattern)
        save_versioned(
            session,
            ShiftPattern,
            pattern_id,
            expected_version,
            {
                "post_id": data.post_id,
                "staff_id": data.staff_id,
                "rrule": data.rrule.strip(),
                "starts_at": data.starts_at,
                "duration_minutes": data.duration_minutes,
                "valid_from": data.valid_from,
                "valid_until": data.valid_until,
                "updated_at": ctx.clock.now(),
            },
        )
        session.refresh(pattern)
        old, new = audit.diff(before, audit.snapshot(pattern))
        audit.record(session, ctx, AuditAction.UPDATE, "shift_pattern", pattern_id, old, new)
        return pattern_row(pattern)

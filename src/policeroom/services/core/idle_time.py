"""How long a desk may stand idle before it locks: the command line checks it before the
desk's first frame, so nothing here touches the database."""

from __future__ import annotations

from policeroom.i18n import _
from policeroom.services.core.errors import ValidationError

DEFAULT_IDLE_MINUTES = 10
# A desk left alone longer than this shows residents' details to whoever walks by.
MAX_IDLE_MINUTES = 15


def check_idle_minutes(minutes: int) -> int:
    """``minutes`` when it is an allowed idle time; ``ValidationError`` otherwise."""
    if minutes < 1 or minutes > MAX_IDLE_MINUTES:
        raise ValidationError.single(
            "idle_lock",
            _("the idle lock comes after 1 to {most} minutes, not {minutes}").format(
                most=MAX_IDLE_MINUTES, minutes=minutes
            ),
        )
    return minutes

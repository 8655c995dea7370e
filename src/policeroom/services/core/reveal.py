"""The reason every reveal of a full ID or phone number must give, checked the same way at
every door (card, lookup, export) before anything is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policeroom.i18n import _
from policeroom.models.audit import RevealReason
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.redact import redact

DETAIL_MAX = 200


@dataclass(frozen=True)
class Reason:
    """A reveal's reason: one of the short list, and the words typed for "other"."""

    kind: RevealReason | None
    detail: str = ""

    def audit_detail(self) -> dict[str, Any]:
        """What the audit row keeps of it (numbers typed into the words are masked)."""
        checked = check(self)
        found: dict[str, Any] = {"reason": checked.kind}
        if checked.detail:
            found["detail"] = redact(checked.detail)
        return found


def check(reason: Reason | None) -> Reason:
    """``reason`` cleaned, or the field messages saying what is missing; raises
    ``ValidationError`` (fields ``reason`` and ``reason_detail``)."""
    if reason is None or reason.kind is None:
        raise ValidationError.single(
            "reason", _("say why the full number is needed: visit, dispute, call or other")
        )
    try:
        kind = RevealReason(reason.kind)
    except ValueError:
        raise ValidationError.single(
            "reason", _("say why the full number is needed: visit, dispute, call or other")
        ) from None
    detail = " ".join(reason.detail.split())
    if kind is RevealReason.OTHER and not detail:
        raise ValidationError.single("reason_detail", _("type the reason"))
    if len(detail) > DETAIL_MAX:
        raise ValidationError.single(
            "reason_detail", _("at most {n} characters").format(n=DETAIL_MAX)
        )
    return Reason(kind, detail if kind is RevealReason.OTHER else "")

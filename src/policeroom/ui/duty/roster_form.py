"""The roster's forms: E2's ``FormScreen`` with the roster's styles as well, and the question
a post's requirements ask (an auxiliary on a police-only post) before the save goes ahead."""

from __future__ import annotations

from typing import TypeVar

from policeroom.i18n import _
from policeroom.services.duty.coverage import NeedsConfirmation
from policeroom.ui.common import styles
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.common.form_base import FormScreen
from policeroom.ui.duty import STYLESHEET as duty_sheet

ResultT = TypeVar("ResultT")


def requirement_question(error: NeedsConfirmation) -> str:
    """What the user reads before putting someone on a post that needs another kind."""
    broken = "\n".join(finding.message for finding in error.findings)
    return broken + "\n" + _("Put them on the post all the same?")


class RosterForm(FormScreen[ResultT]):
    """A ``FormScreen`` that also reads ``roster.tcss`` (the checks and previews under fields).

    A save the service holds back for a post's requirements asks the user; yes saves again
    with ``confirmed`` set, for that one save only."""

    # FormScreen names one file; a list of two is what Textual takes as well.
    CSS_PATH = [styles.FORMS, duty_sheet]  # type: ignore[assignment]
    confirmed: bool = False
    """The user said yes to the post's warning for the save under way."""

    def failed(self, error: BaseException | None) -> None:
        already = self.confirmed
        self.confirmed = False
        if isinstance(error, NeedsConfirmation) and not already:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.confirmed = True
                    self.action_save()
                else:
                    super(RosterForm, self).failed(error)

            self.app.push_screen(
                ConfirmScreen(
                    requirement_question(error), yes=_("y = yes, assign"), no=_("n = no")
                ),
                answered,
            )
            return
        super().failed(error)

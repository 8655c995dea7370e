"""The roster's forms: E2's ``FormScreen`` with the roster's styles as well."""

from __future__ import annotations

from typing import TypeVar

from policeroom.ui.common import styles
from policeroom.ui.common.form_base import FormScreen
from policeroom.ui.duty import STYLESHEET as duty_sheet

ResultT = TypeVar("ResultT")


class RosterForm(FormScreen[ResultT]):
    """A ``FormScreen`` that also reads ``roster.tcss`` (the checks and previews under fields).

    A subclass's ``on_worker_state_changed`` handles its own worker groups and never calls
    ``super()``: Textual calls the handler of every class in the MRO, FormScreen's included,
    so calling it again would save-and-dismiss twice.
    """

    # FormScreen names one file; a list of two is what Textual takes as well.
    CSS_PATH = [styles.FORMS, duty_sheet]  # type: ignore[assignment]

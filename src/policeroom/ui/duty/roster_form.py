"""The roster's forms: E2's ``FormScreen`` with the roster's styles as well."""

from __future__ import annotations

from typing import TypeVar

from policeroom.ui.common import styles
from policeroom.ui.common.form_base import FormScreen
from policeroom.ui.duty import STYLESHEET as duty_sheet

ResultT = TypeVar("ResultT")


class RosterForm(FormScreen[ResultT]):
    """A ``FormScreen`` that also reads ``roster.tcss`` (the checks and previews under fields)."""

    # FormScreen names one file; a list of two is what Textual takes as well.
    CSS_PATH = [styles.FORMS, duty_sheet]  # type: ignore[assignment]

"""The ledger's forms: a refusal of the rules is said plainly, and short forms sit in a box
over the card they were opened from, so the dispute stays in sight."""

from __future__ import annotations

from pathlib import PurePath
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import TransitionError
from policeroom.ui.common import styles
from policeroom.ui.common.form_base import FormScreen
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.disputes import STYLESHEET as disputes_sheet

ResultT = TypeVar("ResultT")
LEDGER_CSS: list[str | PurePath] = [styles.FORMS, disputes_sheet]


class LedgerForm(FormScreen[ResultT]):
    """A form of the ledger. A move the rules forbid is said once, across the top, in the
    service's words; the fields keep what was typed."""

    # FormScreen names one file; ledger forms add their own.
    CSS_PATH = LEDGER_CSS  # type: ignore[assignment]

    def failed(self, error: BaseException | None) -> None:
        if isinstance(error, TransitionError):
            self.clear_errors()
            messages = "; ".join(problem.message for problem in error.errors)
            self.notice(_("Refused: {reason}").format(reason=messages))
            return
        self.notice("")
        super().failed(error)


class DialogForm(LedgerForm[ResultT], ModalScreen[ResultT]):
    """A short form in a box over the screen below it."""

    dialog_title: str = ""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self.add_class("dispute-dialog")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text(self.dialog_title or self.form_title), id="dialog-title")
            yield Static("", id="form-notice")
            with VerticalScroll(id="form-body", can_focus=False):
                yield from self.compose_fields()
            yield Static("", id="form-summary")
        yield KeyFooter()

"""A yes/no question in a small modal: ``y`` answers yes, ``n`` or ``escape`` no."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.ui.common import styles
from policeroom.ui.common.key_footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Asks ``question``; dismisses with True for yes, False for no."""

    CSS_PATH = styles.FORMS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", _("Yes"), tooltip=_("Answer yes"), id="confirm.yes"),
        Binding("n", "answer(False)", _("No"), tooltip=_("Answer no"), id="confirm.no"),
        Binding(
            "escape", "answer(False)", _("No"), show=False, tooltip=_("Answer no"), id="confirm.esc"
        ),
    ]

    def __init__(self, question: str, *, yes: str = "", no: str = "") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes or _("y = yes")
        self.no_label = no or _("n = no")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            yield Static(Text(f"{self.yes_label}    {self.no_label}"), id="confirm-keys")
        yield KeyFooter()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

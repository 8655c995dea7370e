"""Why a full number is needed, asked in a small modal before every reveal.

``v`` visit, ``d`` dispute, ``c`` call answer at once; ``o`` (or choosing "other" in the
list) moves to a line where the reason is typed, and ``enter`` there answers. ``escape``
shows nothing. The service checks the same rule again (``services/core/reveal.py``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import RevealReason
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.reveal import DETAIL_MAX, Reason, check
from policeroom.ui.common import styles
from policeroom.ui.common.key_footer import KeyFooter

KEYS = {
    RevealReason.VISIT: "v",
    RevealReason.DISPUTE: "d",
    RevealReason.CALL: "c",
    RevealReason.OTHER: "o",
}


class RevealReasonScreen(ModalScreen[Reason | None]):
    """Dismisses with the reason chosen, or None when the reveal was called off."""

    CSS_PATH = styles.FORMS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "v",
            "choose('visit')",
            _("Visit"),
            tooltip=_("The number is needed for a visit"),
            id="reveal.visit",
        ),
        Binding(
            "d",
            "choose('dispute')",
            _("Dispute"),
            tooltip=_("The number is needed for a dispute"),
            id="reveal.dispute",
        ),
        Binding(
            "c",
            "choose('call')",
            _("Call"),
            tooltip=_("The number is needed for a call"),
            id="reveal.call",
        ),
        Binding(
            "o",
            "choose('other')",
            _("Other"),
            tooltip=_("Type another reason"),
            id="reveal.other",
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            tooltip=_("Show nothing"),
            id="reveal.cancel",
        ),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="reveal-box"):
            yield Static(Text(self.what, style="bold"), id="reveal-what")
            yield Static(_("Why is the full number needed?"), id="reveal-question")
            yield OptionList(
                *(Option(f"{KEYS[kind]}  {label(kind)}", id=kind.value) for kind in RevealReason),
                id="reveal-reasons",
            )
            yield Input(placeholder=_("the reason"), max_length=DETAIL_MAX, id="reveal-detail")
            yield Static("", id="reveal-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reveal-reasons", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the reason is typed, letters are the reason's, not choices.
        if action == "choose" and self.query_one("#reveal-detail", Input).has_focus:
            return False
        return True

    @on(OptionList.OptionSelected, "#reveal-reasons")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option.id or "")

    def action_choose(self, kind: str) -> None:
        if kind == RevealReason.OTHER:
            detail = self.query_one("#reveal-detail", Input)
            detail.add_class("-shown")
            detail.focus()
            self.refresh_bindings()
            return
        self.dismiss(Reason(RevealReason(kind)))

    @on(Input.Submitted, "#reveal-detail")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            reason = check(Reason(RevealReason.OTHER, event.value))
        except ValidationError as error:
            message = "; ".join(e.message for e in error.errors)
            self.query_one("#reveal-error", Static).update(Text(message))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Look a resident up by their full ID number, in any police room: the one way a desk
officer reaches a resident who walks in from elsewhere. The service writes every lookup to
the audit log; a partial number is refused, so the box cannot be used to browse."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentCard
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.people import STYLESHEET as people_sheet
from policeroom.ui.people import messages


class ResidentLookup(ModalScreen[ResidentCard | None]):
    """Dismissed with the card of the resident found, or None."""

    CSS_PATH = people_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "look_up",
            _("Look up"),
            tooltip=_("Find the resident with this full ID number (written to the audit log)"),
            id="lookup.submit",
        ),
        Binding(
            "escape", "back", _("Back"), tooltip=_("Close without looking up"), id="lookup.back"
        ),
    ]

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup-box"):
            yield Static(Text(_("Look up a resident by full ID number")), id="lookup-title")
            yield Input(placeholder=_("18-character ID number"), id="lookup-id-number")
            yield Static("", id="lookup-message")
            yield Static(
                Text(
                    _(
                        "Residents of other police rooms are found only by their full "
                        "number, and every lookup is written to the audit log."
                    )
                ),
                id="lookup-note",
            )
        yield KeyFooter()

    @property
    def number_box(self) -> Input:
        return self.query_one("#lookup-id-number", Input)

    def on_mount(self) -> None:
        self.number_box.focus()

    @on(Input.Submitted, "#lookup-id-number")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_look_up()

    def action_look_up(self) -> None:
        self.say("")
        self._look_up(self.number_box.value)

    @service_worker(messages.LOOKUP)
    def _look_up(self, number: str) -> messages.ResidentRead:
        return messages.ResidentRead(residents.lookup_by_id_number(self.ctx, number))

    @on(messages.ResidentRead)
    def _found(self, message: messages.ResidentRead) -> None:
        message.stop()
        self.dismiss(message.card)

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        if message.group != messages.LOOKUP:
            return
        message.stop()
        error = message.error
        if isinstance(error, ValidationError) and error.for_field("id_number"):
            self.say("; ".join(error.for_field("id_number")))
        else:
            self.say(message.text)
        self.number_box.focus()

    def say(self, text: str) -> None:
        box = self.query_one("#lookup-message", Static)
        box.update(Text(text))
        box.set_class(bool(text), "-shown")

    def action_back(self) -> None:
        self.dismiss(None)

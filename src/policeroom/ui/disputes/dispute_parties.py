"""A dispute's parties with their roles, edited after registration: ``n`` adds one, ``r``
(or ``enter``) gives the highlighted one another role, ``delete`` takes it off. Each change
is saved at once through the service, which checks the roles and audits it."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger
from policeroom.services.disputes.card import DisputeCard, PartyRow
from policeroom.services.disputes.entries import Saved
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.disputes import messages
from policeroom.ui.disputes.dispute_dialog import LEDGER_CSS
from policeroom.ui.disputes.party_form import PartyForm


def party_line(party: PartyRow) -> Text:
    """``申请人  刘某  resident  139****2002``: the role first, as the agreement lists them."""
    text = Text(f"{label(party.role)}  ", style="bold")
    text.append(party.name)
    text.append("  " + (_("resident") if party.resident_id else _("outsider")), style="dim")
    for value in (party.phone_masked, party.id_number_masked):
        if value:
            text.append(f"  {value}")
    return text


class DisputePartiesScreen(ModalScreen[bool]):
    """Dismissed with True when a party was added, changed or removed."""

    CSS_PATH = LEDGER_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Back"), tooltip=_("Back to the dispute"), id="parties.close"),
        Binding("n", "add", _("Add"), tooltip=_("Add a party to the dispute"), id="parties.add"),
        Binding(
            "r",
            "role",
            _("Role"),
            tooltip=_("Give the highlighted party another role"),
            id="parties.role",
        ),
        Binding(
            "delete",
            "remove",
            _("Remove"),
            tooltip=_("Take the highlighted party off the dispute"),
            id="parties.remove",
        ),
    ]

    def __init__(self, ctx: ServiceContext, card: DisputeCard) -> None:
        super().__init__()
        self.ctx = ctx
        self.card = card
        self.changed = False
        self.add_class("dispute-dialog")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(
                Text(_("Parties of {number}").format(number=self.card.number)), id="dialog-title"
            )
            yield Static("", id="form-notice")
            yield OptionList(id="parties-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show(self.card)
        self.query_one("#parties-list").focus()

    def show(self, card: DisputeCard, highlight: int | None = None) -> None:
        self.card = card
        options = self.query_one("#parties-list", OptionList)
        before = options.highlighted
        options.clear_options()
        options.add_options([Option(party_line(p), id=str(p.id)) for p in card.parties])
        if card.parties:
            index = before if highlight is None else highlight
            options.highlighted = min(index or 0, len(card.parties) - 1)
        self.refresh_bindings()

    @property
    def highlighted(self) -> PartyRow | None:
        index = self.query_one("#parties-list", OptionList).highlighted
        if index is None or index >= len(self.card.parties):
            return None
        return self.card.parties[index]

    def notice(self, message: str) -> None:
        banner = self.query_one("#form-notice", Static)
        banner.update(Text(message))
        banner.set_class(bool(message), "-shown")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return True
        if not self.ctx.actor.can_write:
            return False
        if action in ("role", "remove"):
            return self.highlighted is not None
        return True

    # --- keys ---------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_add(self) -> None:
        self.app.push_screen(
            PartyForm(self.ctx, self.card, None), self._saved(len(self.card.parties))
        )

    @on(OptionList.OptionSelected, "#parties-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_role()

    def action_role(self) -> None:
        party = self.highlighted
        if party is None:
            return
        index = self.card.parties.index(party)
        self.app.push_screen(PartyForm(self.ctx, self.card, party), self._saved(index))

    def action_remove(self) -> None:
        party = self.highlighted
        if party is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(party.id)

        question = _("Take {role} {name} off {number}?").format(
            role=label(party.role), name=party.name, number=self.card.number
        )
        self.app.push_screen(ConfirmScreen(question), answered)

    def _saved(self, highlight: int) -> Callable[[Saved | None], None]:
        def done(saved: Saved | None) -> None:
            if saved is None:
                return
            self.changed = True
            self.notice("")
            self._read(highlight)

        return done

    # --- workers ------------------------------------------------------------------------

    @service_worker(messages.PARTIES_SAVE)
    def _remove(self, party_id: int) -> messages.DisputeRead:
        disputes.remove_party(self.ctx, self.card.id, party_id, self.card.version)
        return messages.DisputeRead(ledger.card(self.ctx, self.card.id))

    @service_worker(messages.PARTIES_SAVE)
    def _read(self, highlight: int) -> messages.PartiesRead:
        return messages.PartiesRead(ledger.card(self.ctx, self.card.id), highlight)

    @on(messages.DisputeRead)
    def _removed(self, message: messages.DisputeRead) -> None:
        message.stop()
        self.changed = True
        self.notice("")
        self.show(message.card)

    @on(messages.PartiesRead)
    def _read_back(self, message: messages.PartiesRead) -> None:
        message.stop()
        self.show(message.card, message.highlight)

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        if message.group != messages.PARTIES_SAVE:
            return
        message.stop()
        self.notice(_("Refused: {reason}").format(reason=message.text))

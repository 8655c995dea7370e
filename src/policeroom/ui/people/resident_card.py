"""A resident's card: personal data (ID and phone masked until revealed), household, tags,
anti-fraud app, visits and the disputes they are party to."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import Forbidden, ServiceError
from policeroom.services.core.reveal import Reason
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentCard
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.lookup import Choice
from policeroom.ui.common.masked_field import MaskedField
from policeroom.ui.common.messages import DisputeDraft, DisputeRequested
from policeroom.ui.common.reveal_reason import RevealReasonScreen
from policeroom.ui.common.text import padded
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.people import STYLESHEET as people_sheet
from policeroom.ui.people import messages
from policeroom.ui.people.anti_fraud_form import AntiFraudForm
from policeroom.ui.people.resident_form import ResidentForm
from policeroom.ui.people.visit_form import VisitForm

LABEL_WIDTH = 10


def line(caption: str, value: str | Text) -> Text:
    text = Text(padded(caption, LABEL_WIDTH), style="dim")
    text.append_text(value if isinstance(value, Text) else Text(value))
    return text


class ResidentCardScreen(Screen[bool]):
    """Dismissed with True when something on the card was changed from here."""

    card: var[ResidentCard | None] = var(None, always_update=True, init=False)
    """The resident as last read (None until the first read has come back). Every read
    redraws the card, which masks revealed numbers again."""

    CSS_PATH = people_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "reveal",
            _("Reveal"),
            tooltip=_("Show the full ID and phone number, after giving the reason (audited)"),
            id="card.reveal",
        ),
        Binding("e", "edit", _("Edit"), tooltip=_("Edit this resident"), id="card.edit"),
        Binding(
            "v", "visit", _("Visit"), tooltip=_("Record a visit to this resident"), id="card.visit"
        ),
        Binding(
            "f",
            "anti_fraud",
            _("App"),
            tooltip=_("Mark the anti-fraud app as installed"),
            id="card.anti-fraud",
        ),
        Binding(
            "d",
            "dispute",
            _("Dispute"),
            tooltip=_("Register a dispute with this resident as a party"),
            id="card.dispute",
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the list"), id="card.back"),
    ]

    def __init__(
        self, ctx: ServiceContext, resident_id: int, looked_up: ResidentCard | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.resident_id = resident_id
        self.changed = False
        # A card found by full ID number in another police room: shown as the lookup read
        # it, read only (the services would refuse every change and every further read).
        self.looked_up = looked_up if looked_up is not None and looked_up.foreign else None
        self.asking_reason = False

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static("", id="card-notice")
        with VerticalScroll(id="card-body"):
            yield Static(_("Loading…"), id="card-title")
            yield MaskedField(_("ID no."), "", id="card-id-number")
            yield MaskedField(_("Phone"), "", id="card-phone")
            yield MaskedField(_("Born"), "", id="card-born")
            yield Static("", id="card-person")
            yield Static("", id="card-household")
            yield Static("", id="card-anti-fraud")
            yield Static(_("Visits"), classes="card-section")
            yield Static("", id="card-visits")
            yield Static(_("Disputes"), classes="card-section")
            yield Static("", id="card-disputes")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.looked_up is not None:
            self.card = self.looked_up
            self.notice(
                _("Another police room's resident, found by ID number: read only (audited).")
            )
            return
        self.load()

    def on_screen_resume(self) -> None:
        # a form opened from another form (a dispute after a visit) ends back here unannounced;
        # the reason asked for a reveal changed nothing, and a read now would mask again
        if self.asking_reason:
            self.asking_reason = False
            return
        if self.card is not None and self.looked_up is None:
            self.load()

    def load(self) -> None:
        """Read the resident again (after a change made from here)."""
        self._read()

    @service_worker(messages.CARD_READ)
    def _read(self) -> messages.ResidentRead:
        return messages.ResidentRead(residents.card(self.ctx, self.resident_id))

    @on(messages.ResidentRead)
    def _read_back(self, message: messages.ResidentRead) -> None:
        message.stop()
        self.card = message.card

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "visit", "anti_fraud", "dispute") and not self.ctx.actor.can_write:
            return False
        if action in ("edit", "visit", "anti_fraud", "dispute", "reveal") and self.looked_up:
            return False
        if action in ("edit", "visit", "anti_fraud", "reveal", "dispute") and self.card is None:
            return None
        if action == "anti_fraud" and self.card is not None and self.card.anti_fraud_installed:
            return None
        return True

    # --- showing ----------------------------------------------------------------------------

    @on(messages.NumbersRevealed)
    def _revealed(self, message: messages.NumbersRevealed) -> None:
        message.stop()
        self.query_one("#card-id-number", MaskedField).reveal(message.id_number)
        self.query_one("#card-phone", MaskedField).reveal(message.phone)
        if message.birth_date:
            self.query_one("#card-born", MaskedField).reveal(message.birth_date)

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        if message.group == messages.CARD_READ:
            message.stop()
            # Nothing to show (the resident was removed, or the database failed): the card
            # closes and says why, rather than standing empty.
            text = _("Could not read the resident: {error}").format(error=message.error)
            if self.is_active:
                self.app.notify(text, severity="error")
                self.dismiss(self.changed)
            else:
                self.notice(text)
        elif message.group == messages.REVEAL:
            message.stop()
            error = message.error
            if isinstance(error, Forbidden):
                self.notice(_("Your role may not see unmasked ID and phone numbers."))
            elif isinstance(error, ServiceError):
                self.notice(str(error))
            else:
                self.notice(_("The database failed: {error}").format(error=error))

    def notice(self, message: str) -> None:
        banner = self.query_one("#card-notice", Static)
        banner.update(Text(message))
        banner.set_class(bool(message), "-shown")

    def watch_card(self, card: ResidentCard | None) -> None:
        self.refresh_bindings()
        if card is not None:
            self.show(card)

    def show(self, card: ResidentCard) -> None:
        """Put ``card`` on the screen."""
        title = Text(card.name, style="bold")
        details = [label(card.gender)]
        if card.age is not None:
            details.append(_("{n} years").format(n=card.age))
        title.append("  " + ", ".join(details))
        for tag in card.tags:
            title.append("  ")
            title.append(f" {label(tag)} ", style="reverse")
        if card.archived:
            title.append("  " + _("archived"), style="italic")
        self.query_one("#card-title", Static).update(title)
        self.query_one("#card-id-number", MaskedField).set_masked(card.id_number_masked)
        self.query_one("#card-phone", MaskedField).set_masked(card.phone_masked)
        grid_path = " › ".join(name for name in card.grid_path_names if name)
        # The birth date is digits of the ID number: masked with it, revealed with it.
        born = card.birth_date.isoformat() if card.birth_date else ""
        self.query_one("#card-born", MaskedField).set_masked(
            "****-**-**" if card.birth_date_hidden else born
        )
        person = [
            line(_("Address"), card.address or "—"),
            line(_("Grid"), f"{grid_path} ({card.grid_code})"),
        ]
        if card.notes:
            person.append(line(_("Notes"), card.notes))
        self.query_one("#card-person", Static).update(Text("\n").join(person))
        self.query_one("#card-household", Static).update(self._household(card))
        self.query_one("#card-anti-fraud", Static).update(self._anti_fraud(card))
        self.query_one("#card-visits", Static).update(self._visits(card))
        self.query_one("#card-disputes", Static).update(self._disputes(card))

    @staticmethod
    def _household(card: ResidentCard) -> Text:
        if card.household is None:
            return line(_("Household"), "—")
        head = card.household.code
        if card.household.address != card.address:
            # Said once when it is the resident's own: at 80 columns the repeated address
            # pushed the resident's place in the household alone onto the next line.
            head += f" {card.household.address}"
        if card.household_role:
            head += f" · {card.household_role}"
        members = ", ".join(
            f"{member.name} ({member.role})" if member.role else member.name
            for member in card.household_members
        )
        lines = [line(_("Household"), head)]
        if members:
            lines.append(line(_("Members"), members))
        return Text("\n").join(lines)

    @staticmethod
    def _anti_fraud(card: ResidentCard) -> Text:
        if not card.anti_fraud_installed:
            return line(_("Anti-fraud"), Text(_("app not installed"), style="bold"))
        when = card.anti_fraud_on.isoformat() if card.anti_fraud_on else ""
        by = _("by {name}").format(name=card.anti_fraud_by) if card.anti_fraud_by else ""
        return line(_("Anti-fraud"), " ".join(p for p in (_("app installed"), when, by) if p))

    @staticmethod
    def _visits(card: ResidentCard) -> Text:
        if not card.visits:
            return Text(_("No visits recorded"), style="dim")
        rows = []
        for visit in card.visits:
            row = Text(f"{visit.visit_date.isoformat()}  ")
            row.append(padded(label(visit.purpose), 12))
            row.append(padded(visit.staff_name, 8))
            row.append(visit.summary.splitlines()[0] if visit.summary else "")
            rows.append(row)
        return Text("\n").join(rows)

    @staticmethod
    def _disputes(card: ResidentCard) -> Text:
        if not card.disputes:
            return Text(_("Not party to any dispute"), style="dim")
        rows = [
            Text(
                f"{d.number}  {d.reported_on.isoformat()}  {label(d.category)}  "
                f"{label(d.status)}  {label(d.role)}"
            )
            for d in card.disputes
        ]
        return Text("\n").join(rows)

    # --- keys -------------------------------------------------------------------------------

    def action_reveal(self) -> None:
        id_field = self.query_one("#card-id-number", MaskedField)
        phone_field = self.query_one("#card-phone", MaskedField)
        if id_field.revealed is not None:
            id_field.hide()
            phone_field.hide()
            self.query_one("#card-born", MaskedField).hide()
            return

        if self.card is None:
            return
        if not self.ctx.actor.can_reveal:
            self._reveal(None)  # the service says why not; no reason to ask for
            return
        # The reason is asked first, every time; the service refuses a reveal without one.
        self.asking_reason = True
        self.app.push_screen(RevealReasonScreen(self.card.name), self._reason_given)

    def _reason_given(self, reason: Reason | None) -> None:
        if reason is not None:
            self._reveal(reason)

    @service_worker(messages.REVEAL)
    def _reveal(self, reason: Reason | None) -> messages.NumbersRevealed:
        # one transaction, one audit row per number shown, each with the reason
        hides_birth = self.card is not None and self.card.birth_date_hidden
        fields = ("id_number", "phone", "birth_date") if hides_birth else ("id_number", "phone")
        shown = residents.reveal_numbers(self.ctx, self.resident_id, fields, reason=reason)
        return messages.NumbersRevealed(shown[0], shown[1], shown[2] if hides_birth else "")

    def _after_change(self, result: object) -> None:
        if result is not None:
            self.changed = True
            self.load()

    def action_edit(self) -> None:
        self.app.push_screen(
            ResidentForm(self.ctx, resident_id=self.resident_id), self._after_change
        )

    def action_visit(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(VisitForm.for_card(self.ctx, self.card), self._after_change)

    def action_anti_fraud(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(AntiFraudForm.for_card(self.ctx, self.card), self._after_change)

    def action_dispute(self) -> None:
        card = self.card
        if card is None:
            return
        # A new dispute with this resident as its first party, in their grid.
        grid = card.grid_path_names[-1] if card.grid_path_names else ""
        party = Choice(card.id, f"{card.name}  {card.phone_masked}  {grid}")
        draft = DisputeDraft(parties=(party,), grid_id=card.grid_id)
        self.post_message(DisputeRequested(draft, self._after_change))

    def action_back(self) -> None:
        self.dismiss(self.changed)

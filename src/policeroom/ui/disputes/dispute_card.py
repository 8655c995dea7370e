"""A dispute's card: everything in one view, with its history, and the keys that move it on.

``s`` moves the status (only the moves the rules allow are offered), ``m`` records a
mediation session, ``f`` records the next follow-up, ``p`` plans one on a chosen day,
``a`` assigns the officer and the leader who owns the case (包案), ``r`` edits the parties
and their roles, ``d`` writes the mediation agreement to print, ``e`` edits. Each opens
its own screen; the card reads the dispute again when it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.table import Table
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
from policeroom.models.disputes import OPEN_STATUSES, DisputeStatus, RiskGrade
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.disputes import ledger
from policeroom.services.disputes.card import DisputeCard, FollowUpRow, HistoryKind
from policeroom.services.disputes.follow_ups import FollowUpResult
from policeroom.services.disputes.rules import DeadlineState
from policeroom.services.disputes.workflow import AGREED
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.disputes import STYLESHEET as disputes_sheet
from policeroom.ui.disputes import messages
from policeroom.ui.disputes.agreement_export import AgreementExportForm
from policeroom.ui.disputes.dispute_assign import DisputeAssignForm
from policeroom.ui.disputes.dispute_form import DisputeForm
from policeroom.ui.disputes.dispute_move import DisputeMoveScreen
from policeroom.ui.disputes.dispute_parties import DisputePartiesScreen
from policeroom.ui.disputes.follow_up_form import FollowUpForm
from policeroom.ui.disputes.follow_up_plan import FollowUpPlanForm
from policeroom.ui.disputes.mediation_form import MediationForm

DEADLINE_CLASSES = {
    DeadlineState.ON_TIME: "-on-time",
    DeadlineState.DUE_SOON: "-due-soon",
    DeadlineState.OVERDUE: "-overdue",
    DeadlineState.CLOSED: "-closed",
}
HISTORY_MARKS = {HistoryKind.STATUS: "●", HistoryKind.MEDIATION: "◆", HistoryKind.FOLLOW_UP: "↺"}


def _line(caption: str, value: str | Text) -> Text:
    text = Text(f"{caption}: ", style="dim")
    text.append_text(value if isinstance(value, Text) else Text(value))
    return text


def pending_follow_up(card: DisputeCard) -> FollowUpRow | None:
    """The follow-up the desk should record next: the earliest not yet done."""
    if card.status is not DisputeStatus.RESOLVED:
        return None
    return next((f for f in card.follow_ups if f.done_on is None), None)


def deadline_text(card: DisputeCard) -> Text:
    """``Due 2022-05-03 · Overdue · Follow-up by 2022-05-03``."""
    text = Text()
    if card.due_on is not None:
        text.append(_("Due {date}").format(date=card.due_on.isoformat()) + " · ")
    text.append(label(card.deadline_state))
    if card.next_action:
        text.append(" · " + _("next: {action}").format(action=card.next_action))
    return text


def head_text(card: DisputeCard) -> Text:
    text = Text(card.number, style="bold")
    text.append(f"  {label(card.category)}  ")
    text.append(f" {label(card.status)} ", style="reverse")
    if card.status_since:
        text.append("  " + _("since {date}").format(date=card.status_since.isoformat()), "dim")
    return text


def details_text(card: DisputeCard) -> Text:
    grid = " › ".join(name for name in card.grid_path_names if name) or card.grid_name
    reported = f"{card.reported_on.isoformat()} · {label(card.source)}"
    if card.visit_date and card.visit_date != card.reported_on:
        # the visit's own date only when it differs: "2022-05-01 · Visit (visit of 2022-05-01)"
        reported += " " + _("(visit of {date})").format(date=card.visit_date.isoformat())
    people = Text(card.assignee_name or _("none"))
    people.append("  ·  " + _("Leader (包案)") + ": ", style="dim")
    people.append(card.leader_name or _("none"))
    lines = [
        _line(_("Reported"), reported),
        _line(_("Grid"), Text(f"{grid} ({card.grid_code})")),
        _line(_("Officer"), people),
    ]
    if card.referred_to:
        lines.append(_line(_("Referred to"), label(card.referred_to)))
    return Text("\n").join(lines)


def risk_text(card: DisputeCard) -> Text:
    text = _line(_("Risk"), label(card.risk))
    if card.risk_reasons:
        text.append(" — " + "; ".join(label(reason) for reason in card.risk_reasons))
    return text


def parties_text(card: DisputeCard) -> Text:
    rows = []
    for party in card.parties:
        row = Text("  ")
        row.append(Text(party.name, style="bold"))
        kind = _("resident") if party.resident_id else _("outsider")
        row.append(f"  {kind}", style="dim")
        for value in (label(party.role), party.phone_masked, party.id_number_masked):
            if value:
                row.append("  ")
                row.append(Text(value))
        rows.append(row)
    return Text("\n").join(rows) if rows else Text("  " + _("none"), style="italic")


def sessions_text(card: DisputeCard) -> Text:
    if not card.sessions:
        return Text("  " + _("No mediation yet"), style="dim")
    rows = []
    for session in card.sessions:
        row = Text(f"  {session.held_on.isoformat()}  ")
        row.append(f"{label(session.method)} · {label(session.result)}\n", style="bold")
        row.append(_line("    " + _("Place"), session.place))
        row.append("\n")
        row.append(_line("    " + _("Mediators"), session.mediators))
        if session.parties_present:
            row.append("\n")
            row.append(_line("    " + _("Present"), session.parties_present))
        if session.agreement:
            row.append("\n")
            row.append(_line("    " + _("Agreement terms"), session.agreement))
        if session.document_name and session.document_at:
            row.append("\n")
            written = _("{name}, written {time}").format(
                name=session.document_name, time=session.document_at.strftime("%Y-%m-%d %H:%M")
            )
            row.append(_line("    " + _("Document"), written))
        rows.append(row)
    return Text("\n").join(rows)


def follow_ups_text(card: DisputeCard) -> Text:
    if not card.follow_ups:
        return Text("  " + _("None scheduled (they are set when the dispute is resolved)"), "dim")
    rows = []
    for follow_up in card.follow_ups:
        row = Text("  " + _("due {date}").format(date=follow_up.due_on.isoformat()) + "  ")
        if follow_up.done_on is None:
            style = "bold" if follow_up.state is DeadlineState.OVERDUE else ""
            row.append(label(follow_up.state), style=style)
        else:
            row.append(
                _("done {date}: {outcome}, satisfaction {n}/5").format(
                    date=follow_up.done_on.isoformat(),
                    outcome=label(follow_up.outcome),
                    n=follow_up.satisfaction or "-",
                ),
                style="dim",
            )
        if follow_up.staff_name:
            row.append("  ")
            row.append(Text(follow_up.staff_name, style="dim"))
        rows.append(row)
    return Text("\n").join(rows)


def history_table(card: DisputeCard) -> Table:
    """Date, mark and text; a long line wraps under its text, not under the date."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for item in card.history:
        table.add_row(f"  {item.on.isoformat()} {HISTORY_MARKS[item.kind]}", Text(item.text))
    return table


class DisputeCardScreen(Screen[bool]):
    """Dismissed with True when something was changed from the card."""

    card: var[DisputeCard | None] = var(None, always_update=True, init=False)
    """The dispute as last read (None until the first read has come back); every read
    redraws the card."""

    CSS_PATH = disputes_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Back"), tooltip=_("Back to the list"), id="dispute.close"),
        Binding(
            "s",
            "move",
            _("Status"),
            tooltip=_("Move the dispute to another status, with the reason"),
            id="dispute.move",
        ),
        Binding(
            "m",
            "mediate",
            _("Mediate"),
            tooltip=_("Record a mediation session and its agreement"),
            id="dispute.mediate",
        ),
        Binding(
            "f",
            "follow_up",
            _("Follow-up"),
            tooltip=_("Record the next follow-up visit as done"),
            id="dispute.follow-up",
        ),
        Binding(
            "p",
            "plan_follow_up",
            _("Plan"),
            tooltip=_("Plan a follow-up visit on a day you choose"),
            id="dispute.plan-follow-up",
        ),
        Binding(
            "a",
            "assign",
            _("Assign"),
            tooltip=_("Assign the officer handling the dispute and the leader who owns it"),
            id="dispute.assign",
        ),
        Binding(
            "r",
            "parties",
            _("Parties"),
            tooltip=_("Add parties, change their roles or remove them"),
            id="dispute.parties",
        ),
        Binding(
            "d",
            "agreement",
            _("Agreement DOCX"),
            tooltip=_("Write the mediation agreement (DOCX) to print and sign"),
            id="dispute.agreement",
        ),
        Binding("e", "edit", _("Edit"), tooltip=_("Edit the dispute"), id="dispute.edit"),
    ]

    def __init__(self, ctx: ServiceContext, dispute_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.dispute_id = dispute_id
        self.changed = False

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static("", id="dispute-card-notice")
        with VerticalScroll(id="dispute-card-body") as body:
            body.border_title = _("Dispute")
            yield Static(Text(_("Reading …"), style="dim"), id="dispute-card-title")
            yield Static("", id="dispute-card-deadline")
            yield Static("", id="dispute-card-details")
            yield Static("", id="dispute-card-risk")
            yield Static(Text(""), id="dispute-card-description")
            for key, title in (
                ("parties", _("Parties")),
                ("sessions", _("Mediation sessions")),
                ("follow-ups", _("Follow-ups")),
                ("history", _("History")),
            ):
                yield Static(title, classes="dispute-card--section")
                yield Static("", id=f"dispute-card-{key}")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#dispute-card-body").focus()
        self.read()

    # --- reading ------------------------------------------------------------------------

    def read(self) -> None:
        """Read the dispute again (after a form over the card saved)."""
        self._read()

    @service_worker(messages.CARD_READ)
    def _read(self) -> messages.DisputeRead:
        return messages.DisputeRead(ledger.card(self.ctx, self.dispute_id))

    @on(messages.DisputeRead)
    def _read_back(self, message: messages.DisputeRead) -> None:
        message.stop()
        self.card = message.card

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group != messages.CARD_READ:
            return
        message.stop()
        error = message.error
        text = _("Could not read the dispute: {error}").format(
            error=str(error) if isinstance(error, ServiceError) else repr(error)
        )
        # Nothing to show (the dispute was removed, or the database failed): the card closes
        # and says why, rather than standing empty.
        if self.is_active:
            self.app.notify(text, severity="error")
            self.dismiss(self.changed)
        else:
            self.notice(text)

    def watch_card(self, card: DisputeCard | None) -> None:
        if card is not None:
            self.show(card)

    def show(self, card: DisputeCard) -> None:
        """Put ``card`` on the screen."""
        body = self.query_one("#dispute-card-body")
        body.border_title = _("Dispute {number}").format(number=card.number)
        self.query_one("#dispute-card-title", Static).update(head_text(card))
        deadline = self.query_one("#dispute-card-deadline", Static)
        deadline.update(deadline_text(card))
        for state, css_class in DEADLINE_CLASSES.items():
            deadline.set_class(card.deadline_state is state, css_class)
        self.query_one("#dispute-card-details", Static).update(details_text(card))
        risk = self.query_one("#dispute-card-risk", Static)
        risk.update(risk_text(card))
        risk.set_class(card.risk is RiskGrade.HIGH, "-high-risk")
        self.query_one("#dispute-card-description", Static).update(Text(card.description))
        self.query_one("#dispute-card-parties", Static).update(parties_text(card))
        self.query_one("#dispute-card-sessions", Static).update(sessions_text(card))
        self.query_one("#dispute-card-follow-ups", Static).update(follow_ups_text(card))
        self.query_one("#dispute-card-history", Static).update(history_table(card))
        self.notice("")
        self.refresh_bindings()

    def notice(self, message: str) -> None:
        banner = self.query_one("#dispute-card-notice", Static)
        banner.update(Text(message))
        banner.set_class(bool(message), "-shown")

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return True
        if not self.ctx.actor.can_write:
            return False
        card = self.card
        if card is None:
            return None
        if action == "move":
            return bool(card.allowed_moves)
        if action == "mediate":
            return card.status in OPEN_STATUSES
        if action == "follow_up":
            return pending_follow_up(card) is not None
        if action == "plan_follow_up":
            return card.status is DisputeStatus.RESOLVED
        if action == "agreement":
            return any(session.result in AGREED for session in card.sessions)
        return True

    def _after(self, notice: Callable[[Any], str]) -> Callable[[Any], None]:
        """What to do when a form over the card closes: say what was saved, read again."""

        def done(result: Any) -> None:
            if result is None:
                return
            self.changed = True
            self.app.notify(notice(result))
            self.read()

        return done

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_move(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(
            DisputeMoveScreen(self.ctx, self.card),
            self._after(
                lambda saved: _("{number} is now {status}.").format(
                    number=saved.number, status=label(saved.status)
                )
            ),
        )

    def action_mediate(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(
            MediationForm(self.ctx, self.card),
            self._after(
                lambda row: _("Mediation of {date} recorded.").format(date=row.held_on.isoformat())
            ),
        )

    def action_follow_up(self) -> None:
        follow_up = pending_follow_up(self.card) if self.card else None
        if self.card is None or follow_up is None:
            return

        def said(result: FollowUpResult) -> str:
            if result.reopened:
                return _("Follow-up recorded; the dispute is reopened.")
            return _("Follow-up recorded.")

        self.app.push_screen(FollowUpForm(self.ctx, self.card, follow_up), self._after(said))

    def action_plan_follow_up(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(
            FollowUpPlanForm(self.ctx, self.card),
            self._after(
                lambda result: _("Follow-up planned for {date}.").format(
                    date=result.follow_up.due_on.isoformat()
                )
            ),
        )

    def action_assign(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(
            DisputeAssignForm(self.ctx, self.card),
            self._after(lambda saved: _("{number} assigned.").format(number=saved.number)),
        )

    def action_agreement(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(
            AgreementExportForm(self.ctx, self.card),
            self._after(lambda written: _("Agreement written to {path}").format(path=written.path)),
        )

    def action_parties(self) -> None:
        if self.card is None:
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.changed = True
                self.app.notify(_("Parties of {number} saved.").format(number=self.card_number))
                self.read()

        self.app.push_screen(DisputePartiesScreen(self.ctx, self.card), closed)

    @property
    def card_number(self) -> str:
        return self.card.number if self.card is not None else ""

    def action_edit(self) -> None:
        if self.card is None:
            return
        self.app.push_screen(
            DisputeForm(self.ctx, card=self.card),
            self._after(lambda saved: _("{number} saved.").format(number=saved.number)),
        )

"""A grid's card: where it lies, who answers for it, what is in it, how its targets stand."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from policeroom import labels
from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.org.grids import GridCard, StaffBrief
from policeroom.services.org.targets import TargetProgress
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.org import STYLESHEET as org_sheet
from policeroom.ui.org import messages
from policeroom.ui.org.grid_form import level_name

BAR_WIDTH = 10


class CardStep(Enum):
    """What the card was closed to do next, on its grid.

    A plain ``Enum``: it is never shown, so it has no words in the labels registry (which
    every ``StrEnum`` must have)."""

    EDIT = "edit"
    ASSIGN = "assign"
    MOVE = "move"


def progress_bar(done: int, target: int) -> Text:
    """``███████░░░ 70% 140/200`` (an empty bar when there is no target)."""
    if target <= 0:
        return Text(f"{done}", style="dim")
    share = min(1.0, done / target)
    filled = round(share * BAR_WIDTH)
    text = Text("█" * filled, style="bold")
    text.append("░" * (BAR_WIDTH - filled), style="dim")
    text.append(f" {share:4.0%} {done}/{target}")
    return text


def _person(label: str, person: StaffBrief | None) -> Text:
    text = Text(f"{label}: ", style="dim")
    if person is None:
        text.append(_("none"), style="italic")
    else:
        text.append(Text(f"{person.name} {person.phone}"))
    return text


def card_text(card: GridCard) -> Text:
    """The card as text; every name and address in it is shown literally."""
    node = card.node
    out = Text()
    out.append(Text(f"{node.code} {node.name}", style="bold"))
    out.append(f"  {level_name(node.level)}\n", style="dim")
    if card.ancestors:
        out.append(Text(" › ".join(a.name for a in card.ancestors) + f" › {node.name}\n"))
    out.append(
        _("{residents} residents · {disputes} open disputes · {households} households").format(
            residents=node.residents, disputes=node.open_disputes, households=card.households
        )
        + "\n\n"
    )
    out.append(_("Police room") + ": ", style="dim")
    if card.police_room is not None:
        room = card.police_room
        out.append(Text(f"{room.name} {room.phone} {room.address}".strip()))
    else:
        out.append(_("none"), style="italic")
    out.append("\n")
    out.append(_person(_("Responsible officer"), card.officer))
    out.append("\n")
    out.append(_person(_("Grid leader"), card.leader))
    out.append("\n")
    out.append(_("Administrators") + ": ", style="dim")
    out.append(Text("、".join(a.name for a in card.administrators) or _("none")))
    out.append("\n\n")
    out.append(_("Staff of the police room") + "\n", style="bold")
    for person in card.staff[:12]:
        out.append(Text(f"  {person.name}  {labels.label(person.kind)}  {person.phone}\n"))
    if len(card.staff) > 12:
        out.append("  " + _("and {n} more").format(n=len(card.staff) - 12) + "\n", style="dim")
    if not card.staff:
        out.append("  " + _("none") + "\n", style="italic")
    out.append("\n" + _("Key units") + "\n", style="bold")
    for unit in card.key_units:
        line = f"  {unit.name}  {labels.label(unit.kind)}  {unit.contact} {unit.phone}"
        out.append(Text(line.rstrip()))
        if unit.guard_team_name:
            out.append(Text(f"  ({unit.guard_team_name})"), style="dim")
        out.append("\n")
    if not card.key_units:
        out.append("  " + _("none") + "\n", style="italic")
    out.append("\n" + _("Teams") + "\n", style="bold")
    for team in card.teams:
        members = ngettext("{n} member", "{n} members", len(team.member_names)).format(
            n=len(team.member_names)
        )
        out.append(Text(f"  {team.name}  {labels.label(team.kind)}  {team.leader_name}  "))
        out.append(members + "\n", style="dim")
    if not card.teams:
        out.append("  " + _("none") + "\n", style="italic")
    out.append("\n" + _("Targets") + "\n", style="bold")
    for target in card.targets:
        out.append(_target(target))
    if not card.targets:
        out.append("  " + _("none") + "\n", style="italic")
    return out


def _target(target: TargetProgress) -> Text:
    text = Text(f"  {target.period_start:%Y-%m-%d} – {target.period_end:%Y-%m-%d}\n", style="dim")
    for label, done, wanted in (
        (_("Visits"), target.visits_done, target.visits_target),
        (_("Anti-fraud app"), target.installs_done, target.installs_target),
        (_("Disputes resolved"), target.resolved_done, target.resolved_target),
    ):
        text.append(f"    {label:<8} ")
        text.append(progress_bar(done, wanted))
        text.append("\n")
    return text


class GridCardScreen(Screen[CardStep | None]):
    """Read-only; ``e``/``a``/``m`` close it and open the edit, assign or move form."""

    CSS_PATH = org_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "close", _("Back"), tooltip=_("Back to the main screen"), id="card.close"
        ),
        Binding("e", "then('edit')", _("Edit"), tooltip=_("Edit the grid"), id="card.edit"),
        Binding(
            "a",
            "then('assign')",
            _("Assign"),
            tooltip=_("Assign the grid leader, administrators and responsible officer"),
            id="card.assign",
        ),
        Binding("m", "then('move')", _("Move"), tooltip=_("Move the grid"), id="card.move"),
    ]

    def __init__(self, ctx: ServiceContext, grid_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.grid_id = grid_id
        self.card: GridCard | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with VerticalScroll(id="grid-card-body") as body:
            body.border_title = _("Grid card")
            yield Static(Text(_("Reading …"), style="dim"), id="grid-card")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#grid-card-body").focus()
        self._read()

    @service_worker(messages.CARD_READ)
    def _read(self) -> messages.CardRead:
        return messages.CardRead(grids.card(self.ctx, self.grid_id))

    @on(messages.CardRead)
    def _show(self, message: messages.CardRead) -> None:
        self.card = message.card
        self.query_one("#grid-card", Static).update(card_text(message.card))
        self.refresh_bindings()

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group != messages.CARD_READ:
            return
        message.stop()  # said where the card would be
        self.query_one("#grid-card", Static).update(
            Text(_("Could not read the grid: {error}").format(error=message.error))
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "then" and parameters == ("move",):
            return (self.card is not None and self.card.node.level > 1) or None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_then(self, step: str) -> None:
        self.dismiss(CardStep(step))

"""Register a dispute, or edit one: category, parties, grid, source, description, risk.

Parties are residents found by search, or people from outside the jurisdiction typed as
``王某 13812345678`` (several separated by ``;``). Opened from the disputes pane and the
dispute card, or by the app from a ``DisputeDraft``: a resident's card (the resident is
already a party) or a visit (its residents, grid and source filled in).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, SelectionList, Static, TextArea

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeSource,
    DisputeUpdate,
    RiskGrade,
    RiskReason,
)
from policeroom.services.core import fields
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, ServiceError, ValidationError
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes.card import DisputeCard
from policeroom.services.disputes.entries import Saved
from policeroom.services.org import grids, staff
from policeroom.services.org.grids import GridNode
from policeroom.services.people import residents
from policeroom.services.people.visits import VisitRow
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.common.resident_picker import ResidentPicker
from policeroom.ui.common.workers import service_worker
from policeroom.ui.disputes import messages
from policeroom.ui.disputes.dispute_assign import STAFF_LIMIT, staff_choice
from policeroom.ui.disputes.dispute_dialog import LedgerForm
from policeroom.ui.disputes.dispute_filter import enum_select

GRID_LIMIT = 10
_SEPARATORS = re.compile(r"[;；,，\n]+")
_PHONE = re.compile(r"^\+?[\d-]{7,}$")
_PARTY_FIELD = re.compile(r"^parties\[(\d+)\](?:\.(\w+))?$")


@dataclass(frozen=True)
class Outsider:
    name: str
    phone: str


def parse_outsiders(text: str) -> list[Outsider]:
    """``王某 13812345678; 刘某`` → two people; a run of digits is the phone number."""
    people = []
    for chunk in _SEPARATORS.split(text or ""):
        words = chunk.split()
        if not words:
            continue
        phones = [word for word in words if _PHONE.match(word)]
        name = " ".join(word for word in words if word not in phones)
        people.append(Outsider(name, phones[0] if phones else ""))
    return people


def grid_choice(grid: GridNode) -> Choice:
    return Choice(grid.id, f"{grid.code} {grid.name}", grid.code)


class DisputeForm(LedgerForm[Saved]):
    """A new dispute (``parties``, ``grid_id``, ``visit`` prefill it) or ``card`` to edit.

    Dismissed with the service's ``Saved``, or None.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        card: DisputeCard | None = None,
        grid_id: int | None = None,
        parties: Sequence[Choice] = (),
        visit: VisitRow | None = None,
    ) -> None:
        super().__init__(ctx)
        self.card = card
        self.visit = visit
        self.parties = list(parties)
        if visit is not None and not self.parties:
            self.parties = [
                Choice(resident_id, name)
                for resident_id, name in zip(visit.resident_ids, visit.resident_names, strict=True)
            ]
        self.grid_id = card.grid_id if card else (visit.grid_id if visit else grid_id)
        self._proposed: int | None = None
        """The officer the form proposed (the grid's responsible officer)."""
        self._officer_chosen = False
        """True once the desk picked or cleared the officer itself."""
        if card is not None:
            self.form_title = _("Edit dispute {number}").format(number=card.number)
        else:
            self.form_title = _("Register a dispute")

    @property
    def editing(self) -> bool:
        return self.card is not None

    def compose_fields(self) -> ComposeResult:
        card = self.card
        yield FormField(
            "category",
            _("Category"),
            enum_select(
                DisputeCategory, card.category if card else None, _("choose"), "dispute-category"
            ),
            required=True,
        )
        if card is None:
            yield FormField(
                "parties",
                _("Residents"),
                ResidentPicker(self.ctx, self.parties, id="dispute-parties"),
                hint=_("Parties who live here; delete removes the highlighted one"),
            )
            yield FormField(
                "outsiders",
                _("Outsiders"),
                Input(
                    placeholder=_("王某 13812345678; 刘某"),
                    compact=True,
                    id="dispute-outsiders",
                ),
                hint=_("Not living here: name and phone; put ; between people"),
            )
        else:
            yield Static(Text(_("Parties") + ": " + card.parties_text), classes="form-field--hint")
        yield FormField(
            "grid_id",
            _("Grid"),
            Lookup(self._grids, placeholder=_("grid code or name"), id="dispute-grid"),
            required=True,
        )
        source = card.source if card else (DisputeSource.VISIT if self.visit else None)
        yield FormField(
            "source",
            _("Source"),
            enum_select(DisputeSource, source, _("how it came to light"), "dispute-source"),
            required=True,
        )
        if card is None:
            yield FormField(
                "reported_on",
                _("Reported on"),
                DateInput(
                    self.visit.visit_date if self.visit else self.ctx.clock.today(),
                    clock=self.ctx.clock,
                    id="dispute-reported-on",
                ),
            )
        yield FormField(
            "description",
            _("Description"),
            TextArea(
                # found on a visit: what the officer wrote there is where the facts start
                card.description if card else (self.visit.summary if self.visit else ""),
                compact=True,
                soft_wrap=True,
                tab_behavior="focus",
                id="dispute-description",
            ),
            required=True,
        )
        yield FormField(
            "risk",
            _("Risk"),
            Select(
                [(Text(label(grade)), grade) for grade in RiskGrade],
                value=card.risk if card else RiskGrade.LOW,
                allow_blank=False,
                compact=True,
                id="dispute-risk",
            ),
        )
        chosen = set(card.risk_reasons) if card else set()
        yield FormField(
            "risk_reasons",
            _("Why"),
            SelectionList[RiskReason](
                *[(Text(label(reason)), reason, reason in chosen) for reason in RiskReason],
                id="dispute-risk-reasons",
            ),
            hint=_("Medium and high risk need a reason; space ticks one"),
        )
        if card is None:
            yield FormField(
                "assignee_id",
                _("Officer"),
                Lookup(self._staff, placeholder=_("name or code"), id="dispute-officer"),
                hint=_("Proposed: the grid's responsible officer"),
            )

    def on_mount(self) -> None:
        # FormScreen.on_mount runs as well and focuses the first field
        if self.grid_id is not None:
            self._load_grid(self.grid_id)

    @service_worker(messages.FORM_GRID)
    def _load_grid(self, grid_id: int) -> messages.GridRead:
        return messages.GridRead(grids.get(self.ctx, grid_id))

    @on(messages.GridRead)
    def _show_grid(self, message: messages.GridRead) -> None:
        message.stop()
        lookup = self.query_one("#dispute-grid", Lookup)
        if lookup.value is None:  # what the officer chose meanwhile stays
            lookup.choose(grid_choice(message.grid))
            if message.clean:
                self.mark_clean()

    @on(ResidentPicker.Changed, "#dispute-parties")
    def _party_added(self, event: ResidentPicker.Changed) -> None:
        # The first resident's grid is where the dispute most likely is.
        chosen = event.picker.value
        if chosen and self.query_one("#dispute-grid", Lookup).value is None:
            self._resident_grid(chosen[0])

    @service_worker(messages.FORM_GRID)
    def _resident_grid(self, resident_id: int) -> messages.GridRead:
        grid = grids.get(self.ctx, residents.card(self.ctx, resident_id).grid_id)
        return messages.GridRead(grid, clean=False)  # chosen by the officer: typed

    # --- the officer proposed: the grid's responsible officer (一村一警) ------------------

    @on(Lookup.Changed, "#dispute-grid")
    def _grid_chosen(self, event: Lookup.Changed) -> None:
        if not self.editing and event.choice is not None and not self._officer_chosen:
            self._propose_officer(event.choice.value)

    @service_worker(messages.FORM_OFFICER)
    def _propose_officer(self, grid_id: int) -> messages.OfficerProposed:
        return messages.OfficerProposed(grid_id, grids.responsible_officer(self.ctx, grid_id))

    @on(messages.OfficerProposed)
    def _show_officer(self, message: messages.OfficerProposed) -> None:
        message.stop()
        if self._officer_chosen or self.query_one("#dispute-grid", Lookup).value != message.grid_id:
            return  # the officer chose someone, or another grid, meanwhile
        clean = not self.is_dirty
        officer = message.officer
        choice = (
            Choice(officer.id, f"{officer.name} ({officer.code})", officer.code)
            if officer
            else None
        )
        self._proposed = choice.value if choice else None
        self.query_one("#dispute-officer", Lookup).choose(choice)
        if clean:
            self.mark_clean()

    @on(Lookup.Changed, "#dispute-officer")
    def _officer_changed(self, event: Lookup.Changed) -> None:
        # Anything but the proposal is the desk's own choice, which no grid overrides.
        chosen = event.choice.value if event.choice else None
        if chosen != self._proposed:
            self._officer_chosen = True

    def _staff(self, text: str) -> list[Choice]:
        found = staff.list_staff(self.ctx, text=text, limit=STAFF_LIMIT)
        return [staff_choice(person) for person in found]

    def _grids(self, text: str) -> list[Choice]:
        return [grid_choice(grid) for grid in grids.find(self.ctx, text, GRID_LIMIT)]

    # --- saving -------------------------------------------------------------------------

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = [p for p in super().check(values) if p.field != "description"]
        if not self.query_one("#dispute-description", TextArea).text.strip():
            problems.append(FieldError("description", _("this field is needed")))
        if not self.editing:
            outsiders = parse_outsiders(str(values.get("outsiders") or ""))
            if not values.get("parties") and not outsiders:
                problems.append(FieldError("parties", _("name at least one party")))
            if any(not person.name for person in outsiders):
                problems.append(FieldError("outsiders", _("a phone number needs a name")))
        return problems

    def submit(self, values: dict[str, Any]) -> Saved:
        description = self.query_one("#dispute-description", TextArea).text
        reasons = list(values.get("risk_reasons") or ())
        if self.card is not None:
            return disputes.update(
                self.ctx,
                self.card.id,
                DisputeUpdate(
                    category=values.get("category"),
                    description=description,
                    grid_id=values.get("grid_id"),
                    source=values.get("source"),
                    risk=values.get("risk"),
                    risk_reasons=reasons,
                ),
                self.card.version,
            )
        residents = list(values.get("parties") or ())
        outsiders = parse_outsiders(str(values.get("outsiders") or ""))
        reported_on = self.field("reported_on").control
        assert isinstance(reported_on, DateInput)
        entered = {
            "category": values.get("category"),
            "description": description,
            "grid_id": values.get("grid_id"),
            "source": values.get("source"),
            "reported_on": reported_on.date,
            "risk": values.get("risk") or RiskGrade.LOW,
            "risk_reasons": reasons,
            "parties": [{"resident_id": resident_id} for resident_id in residents]
            + [{"name": person.name, "phone": person.phone} for person in outsiders],
            "visit_id": self.visit.id if self.visit else None,
            "assignee_id": values.get("assignee_id"),
        }
        try:
            # Parsed whole, so that a party's problem is named parties[i] like the service's.
            return disputes.register(self.ctx, fields.parse(DisputeCreate, entered))
        except ValidationError as error:
            raise self._party_fields(error, len(residents)) from error

    @staticmethod
    def _party_fields(error: ValidationError, residents: int) -> ServiceError:
        """Party problems go under the field the party was entered in."""
        moved = []
        for problem in error.errors:
            found = _PARTY_FIELD.match(problem.field)
            if found is None:
                moved.append(problem)
                continue
            index = int(found.group(1))
            field = "parties" if index < residents else "outsiders"
            moved.append(FieldError(field, problem.message))
        return type(error)(moved, error.record)

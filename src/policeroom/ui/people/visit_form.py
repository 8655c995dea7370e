"""Record a visit (走访) to one or more residents, with the checklist that fits its purpose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Select, SelectionList, TextArea

from policeroom.i18n import _
from policeroom.labels import choices
from policeroom.models.people import VisitCreate, VisitPurpose
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import staff
from policeroom.services.people import visits
from policeroom.services.people.residents import ResidentCard, ResidentRow
from policeroom.services.people.visits import VisitRow
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField, FormScreen
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.common.messages import DisputeDraft, DisputeRequested
from policeroom.ui.common.resident_picker import ResidentPicker, resident_choice


def staff_choices(ctx: ServiceContext, text: str) -> list[Choice]:
    """Active staff whose name contains, or code starts with, ``text``."""
    return [
        Choice(
            person.id,
            f"{person.name} ({person.code}) {person.police_room_name}".strip(),
            person.code,
        )
        for person in staff.list_staff(ctx, text=text, limit=10)
    ]


class VisitForm(FormScreen[VisitRow]):
    """Dismissed with the recorded ``VisitRow``, or None."""

    # ctrl+o: Input and TextArea take ctrl+d for themselves
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+o",
            "save_then_dispute",
            _("Save + dispute"),
            tooltip=_("Save the visit, then register a dispute found on it"),
            id="visit.save-dispute",
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        chosen: Sequence[ResidentRow] | Sequence[Choice] = (),
        *,
        purpose: VisitPurpose = VisitPurpose.ROUTINE,
    ) -> None:
        super().__init__(ctx)
        self.chosen = [c if isinstance(c, Choice) else resident_choice(c) for c in chosen]
        self.purpose = purpose
        self.form_title = _("Record a visit")
        self.first_field = "staff_id" if self.chosen else "resident_ids"
        self._then_dispute = False

    @classmethod
    def for_card(cls, ctx: ServiceContext, card: ResidentCard) -> VisitForm:
        grid = card.grid_path_names[-1] if card.grid_path_names else ""
        return cls(ctx, [Choice(card.id, f"{card.name}  {card.phone_masked}  {grid}")])

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "resident_ids", _("Residents"), ResidentPicker(self.ctx, self.chosen), required=True
        )
        yield FormField(
            "visit_date", _("Date"), DateInput(self.ctx.clock.today(), clock=self.ctx.clock)
        )
        yield FormField(
            "staff_id",
            _("Visited by"),
            Lookup(lambda text: staff_choices(self.ctx, text), placeholder=_("name or code")),
            required=True,
        )
        yield FormField(
            "purpose",
            _("Purpose"),
            Select(
                [(Text(words), purpose) for words, purpose in choices(VisitPurpose)],
                value=self.purpose,
                allow_blank=False,
                compact=True,
                id="purpose-select",
            ),
        )
        yield FormField("checklist", _("Checklist"), SelectionList[str](id="checklist-list"))
        yield FormField(
            "summary",
            _("Summary"),
            TextArea(compact=True, soft_wrap=True, tab_behavior="focus", id="summary-text"),
        )

    def on_mount(self) -> None:
        # runs before FormScreen.on_mount, which Textual calls too
        self.show_checklist(self.purpose)

    @on(Select.Changed, "#purpose-select")
    def _purpose_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, VisitPurpose):
            self.show_checklist(event.value)

    def show_checklist(self, purpose: VisitPurpose) -> None:
        """The items of this purpose's checklist, none ticked (another purpose's do not fit)."""
        checklist = self.query_one("#checklist-list", SelectionList)
        checklist.clear_options()
        items = visits.checklist_for(purpose)
        checklist.add_options([(Text(_(item.label)), item.id) for item in items])
        if items:
            checklist.highlighted = 0
        self.field("checklist").display = bool(items)

    def action_save_then_dispute(self) -> None:
        if self.is_saving:
            return
        self._then_dispute = True
        self.action_save()
        if not self.is_saving:  # the form's own check found wrong fields: nothing was sent
            self._then_dispute = False

    def failed(self, error: BaseException | None) -> None:
        self._then_dispute = False
        super().failed(error)

    def saved(self, result: Any) -> None:
        then_dispute, self._then_dispute = self._then_dispute, False
        app = self.app
        super().saved(result)
        if then_dispute:
            # The visit is saved whatever happens to the dispute form after it. The request
            # goes to the app itself: this form has just closed.
            app.post_message(DisputeRequested(DisputeDraft(visit=result)))

    def submit(self, values: dict[str, Any]) -> VisitRow:
        return visits.record(
            self.ctx,
            VisitCreate(
                visit_date=values["visit_date"],
                staff_id=values["staff_id"],
                resident_ids=list(values["resident_ids"]),
                purpose=values["purpose"],
                summary=values["summary"],
                checklist=list(values["checklist"]),
            ),
        )

"""Add or edit a resident. Adding looks for the same person first (same ID number, or same
name and phone) and shows them before a second record is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, SelectionList

from policeroom.i18n import _
from policeroom.labels import choices
from policeroom.models.base import max_length
from policeroom.models.people import (
    Gender,
    ResidentBase,
    ResidentCreate,
    ResidentTagKind,
    ResidentUpdate,
)
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.core.validation import InvalidValue, check_id_number, check_mobile
from policeroom.services.org import grids
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentCard, ResidentRow, Saved
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField, FormScreen
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.people import messages
from policeroom.ui.people.duplicates import ADD_ANYWAY, DuplicatesScreen, OpenExisting


def _limit(field: str) -> int:
    """Typing stops at the length the resident's rules allow."""
    return max_length(ResidentBase, field)


@dataclass(frozen=True)
class _Duplicates:
    rows: list[ResidentRow]


def level3_grids(ctx: ServiceContext, text: str) -> list[Choice]:
    """Level-3 grids (where residents live) whose code or name matches ``text``."""
    return [
        Choice(node.id, f"{node.name} ({node.code})", node.code)
        for node in grids.find(ctx, text, limit=40)
        if node.level == 3
    ][:10]


class ResidentForm(FormScreen[Saved | OpenExisting]):
    """Dismissed with ``Saved``, ``OpenExisting`` (the user chose a duplicate), or None."""

    def __init__(
        self, ctx: ServiceContext, *, resident_id: int | None = None, grid_id: int | None = None
    ) -> None:
        super().__init__(ctx)
        self.resident_id = resident_id
        self.grid_id = grid_id
        self.version = 0
        self._add_anyway = False
        self._birth_hidden = False
        self.form_title = _("Edit resident") if resident_id else _("New resident")

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "name", _("Name"), Input(compact=True, max_length=_limit("name")), required=True
        )
        yield FormField(
            "id_number", _("ID number"), Input(compact=True, max_length=22, id="id-number-input")
        )
        yield FormField(
            "phone", _("Mobile"), Input(compact=True, max_length=_limit("phone"), id="phone-input")
        )
        yield FormField(
            "gender",
            _("Sex"),
            Select(
                [(Text(words), gender) for words, gender in choices(Gender)],
                prompt=_("from the ID number"),
                compact=True,
            ),
        )
        yield FormField("birth_date", _("Born"), DateInput(clock=self.ctx.clock, required=False))
        yield FormField("address", _("Address"), Input(compact=True, max_length=_limit("address")))
        yield FormField(
            "grid_id",
            _("Grid"),
            Lookup(
                lambda text: level3_grids(self.ctx, text),
                placeholder=_("level-3 grid: name or code"),
            ),
            required=True,
        )
        yield FormField(
            "tags",
            _("Tags"),
            SelectionList[ResidentTagKind](
                *[(Text(words), tag) for words, tag in choices(ResidentTagKind)]
            ),
        )
        yield FormField("notes", _("Notes"), Input(compact=True, max_length=_limit("notes")))

    def on_mount(self) -> None:
        # FormScreen.on_mount runs as well: Textual calls the handler of every class
        if self.resident_id is not None:
            self._read_resident(self.resident_id)
        elif self.grid_id is not None:
            self._read_grid(self.grid_id)

    @service_worker(messages.FORM_LOAD)
    def _read_resident(self, resident_id: int) -> messages.ResidentRead:
        return messages.ResidentRead(residents.card(self.ctx, resident_id))

    @service_worker(messages.FORM_LOAD)
    def _read_grid(self, grid_id: int) -> messages.GridRead:
        return messages.GridRead(grids.get(self.ctx, grid_id))

    @on(messages.ResidentRead)
    def _resident_read(self, message: messages.ResidentRead) -> None:
        message.stop()
        self.fill(message.card)

    @on(messages.GridRead)
    def _grid_read(self, message: messages.GridRead) -> None:
        message.stop()
        grid = message.grid
        if grid.level == 3:  # residents live in level-3 grids only
            self.field("grid_id").control.choose(  # type: ignore[attr-defined]
                Choice(grid.id, f"{grid.name} ({grid.code})", grid.code)
            )
            self.mark_clean()

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group != messages.FORM_LOAD:
            return  # FormScreen's own handler sees the save
        message.stop()
        self.notice(_("Could not read the resident: {error}").format(error=message.error))

    def fill(self, card: ResidentCard) -> None:
        """Put a stored resident in the fields; that counts as nothing typed yet."""
        self.version = card.version
        self.field("name").control.value = card.name  # type: ignore[attr-defined]
        # Numbers stay masked: editing is not a reason to see them (that is an audited
        # reveal on the card). Typing a new one replaces it; an empty box keeps it.
        for name, masked in (("id_number", card.id_number_masked), ("phone", card.phone_masked)):
            if masked:
                box = self.field(name).control
                assert isinstance(box, Input)
                box.placeholder = _("{masked} — type to change").format(masked=masked)
        self.field("gender").control.value = card.gender  # type: ignore[attr-defined]
        birth = self.field("birth_date").control
        assert isinstance(birth, DateInput)
        birth.set_date(card.birth_date)
        self._birth_hidden = card.birth_date_hidden
        if card.birth_date_hidden:  # digits of the masked ID number: kept unless typed over
            birth.input.placeholder = _("hidden with the ID no. — type to change")
        self.field("address").control.value = card.address  # type: ignore[attr-defined]
        self.field("notes").control.value = card.notes  # type: ignore[attr-defined]
        grid_name = card.grid_path_names[-1] if card.grid_path_names else ""
        self.field("grid_id").control.choose(  # type: ignore[attr-defined]
            Choice(card.grid_id, f"{grid_name} ({card.grid_code})", card.grid_code)
        )
        tags = self.field("tags").control
        assert isinstance(tags, SelectionList)
        for tag in card.tags:
            tags.select(tag)
        self.mark_clean()

    # --- checks at the field ----------------------------------------------------------------

    @on(Input.Changed, "#id-number-input")
    def _id_typed(self, event: Input.Changed) -> None:
        """A complete, valid ID number fills in sex and birth date."""
        try:
            found = check_id_number(event.value, self.ctx.clock.today())
        except InvalidValue:
            return
        self.field("gender").control.value = (  # type: ignore[attr-defined]
            Gender.MALE if found.is_male else Gender.FEMALE
        )
        birth = self.field("birth_date").control
        assert isinstance(birth, DateInput)
        if birth.date != found.birth_date:
            birth.set_date(found.birth_date)
        self.field("id_number").show_errors([])

    @on(Input.Blurred, "#id-number-input, #phone-input")
    def _number_left(self, event: Input.Blurred) -> None:
        name = "id_number" if event.input.id == "id-number-input" else "phone"
        problem = self._number_problem(name, event.value)
        self.field(name).show_errors([problem] if problem else [])

    def _number_problem(self, name: str, value: str) -> str:
        if not value.strip():
            return ""
        try:
            if name == "id_number":
                check_id_number(value, self.ctx.clock.today())
            else:
                check_mobile(value)
        except InvalidValue as error:
            return str(error)
        return ""

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        for name in ("id_number", "phone"):
            problem = self._number_problem(name, values.get(name) or "")
            if problem:
                problems.append(FieldError(name, problem))
        return problems

    # --- saving -----------------------------------------------------------------------------

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": values["name"],
            "id_number": values["id_number"],
            "phone": values["phone"],
            "gender": values["gender"],
            "birth_date": values["birth_date"],
            "address": values["address"],
            "grid_id": values["grid_id"],
            "notes": values["notes"],
            "tags": list(values["tags"]),
        }

    def submit(self, values: dict[str, Any]) -> Saved | _Duplicates:
        if self.resident_id is not None:
            changes = self._fields(values)
            for kept in ("id_number", "phone"):
                if not changes[kept].strip():
                    del changes[kept]
            if self._birth_hidden and changes["birth_date"] is None:
                del changes["birth_date"]
            update = ResidentUpdate(**changes)
            return residents.update(self.ctx, self.resident_id, update, self.version)
        data = ResidentCreate(**self._fields(values))
        if not self._add_anyway:
            duplicates = residents.find_duplicates(self.ctx, data)
            if duplicates:
                return _Duplicates(duplicates)
        return residents.create(self.ctx, data)

    def saved(self, result: Any) -> None:
        if not isinstance(result, _Duplicates):
            if isinstance(result, Saved) and result.warnings:
                self.app.notify("; ".join(result.warnings), title=_("Saved, but note"))
            super().saved(result)
            return

        def decided(answer: OpenExisting | str | None) -> None:
            if isinstance(answer, OpenExisting):
                self.dismiss(answer)
            elif answer == ADD_ANYWAY:
                self._add_anyway = True
                self.action_save()

        self.app.push_screen(DuplicatesScreen(result.rows), decided)

"""The behaviour every form shares: labelled fields, ``ctrl+s`` to save, ``escape`` to leave.

Saving checks what can be checked here, then calls the service in a worker thread, which
answers with ``FormSaved`` or ``ServiceFailed``; a ``ValidationError`` puts each message
under its field and lists every wrong field in a summary; ``StaleRecord`` says someone else
saved first and keeps what was typed. Leaving a form with typing in it asks first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

import pydantic
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import (
    DatabaseBusy,
    FieldError,
    Forbidden,
    NotFound,
    ServiceError,
    StaleRecord,
    ValidationError,
)
from policeroom.services.core.fields import field_errors
from policeroom.ui.common import messages, styles
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.lookup import Lookup
from policeroom.ui.common.workers import ServiceFailed, service_worker

ResultT = TypeVar("ResultT")


class FormField(Widget):
    """A label, the control that takes the input, and the error shown under it.

    ``field`` is the attribute name the service uses in its ``FieldError``s.
    """

    def __init__(
        self,
        field: str,
        label: str,
        control: Widget,
        *,
        required: bool = False,
        hint: str = "",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=f"field-{field}", classes=classes)
        self.field = field
        self.label = label
        self.control = control
        self.required = required
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal(classes="form-field--row"):
            marker = " *" if self.required else ""
            yield Label(Text(self.label + marker), classes="form-field--label")
            yield self.control
        yield Static("", classes="form-field--error")
        if self.hint:
            yield Static(Text(self.hint), classes="form-field--hint")

    @property
    def value(self) -> Any:
        """What the control holds now, as typed, in a form that can be compared with ``==``."""
        control = self.control
        if isinstance(control, SelectionList):
            return tuple(sorted(control.selected))
        if isinstance(control, Select):
            return None if control.value is Select.NULL else control.value
        if isinstance(control, TextArea):
            return control.text
        return getattr(control, "value", None)

    @property
    def data(self) -> Any:
        """What the control means: a date field's date rather than its text."""
        if isinstance(self.control, DateInput):
            return self.control.date
        return self.value

    @property
    def errors(self) -> list[str]:
        return list(self._errors) if hasattr(self, "_errors") else []

    def show_errors(self, messages: Iterable[str]) -> None:
        self._errors = list(messages)
        self.set_class(bool(self._errors), "-invalid")

        shown = self._errors
        if isinstance(self.control, DateInput) and shown == [self.control.error]:
            shown = []  # the date field already says it beside the text
        self.query_one(".form-field--error", Static).update(Text("; ".join(shown)))
        self.set_class(bool(shown), "-message")

    def focus_control(self) -> None:
        """Focus the control with its text selected, as tabbing into it would."""
        self.control.focus()
        text = self.control.input if isinstance(self.control, DateInput) else self.control
        if isinstance(text, Input):
            text.select_all()


def new_draft_id() -> str:
    """A key no other draft has (random, so two desks never share one)."""
    return uuid.uuid4().hex


class FormScreen(Screen[ResultT], Generic[ResultT]):
    """A form: subclasses yield ``FormField``s, ``check`` what they can, ``submit`` to a service.

    ``submit`` runs in a worker thread and returns what the form is dismissed with.
    """

    CSS_PATH = styles.FORMS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), tooltip=_("Check and save the form"), id="form.save"),
        Binding(
            "escape",
            "leave",
            _("Leave"),
            tooltip=_("Leave the form (asks first if something was typed)"),
            id="form.leave",
        ),
    ]

    form_title: str = ""
    first_field: str = ""
    """The field that has the focus when the form opens (default: the first)."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        # The draft's key rides on every call the form makes: a create sent twice with it (a
        # save whose answer was lost, tried again) gives back the first record, never a second.
        self.ctx = ctx.keyed(new_draft_id())
        self._baseline: dict[str, Any] = {}
        self._saving = False
        # ctrl+s came while a lookup's search of what was typed had not answered: the save
        # goes on when it has, so a code typed and saved at once is not "needed".
        self._waiting = False

    # --- what a form provides -------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        """Yield the form's ``FormField``s (and anything else between them)."""
        yield from ()

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        """Problems found without the database: required fields and unreadable dates."""
        problems: list[FieldError] = []
        for form_field in self.fields():
            control = form_field.control
            if isinstance(control, DateInput) and control.error:
                problems.append(FieldError(form_field.field, control.error))
            elif form_field.required and values.get(form_field.field) in (None, "", ()):
                problems.append(FieldError(form_field.field, _("this field is needed")))
        return problems

    def submit(self, values: dict[str, Any]) -> Any:
        """Save through the service (runs in a worker thread); raise the service's errors.

        Whatever it returns is handed to ``saved`` on the UI thread.
        """
        raise NotImplementedError

    def saved(self, result: Any) -> None:
        """The service saved: by default the form closes with ``result``."""
        self.clear_errors()
        self.mark_clean()
        self.dismiss(result)

    # --- shared behaviour -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static(Text(self.form_title), id="form-title")
        yield Static("", id="form-notice")
        # the focused field scrolls into view; the body itself needs no tab stop
        with VerticalScroll(id="form-body", can_focus=False):
            yield from self.compose_fields()
        yield Static("", id="form-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Before the field hears of its focus: the screen's focus changes first.
        self.watch(self, "focused", self._select_or_keep)
        self.watch(self, "focused", self._mark_focused_field)
        self.call_after_refresh(self.mark_clean)
        fields = self.fields()
        first = next((f for f in fields if f.field == self.first_field), None)
        first = first or next(iter(fields), None)
        if first is not None:
            first.focus_control()

    def fields(self) -> list[FormField]:
        return list(self.query(FormField))

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def values(self) -> dict[str, Any]:
        """What is typed in each field (compared to tell whether something was typed)."""
        return {form_field.field: form_field.value for form_field in self.fields()}

    def data(self) -> dict[str, Any]:
        """What each field means (dates as dates): what ``check`` and ``submit`` get."""
        return {form_field.field: form_field.data for form_field in self.fields()}

    def _mark_focused_field(self, widget: Widget | None) -> None:
        """The field holding the focus shows it (its label in bold): the label stayed on
        the field focused first while the focus moved on, and an officer who tabbed "to the
        person" from the bold post left the person's picker, already focused, for the day."""
        holder = None
        if widget is not None:
            holder = next((a for a in widget.ancestors_with_self if isinstance(a, FormField)), None)
        for form_field in self.fields():
            form_field.set_class(form_field is holder, "-focused")

    def _select_or_keep(self, widget: Widget | None) -> None:
        """Tabbing into a text field the officer typed in puts the cursor after the text: one
        who tabs back to add 之一 to an address must not wipe it with the first key. A field
        only the program filled in (a default, the record's value, a preset) and a field
        marked wrong are still selected, to be typed over; dates and pickers keep Textual's
        select-all."""
        if not isinstance(widget, Input):
            return
        field = next((a for a in widget.ancestors if isinstance(a, FormField)), None)
        if field is None or field.control is not widget:
            return
        typed = widget in self.typed_in
        widget.select_on_focus = not typed or bool(field.errors)

    @on(Input.Changed)
    def _note_typing(self, event: Input.Changed) -> None:
        # A change while the field has the focus is the officer's typing; what the program
        # fills in (a preset, a birth date from the ID) changes fields that do not.
        if event.input.has_focus:
            self.typed_in.add(event.input)

    @property
    def typed_in(self) -> set[Input]:
        """The text fields the officer has typed in (a form fills some before it mounts)."""
        found: set[Input] = self.__dict__.setdefault("_typed_in", set())
        return found

    def mark_clean(self) -> None:
        """What is in the fields now counts as untouched (after filling them from a record)."""
        self._baseline = self.values()

    @property
    def is_dirty(self) -> bool:
        return self.values() != self._baseline

    @property
    def is_saving(self) -> bool:
        """True from ``ctrl+s`` until the service has answered."""
        return self._saving or self._waiting

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """The messages shown under the fields now, by field name."""
        return {f.field: f.errors for f in self.fields() if f.errors}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self._saving:
            return None
        return True

    def action_save(self) -> None:
        if self._saving:
            return
        # every lookup is asked (not ``any``): each must start searching its typing
        self._waiting = any([lookup.settle() for lookup in self.query(Lookup)])
        if self._waiting:
            return
        values = self.data()
        problems = self.check(values)
        if problems:
            self.show_errors(problems)
            return
        self._saving = True
        self.refresh_bindings()
        self.notice("")
        self._submit(values)

    @on(Lookup.Answered)
    def _lookup_answered(self, event: Lookup.Answered) -> None:
        if self._waiting and not any(lookup.pending for lookup in self.query(Lookup)):
            self._waiting = False
            self.action_save()

    def action_leave(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                _("Leave this form and discard what you typed?"),
                yes=_("y = discard"),
                no=_("n = keep editing"),
            ),
            answered,
        )

    def show_errors(self, problems: list[FieldError]) -> None:
        """Each message under its field; the summary names every wrong field."""
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        first: FormField | None = None
        for form_field in self.fields():
            messages = by_field.get(form_field.field, [])
            form_field.show_errors(messages)
            if messages and first is None:
                first = form_field
        order = [f.field for f in self.fields()]
        labels = {f.field: f.label for f in self.fields()}
        lines = [
            _("Not saved: {n} fields need attention.").format(n=len(by_field))
            if len(by_field) != 1
            else _("Not saved: 1 field needs attention.")
        ]
        # in the order of the form; errors about fields it does not show come last
        for name in sorted(by_field, key=lambda n: order.index(n) if n in order else len(order)):
            lines.append(f"• {labels.get(name, name)}: {'; '.join(by_field[name])}")
        summary = self.query_one("#form-summary", Static)
        summary.update(Text("\n".join(lines)))
        summary.set_class(True, "-shown")
        if first is not None:
            first.focus_control()

    def clear_errors(self) -> None:
        for form_field in self.fields():
            form_field.show_errors([])
        summary = self.query_one("#form-summary", Static)
        summary.update("")
        summary.set_class(False, "-shown")

    def notice(self, message: str) -> None:
        """A message across the top of the form (empty hides it)."""
        banner = self.query_one("#form-notice", Static)
        banner.update(Text(message))
        banner.set_class(bool(message), "-shown")

    # Whatever ``submit`` raises ends in ``failed``: a form left "saving" would keep the
    # officer's typing hostage. Not exclusive: a save that already wrote must be answered.
    @service_worker(messages.FORM_SAVE, exclusive=False, failures=(Exception,))
    def _submit(self, values: dict[str, Any]) -> messages.FormSaved:
        return messages.FormSaved(self.submit(values))

    @on(messages.FormSaved)
    def _save_answered(self, message: messages.FormSaved) -> None:
        message.stop()
        self._saving = False
        # A form that stays open after a save makes its next record under a new key.
        self.ctx = self.ctx.keyed(new_draft_id())
        self.refresh_bindings()
        self.saved(message.result)

    @on(ServiceFailed)
    def _save_refused(self, message: ServiceFailed) -> None:
        if message.group != messages.FORM_SAVE or not self._saving:
            return  # a field's own read (a lookup): the app says why
        message.stop()
        self._saving = False
        self.refresh_bindings()
        self.failed(message.error)

    def failed(self, error: BaseException | None) -> None:
        """Show why the service refused; nothing typed is cleared."""
        if isinstance(error, pydantic.ValidationError):
            # An input schema refused what was typed before the service was called.
            error = field_errors(error)
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        elif isinstance(error, StaleRecord):
            self.notice(
                _(
                    "Not saved: someone else saved this record after you opened it. "
                    "Your typing is kept here; leave and reopen the record to see their change."
                )
            )
        elif isinstance(error, DatabaseBusy):
            self.notice(
                _(
                    "Not saved: the database is busy with another desk's work. "
                    "Your typing is kept here; press ctrl+s again."
                )
            )
        elif isinstance(error, Forbidden):
            # The service says why in the user's words (another room's record, a read-only
            # role); the form keeps the typing.
            self.notice(_("Not saved: {error}").format(error=error))
        elif isinstance(error, NotFound):
            self.notice(_("Not saved: the record no longer exists."))
        elif isinstance(error, ServiceError):
            self.notice(_("Not saved: {error}").format(error=error))
        else:
            self.notice(_("Not saved: the database failed ({error}).").format(error=error))

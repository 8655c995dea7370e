"""Filter the disputes pane by status, risk, category, report period and "needs action"."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Select, Static

from policeroom.clock import Clock
from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.disputes import DisputeCategory, DisputeStatus, RiskGrade
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.disputes.dispute_dialog import LEDGER_CSS

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class DisputeFilter:
    """What the pane keeps besides the grid and the search text."""

    status: DisputeStatus | None = None
    risk: RiskGrade | None = None
    category: DisputeCategory | None = None
    date_from: date | None = None
    date_to: date | None = None
    needs_action: bool = False
    # set from the statistics (a figure's records), not by this screen's fields
    open_only: bool = False
    overdue: bool = False

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, False) for f in fields(self))

    def describe(self) -> str:
        """``Mediating · High · from 2022-04-01 · needs action`` ("" when nothing is set)."""
        parts = [label(value) for value in (self.status, self.risk, self.category) if value]
        if self.date_from:
            parts.append(_("from {d}").format(d=self.date_from.isoformat()))
        if self.date_to:
            parts.append(_("to {d}").format(d=self.date_to.isoformat()))
        if self.needs_action:
            parts.append(_("needs action"))
        if self.overdue:
            parts.append(_("overdue"))
        elif self.open_only:
            parts.append(_("open"))
        return " · ".join(parts)


def enum_select(enum: type[E], value: E | None, prompt: str, id: str) -> Select[E]:
    """A compact select of an enumeration's translated labels; blank means "any"."""
    return Select(
        [(Text(label(member)), member) for member in enum],
        prompt=prompt,
        value=value if value is not None else Select.NULL,
        compact=True,
        id=id,
    )


class DisputeFilterScreen(ModalScreen[DisputeFilter | None]):
    """Dismissed with the new filter, or None when left with ``escape``."""

    CSS_PATH = LEDGER_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "apply",
            _("Apply"),
            tooltip=_("Show the disputes that match this filter"),
            id="dispute-filter.apply",
        ),
        Binding(
            "ctrl+l",
            "clear",
            _("Clear all"),
            tooltip=_("Empty every field of the filter"),
            id="dispute-filter.clear",
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            tooltip=_("Close and keep the filter as it was"),
            id="dispute-filter.cancel",
        ),
    ]

    def __init__(self, current: DisputeFilter, clock: Clock) -> None:
        super().__init__(classes="dispute-dialog")
        self.current = current
        self.clock = clock

    def compose(self) -> ComposeResult:
        now = self.current
        with Vertical(id="dialog-box"):
            yield Static(Text(_("Filter the disputes")), id="dialog-title")
            with VerticalScroll(id="form-body", can_focus=False):
                yield FormField(
                    "status",
                    _("Status"),
                    enum_select(DisputeStatus, now.status, _("any status"), "filter-status"),
                )
                yield FormField(
                    "risk",
                    _("Risk"),
                    enum_select(RiskGrade, now.risk, _("any risk"), "filter-risk"),
                )
                yield FormField(
                    "category",
                    _("Category"),
                    enum_select(
                        DisputeCategory, now.category, _("any category"), "filter-category"
                    ),
                )
                yield FormField(
                    "date_from",
                    _("Reported from"),
                    DateInput(now.date_from, clock=self.clock, required=False, id="filter-from"),
                )
                yield FormField(
                    "date_to",
                    _("Reported to"),
                    DateInput(now.date_to, clock=self.clock, required=False, id="filter-to"),
                )
                yield FormField(
                    "needs_action",
                    _("Needs action"),
                    Checkbox(
                        _("only what is due soon, overdue or warned about"),
                        now.needs_action,
                        compact=True,
                        id="filter-needs-action",
                    ),
                )
            yield Static("", id="form-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#filter-status", Select).focus()

    def _field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def _date(self, name: str) -> DateInput:
        control = self._field(name).control
        assert isinstance(control, DateInput)
        return control

    def action_apply(self) -> None:
        problems = {name: self._date(name).error for name in ("date_from", "date_to")}
        start, end = self._date("date_from").date, self._date("date_to").date
        if start and end and start > end and not problems["date_to"]:
            problems["date_to"] = _("the period ends before it starts")
        for name, message in problems.items():
            self._field(name).show_errors([message] if message else [])
        if any(problems.values()):
            return

        chosen = {name: self._field(name).value for name in ("status", "risk", "category")}
        self.dismiss(
            DisputeFilter(
                status=chosen["status"],
                risk=chosen["risk"],
                category=chosen["category"],
                date_from=start,
                date_to=end,
                needs_action=bool(self.query_one("#filter-needs-action", Checkbox).value),
            )
        )

    def action_clear(self) -> None:
        for select in self.query(Select):
            select.clear()
        for date_input in self.query(DateInput):
            date_input.set_date(None)
        self.query_one("#filter-needs-action", Checkbox).value = False

    def action_cancel(self) -> None:
        self.dismiss(None)

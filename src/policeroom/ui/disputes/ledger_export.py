"""Export the ledger (台账) of a period and a grid to a CSV or XLSX file, in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from policeroom.i18n import _
from policeroom.services.core import files
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, ValidationError
from policeroom.services.disputes import ledger
from policeroom.services.disputes.ledger import DisputeQuery
from policeroom.services.org import grids
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.export_path import confined_hint, shown_path
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.common.workers import service_worker
from policeroom.ui.disputes import messages
from policeroom.ui.disputes.dispute_dialog import LedgerForm
from policeroom.ui.disputes.dispute_form import GRID_LIMIT, grid_choice

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Exported:
    path: Path
    disputes: int


def default_path(folder: Path, today_text: str, extension: str) -> Path:
    return folder / f"disputes-ledger-{today_text}.{extension}"


class LedgerExportScreen(LedgerForm[Exported]):
    """Dismissed with what was written, or None. ``query`` gives the grid to start with."""

    def __init__(
        self, ctx: ServiceContext, query: DisputeQuery | None = None, folder: Path | None = None
    ) -> None:
        super().__init__(ctx)
        self.start = query or DisputeQuery()
        self.folder = files.export_folder(ctx, folder or Path.home())
        self.form_title = _("Export the dispute ledger")
        self._replace: Path | None = None

    def compose_fields(self) -> ComposeResult:
        clock = self.ctx.clock
        yield FormField(
            "date_from",
            _("Reported from"),
            DateInput(self.start.date_from, clock=clock, required=False, id="export-from"),
            hint=_("Empty: from the first dispute"),
        )
        yield FormField(
            "date_to",
            _("Reported to"),
            DateInput(self.start.date_to, clock=clock, required=False, id="export-to"),
            hint=_("Empty: up to today"),
        )
        yield FormField(
            "grid_id",
            _("Grid"),
            Lookup(self._grids, placeholder=_("empty: every grid"), id="export-grid"),
            hint=_("The grid and every grid under it"),
        )
        yield FormField(
            "format",
            _("Format"),
            Select(
                [(Text(_("XLSX workbook with totals")), "xlsx"), (Text(_("CSV text")), "csv")],
                value="xlsx",
                allow_blank=False,
                compact=True,
                id="export-format",
            ),
        )
        path = default_path(self.folder, clock.today().isoformat(), "xlsx")
        yield FormField(
            "path",
            _("File"),
            Input(shown_path(self.ctx, path), compact=True, id="export-path"),
            required=True,
            hint=confined_hint(self.ctx),
        )

    def on_mount(self) -> None:
        if self.start.grid_id is not None:
            self._load_grid(self.start.grid_id)

    @service_worker(messages.EXPORT_GRID)
    def _load_grid(self, grid_id: int) -> messages.GridRead:
        return messages.GridRead(grids.get(self.ctx, grid_id))

    @on(messages.GridRead)
    def _show_grid(self, message: messages.GridRead) -> None:
        message.stop()
        self.query_one("#export-grid", Lookup).choose(grid_choice(message.grid))
        self.mark_clean()

    def _grids(self, text: str) -> list[Choice]:
        return [grid_choice(grid) for grid in grids.find(self.ctx, text, GRID_LIMIT)]

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix.lstrip(".") in FORMATS and event.value in FORMATS:
            path_input.value = str(path.with_suffix(f".{event.value}"))

    def _date(self, name: str) -> DateInput:
        control = self.field(name).control
        assert isinstance(control, DateInput)
        return control

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        start, end = self._date("date_from").date, self._date("date_to").date
        if start and end and start > end:
            problems.append(FieldError("date_to", _("the period ends before it starts")))
        typed = str(values.get("path") or "").strip()
        if not typed:
            return problems
        try:
            path = files.export_target(self.ctx, typed)
        except ValidationError as error:
            return [*problems, *error.errors]
        if not path.parent.is_dir():
            problems.append(
                FieldError("path", _("there is no folder {folder}").format(folder=path.parent))
            )
        elif path.is_dir():
            problems.append(FieldError("path", _("{path} is a folder").format(path=path)))
        elif path.exists() and self._replace != path:
            self._replace = path
            problems.append(
                FieldError("path", _("the file exists: ctrl+s again replaces it, or rename"))
            )
        return problems

    def submit(self, values: dict[str, Any]) -> Exported:
        path = files.export_target(self.ctx, str(values["path"]))
        query = DisputeQuery(
            grid_id=values.get("grid_id"),
            date_from=self._date("date_from").date,
            date_to=self._date("date_to").date,
        )
        if values.get("format") == "csv":
            written = ledger.export_csv(self.ctx, path, query)
        else:
            written = ledger.export_xlsx(self.ctx, path, query)
        return Exported(path, written)

    def saved(self, result: Any) -> None:
        assert isinstance(result, Exported)
        self.app.notify(
            _("{n} disputes written to {path}").format(n=result.disputes, path=result.path),
            timeout=10,
        )
        super().saved(result)

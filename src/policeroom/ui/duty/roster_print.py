"""Print the week for the wall: a text, HTML or XLSX file written in a worker thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from policeroom.i18n import _
from policeroom.services.core import files
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.views import PRINT_FORMATS, Printed, PrintFormat
from policeroom.ui.common.export_path import confined_hint, shown_path
from policeroom.ui.common.form_base import FormField
from policeroom.ui.duty.roster_form import RosterForm

EXTENSIONS: dict[PrintFormat, str] = {"text": ".txt", "html": ".html", "xlsx": ".xlsx"}


def default_path(folder: Path, code: str, monday: date, fmt: PrintFormat) -> Path:
    """``~/roster-R0101-2022-04-25.txt``."""
    return folder / f"roster-{code or 'all'}-{monday.isoformat()}{EXTENSIONS[fmt]}"


class PrintForm(RosterForm[Printed]):
    """Which format, and the file to write (every room one after another when none is shown)."""

    def __init__(
        self,
        ctx: ServiceContext,
        police_room_id: int | None,
        room_code: str,
        room_name: str,
        monday: date,
        folder: Path | None = None,
    ) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id
        self.room_code = room_code
        self.room_name = room_name
        self.monday = monday
        self.folder = files.export_folder(ctx, folder or Path.home())
        self.form_title = _("Print the week")

    def compose_fields(self) -> ComposeResult:
        labels = {"text": _("plain text"), "html": _("HTML page"), "xlsx": _("XLSX workbook")}
        yield Static(
            Text(
                _("{room}, week of {monday}").format(
                    room=self.room_name or _("every police room"), monday=self.monday.isoformat()
                )
            ),
            id="print-what",
        )
        yield FormField(
            "format",
            _("Format"),
            Select[str](
                [(labels[fmt], fmt) for fmt in PRINT_FORMATS],
                value="text",
                allow_blank=False,
                compact=True,
                id="print-format",
            ),
        )
        yield FormField(
            "path",
            _("File"),
            Input(shown_path(self.ctx, self._path("text")), compact=True, id="print-path"),
            required=True,
            hint=confined_hint(self.ctx),
        )

    def _path(self, fmt: PrintFormat) -> Path:
        return default_path(self.folder, self.room_code, self.monday, fmt)

    @on(Select.Changed, "#print-format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#print-path", Input)
        current = Path(path.value)
        if current.suffix in EXTENSIONS.values():
            path.value = str(current.with_suffix(EXTENSIONS[event.value]))  # type: ignore[index]

    def submit(self, values: dict[str, Any]) -> Printed:
        fmt: PrintFormat = values["format"]
        path = files.export_target(self.ctx, str(values["path"]))
        return roster_views.print_week(self.ctx, self.police_room_id, self.monday, fmt, path)

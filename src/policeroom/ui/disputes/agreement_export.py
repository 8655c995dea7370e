"""Write the people's mediation agreement (人民调解协议书) of a dispute as a DOCX file to
print and sign, in the interface's language; over SSH only into the user's export folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from policeroom.i18n import _
from policeroom.services.core import files
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, ValidationError
from policeroom.services.disputes import agreement
from policeroom.services.disputes.agreement import AgreementWritten
from policeroom.services.disputes.card import DisputeCard
from policeroom.ui.common.export_path import confined_hint, shown_path
from policeroom.ui.common.form_base import FormField
from policeroom.ui.disputes.dispute_dialog import DialogForm


class AgreementExportForm(DialogForm[AgreementWritten]):
    """Dismissed with what was written, or None."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard, folder: Path | None = None) -> None:
        super().__init__(ctx)
        self.card = card
        self.folder = files.export_folder(ctx, folder or Path.home())
        self.dialog_title = _("Mediation agreement of {number}").format(number=card.number)
        self._replace: Path | None = None

    def compose_fields(self) -> ComposeResult:
        path = self.folder / agreement.default_name(self.card.number)
        yield FormField(
            "path",
            _("File"),
            Input(shown_path(self.ctx, path), compact=True, id="agreement-path"),
            required=True,
            hint=confined_hint(self.ctx) or _("A Word document (DOCX) to print and sign"),
        )

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        typed = str(values.get("path") or "").strip()
        if not typed:
            return problems
        try:
            path = files.export_target(self.ctx, typed)
        except ValidationError as error:
            return [*problems, *error.errors]
        if path.exists() and not path.is_dir() and self._replace != path:
            # Asked once: a second ctrl+s replaces the file (a corrected agreement).
            self._replace = path
            problems.append(
                FieldError("path", _("the file exists: ctrl+s again replaces it, or rename"))
            )
        return problems

    def submit(self, values: dict[str, Any]) -> AgreementWritten:
        path = files.export_target(self.ctx, str(values["path"]))
        return agreement.write(self.ctx, self.card.id, path)

"""The mediation agreement laid out as a Word document (python-docx).

Kept apart from ``agreement`` so that python-docx and lxml are imported only when a
document is written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

from policeroom.i18n import _, current_language
from policeroom.labels import label
from policeroom.services.disputes.agreement_content import FONTS, Agreement, long_date

# --- the document ------------------------------------------------------------------------


def _fonts(run: Run, layout: str, size: float | None = None, bold: bool = False) -> Run:
    latin, east_asian = FONTS[layout]
    run.font.name = latin
    # Word takes Chinese glyphs from the East Asian font, which python-docx does not set.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = Pt(size)
    run.bold = bold
    return run


def _paragraph(
    document: DocumentObject, text: str, layout: str, *, bold: bool = False, indent: bool = False
) -> None:
    paragraph = document.add_paragraph()
    if indent and layout == "zh":
        # Chinese paragraphs open with two full-width spaces' indent.
        paragraph.paragraph_format.first_line_indent = Pt(24)
    _fonts(paragraph.add_run(text), layout, 12, bold)


def _heading(document: DocumentObject, text: str, layout: str) -> None:
    _paragraph(document, text, layout, bold=True)


def build(agreement: Agreement) -> DocumentObject:
    """The document of ``agreement`` in the current language's layout."""
    layout = "zh" if current_language() == "zh" else "en"
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(title.add_run(_("People's Mediation Agreement")), layout, 18, bold=True)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _fonts(number.add_run(_("No. {number}").format(number=agreement.dispute_number)), layout, 10.5)

    _heading(document, _("Parties"), layout)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (_("Role"), _("Name"), _("Gender"), _("Address")), strict=True
    ):
        _fonts(cell.paragraphs[0].add_run(text), layout, 10.5, bold=True)
    for party in agreement.parties:
        cells = table.add_row().cells
        values = (label(party.role), party.name, label(party.gender), party.address)
        for cell, text in zip(cells, values, strict=True):
            _fonts(cell.paragraphs[0].add_run(text), layout, 10.5)

    _heading(document, _("Facts of the dispute and the matters in dispute"), layout)
    _paragraph(document, agreement.facts, layout, indent=True)
    _heading(
        document,
        _("Mediated on {date} at {place}, the parties freely agree as follows").format(
            date=long_date(agreement.held_on), place=agreement.place
        ),
        layout,
    )
    for term in agreement.terms:
        _paragraph(document, term, layout, indent=True)

    _heading(document, _("Performance"), layout)
    _paragraph(
        document,
        _("The parties carry out the terms above in the way and by the dates agreed."),
        layout,
        indent=True,
    )
    if agreement.follow_ups:
        _paragraph(
            document,
            _("{officer} will visit the parties on {dates} to see that it is kept.").format(
                officer=agreement.officer or _("The police room"),
                dates=_(", ").join(long_date(day) for day in agreement.follow_ups),
            ),
            layout,
            indent=True,
        )
    signatories = [party for party in agreement.parties if party.signs]
    _paragraph(
        document,
        _(
            "This agreement takes effect when every party has signed it. It is made in {n} "
            "copies: one for each party and one kept by the mediators."
        ).format(n=len(signatories) + 1),
        layout,
        indent=True,
    )

    _heading(document, _("Signatures"), layout)
    signatures = document.add_table(rows=1, cols=3)
    signatures.style = "Table Grid"
    for cell, text in zip(
        signatures.rows[0].cells, (_("Signed as"), _("Name"), _("Signature and date")), strict=True
    ):
        _fonts(cell.paragraphs[0].add_run(text), layout, 10.5, bold=True)
    blank_date = _("Date: ____________")
    for party in signatories:
        cells = signatures.add_row().cells
        for cell, text in zip(cells, (label(party.role), party.name, blank_date), strict=True):
            _fonts(cell.paragraphs[0].add_run(text), layout, 10.5)
    for mediator in agreement.mediators:
        cells = signatures.add_row().cells
        for cell, text in zip(cells, (_("Mediator"), mediator, blank_date), strict=True):
            _fonts(cell.paragraphs[0].add_run(text), layout, 10.5)
    _paragraph(
        document,
        _("Place: {place}    Date of mediation: {date}").format(
            place=agreement.place, date=long_date(agreement.held_on)
        ),
        layout,
    )
    return document


def save_private(document: DocumentObject, target: Path) -> None:
    """Save under a temporary name beside ``target``, owner-only, then put it in place: a
    reader never sees half a document, and the parties' names are nobody else's to read."""
    handle, temporary = tempfile.mkstemp(prefix=".agreement-", suffix=".docx", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            document.save(stream)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""The week's roster for the wall: plain text, a standalone HTML page, or an XLSX workbook.

Chinese characters take two columns on a terminal and in a monospace print, so the text is a
Rich table (which measures them) and XLSX columns are sized with ``rich.cells.cell_len``,
never ``len``. The text table is drawn in ASCII: box-drawing characters are of ambiguous
width, and a Chinese terminal or printer font draws them two columns wide.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from rich import box
from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Table

from policeroom import formatting
from policeroom.i18n import _, current_language
from policeroom.labels import label
from policeroom.services.duty.coverage import FindingKind
from policeroom.services.duty.roster import WeekCell, WeekView

GAP_KINDS = (FindingKind.GAP, FindingKind.TIER_UNCOVERED)


def _clock(moment: datetime, day: date) -> str:
    if moment >= datetime.combine(day + timedelta(days=1), time(0)):
        return "24"
    return f"{moment:%H}" if moment.minute == 0 else f"{moment:%H:%M}"


def gap_lines(cell: WeekCell) -> list[str]:
    """``! 08-20 auxiliary×1`` for each stretch of the day under strength."""
    lines = []
    day_start = datetime.combine(cell.day, time(0))
    day_end = day_start + timedelta(days=1)
    for finding in cell.findings:
        if finding.kind not in GAP_KINDS or finding.starts_at is None or finding.ends_at is None:
            continue
        start, end = max(finding.starts_at, day_start), min(finding.ends_at, day_end)
        short = " ".join(f"{label(kind)}×{count}" for kind, count in finding.missing)
        lines.append(f"! {_clock(start, cell.day)}-{_clock(end, cell.day)} {short}")
    return lines


def cell_lines(view: WeekView, cell: WeekCell) -> list[str]:
    """What one cell says, a line per shift, then its gaps."""
    lines = []
    if cell.on_leave:
        lines.append(_("on leave"))
    for shift in cell.shifts:
        who = shift.post_name if view.by == "staff" else shift.short_name
        lines.append(f"{shift.times} {who}")
    lines.extend(gap_lines(cell))
    return lines


def title(view: WeekView) -> str:
    last = view.days[-1]
    return _("{room} duty roster {start} to {end}").format(
        room=view.room_name, start=view.week_start.isoformat(), end=last.isoformat()
    )


def _notes(view: WeekView) -> list[str]:
    """Under-strength and grid findings listed under the table."""
    wanted = (*GAP_KINDS, FindingKind.PAIRING, FindingKind.GRID_OFFICER)
    return [f.message for f in view.findings if f.kind in wanted]


# --- text -------------------------------------------------------------------------------


def text(views: Sequence[WeekView]) -> str:
    """Each view as a boxed plain-text table; rooms one after another."""
    return formatting.plain_text(*text_renderables(views))


def text_renderables(views: Sequence[WeekView]) -> list[RenderableType]:
    """What :func:`text` prints, for a console to print it to a terminal."""
    parts: list[RenderableType] = []
    for view in views:
        if parts:
            parts.append("")
        parts += _text_one(view)
    return parts


def _text_one(view: WeekView) -> list[RenderableType]:
    headings = [
        _("Post") if view.by == "post" else _("Name"),
        *map(formatting.day_month, view.days),
    ]
    table = Table(box=box.ASCII2, show_lines=True, show_header=bool(view.rows))
    for heading in headings:
        table.add_column(heading)
    if not view.rows:
        # Alone, a heading row gets a rule under it and the bottom rule: two rules.
        table.add_row(*headings)
    for row in view.rows:
        table.add_row(
            f"{row.label}\n{row.detail}", *("\n".join(cell_lines(view, c)) for c in row.cells)
        )
    out: list[RenderableType] = [title(view), "", table]
    if not view.rows:
        out.append(_("no posts"))
    notes = _notes(view)
    if notes:
        out += ["", _("Under strength and other warnings:")] + [f"  - {note}" for note in notes]
    return out


# --- HTML -------------------------------------------------------------------------------

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5em; }
h1 { font-size: 1.3em; margin: 0 0 .5em; }
section { page-break-after: always; margin-bottom: 2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: .25em .4em; vertical-align: top; font-size: .95em; }
thead th { background: #ddd; }
tbody th { text-align: left; white-space: nowrap; }
small { color: #555; font-weight: normal; }
td.gap { background: #fdd; }
.gapline { color: #a00; font-weight: bold; }
ul.notes { color: #a00; }
"""


def html_page(views: Sequence[WeekView]) -> str:
    """A standalone page (one section per room) to print for the wall; all text escaped."""
    esc = html.escape
    lang = "zh-CN" if current_language() == "zh" else "en"
    page_title = title(views[0]) if len(views) == 1 else _("Duty roster")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{esc(page_title)}</title><style>{_STYLE}</style></head><body>",
    ]
    for view in views:
        heading = _("Post") if view.by == "post" else _("Name")
        parts.append(f"<section><h1>{esc(title(view))}</h1><table><thead><tr>")
        parts.append(f"<th>{esc(heading)}</th>")
        parts += [f"<th>{esc(formatting.day_month(day))}</th>" for day in view.days]
        parts.append("</tr></thead><tbody>")
        for row in view.rows:
            parts.append(f"<tr><th>{esc(row.label)}<br><small>{esc(row.detail)}</small></th>")
            for cell in row.cells:
                gaps = set(gap_lines(cell))
                lines = [
                    f'<span class="gapline">{esc(line)}</span>' if line in gaps else esc(line)
                    for line in cell_lines(view, cell)
                ]
                css = ' class="gap"' if cell.gap else ""
                parts.append(f"<td{css}>{'<br>'.join(lines)}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
        notes = _notes(view)
        if notes:
            parts.append('<ul class="notes">')
            parts += [f"<li>{esc(note)}</li>" for note in notes]
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- XLSX -------------------------------------------------------------------------------

_GAP_FILL = PatternFill("solid", start_color="FFDDDD", end_color="FFDDDD")
_HEAD_FILL = PatternFill("solid", start_color="DDDDDD", end_color="DDDDDD")
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def xlsx(views: Sequence[WeekView], target: Path | BinaryIO) -> None:
    """A workbook with one sheet per room: days across, posts down, gaps filled red."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for view in views:
        name = (view.room_code or _("all")).translate(_BAD_TITLE)[:28]
        unique, n = name, 2
        while unique in used:
            unique, n = f"{name}~{n}", n + 1
        used.add(unique)
        sheet = book.create_sheet(unique)
        sheet.append([title(view)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        heading = _("Post") if view.by == "post" else _("Name")
        sheet.append([heading, *map(formatting.day_month, view.days)])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
        widths = [cell_len(heading)] + [cell_len(formatting.day_month(d)) for d in view.days]
        for row in view.rows:
            values = [f"{row.label}\n{row.detail}"]
            values += ["\n".join(cell_lines(view, cell)) for cell in row.cells]
            sheet.append(values)
            excel_row = sheet.max_row
            for index, value in enumerate(values):
                widths[index] = max([widths[index], *(cell_len(v) for v in value.split("\n"))])
                target_cell = sheet.cell(excel_row, index + 1)
                target_cell.alignment = Alignment(wrap_text=True, vertical="top")
                if index and row.cells[index - 1].gap:
                    target_cell.fill = _GAP_FILL
        notes = _notes(view)
        if notes:
            sheet.append([])
            sheet.append([_("Under strength and other warnings:")])
            for note in notes:
                sheet.append([note])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width + 2
        sheet.freeze_panes = "B4"
    book.save(target)

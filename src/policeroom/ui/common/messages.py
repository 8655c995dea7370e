"""What the shared widgets' workers post, and their worker groups.

Each worker of this package's widgets (forms, lookups, paged tables) answers the widget
that asked with one of these messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from policeroom.ui.common.choice import Choice

FORM_SAVE = "form-save"
"""A form's ``submit``, run when ``ctrl+s`` is pressed."""
LOOKUP_SEARCH = "lookup-search"
"""A lookup field's search for what was typed."""
TABLE_READ = "paged-table-read"
"""A paged table's count and window of rows."""


# --- results of the shared widgets' workers ---------------------------------------------


class FormSaved(Message):
    """The service saved what the form holds; ``result`` is what ``submit`` returned."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class MatchesFound(Message):
    """What a lookup's search found for ``text``."""

    def __init__(self, text: str, matches: Sequence[Choice]) -> None:
        super().__init__()
        self.text = text
        self.matches = list(matches)


@dataclass(frozen=True)
class WindowRequest:
    """A paged table's read: the list's ``generation`` and which rows, with or without the count."""

    generation: int
    offset: int
    limit: int
    with_count: bool


class WindowRead(Message):
    """The rows (and the count, if asked for) that a paged table's read found."""

    def __init__(self, request: WindowRequest, total: int | None, rows: Sequence[object]) -> None:
        super().__init__()
        self.request = request
        self.total = total
        self.rows = list(rows)

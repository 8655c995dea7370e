"""What the shell's and the app's workers post when their work ends, their worker groups, and
the palette's jumps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    # Not at run time: the login screen's messages are defined before its first frame, and
    # the services (SQLAlchemy, SQLModel) are loaded only after it.
    from policeroom.services.core.context import Actor
    from policeroom.ui.common.desk import HeaderInfo

HEADER = "shell-header"
"""The header's facts (room, user, warnings) read again."""
START = "app-start"
"""Whether the database is empty, asked once when the program starts."""
INTEGRITY = "app-integrity"
"""The quick integrity check, run once after the first frame."""
RESET = "app-reset-training"
"""The training data thrown away and loaded afresh (``ctrl+r``)."""
LOAD = "app-load-training"
"""The training data loaded into an empty database (the first-run screen's ``l``)."""
WARM_UP = "app-warm-up"
"""The database opened and the desk's code loaded while the login screen waits for a key."""
JUMPS = "palette-jumps"
"""The palette's search for grids and residents to jump to."""


class HeaderRead(Message):
    """The header's facts, read for the grid on show."""

    def __init__(self, info: HeaderInfo) -> None:
        super().__init__()
        self.info = info


class DatabaseChecked(Message):
    """The database was looked at when the program started; ``empty``: it has no grid."""

    def __init__(self, empty: bool) -> None:
        super().__init__()
        self.empty = empty


class IntegrityChecked(Message):
    """The quick integrity check ended; ``problems`` is empty when the file is sound."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems


class TrainingReset(Message):
    """The training data was thrown away and loaded afresh."""


class TrainingLoaded(Message):
    """The training data was loaded into the database."""


class GridJump(Message):
    """The palette chose a grid: open the tree down to it."""

    def __init__(self, grid_id: int) -> None:
        super().__init__()
        self.grid_id = grid_id


class ResidentJump(Message):
    """The palette chose a resident: open their card."""

    def __init__(self, resident_id: int) -> None:
        super().__init__()
        self.resident_id = resident_id


LOGIN = "shell-login"
"""A login and password checked on the login screen."""


class LoggedIn(Message):
    """The login screen's login and password were right: ``actor`` is who logged in."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor


UNLOCK = "shell-unlock"
"""The password typed on the lock screen checked."""
DESK_LOG = "shell-desk-log"
"""A lock of the desk written to the audit log."""


class Unlocked(Message):
    """The lock screen's password was right (or, in training, none was needed)."""
